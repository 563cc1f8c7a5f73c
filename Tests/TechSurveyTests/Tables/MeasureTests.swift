// How each measure makes a row's figure (SPEC §4.1): counts as summed, the rate of the row's sums and the
// share of its total row's found, rounded half away from zero to one decimal, empty when the divisor is 0;
// and what one record shows in a trace.

import Testing
@testable import TechSurvey

@Suite struct MeasureTests {
    static func row(visits: Int = 3, units: Int = 2, found: Int, proposed: Int, base: Int) -> SurveyRow {
        SurveyRow(keys: ["biotech"], measures: SurveyMeasures(unitVisits: visits, distinctUnits: units, technologiesFound: found, technologiesProposed: proposed),
                  shareBase: base, isTotal: false)
    }

    @Test(arguments: [
        // found, proposed, table's found, proposal_rate_pct, share_of_found_pct
        (94, 50, 209, "53.2", "45.0"), (25, 23, 209, "92.0", "12.0"), (0, 0, 209, "", "0.0"), (0, 0, 0, "", ""),
        (3, 1, 8, "33.3", "37.5"), (2, 1, 3, "50.0", "66.7"), (200, 1, 400, "0.5", "50.0"), (1, 1, 1, "100.0", "100.0"),
    ])
    func ratesAndSharesAreOfTheSums(found: Int, proposed: Int, base: Int, rate: String, share: String) {
        let r = Self.row(found: found, proposed: proposed, base: base)
        #expect(Measure.proposalRatePct.cell(r).csvText == rate)
        #expect(Measure.shareOfFoundPct.cell(r).csvText == share)
        #expect(Measure.unitVisits.cell(r).csvText == "3" && Measure.distinctUnits.cell(r).csvText == "2")
        #expect(Measure.technologiesFound.cell(r).csvText == String(found) && Measure.technologiesProposed.cell(r).csvText == String(proposed))
    }

    @Test func activityMeasuresAreTheirSums() {
        var m = ActivityMeasures()
        m.activities = 7
        m.businesses = 13
        m.visitors = 700
        m.connections = 120
        m.budget = Budget(thousandths: 5_132_500)
        #expect(Measure.activity.map { $0.cell(m).csvText } == ["7", "13", "700", "120", "5132.5"])
        #expect(Measure.survey.allSatisfy { $0.cell(m) == .missing })
    }

    @Test func aRecordShowsWhatItBrings() {
        let packed = PackedReturns([ReturnRecord(
            source: SourceRef(file: "r.csv", row: 2, line: 2), returnID: "", unitID: "HP-07", unitName: "", unitType: .enterprise,
            district: "", field: .biotech, surveyDate: CalendarDate(year: 2015, month: 1, day: 2) ?? CalendarDate.packingFallback,
            found: 5, proposed: 2, submittedAt: nil)])
        let shown = Measure.survey.map { $0.traced(packed.records[0], strings: packed.strings) }
        #expect(shown == ["1", "HP-07", "5", "2", "2/5", "5"])
        #expect(Measure.survey.map(\.combination) == ["sum", "distinct", "sum", "sum", "rate", "share"])
    }

    @Test(arguments: Measure.allCases)
    func everyMeasureHasAMeaningInBothLanguages(_ measure: Measure) {
        for language in Language.allCases {
            let meaning = measure.meaning(language)
            #expect(!meaning.description.isEmpty)
            #expect(!measure.heading(language).isEmpty && measure.heading(language) != measure.rawValue)
            #expect(meaning.type == ([.proposalRatePct, .shareOfFoundPct, .budgetMillionVND].contains(measure) ? "number" : "integer"))
        }
    }
}
