// Which row of each survey table a return falls in (SPEC §4.1), and which rows are totals: known from the
// row's place, so a district named "total" is an ordinary row.

import Testing
@testable import TechSurvey

@Suite struct SurveyLayoutTests {
    static func packed(_ field: Field, _ unitType: UnitType = .enterprise, district: String = "", day: String = "2015-08-02") -> PackedReturns {
        PackedReturns([ReturnRecord(
            source: SourceRef(file: "r.csv", row: 2, line: 2), returnID: "", unitID: "U1", unitName: "", unitType: unitType,
            district: district, field: field, surveyDate: CalendarDate(parsing: day) ?? CalendarDate.packingFallback,
            found: 1, proposed: 0, submittedAt: nil)])
    }

    static func quarter(_ text: String) -> Int { Quarter(parsing: text).map(QuarterRange.index) ?? -1 }

    @Test(arguments: [(Field.biotech, UnitType.enterprise, 0, 0), (.materials, .other, 4, 4), (.energy, .university, 2, 2)])
    func fieldAndUnitTypeRowsFollowTheCodeOrderThenTheTotal(_ field: Field, _ unitType: UnitType, fieldRow: Int, typeRow: Int) {
        let r = Self.packed(field, unitType).records[0], q = Self.quarter("2015-Q3")
        let all = QuarterRange(Period.all)
        #expect(SurveyLayout(.field, range: all).place(r, quarter: q) == (fieldRow, 5))
        #expect(SurveyLayout(.unitType, range: all).place(r, quarter: q) == (typeRow, 5))
    }

    @Test func byPeriodRowsAreQuarterByQuarterEachClosedByItsTotal() throws {
        let first = Self.quarter("2015-Q1")
        let layout = SurveyLayout(.quarterField(first: first), range: QuarterRange(try Period(parsing: "2015")), quarters: 4)
        let r = Self.packed(.automation).records[0]
        let (row, total) = layout.place(r, quarter: Self.quarter("2015-Q3"))
        #expect(layout.keys[row] == ["2015-Q3", "automation"] && layout.keys[total] == ["2015-Q3", "total"])
        #expect(layout.totalRow(of: row) == total && layout.isTotal[total] && !layout.isTotal[row])
        #expect(layout.keys.count == 24 && layout.isTotal.filter { $0 }.count == 4)
    }

    @Test func theTrendHasOneTotalRowPerQuarter() {
        let layout = SurveyLayout(.quarter(first: Self.quarter("2014-Q4")), range: QuarterRange(first: Self.quarter("2014-Q4"), last: Self.quarter("2015-Q3")), quarters: 4)
        let r = Self.packed(.biotech).records[0]
        #expect(layout.place(r, quarter: Self.quarter("2015-Q3")) == (3, 3))
        #expect(layout.keys == [["2014-Q4"], ["2015-Q1"], ["2015-Q2"], ["2015-Q3"]] && layout.isTotal.allSatisfy { $0 })
    }

    @Test func aDistrictNamedTotalIsAnOrdinaryRow() {
        let packed = PackedReturns(["total", "Lê Chân", "LÊ CHÂN"].map { d in Self.packed(.biotech, district: d).returnRecords[0] })
        var counts = [Int32](repeating: 0, count: packed.strings.count)
        for r in packed.records { counts[Int(r.district)] += 1 }
        let layout = SurveyLayout(.district, range: QuarterRange(Period.all), districts: DistrictRows(packed.strings, counts: counts))
        #expect(layout.keys == [["LÊ CHÂN"], ["total"], ["total"]], "a tie is named by the first spelling in code order")
        #expect(layout.isTotal == [false, false, true])
        let rows = packed.records.map { layout.place($0, quarter: Self.quarter("2015-Q3")) }
        #expect(rows.map(\.row) == [1, 0, 0] && rows.allSatisfy { $0.total == 2 })
    }
}
