// Groups normalised records into every table the report publishes. A pure function of the records and the
// period, so the same rows always give the same figures.

/// The key written for a free-text group (district, country) that was left empty.
public let unknownGroupKey = "unknown"

/// Aggregates the records that fall in `period`; the rest are counted as out of period.
public func aggregate(returns: [ReturnRecord], activities: [ActivityRecord], period: Period) throws -> Aggregates {
    try aggregate(returns: PackedReturns(returns), activities: activities, period: period)
}

/// The same on packed returns: codes, units and districts are looked up by index, so no String is hashed
/// per record, only once per distinct unit id and district.
public func aggregate(returns packed: PackedReturns, activities allActivities: [ActivityRecord], period: Period) throws -> Aggregates {
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
    var byField = SurveyAccumulator.group(fieldCount, units: units.count)
    var byUnitType = SurveyAccumulator.group(UnitType.allCases.count, units: units.count)
    var byDistrict = SurveyAccumulator.group(districts.labels.count, units: units.count)
    // Per quarter: one accumulator per field, then the quarter's total.
    var byQuarter = SurveyAccumulator.group(quarterSpan * (fieldCount + 1), units: units.count)
    var all = SurveyAccumulator(units: units.count, dense: true)
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
    try checked(byField, byUnitType, byDistrict, byQuarter, [all])

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

    let byKind = try activityKindTable(activities)
    let countries = FreeTextGroups(activities.map(\.partnerCountry))
    let byCountry = try activityTable(keyColumns: ["partner_country"], activities, keys: countries.orderedLabels.map { [$0] }, keyOf: { [countries.label(for: $0.partnerCountry)] })

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
        comparisons: try comparisons(of: period, records, units),
        firstActivityDate: activities.map(\.date).min()?.description,
        lastActivityDate: activities.map(\.date).max()?.description,
        trend: try trend(of: period, records, units)
    )
}

/// The quarters the trend chart shows and their totals (see `Aggregates.trend`).
private func trend(of period: Period, _ records: [PackedReturn], _ units: UnitNumbers) throws -> [TrendPoint] {
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
    var totals = SurveyAccumulator.group(end - start + 1, units: units.count)
    for i in records.indices {
        let q = QuarterRange.index(packedDate: records[i].surveyDate)
        guard q >= start, q <= end else { continue }
        totals[q - start].add(found: Int(records[i].found), proposed: Int(records[i].proposed), unit: units[i])
    }
    try checked(totals)
    return totals.enumerated().map { offset, total in
        let index = start + offset
        return TrendPoint(quarter: Quarter(year: index.floorDiv(4), quarter: index - index.floorDiv(4) * 4 + 1), measures: total.measures)
    }
}

/// The previous period of the same length and, for periods shorter than a year, the same period a year
/// earlier, each as a by-field table.
private func comparisons(of period: Period, _ records: [PackedReturn], _ units: UnitNumbers) throws -> [Comparison] {
    var bases: [(Comparison.Basis, Period)] = []
    if let previous = period.previous { bases.append((.previousPeriod, previous)) }
    if let first = period.first, let last = period.last, first.distance(to: last) + 1 < 4, let earlier = period.yearEarlier {
        bases.append((.yearEarlier, earlier))
    }
    return try bases.map { basis, other in
        let inOther = QuarterRange(other)
        var byField = SurveyAccumulator.group(Field.allCases.count, units: units.count)
        var all = SurveyAccumulator(units: units.count, dense: true)
        for i in records.indices where inOther.contains(records[i].surveyDate) {
            let r = records[i], unit = units[i], found = Int(r.found), proposed = Int(r.proposed)
            byField[Int(r.field)].add(found: found, proposed: proposed, unit: unit)
            all.add(found: found, proposed: proposed, unit: unit)
        }
        try checked(byField, [all])
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

/// Running measures of a group of unit-visits. Sums are checked: one that does not fit in 64 bits sets
/// `overflowed`, and the stage refuses the figures (SPEC §6, exit 65) rather than print a wrapped one.
struct SurveyAccumulator {
    private var counts = SurveyMeasures()
    private var units: DistinctUnits
    private(set) var overflowed = false

    /// Counts unit numbers below `units` (`UnitNumbers.count`); `dense` starts with the bit set.
    init(units: Int = 0, dense: Bool = false) {
        self.units = DistinctUnits(universe: units, dense: dense)
    }

    /// The accumulators of one table's `count` groups. When a bit set for every group fits in a few MiB
    /// (five fields, a few hundred quarter × field groups of the national shape) they start dense and never
    /// hash; otherwise (150,000 districts) each starts as a hash set and turns dense only when full enough.
    static func group(_ count: Int, units: Int) -> [SurveyAccumulator] {
        let bitSetBytes = (units + 63) / 64 * 8
        let (bytes, overflow) = count.multipliedReportingOverflow(by: bitSetBytes)
        let dense = !overflow && bytes <= denseBudget
        return [SurveyAccumulator](repeating: SurveyAccumulator(units: units, dense: dense), count: count)
    }

    /// Bytes a table's bit sets may take from the start.
    static let denseBudget = 16 << 20

    @inline(__always)
    mutating func add(found: Int, proposed: Int, unit: Int) {
        counts.unitVisits += 1
        ExactSum.add(&counts.technologiesFound, found, overflow: &overflowed)
        ExactSum.add(&counts.technologiesProposed, proposed, overflow: &overflowed)
        units.insert(unit)
    }

    var measures: SurveyMeasures {
        var m = counts
        m.distinctUnits = units.count
        return m
    }
}

/// Throws the data error when any accumulator's sums did not fit.
private func checked(_ groups: [SurveyAccumulator]...) throws {
    for list in groups where list.contains(where: \.overflowed) {
        throw ExactSum.overflowError("technologies found or proposed")
    }
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
private func activityKindTable(_ activities: [ActivityRecord]) throws -> ActivityTable {
    var rows: [ActivityRow] = []
    let byKind = Dictionary(grouping: activities, by: \.kind)
    for kind in ActivityKind.allCases {
        guard let ofKind = byKind[kind] else { continue }
        let byYear = Dictionary(grouping: ofKind, by: \.date.year)
        for year in byYear.keys.sorted() {
            rows.append(ActivityRow(keys: [kind.rawValue, String(year)], measures: try activityMeasures(byYear[year] ?? []), isTotal: false))
        }
        rows.append(ActivityRow(keys: [kind.rawValue, "total"], measures: try activityMeasures(ofKind), isTotal: true))
    }
    rows.append(ActivityRow(keys: ["total", "total"], measures: try activityMeasures(activities), isTotal: true))
    return ActivityTable(keyColumns: ["kind", "year"], rows: rows)
}

private func activityTable(keyColumns: [String], _ activities: [ActivityRecord], keys: [[String]], keyOf: (ActivityRecord) -> [String]) throws -> ActivityTable {
    let groups = Dictionary(grouping: activities, by: keyOf)
    var rows = try keys.map { ActivityRow(keys: $0, measures: try activityMeasures(groups[$0] ?? []), isTotal: false) }
    rows.append(ActivityRow(keys: keyColumns.map { _ in "total" }, measures: try activityMeasures(activities), isTotal: true))
    return ActivityTable(keyColumns: keyColumns, rows: rows)
}

func activityMeasures(_ activities: [ActivityRecord]) throws -> ActivityMeasures {
    var m = ActivityMeasures()
    for a in activities { try m.add(a) }
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
