// The survey tables as Tables/ counts them (two passes, packed records, bit sets, two threads) against the
// spec read literally (SPEC §4.1, §5, make quarterly): for each row, filter the period's records by the
// row's key and add them up, with a Set of unit ids for distinct_units. Seeded random returns (spellings of
// one district, empty and "unknown" districts, units in several fields and quarters) for several periods,
// handed over in one chunk, in small chunks, and in chunks large enough to be split between two threads.

import Testing
@testable import TechSurvey

@Suite struct SurveyCountsTests {
    static func randomReturns(seed: UInt64, count: Int) -> [ReturnRecord] {
        var rng = SeededGenerator(state: seed)
        let districts = ["Lê Chân", "LÊ CHÂN", "Le Chan", "Ngô Quyền", "Ngo Quyen", "", "unknown", "UNKNOWN", "Kiến An", " Hồng Bàng", "Tổng"]
        return (0..<count).map { i in
            let found = Int.random(in: 0...20, using: &rng)
            let year = Int.random(in: 2013...2016, using: &rng), month = Int.random(in: 1...12, using: &rng)
            let day = Int.random(in: 1...CalendarDate.daysIn(month: month, year: year), using: &rng)
            return ReturnRecord(
                source: SourceRef(file: "returns/r\(i % 3).csv", row: i + 2, line: i + 2), returnID: "P\(i)",
                unitID: "U\(Int.random(in: 0..<(count / 8 + 5), using: &rng))", unitName: "",
                unitType: UnitType.allCases.randomElement(using: &rng) ?? .other,
                district: districts.randomElement(using: &rng) ?? "", field: Field.allCases.randomElement(using: &rng) ?? .biotech,
                surveyDate: CalendarDate(year: year, month: month, day: day) ?? CalendarDate.packingFallback,
                found: found, proposed: Int.random(in: 0...found, using: &rng), submittedAt: nil
            )
        }
    }

    static let periods = ["", "2014", "2015-Q3", "2013-Q2..2014-Q1", "2016-Q4..2017-Q2", "2020", "2012-Q4"]

    /// What aggregate writes of the survey tables, to compare whole.
    static func surveyPart(_ a: Aggregates) -> [String] {
        [a.byField, a.byPeriod, a.byUnitType, a.byDistrict].map { "\($0)" }
            + ["\(a.comparisons)", "\(a.trend)", "\(a.firstSurveyDate ?? "-") \(a.lastSurveyDate ?? "-") \(a.returnsOutOfPeriod)"]
    }

    @Test(arguments: periods)
    func countedTablesEqualTheSpecReadLiterally(_ text: String) throws {
        let period = try Period(parsing: text)
        let returns = Self.randomReturns(seed: 2016, count: 3_000)
        let got = try aggregate(returns: PackedReturns(returns), activities: [ActivityRecord](), period: period)
        let want = Reference.aggregates(returns, period: period)
        #expect(Self.surveyPart(got) == Self.surveyPart(want))
        #expect(got.byDistrict.rows.count > 1 || got.byField.rows.last?.measures.unitVisits == 0)
    }

    /// Chunks of every size give the same figures, including chunks split between two threads (at least
    /// 2 × 8,192 records) whose halves are merged.
    @Test(arguments: [1, 17, 5_000, 16_384, 40_000])
    func anyChunkingGivesTheSameFigures(_ chunk: Int) throws {
        let returns = Self.randomReturns(seed: 5, count: 40_000)
        for text in ["", "2015", "2014-Q2"] {
            let period = try Period(parsing: text)
            let got = try aggregate(returns: Chunked(PackedReturns(returns), size: chunk), activities: [ActivityRecord](), period: period)
            #expect(Self.surveyPart(got) == Self.surveyPart(Reference.aggregates(returns, period: period)), "chunks of \(chunk), period '\(text)'")
        }
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
            let period = try Period(parsing: text)
            let got = try aggregate(returns: packed, activities: [ActivityRecord](), period: period)
            #expect(Self.surveyPart(got) == Self.surveyPart(Reference.aggregates(returns, period: period)))
        }
    }
}

/// Packed returns handed out `size` records at a time.
private struct Chunked: ReturnStream {
    let packed: PackedReturns
    let size: Int

    init(_ packed: PackedReturns, size: Int) {
        self.packed = packed
        self.size = size
    }

    var strings: [String] { packed.strings }

    func forEachChunk(_ body: (UnsafeBufferPointer<PackedReturn>) throws -> Void) throws {
        try packed.records.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let end = min(start + size, all.count)
                try body(UnsafeBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }
    }
}

/// SPEC §4.1 read literally, on plain records.
private enum Reference {
    /// One row: the records it holds, added up; its share divides by `base`.
    static func row(_ keys: [String], _ records: [ReturnRecord], base: Int, total: Bool) -> SurveyRow {
        let m = SurveyMeasures(unitVisits: records.count, distinctUnits: Set(records.map(\.unitID)).count,
                               technologiesFound: records.map(\.found).reduce(0, +), technologiesProposed: records.map(\.proposed).reduce(0, +))
        return SurveyRow(keys: keys, measures: m, shareBase: base, isTotal: total)
    }

    /// A one-key table: a row per key in `keys` order, then the total of every record.
    static func table(_ column: String, _ records: [ReturnRecord], keys: [String], keyOf: (ReturnRecord) -> String) -> SurveyTable {
        let found = records.map(\.found).reduce(0, +)
        let rows = keys.map { key in row([key], records.filter { keyOf($0) == key }, base: found, total: false) }
        return SurveyTable(keyColumns: [column], rows: rows + [row(["total"], records, base: found, total: true)])
    }

    /// Districts: spellings that fold alike are one row named by the most frequent (the first in code
    /// order on a tie); empty and "unknown" are the row `unknown`, last; the others in folded order.
    static func districtLabel(_ records: [ReturnRecord]) -> (String) -> String {
        let fold = { (d: String) -> String in
            let key = TextFold.key(d)
            return key == TextFold.key("unknown") ? "" : key
        }
        var spellings: [String: [String: Int]] = [:]
        for r in records { spellings[fold(r.district), default: [:]][r.district, default: 0] += 1 }
        let labels = spellings.mapValues { counts in
            counts.sorted { a, b in a.value != b.value ? a.value > b.value : a.key < b.key }.first?.key ?? ""
        }
        return { d in fold(d).isEmpty ? "unknown" : labels[fold(d)] ?? "?" }
    }

    static func districtKeys(_ records: [ReturnRecord]) -> [String] {
        let label = districtLabel(records)
        let byFold = Dictionary(records.map { (TextFold.key(label($0.district)), label($0.district)) }, uniquingKeysWith: { a, _ in a })
        let named = byFold.filter { $0.value != "unknown" }.sorted { $0.key < $1.key }.map(\.value)
        return named + (byFold.values.contains("unknown") ? ["unknown"] : [])
    }

    static func quarters(_ from: Quarter?, _ to: Quarter?) -> [Quarter] {
        guard var q = from, let end = to else { return [] }
        var out: [Quarter] = []
        while q <= end {
            out.append(q)
            q = q.next
        }
        return out
    }

    static func aggregates(_ all: [ReturnRecord], period: Period) -> Aggregates {
        let records = all.filter { period.contains($0.surveyDate) }
        let fields = Field.allCases.map(\.rawValue), types = UnitType.allCases.map(\.rawValue)
        let byField = { (rs: [ReturnRecord]) in table("field", rs, keys: fields, keyOf: { $0.field.rawValue }) }
        let label = districtLabel(records)

        // by_period: the period's quarters (all data: the first to the last counted), each field then the total.
        let seen = records.map(\.surveyDate.quarter)
        let periodRows = quarters(period.first ?? seen.min(), period.last ?? seen.max()).flatMap { q -> [SurveyRow] in
            let inQuarter = records.filter { $0.surveyDate.quarter == q }
            let found = inQuarter.map(\.found).reduce(0, +)
            return Field.allCases.map { f in row([q.description, f.rawValue], inQuarter.filter { $0.field == f }, base: found, total: false) }
                + [row([q.description, "total"], inQuarter, base: found, total: true)]
        }

        // The trend: every return's quarter totals, from eight quarters before the period (never before the
        // first return) to its end (all data: the last return).
        let allQuarters = all.map(\.surveyDate.quarter)
        var trend: [TrendPoint] = []
        if let firstData = allQuarters.min(), let lastData = allQuarters.max() {
            trend = quarters(max(firstData, period.first?.advanced(by: -8) ?? firstData), period.last ?? lastData).map { q in
                TrendPoint(quarter: q, measures: row([], all.filter { $0.surveyDate.quarter == q }, base: 0, total: true).measures)
            }
        }

        // Comparisons: the previous period of the same length; for periods under a year also a year earlier.
        var comparisons: [Comparison] = []
        if let previous = period.previous {
            comparisons.append(Comparison(basis: .previousPeriod, period: previous, byField: byField(all.filter { previous.contains($0.surveyDate) })))
        }
        if let first = period.first, let last = period.last, first.distance(to: last) < 3, let earlier = period.yearEarlier {
            comparisons.append(Comparison(basis: .yearEarlier, period: earlier, byField: byField(all.filter { earlier.contains($0.surveyDate) })))
        }

        let dates = records.map(\.surveyDate)
        return Aggregates(
            period: period, firstSurveyDate: dates.min()?.description, lastSurveyDate: dates.max()?.description,
            byField: byField(records), byPeriod: SurveyTable(keyColumns: ["period", "field"], rows: periodRows),
            byUnitType: table("unit_type", records, keys: types, keyOf: { $0.unitType.rawValue }),
            byDistrict: table("district", records, keys: districtKeys(records), keyOf: { label($0.district) }),
            activitiesByKind: ActivityTable(keyColumns: [], rows: []), activitiesByCountry: ActivityTable(keyColumns: [], rows: []),
            returnsOutOfPeriod: all.count - records.count, activitiesOutOfPeriod: 0, comparisons: comparisons, trend: trend)
    }
}
