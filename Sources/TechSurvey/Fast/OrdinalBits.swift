// A set of record ordinals as one bit each: which accepted records a resubmission superseded. An eighth
// of a byte per record, against a `Set<Int>`'s tens of bytes per member (see OrdinalBitsTests).

struct OrdinalBits: Sendable, Equatable {
    private(set) var words: [UInt64] = []

    init() {}

    init(words: [UInt64]) { self.words = words }

    mutating func insert(_ ordinal: UInt32) {
        let w = Int(ordinal >> 6)
        if w >= words.count { words.append(contentsOf: repeatElement(0, count: max(w + 1 - words.count, words.count / 2))) }
        words[w] |= 1 << UInt64(ordinal & 63)
    }

    @inline(__always)
    func contains(_ ordinal: UInt32) -> Bool {
        let w = Int(ordinal >> 6)
        return w < words.count && words[w] & (1 << UInt64(ordinal & 63)) != 0
    }

    /// Words enough for `count` ordinals, the rest dropped (all zero when every member is below `count`).
    func words(for count: Int) -> [UInt64] {
        let n = (count + 63) / 64
        return n <= words.count ? Array(words[0..<n]) : words + repeatElement(0, count: n - words.count)
    }

    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
}
