// Groups normalised records into every table the report publishes. A pure function of the records and the
// period, so the same rows always give the same figures.

/// The key written for a free-text group (district, country) that was left empty.
public let unknownGroupKey = "unknown"

/// Aggregates the records that fall in `period`; the rest are counted as out of period.
public func aggregate(returns allReturns: [ReturnRecord], activities allActivities: [ActivityRecord], period: Period) -> Aggregates {
    // Units are numbered once, so counting distinct units per group is setting a bit.
    let allUnits = numberUnits(allReturns)
    let inPeriod = allReturns.indices.filter { period.contains(allReturns[$0].surveyDate) }
    let returns = inPeriod.map { allReturns[$0] }
    let units = inPeriod.map { allUnits[$0] }
    let activities = allActivities.filter { period.contains($0.date) }

    let byField = surveyTable(keyColumn: "field", returns, units, keys: Field.allCases.map(\.rawValue), keyOf: { $0.field.rawValue })
    let byUnitType = surveyTable(keyColumn: "unit_type", returns, units, keys: UnitType.allCases.map(\.rawValue), keyOf: { $0.unitType.rawValue })
    let districts = FreeTextGroups(returns.map(\.district))
    let byDistrict = surveyTable(keyColumn: "district", returns, units, keys: districts.orderedLabels, keyOf: { districts.label(for: $0.district) })

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
        byQuarterField[q, default: [:]][r.field, default: SurveyAccumulator()].add(r, unit: unit)
        byQuarter[q, default: SurveyAccumulator()].add(r, unit: unit)
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

    let byKind = activityKindTable(activities)
    let countries = FreeTextGroups(activities.map(\.partnerCountry))
    let byCountry = activityTable(keyColumns: ["partner_country"], activities, keys: countries.orderedLabels.map { [$0] }, keyOf: { [countries.label(for: $0.partnerCountry)] })

    return Aggregates(
        period: period,
        firstSurveyDate: returns.map(\.surveyDate).min()?.description,
        lastSurveyDate: returns.map(\.surveyDate).max()?.description,
        byField: byField,
        byPeriod: SurveyTable(keyColumns: ["period", "field"], rows: periodRows),
        byUnitType: byUnitType,
        byDistrict: byDistrict,
        activitiesByKind: byKind,
        activitiesByCountry: byCountry,
        returnsOutOfPeriod: allReturns.count - returns.count,
        activitiesOutOfPeriod: allActivities.count - activities.count,
        comparisons: comparisons(of: period, allReturns, allUnits)
    )
}

/// The previous period of the same length and, for periods shorter than a year, the same period a year
/// earlier, each as a by-field table.
private func comparisons(of period: Period, _ returns: [ReturnRecord], _ units: [Int]) -> [Comparison] {
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

/// A number per distinct unit id, one per record.
func numberUnits(_ records: [ReturnRecord]) -> [Int] {
    var numbers: [String: Int] = [:]
    numbers.reserveCapacity(records.count / 4)
    return records.map { r in
        if let n = numbers[r.unitID] { return n }
        let n = numbers.count
        numbers[r.unitID] = n
        return n
    }
}

/// Running measures of a group of unit-visits; distinct units are bits in a growable bit set.
struct SurveyAccumulator {
    private var counts = SurveyMeasures()
    private var seen: [UInt64] = []

    mutating func add(_ r: ReturnRecord, unit: Int) {
        counts.unitVisits += 1
        counts.technologiesFound += r.found
        counts.technologiesProposed += r.proposed
        let word = unit >> 6, bit = UInt64(1) << UInt64(unit & 63)
        if word >= seen.count { seen.append(contentsOf: repeatElement(0, count: word - seen.count + 1)) }
        if seen[word] & bit == 0 {
            seen[word] |= bit
            counts.distinctUnits += 1
        }
    }

    var measures: SurveyMeasures { counts }
}

/// One row per key in `keys` order (zeros where no record has it), then a total row. `units[i]` is the
/// number of `records[i]`'s unit.
private func surveyTable(keyColumn: String, _ records: [ReturnRecord], _ units: [Int], keys: [String], keyOf: (ReturnRecord) -> String) -> SurveyTable {
    var groups: [String: SurveyAccumulator] = [:]
    var all = SurveyAccumulator()
    for (r, unit) in zip(records, units) {
        groups[keyOf(r), default: SurveyAccumulator()].add(r, unit: unit)
        all.add(r, unit: unit)
    }
    let total = all.measures
    var rows = keys.map { key in
        SurveyRow(keys: [key], measures: groups[key]?.measures ?? SurveyMeasures(), shareBase: total.technologiesFound, isTotal: false)
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
        // Fold each distinct spelling once, however many records carry it.
        var counts: [String: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
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
