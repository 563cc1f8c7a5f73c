// The paged array against the simple version, an Array: the same elements through many growths, new
// elements zero, bytes appended in pieces, and copies that keep what they held (it is a value).

import Testing
@testable import TechSurvey

@Suite struct PagedArrayTests {
    @Test func appendsAndWritesMatchAnArray() {
        var rng = SeededGenerator(state: 3)
        var paged = PagedArray<UInt64>(count: 5)
        var reference = [UInt64](repeating: 0, count: 5)
        for i in 0..<100_000 {
            if i % 3 == 0 {
                let at = Int.random(in: 0..<reference.count, using: &rng)
                let value = UInt64.random(in: 0...UInt64.max, using: &rng)
                paged[at] = value
                reference[at] = value
            } else {
                paged.append(UInt64(i))
                reference.append(UInt64(i))
            }
        }
        #expect(paged.count == reference.count)
        #expect(paged.withUnsafeBufferPointer { Array($0) } == reference)
    }

    @Test func newElementsAreZero() {
        let paged = PagedArray<Int>(count: 70_000)
        #expect(paged.withUnsafeBufferPointer { $0.allSatisfy { $0 == 0 } })
        #expect(paged.count == 70_000)
    }

    @Test func bytesAppendedInPiecesComeBackInOrder() {
        var paged = PagedArray<UInt8>()
        var reference: [UInt8] = []
        for i in 0..<20_000 {
            let piece = (0..<(i % 37)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
            piece.withUnsafeBytes { paged.append(contentsOf: $0) }
            reference += piece
        }
        #expect(paged.withUnsafeBytes { Array($0) } == reference)
    }

    @Test func aCopyKeepsItsElements() {
        var paged = PagedArray<UInt32>()
        for i in 0..<1_000 { paged.append(UInt32(i)) }
        let copy = paged
        paged[0] = 7
        for i in 0..<5_000 { paged.append(UInt32(i)) }
        #expect(copy.count == 1_000)
        #expect(copy[0] == 0 && copy[999] == 999)
        #expect(paged[0] == 7 && paged.count == 6_000)
        var other = copy
        other.append(1)
        #expect(copy.count == 1_000 && other.count == 1_001)
    }
}
