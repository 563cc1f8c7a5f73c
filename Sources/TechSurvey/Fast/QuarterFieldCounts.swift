// Aggregate's survey tables with fewer additions per return. Counted as Tables/ defines them, a return of
// the period adds to by_field's row and total, by_period's row and quarter total, the trend's quarter, and
// every comparison whose range holds it: up to eleven tally additions, each setting a bit in a unit set
// of millions of bits (a cache miss), which was most of aggregate's time. Every one of those rows is a union
// of (quarter, field) rows: by_field's field row is its field's quarters in the range, a total row its
// fields, the trend's quarter its fields. So the returns are counted once into one quarter × field table
// over every quarter any table needs (plus by_unit_type and by_district, whose rows are not unions of
// those) and the rows are joined afterwards: sums add and unit sets unite, so each row's measures are those
// of the records the rule puts in it (QuarterFieldCountsTests compares both on generated stages). Memory is
// the quarter × field rows, as by_period's were: it follows distinct keys, never records.

/// The counted `layouts` (survey tables as `aggregate` builds them, in its order), the same figures as
/// `count(_:units:into:)` over `layouts` gives.
func quarterFieldCounts(_ returns: some ReturnStream, keys: ReturnKeys, layouts: [SurveyLayout]) throws -> [SurveyCounts] {
    let units = keys.units.count
    let fields = SurveyLayout.fieldCount
    let perQuarter = fields + 1
    // Every quarter a union-table counts, within the quarters that hold returns.
    var low = Int.max, high = Int.min
    for layout in layouts {
        switch layout.rows {
        case .unitType, .district: continue
        case .field, .quarterField, .quarter:
            let first = max(layout.range.first, keys.firstQuarter), last = min(layout.range.last, keys.lastQuarter)
            guard first <= last else { continue }
            low = min(low, first)
            high = max(high, last)
        }
    }
    let quarters = low <= high ? high - low + 1 : 0
    var grid = SurveyLayout(.quarterField(first: quarters > 0 ? low : 0),
                            range: quarters > 0 ? QuarterRange(first: low, last: high) : QuarterRange(first: 1, last: 0),
                            quarters: quarters)
    // Quarter totals are joined from their fields afterwards, not added per return.
    grid.countsTotal = false

    // by_unit_type and by_district are counted as they are; the grid goes first.
    let direct = layouts.indices.filter { i in
        switch layouts[i].rows {
        case .unitType, .district: return true
        default: return false
        }
    }
    var counted = [SurveyCounts(grid, units: units)] + direct.map { SurveyCounts(layouts[$0], units: units) }
    try count(returns, units: keys.units, into: &counted, threads: countingThreads)
    let cells = counted[0].tallies

    /// The grid's (quarter, field) tally, nil outside the grid.
    func cell(_ q: Int, _ field: Int) -> SurveyTally? {
        guard quarters > 0, q >= low, q <= high else { return nil }
        return cells[(q - low) * perQuarter + field]
    }

    var out: [SurveyCounts] = []
    out.reserveCapacity(layouts.count)
    for (i, layout) in layouts.enumerated() {
        if let k = direct.firstIndex(of: i) {
            out.append(counted[k + 1])
            continue
        }
        var table = SurveyCounts(layout, units: units)
        let range = layout.range
        switch layout.rows {
        case .field:
            let first = max(range.first, low), last = min(range.last, high)
            for f in 0..<fields where first <= last {
                table.setRow(f, merging: (first...last).compactMap { cell($0, f) })
            }
            if layout.countsTotal { table.setRow(fields, merging: Array(table.tallies[0..<fields])) }
        case .quarterField(let first):
            let rows = table.tallies.count / perQuarter
            for r in 0..<rows {
                let q = first + r, at = r * perQuarter
                guard range.contains(quarter: q) else { continue }
                for f in 0..<fields { table.setRow(at + f, merging: cell(q, f).map { [$0] } ?? []) }
                if layout.countsTotal { table.setRow(at + fields, merging: Array(table.tallies[at..<(at + fields)])) }
            }
        case .quarter(let first):
            for r in table.tallies.indices where range.contains(quarter: first + r) {
                table.setRow(r, merging: (0..<fields).compactMap { cell(first + r, $0) })
            }
        case .unitType, .district:
            break
        }
        out.append(try table.checked())
    }
    return out
}
