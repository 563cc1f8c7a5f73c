// Counts the accepted records into every table the report publishes, as `Tables/` defines them: a pure
// function of the records and the period, so the same rows always give the same figures. Returns and
// activities are streamed (SPEC §7); memory follows distinct keys, never records.

/// Aggregates the records that fall in `period`; the rest are counted as out of period.
/// `fast` counts the survey tables as Fast/QuarterFieldCounts does (the same figures, fewer additions per
/// return), reading the returns on every core; false counts every table's rows as Tables/ defines them, the
/// rule it is tested against.
func aggregate(returns: some ReturnStream, activities: some ActivityStream, period: Period, fast: Bool = true) throws -> Aggregates {
    // Fast: both passes on every core (Fast/ParallelReturnPasses).
    let keys = fast ? try ReturnKeys(returns, period: period, threads: countingThreads) : try ReturnKeys(returns, period: period)
    let strings = returns.strings
    let surveyTables: [TableID] = [.byField, .byPeriod, .byUnitType, .byDistrict]
    let bases = comparisonPeriods(period)
    // by_field, by_unit_type and by_district share their total row (every return of the period): counted once.
    let sharingTotal: [TableID] = [.byUnitType, .byDistrict]
    let layouts = surveyTables.map { id in
        var layout = SurveyLayout(id, keys, strings: strings)
        layout.countsTotal = !sharingTotal.contains(id)
        return layout
    } + bases.map { SurveyLayout(.byField, keys, strings: strings, period: $0.period) } + [SurveyLayout(trend: keys)]
    var counts: [SurveyCounts]
    if fast {
        counts = try quarterFieldCounts(returns, keys: keys, layouts: layouts)
    } else {
        counts = layouts.map { SurveyCounts($0, units: keys.units.count) }
        try count(returns, units: keys.units, into: &counts)
    }
    for id in sharingTotal {
        if let i = surveyTables.firstIndex(of: id), let field = surveyTables.firstIndex(of: .byField) { counts[i].takeTotal(of: counts[field]) }
    }

    let table = { (id: TableID) in counts[surveyTables.firstIndex(of: id) ?? 0].table(id) }
    let comparisons = bases.enumerated().map { i, base in
        Comparison(basis: base.basis, period: base.period, byField: counts[surveyTables.count + i].table(.byField))
    }
    let trend = counts[counts.count - 1]
    let activities = try ActivityCounts(activities, period: period)

    return Aggregates(
        period: period,
        firstSurveyDate: keys.firstSurveyDate?.description,
        lastSurveyDate: keys.lastSurveyDate?.description,
        byField: table(.byField),
        byPeriod: table(.byPeriod),
        byUnitType: table(.byUnitType),
        byDistrict: table(.byDistrict),
        activitiesByKind: try activities.table(.activitiesByKind),
        activitiesByCountry: try activities.table(.activitiesByCountry),
        returnsOutOfPeriod: keys.read - keys.inPeriod,
        activitiesOutOfPeriod: activities.outOfPeriod,
        comparisons: comparisons,
        firstActivityDate: activities.firstDate?.description,
        lastActivityDate: activities.lastDate?.description,
        trend: trend.trend
    )
}

/// The periods the report compares with: the previous period of the same length and, for periods shorter
/// than a year, the same period a year earlier.
private func comparisonPeriods(_ period: Period) -> [(basis: Comparison.Basis, period: Period)] {
    var bases: [(Comparison.Basis, Period)] = []
    if let previous = period.previous { bases.append((.previousPeriod, previous)) }
    if let first = period.first, let last = period.last, first.distance(to: last) + 1 < 4, let earlier = period.yearEarlier {
        bases.append((.yearEarlier, earlier))
    }
    return bases
}
