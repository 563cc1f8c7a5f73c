// The byte-level text checks every cell goes through: `isCleanUTF8` decides bad_encoding, `mayNeedCleaning`
// decides whether a cell is normalised. Both skip work on the common case, so both are checked here
// against the standard library on random mixes of ASCII, Vietnamese letters, combining marks and junk.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct TextCheckTests {
    static let pieces: [[UInt8]] = [
        Array("HP-000123,".utf8), Array("abcdefghijklmnop".utf8), Array("ệ".utf8), Array("Đ".utf8), Array("ư".utf8),
        Array("—".utf8), Array("\u{0301}".utf8), Array("€".utf8), Array("😀".utf8), Array("\u{FFFD}".utf8),
        [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xC3], [0xE1, 0xBB], [0x80], [0xFF], [0xC0, 0xAF],
    ]

    static func sample(_ rng: inout SeededGenerator) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0...12, using: &rng) { bytes += pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
        return bytes
    }

    @Test func cleanUTF8AgreesWithTheStandardLibrary() {
        var rng = SeededGenerator(state: 7)
        for _ in 0..<20_000 {
            let bytes = Self.sample(&rng)
            let decoded = String(validating: bytes, as: UTF8.self)
            let expected = decoded.map { !$0.unicodeScalars.contains("\u{FFFD}") } ?? false
            #expect(isCleanUTF8(bytes[...]) == expected, "\(bytes)")
            // The same bytes inside a larger buffer: the check must stay within its slice.
            let framed = [0xC3] + bytes + [0xA9, 0x41]
            #expect(isCleanUTF8(framed[1..<(1 + bytes.count)]) == expected)
        }
    }

    /// Records of a file whose census says clean skip `isCleanUTF8`: the census must say clean exactly when
    /// every byte would pass it, whatever the mix (overlong forms, surrogates, U+FFFD, NUL, stray bytes).
    @Test func theCensusSaysCleanExactlyWhenTheCheckWould() {
        var rng = SeededGenerator(state: 13)
        for _ in 0..<20_000 {
            var bytes = Self.sample(&rng)
            if Int.random(in: 0..<50, using: &rng) == 0 { bytes.insert(0, at: Int.random(in: 0...bytes.count, using: &rng)) }
            #expect(ByteCensus.of(bytes).isCleanUTF8Text == isCleanUTF8(bytes[...]), "\(bytes)")
        }
    }

    /// The word-at-a-time skip the census and the UTF-8 check share against the simple version, a byte
    /// loop: it lands on the first byte that is NUL or not ASCII, never past it, and stops where fewer
    /// than eight bytes are left.
    @Test func asciiRunsEndWhereTheByteLoopSays() {
        var rng = SeededGenerator(state: 17)
        for _ in 0..<20_000 {
            var bytes = Self.sample(&rng)
            if Int.random(in: 0..<4, using: &rng) == 0 { bytes.insert(0, at: Int.random(in: 0...bytes.count, using: &rng)) }
            let start = Int.random(in: 0...bytes.count, using: &rng)
            let tail = start + (bytes.count - start) / 8 * 8
            let want = min(bytes[start...].firstIndex(where: { $0 >= 0x80 || $0 == 0 }) ?? tail, tail)
            let got = bytes.withUnsafeBytes { asciiRunEnd($0, from: start) }
            #expect(got == want, "\(bytes) from \(start)")
        }
    }

    @Test func textThatNeedsNoNFCIsLeftAlone() {
        var rng = SeededGenerator(state: 11)
        for _ in 0..<20_000 {
            let bytes = Self.sample(&rng)
            guard let text = String(validating: bytes, as: UTF8.self) else { continue }
            if !mayNeedCleaning(bytes[...]) {
                #expect(text.precomposedStringWithCanonicalMapping == text, "\(bytes)")
            }
            // Inside a larger buffer whose next bytes are a combining mark: ASCII is skipped a word at a
            // time, and the word must never reach past the slice.
            let framed = Array("abcdefg".utf8) + bytes + Array("\u{0301}\u{0301}\u{0301}".utf8)
            #expect(mayNeedCleaning(framed[7..<(7 + bytes.count)]) == mayNeedCleaning(bytes[...]), "\(bytes)")
        }
        #expect(mayNeedCleaning(Array("e\u{0301}".utf8)[...]))
        #expect(!mayNeedCleaning(Array("Hải An — Đồ Sơn".utf8)[...]))
    }
}
