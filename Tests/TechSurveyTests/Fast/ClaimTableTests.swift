// The sharded claim table behaves as a Dictionary does, through every shard's growth.

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
            let key = i % 3 == 0 ? UInt64.random(in: 0..<500, using: &rng) : UInt64.random(in: 0..<(UInt64.max - 1), using: &rng)
            let entry = ClaimEntry(key: key, submitted: Int64.random(in: -1..<100, using: &rng), ordinal: UInt32(i), row: UInt32(i % 77))
            let replace = { (old: ClaimEntry) in entry.submitted >= old.submitted }
            let got = table.claim(entry, replace: replace)
            let want = reference[key]
            #expect(got == want, "claim \(i)")
            if want.map(replace) ?? true { reference[key] = entry }
        }
        #expect(table.count == reference.count)
        for (key, entry) in reference { #expect(table.find(key) == entry) }
        #expect(table.find(UInt64.max - 1) == reference[UInt64.max - 1])
    }

    /// Shards are shared between copies until one changes: the copy keeps what it held (a table is a value).
    @Test func aCopyKeepsItsEntries() {
        var table = ClaimTable()
        for i in 0..<1_000 { _ = table.claim(ClaimEntry(key: UInt64(i), submitted: 1, ordinal: UInt32(i), row: 1), replace: { _ in true }) }
        let copy = table
        for i in 0..<2_000 { _ = table.claim(ClaimEntry(key: UInt64(i), submitted: 2, ordinal: UInt32(i), row: 2), replace: { _ in true }) }
        #expect(copy.count == 1_000)
        #expect(table.count == 2_000)
        for i in 0..<1_000 {
            #expect(copy.find(UInt64(i)) == ClaimEntry(key: UInt64(i), submitted: 1, ordinal: UInt32(i), row: 1), "key \(i)")
            #expect(table.find(UInt64(i)) == ClaimEntry(key: UInt64(i), submitted: 2, ordinal: UInt32(i), row: 2), "key \(i)")
        }
        #expect(copy.find(1_500) == nil)
    }
}
