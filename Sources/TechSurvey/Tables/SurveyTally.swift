// What one return adds to each survey measure of its row (`Measure`): 1 unit-visit, its technologies found
// and proposed, its unit into the row's set of units. Tallies of the same row over different records merge
// exactly, whatever the order: sums add, unit sets unite.

/// Running measures of one row of a survey table. Sums are checked: one that does not fit in 64 bits sets
/// `overflowed`, and the stage refuses the figures (SPEC §6, exit 65) rather than print a wrapped one.
struct SurveyTally {
    private var counts = SurveyMeasures()
    private var units: DistinctUnits
    private(set) var overflowed = false

    /// Counts unit numbers below `units` (`UnitNumbers.count`); `dense` starts with the bit set.
    init(units: Int = 0, dense: Bool = false) {
        self.units = DistinctUnits(universe: units, dense: dense)
    }

    /// The tallies of one table's `count` rows. When a bit set for every row fits in a few MiB (five fields,
    /// a few hundred quarter × field rows of the national shape) they start dense and never hash; otherwise
    /// (150,000 districts) each starts as a hash set and turns dense only when full enough.
    static func rows(_ count: Int, units: Int) -> [SurveyTally] {
        let bitSetBytes = (units + 63) / 64 * 8
        let (bytes, overflow) = count.multipliedReportingOverflow(by: bitSetBytes)
        let dense = !overflow && bytes <= denseBudget
        return [SurveyTally](repeating: SurveyTally(units: units, dense: dense), count: count)
    }

    /// Bytes a table's bit sets may take from the start.
    static let denseBudget = 16 << 20

    @inline(__always)
    mutating func add(_ r: PackedReturn, unit: Int) {
        counts.unitVisits += 1
        ExactSum.add(&counts.technologiesFound, Int(r.found), overflow: &overflowed)
        ExactSum.add(&counts.technologiesProposed, Int(r.proposed), overflow: &overflowed)
        units.insert(unit)
    }

    /// Asks for the cache line `add(_:unit:)` will set `unit`'s bit in (a hint: never faults). Mutating
    /// only so that it is called on the tally in place: a copy to call it on cost a retain and a release.
    @inline(__always)
    mutating func prefetch(unit: Int) { units.prefetch(unit) }

    /// Adds the tally of the same row over other records.
    mutating func merge(_ other: SurveyTally) {
        counts.unitVisits += other.counts.unitVisits
        ExactSum.add(&counts.technologiesFound, other.counts.technologiesFound, overflow: &overflowed)
        ExactSum.add(&counts.technologiesProposed, other.counts.technologiesProposed, overflow: &overflowed)
        overflowed = overflowed || other.overflowed
        units.formUnion(other.units)
    }

    var measures: SurveyMeasures {
        var m = counts
        m.distinctUnits = units.count
        return m
    }
}
