// The sharded claim table behaves as a Dictionary does, through every shard's growth, for every key and
// every submission time a slot can hold (a slot packs them into 16 bytes).

import Testing
@testable import TechSurvey

@Suite struct ClaimTableTests {
    @Test(arguments: [0, 1, 1_000, 200_000])
    func claimsMatchADictionary(_ count: Int) {
        var rng = SeededGenerator(state: UInt64(count) + 5)
        var table = ClaimTable()
        var reference: [UInt64: ClaimEntry] = [:]
        // Keys from a small universe as well as a large one, so keys come back and entries are replaced.
        for i in 0..<count {
            let key = i % 3 == 0 ? UInt64.random(in: 0..<500, using: &rng) : i % 7 == 0 ? UInt64.max - UInt64(i % 5) : UInt64.random(in: 0...UInt64.max, using: &rng)
            let submitted = i % 4 == 0 ? Int64.random(in: ClaimTable.submittedRange, using: &rng)
                : i % 4 == 1 ? [ClaimTable.submittedRange.lowerBound, ClaimTable.submittedRange.upperBound, 0][i % 3] : Int64.random(in: -1..<100, using: &rng)
            let entry = ClaimEntry(key: key, submitted: submitted, ordinal: i % 11 == 0 ? UInt32.max - 1 - UInt32(i % 3) : UInt32(i))
            let replace = { (old: ClaimEntry) in entry.submitted >= old.submitted }
            let got = table.claim(entry, replace: replace)
            let want = reference[key]
            #expect(got == want, "claim \(i)")
            if want.map(replace) ?? true { reference[key] = entry }
        }
        #expect(table.count == reference.count)
        for (key, entry) in reference { #expect(table.find(key) == entry) }
        #expect(table.find(UInt64.max) == reference[UInt64.max])
        #expect(table.find(12_345_678_901) == reference[12_345_678_901])
    }

    /// Shards are shared between copies until one changes: the copy keeps what it held (a table is a value).
    @Test func aCopyKeepsItsEntries() {
        var table = ClaimTable()
        for i in 0..<1_000 { _ = table.claim(ClaimEntry(key: UInt64(i), submitted: 1, ordinal: UInt32(i)), replace: { _ in true }) }
        let copy = table
        for i in 0..<2_000 { _ = table.claim(ClaimEntry(key: UInt64(i), submitted: 2, ordinal: UInt32(i)), replace: { _ in true }) }
        #expect(copy.count == 1_000)
        #expect(table.count == 2_000)
        for i in 0..<1_000 {
            #expect(copy.find(UInt64(i)) == ClaimEntry(key: UInt64(i), submitted: 1, ordinal: UInt32(i)), "key \(i)")
            #expect(table.find(UInt64(i)) == ClaimEntry(key: UInt64(i), submitted: 2, ordinal: UInt32(i)), "key \(i)")
        }
        #expect(copy.find(1_500) == nil)
    }

    /// Shards past 2 MiB grow by moving to huge-page-aligned mappings: every entry is still found, and a
    /// copy taken on the way keeps what it held while the original grows on.
    @Test func largeShardsKeepEveryEntry() {
        var rng = SeededGenerator(state: 99)
        let keys = (0..<3_600_000).map { _ in UInt64.random(in: 0...UInt64.max, using: &rng) }
        var table = ClaimTable()
        var copy = ClaimTable()
        for (i, key) in keys.enumerated() {
            _ = table.claim(ClaimEntry(key: key, submitted: Int64(i % 1000), ordinal: UInt32(i)), replace: { _ in false })
            if i == 2_000_000 { copy = table }
        }
        #expect(table.count == Set(keys).count)
        #expect(table.bytes >= 32 * MappedPages.hugePage)
        let lost = keys.indices.filter { table.find(keys[$0]).map { $0.ordinal } != UInt32($0) && keys.firstIndex(of: keys[$0]) == $0 }
        #expect(lost.isEmpty, "\(lost.count) entries lost")
        #expect(copy.count == 2_000_001)
        #expect(copy.find(keys[2_000_000])?.ordinal == 2_000_000 && copy.find(keys[2_000_001]) == nil)
    }
}
