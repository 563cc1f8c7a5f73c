// Fast/LineEnds.swift: `holdsLineEnd` says what memchr says, for every length up to past the word paths
// and a line end at every place, next to bytes that differ from it in one bit and bytes with the top bit set.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct LineEndsTests {
    static func memchrSays(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in raw.baseAddress.map { memchr($0, 0x0A, raw.count) != nil } ?? false }
    }

    static func holds(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in raw.baseAddress.map { holdsLineEnd($0, count: raw.count) } ?? false }
    }

    @Test(arguments: [0x41, 0x0B, 0x08, 0x8A, 0xFF, 0x00] as [UInt8])
    func itAgreesWithMemchrAtEveryLengthAndPlace(filler: UInt8) {
        for count in 0...40 {
            let plain = [UInt8](repeating: filler, count: count)
            #expect(Self.holds(plain) == Self.memchrSays(plain), "\(count) bytes of \(filler)")
            for at in 0..<count {
                var bytes = plain
                bytes[at] = 0x0A
                #expect(Self.holds(bytes), "\(count) bytes, line end at \(at)")
                // A line end just past the bytes asked about is not theirs.
                let past = bytes.withUnsafeBytes { raw in raw.baseAddress.map { holdsLineEnd($0, count: at) } ?? true }
                #expect(!past, "the \(at) bytes before a line end")
            }
        }
    }

    @Test func vietnameseTextWithoutALineEndHasNone() {
        for text in ["Viện Nghiên cứu Đơn vị 022180", "Hải An", "PK-000000001", "2024-07-12", "Năng lượng mới"] {
            #expect(!Self.holds(Array(text.utf8)), "\(text)")
            #expect(Self.holds(Array((text + "\n").utf8)) && Self.holds(Array(("\n" + text).utf8)), "\(text)")
        }
    }
}
