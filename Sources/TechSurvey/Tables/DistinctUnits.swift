// Distinct units of one group (a field, a district, a quarter's field, …), in memory that follows the
// group's records, never the number of groups times the number of units: a group starts as a hash set of the
// unit numbers it has seen, and becomes a bit set over every unit only once it holds enough of them that the
// bit set is the smaller of the two. 150,000 districts of one unit each are then 150,000 one-element sets,
// where a bit set each was 150,000 × 18 KiB = 2.6 GiB; a field's group of a million units is a bit set.

struct DistinctUnits {
    private var sparse: Set<Int32> = []
    private var bits: [UInt64] = []
    /// Units below this number are counted; it is the number of distinct units in the stage.
    private let universe: Int

    /// Units counted. A bit set's are counted when asked, not as they are set: counting on insert made each
    /// insert wait for its bit set's cache line before the next could start, and with millions of bits per
    /// row nearly every insert is a cache miss (most of aggregate's counting time).
    var count: Int { bits.isEmpty ? sparse.count : bits.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// A bit set costs `universe / 8` bytes; a hash set of `n` 4-byte numbers about `8 n` with its spare
    /// room. The switch comes when they cost the same.
    private var denseAt: Int { universe / 64 }

    /// `dense` starts with the bit set (the caller knows it is small enough for every group); up to 512
    /// units the whole bit set is smaller than an empty hash set's first allocation anyway.
    init(universe: Int, dense: Bool = false) {
        self.universe = universe
        if dense || universe <= 512 { bits = [UInt64](repeating: 0, count: max(1, (universe + 63) / 64)) }
    }

    /// Counts `unit` (`0 ..< universe`) once.
    @inline(__always)
    mutating func insert(_ unit: Int) {
        if !bits.isEmpty {
            let word = unit >> 6, bit = UInt64(1) << UInt64(unit & 63)
            guard word < bits.count else { return insertSparse(unit) }
            bits[word] |= bit
            return
        }
        insertSparse(unit)
    }

    /// Asks for the cache line of `unit`'s bit, when the set is a bit set (a hint: never faults). Mutating
    /// only so that it works on the set in place (see `SurveyTally.prefetch`).
    @inline(__always)
    mutating func prefetch(_ unit: Int) {
        let word = unit >> 6
        bits.withUnsafeBufferPointer { if let base = $0.baseAddress, word >= 0, word < $0.count { TechSurvey.prefetch(base + word) } }
    }

    private mutating func insertSparse(_ unit: Int) {
        if !bits.isEmpty {
            // A number beyond the universe (never from `UnitNumbers`): grow rather than lose it.
            bits.append(contentsOf: repeatElement(0, count: (unit >> 6) - bits.count + 1))
            return insert(unit)
        }
        guard sparse.insert(Int32(truncatingIfNeeded: unit)).inserted else { return }
        if sparse.count > denseAt { densify() }
    }

    /// Adds every unit of `other` (the same group counted over other records, on another thread): the
    /// union, so the count is the same whichever records each side saw.
    mutating func formUnion(_ other: DistinctUnits) {
        if !bits.isEmpty && bits.count == other.bits.count {
            for i in bits.indices { bits[i] |= other.bits[i] }
            return
        }
        for word in other.bits.indices where other.bits[word] != 0 {
            var w = other.bits[word]
            while w != 0 {
                insert(word << 6 | w.trailingZeroBitCount)
                w &= w - 1
            }
        }
        for unit in other.sparse { insert(Int(unit)) }
    }

    private mutating func densify() {
        let highest = max(universe - 1, Int(sparse.max() ?? 0))
        bits = [UInt64](repeating: 0, count: highest / 64 + 1)
        for unit in sparse {
            let u = Int(unit)
            bits[u >> 6] |= UInt64(1) << UInt64(u & 63)
        }
        sparse = []
    }
}
