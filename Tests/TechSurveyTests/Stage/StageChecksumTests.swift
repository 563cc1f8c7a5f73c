// StageChecksum.swift: the four-lane checksum gives what the rule read word by word gives, however the
// bytes arrive, and any one changed word changes it.

import Testing
@testable import TechSurvey

@Suite struct StageChecksumTests {
    /// The rule one word at a time: words (the last one padded with zero bytes) dealt to four lanes in
    /// turn, each mixed into its lane, then the lanes and the length into one.
    static func byWords(_ bytes: [UInt8]) -> UInt64 {
        func mix(_ state: UInt64, _ word: UInt64) -> UInt64 {
            let s = (state ^ word) &* 0x9E37_79B9_7F4A_7C15
            return s ^ (s >> 29)
        }
        var lanes: [UInt64] = [0x243F_6A88_85A3_08D3, 0x1319_8A2E_0370_7344, 0xA409_3822_299F_31D0, 0x082E_FA98_EC4E_6C89]
        var k = 0
        for start in stride(from: 0, to: bytes.count, by: 8) {
            var word: UInt64 = 0
            for (j, b) in bytes[start..<min(start + 8, bytes.count)].enumerated() { word |= UInt64(b) << UInt64(8 * j) }
            lanes[k % 4] = mix(lanes[k % 4], word)
            k += 1
        }
        return mix(mix(mix(mix(lanes[0], lanes[1]), lanes[2]), lanes[3]), UInt64(bytes.count))
    }

    static let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ $0 >> 3) }

    @Test(arguments: [0, 1, 7, 8, 9, 31, 32, 33, 40, 999, 1_000])
    func aPrefixGivesWhatTheWordByWordRuleGives(count: Int) {
        let prefix = Array(Self.bytes.prefix(count))
        var sum = StageChecksum()
        sum.add(prefix)
        #expect(sum.value == Self.byWords(prefix))
    }

    @Test(arguments: [1, 3, 7, 8, 9, 24, 31, 33, 64, 999])
    func theChecksumDoesNotDependOnHowBytesArrive(piece: Int) {
        var whole = StageChecksum()
        whole.add(Self.bytes)
        var pieces = StageChecksum()
        var start = 0, size = piece
        while start < Self.bytes.count {
            pieces.add(Array(Self.bytes[start..<min(start + size, Self.bytes.count)]))
            start += size
            // Uneven pieces too, so the lane a piece starts in varies.
            size = size % 5 == 0 ? piece : size + 1
        }
        #expect(pieces.value == whole.value)
    }

    @Test func anyOneChangedWordOrAnAddedZeroByteChangesIt() {
        var base = StageChecksum()
        base.add(Self.bytes)
        for w in 0..<(Self.bytes.count / 8) {
            var changed = Self.bytes
            changed[w * 8 + w % 8] ^= 0x10
            var sum = StageChecksum()
            sum.add(changed)
            #expect(sum.value != base.value, "word \(w)")
        }
        var longer = StageChecksum()
        longer.add(Self.bytes + [0])
        #expect(longer.value != base.value)
    }
}
