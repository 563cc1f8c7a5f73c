// What one return adds to its row (SPEC §4.1), and that two tallies of one row over different returns merge
// into the tally of all of them, in either order; a sum beyond 64 bits is flagged, never wrapped.

import Testing
@testable import TechSurvey

@Suite struct SurveyTallyTests {
    static func packed(_ visits: [(unit: String, found: Int, proposed: Int)]) -> PackedReturns {
        PackedReturns(visits.enumerated().map { i, v in ReturnRecord(
            source: SourceRef(file: "r.csv", row: i + 2, line: i + 2), returnID: "", unitID: v.unit, unitName: "", unitType: .enterprise,
            district: "", field: .biotech, surveyDate: CalendarDate(year: 2015, month: 1, day: 2) ?? CalendarDate.packingFallback,
            found: v.found, proposed: v.proposed, submittedAt: nil) })
    }

    @Test(arguments: [0, 1, 3, 6])
    func halvesMergeIntoTheWhole(_ split: Int) {
        let packed = Self.packed([("U1", 3, 1), ("U2", 4, 0), ("U1", 2, 2), ("U3", 0, 0), ("U2", 9, 9), ("U4", 1, 0)])
        let unit = { (r: PackedReturn) in Int(r.unitID) }
        var whole = SurveyTally(units: packed.strings.count), left = whole, right = SurveyTally(units: packed.strings.count, dense: true)
        for (i, r) in packed.records.enumerated() {
            whole.add(r, unit: unit(r))
            if i < split { left.add(r, unit: unit(r)) } else { right.add(r, unit: unit(r)) }
        }
        let want = SurveyMeasures(unitVisits: 6, distinctUnits: 4, technologiesFound: 19, technologiesProposed: 12)
        #expect(whole.measures == want)
        var leftFirst = left, rightFirst = right
        leftFirst.merge(right)
        rightFirst.merge(left)
        #expect(leftFirst.measures == want && rightFirst.measures == want)
    }

    @Test func aSumBeyondSixtyFourBitsIsFlaggedInAddAndMerge() {
        let packed = Self.packed([("U1", Int.max / 2 + 1, 0), ("U2", Int.max / 2 + 1, 0)])
        var one = SurveyTally(units: 2), two = SurveyTally(units: 2)
        one.add(packed.records[0], unit: 0)
        two.add(packed.records[1], unit: 1)
        #expect(!one.overflowed && !two.overflowed)
        var merged = one
        merged.merge(two)
        #expect(merged.overflowed)
        one.add(packed.records[1], unit: 1)
        #expect(one.overflowed)
    }
}
