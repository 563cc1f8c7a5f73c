// Groups normalised records into every table the report publishes. A pure function of the records and the
// period, so the same rows always give the same figures.

/// The key written for a free-text group (district, country) that was left empty.
public let unknownGroupKey = "unknown"

/// Aggregates the records that fall in `period`; the rest are counted as out of period.
public func aggregate(returns: [ReturnRecord], activities: [ActivityRecord], period: Period) -> Aggregates {
    aggregate(returns: PackedReturns(returns), activities: activities, period: period)
}

/// The same on packed returns: codes, units and districts are looked up by index, so no String is hashed
/// per record, only once per distinct unit id and district.
public func aggregate(returns packed: PackedReturns, activities allActivities: [ActivityRecord], period: Period) -> Aggregates {
    let records = packed.records
    let units = UnitNumbers(packed)
    let inPeriod = QuarterRange(period)
    let activities = allActivities.filter { period.contains($0.date) }

    // First pass: how many records fall in the period, their dates, and how often each district spelling occurs.
    var counted = 0
    var firstDate = Int32.max, lastDate = Int32.min
    var districtCounts = [Int32](repeating: 0, count: packed.strings.count)
    for r in records where inPeriod.contains(r.surveyDate) {
        counted += 1
        firstDate = min(firstDate, r.surveyDate)
        lastDate = max(lastDate, r.surveyDate)
        districtCounts[Int(r.district)] += 1
    }
    let districts = DistrictRows(packed, counts: districtCounts)
    let first = CalendarDate(packed: firstDate), last = CalendarDate(packed: lastDate)

    // Second pass: every table at once. Quarters are counted from the first quarter with a record.
    let fieldCount = Field.allCases.count
    let firstQuarter = first.map { QuarterRange.index($0.quarter) } ?? 0
    let quarterSpan = first.flatMap { f in last.map { QuarterRange.index($0.quarter) - QuarterRange.index(f.quarter) + 1 } } ?? 0
    let empty = SurveyAccumulator(units: units.count)
    var byField = [SurveyAccumulator](repeating: empty, count: fieldCount)
    var byUnitType = [SurveyAccumulator](repeating: empty, count: UnitType.allCases.count)
    var byDistrict = [SurveyAccumulator](repeating: empty, count: districts.labels.count)
    // Per quarter: one accumulator per field, then the quarter's total.
    var byQuarter = [SurveyAccumulator](repeating: empty, count: quarterSpan * (fieldCount + 1))
    var all = empty
    for i in records.indices where inPeriod.contains(records[i].surveyDate) {
        let r = records[i], unit = units[i], found = Int(r.found), proposed = Int(r.proposed)
        byField[Int(r.field)].add(found: found, proposed: proposed, unit: unit)
        byUnitType[Int(r.unitType)].add(found: found, proposed: proposed, unit: unit)
        if let row = districts.row(r.district) { byDistrict[row].add(found: found, proposed: proposed, unit: unit) }
        let q = (QuarterRange.index(packedDate: r.surveyDate) - firstQuarter) * (fieldCount + 1)
        byQuarter[q + Int(r.field)].add(found: found, proposed: proposed, unit: unit)
        byQuarter[q + fieldCount].add(found: found, proposed: proposed, unit: unit)
        all.add(found: found, proposed: proposed, unit: unit)
    }

    var quarters: [Quarter] = []
    if var q = period.first ?? first?.quarter, let end = period.last ?? last?.quarter {
        while q <= end {
            quarters.append(q)
            q = q.next
        }
    }
    var periodRows: [SurveyRow] = []
    for quarter in quarters {
        let offset = QuarterRange.index(quarter) - firstQuarter
        let seen = offset >= 0 && offset < quarterSpan
        let at = offset * (fieldCount + 1)
        let total = seen ? byQuarter[at + fieldCount].measures : SurveyMeasures()
        for (f, field) in Field.allCases.enumerated() {
            let m = seen ? byQuarter[at + f].measures : SurveyMeasures()
            periodRows.append(SurveyRow(keys: [quarter.description, field.rawValue], measures: m, shareBase: total.technologiesFound, isTotal: false))
        }
        periodRows.append(SurveyRow(keys: [quarter.description, "total"], measures: total, shareBase: total.technologiesFound, isTotal: true))
    }

    let byKind = activityKindTable(activities)
    let countries = FreeTextGroups(activities.map(\.partnerCountry))
    let byCountry = activityTable(keyColumns: ["partner_country"], activities, keys: countries.orderedLabels.map { [$0] }, keyOf: { [countries.label(for: $0.partnerCountry)] })

    return Aggregates(
        period: period,
        firstSurveyDate: first?.description,
        lastSurveyDate: last?.description,
        byField: surveyTable(keyColumn: "field", keys: Field.allCases.map(\.rawValue), byField, total: all),
        byPeriod: SurveyTable(keyColumns: ["period", "field"], rows: periodRows),
        byUnitType: surveyTable(keyColumn: "unit_type", keys: UnitType.allCases.map(\.rawValue), byUnitType, total: all),
        byDistrict: surveyTable(keyColumn: "district", keys: districts.labels, byDistrict, total: all),
        activitiesByKind: byKind,
        activitiesByCountry: byCountry,
        returnsOutOfPeriod: records.count - counted,
        activitiesOutOfPeriod: allActivities.count - activities.count,
        comparisons: comparisons(of: period, records, units),
        firstActivityDate: activities.map(\.date).min()?.description,
        lastActivityDate: activities.map(\.date).max()?.description,
        trend: trend(of: period, records, units)
    )
}

/// The quarters the trend chart shows and their totals (see `Aggregates.trend`).
private func trend(of period: Period, _ records: [PackedReturn], _ units: UnitNumbers) -> [TrendPoint] {
    var firstData = Int.max, lastData = Int.min
    for r in records {
        let q = QuarterRange.index(packedDate: r.surveyDate)
        firstData = min(firstData, q)
        lastData = max(lastData, q)
    }
    guard firstData <= lastData else { return [] }
    let end = period.last.map(QuarterRange.index) ?? lastData
    let start = max(firstData, period.first.map { QuarterRange.index($0) - 8 } ?? firstData)
    guard start <= end else { return [] }
    var totals = [SurveyAccumulator](repeating: SurveyAccumulator(units: 0), count: end - start + 1)
    for i in records.indices {
        let q = QuarterRange.index(packedDate: records[i].surveyDate)
        guard q >= start, q <= end else { continue }
        totals[q - start].add(found: Int(records[i].found), proposed: Int(records[i].proposed), unit: units[i])
    }
    return totals.enumerated().map { offset, total in
        let index = start + offset
        return TrendPoint(quarter: Quarter(year: index.floorDiv(4), quarter: index - index.floorDiv(4) * 4 + 1), measures: total.measures)
    }
}

/// The previous period of the same length and, for periods shorter than a year, the same period a year
/// earlier, each as a by-field table.
private func comparisons(of period: Period, _ records: [PackedReturn], _ units: UnitNumbers) -> [Comparison] {
    var bases: [(Comparison.Basis, Period)] = []
    if let previous = period.previous { bases.append((.previousPeriod, previous)) }
    if let first = period.first, let last = period.last, first.distance(to: last) + 1 < 4, let earlier = period.yearEarlier {
        bases.append((.yearEarlier, earlier))
    }
    return bases.map { basis, other in
        let inOther = QuarterRange(other)
        let empty = SurveyAccumulator(units: units.count)
        var byField = [SurveyAccumulator](repeating: empty, count: Field.allCases.count)
        var all = empty
        for i in records.indices where inOther.contains(records[i].surveyDate) {
            let r = records[i], unit = units[i], found = Int(r.found), proposed = Int(r.proposed)
            byField[Int(r.field)].add(found: found, proposed: proposed, unit: unit)
            all.add(found: found, proposed: proposed, unit: unit)
        }
        let table = surveyTable(keyColumn: "field", keys: Field.allCases.map(\.rawValue), byField, total: all)
        return Comparison(basis: basis, period: other, byField: table)
    }
}

/// A period's quarters as numbers (`year * 4 + quarter - 1`), tested on packed dates without building one.
struct QuarterRange {
    let first: Int
    let last: Int

    init(_ period: Period) {
        first = period.first.map(Self.index) ?? Int.min
        last = period.last.map(Self.index) ?? Int.max
    }

    func contains(_ packedDate: Int32) -> Bool {
        let q = Self.index(packedDate: packedDate)
        return q >= first && q <= last
    }

    static func index(_ q: Quarter) -> Int { q.year * 4 + q.quarter - 1 }
    static func index(packedDate d: Int32) -> Int { Int(d / 10_000) * 4 + Int((d / 100 % 100 - 1) / 3) }
}

/// A dense number per distinct unit id, one per record, so counting distinct units per group is setting a
/// bit, and the passes over the records read the numbers in order. Unit ids are canonical when packed; each
/// distinct index is still checked by its text once, so a string table that holds one id twice cannot count
/// a unit twice.
struct UnitNumbers {
    private let ofRecord: [Int32]
    /// How many distinct units there are.
    let count: Int

    init(_ packed: PackedReturns) {
        var numberOfString = [Int32](repeating: -1, count: packed.strings.count)
        var numberOfText: [String: Int32] = [:]
        var ofRecord = [Int32](repeating: 0, count: packed.records.count)
        for (i, r) in packed.records.enumerated() {
            var n = numberOfString[Int(r.unitID)]
            if n < 0 {
                let text = packed.strings[Int(r.unitID)]
                n = numberOfText[text] ?? Int32(numberOfText.count)
                numberOfText[text] = n
                numberOfString[Int(r.unitID)] = n
            }
            ofRecord[i] = n
        }
        self.ofRecord = ofRecord
        count = numberOfText.count
    }

    /// The unit number of record `i`.
    subscript(i: Int) -> Int { Int(ofRecord[i]) }
}

/// The by-district rows: districts grouped as `FreeTextGroups` does, over the distinct spellings of the
/// records in the period, then each spelling's row looked up by its string index.
struct DistrictRows {
    /// Row labels in table order.
    let labels: [String]
    private let rowOfString: [Int32]

    /// `counts[i]` is how many records in the period have district `packed.strings[i]`.
    init(_ packed: PackedReturns, counts: [Int32]) {
        var spellings: [String: Int] = [:]
        for (i, n) in counts.enumerated() where n > 0 { spellings[packed.strings[i], default: 0] += Int(n) }
        let groups = FreeTextGroups(counts: spellings)
        labels = groups.orderedLabels
        let rowOfLabel = Dictionary(labels.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        var rows = [Int32](repeating: -1, count: counts.count)
        for (i, n) in counts.enumerated() where n > 0 {
            rows[i] = rowOfLabel[groups.label(for: packed.strings[i])] ?? -1
        }
        rowOfString = rows
    }

    func row(_ district: Int32) -> Int? {
        let row = rowOfString[Int(district)]
        return row < 0 ? nil : Int(row)
    }
}

/// Running measures of a group of unit-visits; distinct units are bits in a growable bit set.
struct SurveyAccumulator {
    private var counts = SurveyMeasures()
    private var seen: [UInt64]

    /// Room for unit numbers below `units` from the start; larger ones grow the set.
    init(units: Int = 0) {
        seen = [UInt64](repeating: 0, count: (units + 63) / 64)
    }

    mutating func add(found: Int, proposed: Int, unit: Int) {
        counts.unitVisits += 1
        counts.technologiesFound += found
        counts.technologiesProposed += proposed
        let word = unit >> 6, bit = UInt64(1) << UInt64(unit & 63)
        if word >= seen.count { seen.append(contentsOf: repeatElement(0, count: word - seen.count + 1)) }
        if seen[word] & bit == 0 {
            seen[word] |= bit
            counts.distinctUnits += 1
        }
    }

    var measures: SurveyMeasures { counts }
}

/// One row per key in `keys` order (`groups[i]` holds key `i`'s measures), then the total row.
private func surveyTable(keyColumn: String, keys: [String], _ groups: [SurveyAccumulator], total all: SurveyAccumulator) -> SurveyTable {
    let total = all.measures
    var rows = zip(keys, groups).map { key, group in
        SurveyRow(keys: [key], measures: group.measures, shareBase: total.technologiesFound, isTotal: false)
    }
    rows.append(SurveyRow(keys: ["total"], measures: total, shareBase: total.technologiesFound, isTotal: true))
    return SurveyTable(keyColumns: [keyColumn], rows: rows)
}

/// Activities per kind and year, each kind closed by its own total row, then the grand total.
private func activityKindTable(_ activities: [ActivityRecord]) -> ActivityTable {
    var rows: [ActivityRow] = []
    let byKind = Dictionary(grouping: activities, by: \.kind)
    for kind in ActivityKind.allCases {
        guard let ofKind = byKind[kind] else { continue }
        let byYear = Dictionary(grouping: ofKind, by: \.date.year)
        for year in byYear.keys.sorted() {
            rows.append(ActivityRow(keys: [kind.rawValue, String(year)], measures: activityMeasures(byYear[year] ?? []), isTotal: false))
        }
        rows.append(ActivityRow(keys: [kind.rawValue, "total"], measures: activityMeasures(ofKind), isTotal: true))
    }
    rows.append(ActivityRow(keys: ["total", "total"], measures: activityMeasures(activities), isTotal: true))
    return ActivityTable(keyColumns: ["kind", "year"], rows: rows)
}

private func activityTable(keyColumns: [String], _ activities: [ActivityRecord], keys: [[String]], keyOf: (ActivityRecord) -> [String]) -> ActivityTable {
    let groups = Dictionary(grouping: activities, by: keyOf)
    var rows = keys.map { ActivityRow(keys: $0, measures: activityMeasures(groups[$0] ?? []), isTotal: false) }
    rows.append(ActivityRow(keys: keyColumns.map { _ in "total" }, measures: activityMeasures(activities), isTotal: true))
    return ActivityTable(keyColumns: keyColumns, rows: rows)
}

func activityMeasures(_ activities: [ActivityRecord]) -> ActivityMeasures {
    var m = ActivityMeasures()
    for a in activities { m.add(a) }
    return m
}

/// Groups free text (districts, countries) the way labels are matched, so "Lê Chân", "LÊ CHÂN" and
/// "Le Chan" are one group, shown by its most frequent spelling.
struct FreeTextGroups {
    private var labelByKey: [String: String] = [:]
    private var labelBySpelling: [String: String] = [:]
    /// Labels in folded-key order, the unknown group last.
    let orderedLabels: [String]

    init(_ values: [String]) {
        var counts: [String: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        self.init(counts: counts)
    }

    /// From how many records carry each distinct spelling: each spelling is folded once, however many
    /// records carry it.
    init(counts: [String: Int]) {
        var spellings: [String: [String: Int]] = [:]
        var keyBySpelling: [String: String] = [:]
        for (v, n) in counts {
            let key = Self.groupKey(v)
            keyBySpelling[v] = key
            spellings[key, default: [:]][v] = n
        }
        var labels: [String: String] = [:]
        for (key, counts) in spellings {
            let best = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key ?? ""
            labels[key] = key.isEmpty ? unknownGroupKey : best
        }
        labelByKey = labels
        labelBySpelling = keyBySpelling.mapValues { labels[$0] ?? unknownGroupKey }
        orderedLabels = spellings.keys.sorted { a, b in
            a.isEmpty != b.isEmpty ? !a.isEmpty : a < b
        }.compactMap { labels[$0] }
    }

    func label(for value: String) -> String {
        labelBySpelling[value] ?? labelByKey[Self.groupKey(value)] ?? unknownGroupKey
    }

    /// The folded key, with a value written as "unknown" put in the same group as an empty one, so two
    /// rows can never share the label.
    private static func groupKey(_ value: String) -> String {
        let key = TextFold.key(value)
        return key == TextFold.key(unknownGroupKey) ? "" : key
    }
}
