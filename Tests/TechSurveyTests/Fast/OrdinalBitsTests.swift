// The loser bit set holds what a Set of ordinals holds.

import Testing
@testable import TechSurvey

@Suite struct OrdinalBitsTests {
    @Test func membersMatchASet() {
        var rng = SeededGenerator(state: 9)
        var bits = OrdinalBits()
        var reference = Set<UInt32>()
        for _ in 0..<5_000 {
            let o = UInt32.random(in: 0..<100_000, using: &rng)
            bits.insert(o)
            reference.insert(o)
        }
        #expect(bits.count == reference.count)
        #expect((0..<100_100).allSatisfy { bits.contains(UInt32($0)) == reference.contains(UInt32($0)) })
        let words = bits.words(for: 100_000)
        #expect(words.count == (100_000 + 63) / 64)
        #expect(OrdinalBits(words: words) == OrdinalBits(words: bits.words(for: 100_000)))
        #expect(OrdinalBits(words: words).count == reference.count)
    }
}
