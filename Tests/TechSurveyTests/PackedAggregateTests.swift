// Aggregating packed returns gives exactly the figures the record-by-record aggregator gave before the
// stage went binary: the reference below is that aggregator's survey part, kept as it was, and both are
// run on seeded random returns (spelling variants of districts, unknowns, empty quarters) for several
// periods and compared as the JSON aggregate writes.

import Testing
@testable import TechSurvey

@Suite struct PackedAggregateTests {
    static func randomReturns(seed: UInt64, count: Int) -> [ReturnRecord] {
        var rng = SeededGenerator(state: seed)
        let districts = ["Lê Chân", "LÊ CHÂN", "Le Chan", "Ngô Quyền", "Ngo Quyen", "", "unknown", "UNKNOWN", "Kiến An", " Hồng Bàng"]
        return (0..<count).map { i in
            let found = Int.random(in: 0...20, using: &rng)
            let year = Int.random(in: 2013...2016, using: &rng), month = Int.random(in: 1...12, using: &rng)
            let day = Int.random(in: 1...CalendarDate.daysIn(month: month, year: year), using: &rng)
            return ReturnRecord(
                source: SourceRef(file: "returns/r\(i % 3).csv", row: i + 2, line: i + 2), returnID: "P\(i)",
                unitID: "U\(Int.random(in: 0..<40, using: &rng))", unitName: "",
                unitType: UnitType.allCases.randomElement(using: &rng) ?? .other,
                district: districts.randomElement(using: &rng) ?? "", field: Field.allCases.randomElement(using: &rng) ?? .biotech,
                surveyDate: CalendarDate(year: year, month: month, day: day) ?? CalendarDate.packingFallback,
                found: found, proposed: Int.random(in: 0...found, using: &rng), submittedAt: nil
            )
        }
    }

    static let periods = ["", "2014", "2015-Q3", "2013-Q2..2014-Q1", "2016-Q4..2017-Q2", "2020", "2012-Q4"]

    @Test(arguments: periods)
    func packedFiguresEqualTheRecordByRecordOnes(_ text: String) throws {
        let period = try Period(parsing: text)
        let returns = Self.randomReturns(seed: 2016, count: 3_000)
        let got = try aggregate(returns: PackedReturns(returns), activities: [], period: period)
        var want = got
        Reference.surveyTables(returns, period: period, into: &want)
        #expect(try JSONFile.encode(got) == JSONFile.encode(want))
        #expect(got == want)
        #expect(got.byDistrict.rows.count > 1 || got.byField.rows.last?.measures.unitVisits == 0)
    }

    /// Ingest may one day pack without interning every string: a unit id or district stored twice in the
    /// table must still count as one unit and one spelling.
    @Test func aStringStoredTwiceCountsOnce() throws {
        let returns = Self.randomReturns(seed: 7, count: 500)
        var packed = PackedReturns(returns)
        let base = Int32(packed.strings.count)
        packed.strings += packed.strings
        for i in packed.records.indices where i % 2 == 0 {
            packed.records[i].unitID += base
            packed.records[i].district += base
        }
        for text in ["", "2015", "2014-Q2"] {
            let period = (try? Period(parsing: text)) ?? .all
            #expect(try aggregate(returns: packed, activities: [], period: period) == aggregate(returns: returns, activities: [], period: period))
        }
    }

    @Test func theRecordWrapperPacksAndAggregates() throws {
        let returns = Self.randomReturns(seed: 11, count: 200)
        #expect(try aggregate(returns: returns, activities: [], period: .all) == aggregate(returns: PackedReturns(returns), activities: [], period: .all))
    }
}

/// The survey tables as `aggregate(returns:activities:period:)` computed them on `[ReturnRecord]` before
/// returns were packed.
private enum Reference {
    static func surveyTables(_ allReturns: [ReturnRecord], period: Period, into result: inout Aggregates) {
        let allUnits = numberUnits(allReturns)
        let inPeriod = allReturns.indices.filter { period.contains(allReturns[$0].surveyDate) }
        let returns = inPeriod.map { allReturns[$0] }
        let units = inPeriod.map { allUnits[$0] }

        result.byField = surveyTable(keyColumn: "field", returns, units, keys: Field.allCases.map(\.rawValue), keyOf: { $0.field.rawValue })
        result.byUnitType = surveyTable(keyColumn: "unit_type", returns, units, keys: UnitType.allCases.map(\.rawValue), keyOf: { $0.unitType.rawValue })
        let districts = FreeTextGroups(returns.map(\.district))
        result.byDistrict = surveyTable(keyColumn: "district", returns, units, keys: districts.orderedLabels, keyOf: { districts.label(for: $0.district) })

        var quarters: [Quarter] = []
        let seen = returns.map(\.surveyDate.quarter)
        if var q = period.first ?? seen.min(), let end = period.last ?? seen.max() {
            while q <= end {
                quarters.append(q)
                q = q.next
            }
        }
        var byQuarterField: [Quarter: [Field: SurveyAccumulator]] = [:]
        var byQuarter: [Quarter: SurveyAccumulator] = [:]
        for (r, unit) in zip(returns, units) {
            let q = r.surveyDate.quarter
            byQuarterField[q, default: [:]][r.field, default: SurveyAccumulator()].add(found: r.found, proposed: r.proposed, unit: unit)
            byQuarter[q, default: SurveyAccumulator()].add(found: r.found, proposed: r.proposed, unit: unit)
        }
        var periodRows: [SurveyRow] = []
        for quarter in quarters {
            let total = byQuarter[quarter]?.measures ?? SurveyMeasures()
            for field in Field.allCases {
                let m = byQuarterField[quarter]?[field]?.measures ?? SurveyMeasures()
                periodRows.append(SurveyRow(keys: [quarter.description, field.rawValue], measures: m, shareBase: total.technologiesFound, isTotal: false))
            }
            periodRows.append(SurveyRow(keys: [quarter.description, "total"], measures: total, shareBase: total.technologiesFound, isTotal: true))
        }
        result.byPeriod = SurveyTable(keyColumns: ["period", "field"], rows: periodRows)
        result.firstSurveyDate = returns.map(\.surveyDate).min()?.description
        result.lastSurveyDate = returns.map(\.surveyDate).max()?.description
        result.returnsOutOfPeriod = allReturns.count - returns.count
        result.comparisons = comparisons(of: period, allReturns, allUnits)
        result.trend = trend(of: period, allReturns, allUnits)
    }

    /// The trend chart's quarters: up to the period's end, from eight quarters before its start (never
    /// before the first return), each quarter's totals over every return.
    static func trend(of period: Period, _ returns: [ReturnRecord], _ units: [Int]) -> [TrendPoint] {
        let quarters = returns.map(\.surveyDate.quarter)
        guard let firstData = quarters.min(), let lastData = quarters.max() else { return [] }
        let end = period.last ?? lastData
        var q = max(firstData, period.first?.advanced(by: -8) ?? firstData)
        var out: [TrendPoint] = []
        while q <= end {
            var total = SurveyAccumulator()
            for (r, unit) in zip(returns, units) where r.surveyDate.quarter == q { total.add(found: r.found, proposed: r.proposed, unit: unit) }
            out.append(TrendPoint(quarter: q, measures: total.measures))
            q = q.next
        }
        return out
    }

    static func comparisons(of period: Period, _ returns: [ReturnRecord], _ units: [Int]) -> [Comparison] {
        var bases: [(Comparison.Basis, Period)] = []
        if let previous = period.previous { bases.append((.previousPeriod, previous)) }
        if let first = period.first, let last = period.last, first.distance(to: last) + 1 < 4, let earlier = period.yearEarlier {
            bases.append((.yearEarlier, earlier))
        }
        return bases.map { basis, other in
            let chosen = returns.indices.filter { other.contains(returns[$0].surveyDate) }
            let table = surveyTable(keyColumn: "field", chosen.map { returns[$0] }, chosen.map { units[$0] }, keys: Field.allCases.map(\.rawValue), keyOf: { $0.field.rawValue })
            return Comparison(basis: basis, period: other, byField: table)
        }
    }

    static func numberUnits(_ records: [ReturnRecord]) -> [Int] {
        var numbers: [String: Int] = [:]
        return records.map { r in
            if let n = numbers[r.unitID] { return n }
            let n = numbers.count
            numbers[r.unitID] = n
            return n
        }
    }

    static func surveyTable(keyColumn: String, _ records: [ReturnRecord], _ units: [Int], keys: [String], keyOf: (ReturnRecord) -> String) -> SurveyTable {
        var groups: [String: SurveyAccumulator] = [:]
        var all = SurveyAccumulator()
        for (r, unit) in zip(records, units) {
            groups[keyOf(r), default: SurveyAccumulator()].add(found: r.found, proposed: r.proposed, unit: unit)
            all.add(found: r.found, proposed: r.proposed, unit: unit)
        }
        let total = all.measures
        var rows = keys.map { key in
            SurveyRow(keys: [key], measures: groups[key]?.measures ?? SurveyMeasures(), shareBase: total.technologiesFound, isTotal: false)
        }
        rows.append(SurveyRow(keys: ["total"], measures: total, shareBase: total.technologiesFound, isTotal: true))
        return SurveyTable(keyColumns: [keyColumn], rows: rows)
    }
}
