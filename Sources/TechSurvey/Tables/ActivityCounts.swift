// The activity tables' rows (SPEC §4.1): activities_by_kind by kind and year, each kind closed by its own
// total row, then the grand total; activities_by_country by the partner country's group (`FreeTextGroups`),
// then the total. Activities are counted as read, by their kind and year and by their country's spelling,
// so memory follows distinct keys; every published row is the sum of the keys that count in it (`rows`).

/// A row of an activity table: its key cells, and whether it is a total (a country may be named "total").
struct ActivityRowKey: Hashable {
    let keys: [String]
    let isTotal: Bool
}

/// The activities of a period, counted by kind and year and by country spelling.
struct ActivityCounts {
    private struct KindYear: Hashable {
        let kind: ActivityKind
        let year: Int
    }

    private var byKindYear: [KindYear: ActivityMeasures] = [:]
    private var byCountry: [String: (records: Int, measures: ActivityMeasures)] = [:]
    /// Activities read, and those outside the period.
    private(set) var read = 0
    private(set) var outOfPeriod = 0
    /// First and last date of the activities counted.
    private(set) var firstDate: CalendarDate?
    private(set) var lastDate: CalendarDate?

    /// Counts the activities of `stream` that fall in `period`.
    init(_ stream: some ActivityStream, period: Period) throws {
        var counts = ActivityCounts()
        try stream.forEachActivity { a in
            counts.read += 1
            guard period.contains(a.date) else { return counts.outOfPeriod += 1 }
            counts.firstDate = min(counts.firstDate ?? a.date, a.date)
            counts.lastDate = max(counts.lastDate ?? a.date, a.date)
            try counts.byKindYear[KindYear(kind: a.kind, year: a.date.year), default: ActivityMeasures()].add(a)
            var country = counts.byCountry[a.partnerCountry, default: (0, ActivityMeasures())]
            country.records += 1
            try country.measures.add(a)
            counts.byCountry[a.partnerCountry] = country
        }
        self = counts
    }

    private init() {}

    /// The rows of activities_by_kind that an activity of `kind` in `year` counts in.
    static func kindRows(_ kind: ActivityKind, year: Int) -> [ActivityRowKey] {
        let total = TotalMarker.code
        return [ActivityRowKey(keys: [kind.rawValue, String(year)], isTotal: false),
                ActivityRowKey(keys: [kind.rawValue, total], isTotal: true), ActivityRowKey(keys: [total, total], isTotal: true)]
    }

    /// The rows of activities_by_country that an activity of the country group `label` counts in.
    static func countryRows(_ label: String) -> [ActivityRowKey] {
        [ActivityRowKey(keys: [label], isTotal: false), ActivityRowKey(keys: [TotalMarker.code], isTotal: true)]
    }

    /// The rows of table `id` that activity `a` counts in; `countries` are this count's groups.
    static func rows(of a: ActivityRecord, in id: TableID, countries: FreeTextGroups) -> [ActivityRowKey] {
        id == .activitiesByKind ? kindRows(a.kind, year: a.date.year) : countryRows(countries.label(for: a.partnerCountry))
    }

    /// The country groups of the activities counted.
    var countries: FreeTextGroups { FreeTextGroups(counts: byCountry.mapValues(\.records)) }

    /// Table `id` as published: activities_by_kind kind by kind in code order, years ascending, each kind's
    /// total after its years, the grand total last; activities_by_country in group order, then the total.
    func table(_ id: TableID) throws -> ActivityTable {
        let total = TotalMarker.code
        var sums: [ActivityRowKey: ActivityMeasures] = [:]
        var order: [ActivityRowKey]
        if id == .activitiesByKind {
            for (leaf, m) in byKindYear {
                for row in Self.kindRows(leaf.kind, year: leaf.year) { try sums[row, default: ActivityMeasures()].merge(m) }
            }
            order = ActivityKind.allCases.flatMap { kind -> [ActivityRowKey] in
                let years = byKindYear.keys.filter { $0.kind == kind }.map(\.year).sorted()
                guard let first = years.first else { return [] }
                return years.map { Self.kindRows(kind, year: $0)[0] } + [Self.kindRows(kind, year: first)[1]]
            }
            order.append(ActivityRowKey(keys: [total, total], isTotal: true))
        } else {
            let groups = countries
            for (spelling, counted) in byCountry {
                for row in Self.countryRows(groups.label(for: spelling)) { try sums[row, default: ActivityMeasures()].merge(counted.measures) }
            }
            order = groups.orderedLabels.map { ActivityRowKey(keys: [$0], isTotal: false) } + [ActivityRowKey(keys: [total], isTotal: true)]
        }
        let rows = order.map { ActivityRow(keys: $0.keys, measures: sums[$0] ?? ActivityMeasures(), isTotal: $0.isTotal) }
        return ActivityTable(keyColumns: id.keyColumns, rows: rows)
    }
}
