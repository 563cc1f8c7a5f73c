// aggregate(returns:activities:period:) on hand-built records (SPEC §4.1, §5): table order and totals,
// distinct units, continuous quarters, period filtering, district and country grouping, activity tables.

import Testing
@testable import TechSurvey

/// The records as ingest hands them to aggregate: packed, in one chunk.
private func aggregate(returns: [ReturnRecord], activities: [ActivityRecord], period: Period) throws -> Aggregates {
    try TechSurvey.aggregate(returns: PackedReturns(returns), activities: activities, period: period)
}

@Suite struct AggregatorTests {
    static func date(_ text: String) -> CalendarDate {
        guard let d = CalendarDate(parsing: text) else { fatalError("bad test date \(text)") }
        return d
    }

    static func visit(
        _ unit: String, _ field: Field, _ day: String, found: Int, proposed: Int,
        district: String = "", unitType: UnitType = .enterprise, row: Int = 2
    ) -> ReturnRecord {
        ReturnRecord(
            source: SourceRef(file: "returns/r.csv", row: row, line: row), returnID: "", unitID: unit, unitName: "",
            unitType: unitType, district: district, field: field, surveyDate: date(day),
            found: found, proposed: proposed, submittedAt: nil
        )
    }

    static func activity(
        _ kind: ActivityKind, _ day: String, businesses: Int = 0, visitors: Int = 0, connections: Int = 0,
        budget: Int64 = 0, country: String = ""
    ) -> ActivityRecord {
        ActivityRecord(
            source: SourceRef(file: "activities/a.csv", row: 2, line: 2), activityID: "", date: date(day), kind: kind,
            title: "t", partner: "", partnerCountry: country, field: nil,
            businesses: businesses, visitors: visitors, connections: connections, budget: Budget(thousandths: budget)
        )
    }

    static func measures(_ visits: Int, _ units: Int, _ found: Int, _ proposed: Int) -> SurveyMeasures {
        SurveyMeasures(unitVisits: visits, distinctUnits: units, technologiesFound: found, technologiesProposed: proposed)
    }

    static func row(_ table: SurveyTable, _ keys: [String]) -> SurveyRow? {
        table.rows.first { $0.keys == keys }
    }

    // MARK: by field

    @Test func fieldRowsComeInSpecOrderThenTotal() throws {
        let returns = [
            Self.visit("U1", .materials, "2015-02-01", found: 4, proposed: 3),
            Self.visit("U2", .biotech, "2015-02-01", found: 5, proposed: 2),
            Self.visit("U3", .energy, "2015-02-01", found: 2, proposed: 1),
        ]
        let table = try aggregate(returns: returns, activities: [], period: .all).byField
        #expect(table.keyColumns == ["field"])
        #expect(table.rows.map { $0.keys } == [["biotech"], ["environment"], ["energy"], ["automation"], ["materials"], ["total"]])
        let totals = table.rows.map { $0.isTotal }
        #expect(totals == [false, false, false, false, false, true])
    }

    @Test func aFieldWithoutReturnsHasAZeroRow() throws {
        let returns = [Self.visit("U1", .biotech, "2015-02-01", found: 5, proposed: 2)]
        let table = try aggregate(returns: returns, activities: [], period: .all).byField
        for field in [Field.environment, .energy, .automation, .materials] {
            let row = try #require(Self.row(table, [field.rawValue]))
            #expect(row.measures == SurveyMeasures(), "\(field)")
            #expect(row.shareBase == 5)
        }
    }

    @Test func distinctUnitsCountsEachUnitOnce() throws {
        let returns = [
            Self.visit("U1", .biotech, "2015-02-01", found: 3, proposed: 1),
            Self.visit("U1", .biotech, "2015-05-01", found: 2, proposed: 2),
            Self.visit("U2", .biotech, "2015-02-01", found: 4, proposed: 0),
            Self.visit("U1", .materials, "2015-02-01", found: 1, proposed: 1),
        ]
        let table = try aggregate(returns: returns, activities: [], period: .all).byField
        let biotech = try #require(Self.row(table, ["biotech"]))
        let materials = try #require(Self.row(table, ["materials"]))
        let total = try #require(Self.row(table, ["total"]))
        #expect(biotech.measures == Self.measures(3, 2, 9, 3))
        #expect(materials.measures == Self.measures(1, 1, 1, 1))
        #expect(total.measures == Self.measures(4, 2, 10, 4), "U1 surveyed in two fields is still one unit")
        #expect(total.shareBase == 10)
    }

    /// The worked example of SPEC §1, one record per unit-visit, each visit a different unit.
    static func workedExample() -> [ReturnRecord] {
        let table: [(Field, Int, Int, Int)] = [
            (.biotech, 19, 94, 50), (.environment, 11, 25, 23), (.energy, 9, 20, 11),
            (.automation, 15, 30, 10), (.materials, 12, 40, 32),
        ]
        var records: [ReturnRecord] = []
        var unit = 0
        for (field, visits, found, proposed) in table {
            for i in 0..<visits {
                unit += 1
                let f = found / visits + (i == 0 ? found % visits : 0)
                let p = proposed / visits + (i == 0 ? proposed % visits : 0)
                let day = ["2013-05-10", "2014-08-20", "2015-11-30"][i % 3]
                records.append(visit("HP-\(unit)", field, day, found: f, proposed: p))
            }
        }
        return records
    }

    @Test func theWorkedExampleReproducesThePublishedTable() throws {
        let table = try aggregate(returns: Self.workedExample(), activities: [], period: .all).byField
        let expected: [[Int]] = [[19, 94, 50], [11, 25, 23], [9, 20, 11], [15, 30, 10], [12, 40, 32], [66, 209, 126]]
        let actual = table.rows.map { [$0.measures.unitVisits, $0.measures.technologiesFound, $0.measures.technologiesProposed] }
        #expect(actual == expected)
        let biotech = try #require(table.rows.first)
        #expect(percentTenths(biotech.measures.technologiesProposed, of: biotech.measures.technologiesFound) == 532)
        #expect(percentTenths(biotech.measures.technologiesFound, of: biotech.shareBase) == 450)
    }

    // MARK: by period

    @Test func quartersRunWithoutGapsFromFirstToLast() throws {
        let returns = [
            Self.visit("U1", .biotech, "2014-11-03", found: 3, proposed: 1),
            Self.visit("U2", .energy, "2015-08-01", found: 2, proposed: 2),
            Self.visit("U3", .energy, "2015-09-30", found: 4, proposed: 1),
        ]
        let table = try aggregate(returns: returns, activities: [], period: .all).byPeriod
        #expect(table.keyColumns == ["period", "field"])
        let quarters = table.rows.map { $0.keys[0] }.reduce(into: [String]()) { seen, q in if seen.last != q { seen.append(q) } }
        #expect(quarters == ["2014-Q4", "2015-Q1", "2015-Q2", "2015-Q3"])
        #expect(table.rows.count == 4 * 6, "five fields and a total per quarter")
        let fieldsOfEachQuarter = Set(quarters.map { q in table.rows.filter { $0.keys[0] == q }.map { $0.keys[1] } })
        #expect(fieldsOfEachQuarter == [["biotech", "environment", "energy", "automation", "materials", "total"]])

        let emptyTotal = try #require(Self.row(table, ["2015-Q1", "total"]))
        #expect(emptyTotal.measures == SurveyMeasures())
        #expect(emptyTotal.isTotal)
        let q3Total = try #require(Self.row(table, ["2015-Q3", "total"]))
        #expect(q3Total.measures == Self.measures(2, 2, 6, 3))
        let q3Energy = try #require(Self.row(table, ["2015-Q3", "energy"]))
        #expect(q3Energy.shareBase == 6, "shares within a quarter are of that quarter's total")
    }

    @Test func aPeriodSetsTheQuartersEvenWhereThereIsNoData() throws {
        let returns = [Self.visit("U1", .biotech, "2015-08-01", found: 3, proposed: 1)]
        let table = try aggregate(returns: returns, activities: [], period: try Period(parsing: "2015")).byPeriod
        let quarters = Set(table.rows.map { $0.keys[0] })
        #expect(quarters == ["2015-Q1", "2015-Q2", "2015-Q3", "2015-Q4"])
        #expect(table.rows.count == 24)
    }

    @Test func noReturnsGiveZeroFieldRowsAndNoQuarters() throws {
        let result = try aggregate(returns: [], activities: [], period: .all)
        #expect(result.byField.rows.count == 6)
        let allZero = result.byField.rows.allSatisfy { $0.measures == SurveyMeasures() }
        #expect(allZero)
        #expect(result.byPeriod.rows.isEmpty)
        #expect(result.firstSurveyDate == nil)
        #expect(result.lastSurveyDate == nil)
    }

    // MARK: period filtering

    @Test func recordsOutsideThePeriodAreCountedNotAggregated() throws {
        let returns = [
            Self.visit("U1", .biotech, "2014-12-31", found: 100, proposed: 1),
            Self.visit("U2", .biotech, "2015-01-01", found: 3, proposed: 1),
            Self.visit("U3", .energy, "2015-12-31", found: 2, proposed: 2),
            Self.visit("U4", .energy, "2016-01-01", found: 100, proposed: 2),
        ]
        let activities = [
            Self.activity(.exhibition, "2015-06-01", visitors: 700),
            Self.activity(.exhibition, "2013-06-01", visitors: 5),
        ]
        let result = try aggregate(returns: returns, activities: activities, period: try Period(parsing: "2015"))
        #expect(result.returnsOutOfPeriod == 2)
        #expect(result.activitiesOutOfPeriod == 1)
        let total = try #require(Self.row(result.byField, ["total"]))
        #expect(total.measures == Self.measures(2, 2, 5, 3))
        #expect(result.firstSurveyDate == "2015-01-01")
        #expect(result.lastSurveyDate == "2015-12-31")
        let grand = try #require(result.activitiesByKind.rows.last)
        #expect(grand.measures.visitors == 700)
    }

    @Test func allDataLeavesNothingOutOfPeriod() throws {
        let returns = [Self.visit("U1", .biotech, "1999-01-01", found: 1, proposed: 0)]
        let result = try aggregate(returns: returns, activities: [Self.activity(.training, "2030-01-01")], period: .all)
        #expect(result.returnsOutOfPeriod == 0)
        #expect(result.activitiesOutOfPeriod == 0)
    }

    // MARK: free-text groups

    @Test func spellingsOfOneDistrictAreOneGroupNamedByTheMostFrequent() throws {
        let returns = [
            Self.visit("U1", .biotech, "2015-02-01", found: 1, proposed: 0, district: "Lê Chân"),
            Self.visit("U2", .biotech, "2015-02-01", found: 2, proposed: 0, district: "LÊ CHÂN"),
            Self.visit("U3", .biotech, "2015-02-01", found: 3, proposed: 0, district: "Lê Chân"),
            Self.visit("U4", .biotech, "2015-02-01", found: 4, proposed: 0, district: "Le Chan"),
            Self.visit("U5", .biotech, "2015-02-01", found: 5, proposed: 0, district: ""),
            Self.visit("U6", .biotech, "2015-02-01", found: 6, proposed: 0, district: "Hồng Bàng"),
        ]
        let table = try aggregate(returns: returns, activities: [], period: .all).byDistrict
        #expect(table.keyColumns == ["district"])
        #expect(table.rows.map { $0.keys } == [["Hồng Bàng"], ["Lê Chân"], ["unknown"], ["total"]])
        let leChan = try #require(Self.row(table, ["Lê Chân"]))
        #expect(leChan.measures == Self.measures(4, 4, 10, 0))
        let unknown = try #require(Self.row(table, ["unknown"]))
        #expect(unknown.measures == Self.measures(1, 1, 5, 0))
    }

    @Test func countriesGroupLikeDistricts() throws {
        let activities = [
            Self.activity(.exhibition, "2015-03-01", businesses: 13, country: "Nhật Bản"),
            Self.activity(.delegation, "2015-04-01", businesses: 2, country: "NHẬT BẢN"),
            Self.activity(.delegation, "2015-05-01", businesses: 1, country: "Nhật Bản"),
            Self.activity(.training, "2015-05-01", businesses: 1, country: "Phần Lan"),
            Self.activity(.training, "2015-06-01", businesses: 1, country: ""),
        ]
        let table = try aggregate(returns: [], activities: activities, period: .all).activitiesByCountry
        #expect(table.keyColumns == ["partner_country"])
        #expect(table.rows.map { $0.keys } == [["Nhật Bản"], ["Phần Lan"], ["unknown"], ["total"]])
        let japan = try #require(table.rows.first)
        #expect(japan.measures.activities == 3)
        #expect(japan.measures.businesses == 16)
    }

    @Test func groupRowsAddUpToTheTotalWhenADistrictIsWrittenUnknown() throws {
        // A district typed as the word "unknown" and one left empty must not both become an "unknown" row.
        let returns = [
            Self.visit("U1", .biotech, "2015-02-01", found: 1, proposed: 0, district: "unknown"),
            Self.visit("U2", .biotech, "2015-02-01", found: 2, proposed: 0, district: ""),
        ]
        let table = try aggregate(returns: returns, activities: [], period: .all).byDistrict
        let groups = table.rows.filter { !$0.isTotal }
        let total = try #require(table.rows.last)
        let summed = groups.map { $0.measures.unitVisits }.reduce(0, +)
        let labels = groups.map { $0.keys }
        #expect(summed == total.measures.unitVisits, "rows: \(table.rows)")
        #expect(Set(labels).count == labels.count, "labels: \(labels)")
    }

    // MARK: activities

    @Test func activitiesByKindAndYearWithTotalsPerKind() throws {
        let activities = [
            Self.activity(.researchTask, "2014-03-01", budget: 1_000_500),
            Self.activity(.exhibition, "2015-10-01", businesses: 13, visitors: 700, connections: 120),
            Self.activity(.researchTask, "2013-03-01", budget: 2_000_000),
            Self.activity(.researchTask, "2014-09-01", budget: 2_132_000),
            Self.activity(.exhibition, "2013-05-01", visitors: 50),
        ]
        let table = try aggregate(returns: [], activities: activities, period: .all).activitiesByKind
        #expect(table.keyColumns == ["kind", "year"])
        let keys = table.rows.map { $0.keys }
        #expect(keys == [
            ["exhibition", "2013"], ["exhibition", "2015"], ["exhibition", "total"],
            ["research_task", "2013"], ["research_task", "2014"], ["research_task", "total"],
            ["total", "total"],
        ])
        let totalFlags = table.rows.map { $0.isTotal }
        #expect(totalFlags == [false, false, true, false, false, true, true])

        let research2014 = try #require(table.rows.first { $0.keys == ["research_task", "2014"] })
        #expect(research2014.measures.activities == 2)
        #expect(research2014.measures.budget == Budget(thousandths: 3_132_500))
        let researchTotal = try #require(table.rows.first { $0.keys == ["research_task", "total"] })
        #expect(researchTotal.measures.budget.description == "5132.5")
        let exhibitions = try #require(table.rows.first { $0.keys == ["exhibition", "total"] })
        #expect(exhibitions.measures.activities == 2)
        #expect(exhibitions.measures.visitors == 750)
        #expect(exhibitions.measures.businesses == 13)
        #expect(exhibitions.measures.connections == 120)
        let grand = try #require(table.rows.last)
        #expect(grand.measures.activities == 5)
        #expect(grand.measures.budget == Budget(thousandths: 5_132_500))
    }

    @Test func budgetsSumExactlyWithoutFloatingPointDrift() throws {
        // Ten budgets of 0.1 million add to exactly 1, which Double would not.
        let activities = (0..<10).map { _ in Self.activity(.researchTask, "2015-01-01", budget: 100) }
        let table = try aggregate(returns: [], activities: activities, period: .all).activitiesByKind
        let grand = try #require(table.rows.last)
        #expect(grand.measures.budget == Budget(thousandths: 1_000))
        #expect(grand.measures.budget.description == "1")
    }

    @Test func noActivitiesLeaveOnlyTheGrandTotal() throws {
        let result = try aggregate(returns: [], activities: [], period: .all)
        #expect(result.activitiesByKind.rows.map { $0.keys } == [["total", "total"]])
        #expect(result.activitiesByKind.rows.first?.measures == ActivityMeasures())
    }

    // MARK: sums are exact or refused (issue 11 class 2)

    @Test func aSumBeyondSixtyFourBitsIsADataErrorNotATrap() throws {
        let huge = Int.max / 2 + 1
        let returns = [Self.visit("U1", .biotech, "2015-01-02", found: huge, proposed: 0),
                       Self.visit("U2", .energy, "2015-01-02", found: huge, proposed: 0)]
        #expect(throws: ExactSum.overflowError("technologies found or proposed")) {
            try aggregate(returns: returns, activities: [], period: .all)
        }
        let fits = [Self.visit("U1", .biotech, "2015-01-02", found: huge - 1, proposed: 0),
                    Self.visit("U2", .energy, "2015-01-02", found: huge - 1, proposed: 0)]
        #expect(try aggregate(returns: fits, activities: [], period: .all).byField.rows.last?.measures.technologiesFound == Int.max - 1)
    }

    @Test func hugeBudgetsAndCountsOfActivitiesAreRefused() throws {
        let budget = [Self.activity(.researchTask, "2015-01-02", budget: Int64.max / 2 + 1), Self.activity(.researchTask, "2015-02-02", budget: Int64.max / 2 + 1)]
        #expect(throws: ExactSum.overflowError("budgets")) { try aggregate(returns: [], activities: budget, period: .all) }
        let visitors = [Self.activity(.exhibition, "2015-01-02", visitors: Int.max), Self.activity(.exhibition, "2015-02-02", visitors: 1)]
        #expect(throws: TechSurveyError.self) { try aggregate(returns: [], activities: visitors, period: .all) }
    }
}
