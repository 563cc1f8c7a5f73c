// Memory for the large tables comes zeroed, holds what is written in it until released, keeps it through
// growth with the added part zeroed, and a large mapping starts on a 2 MiB boundary, where the kernel can
// back it with huge pages.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct MappedPagesTests {
    @Test(arguments: [1, 4096, MappedPages.hugePage - 1, MappedPages.hugePage, 3 * MappedPages.hugePage + 12_345])
    func memoryComesZeroedAndKeepsWhatIsWritten(bytes: Int) {
        let pages = MappedPages(bytes: bytes)
        defer { pages.release() }
        let view = UnsafeMutableRawBufferPointer(start: pages.base, count: bytes)
        #expect(view.allSatisfy { $0 == 0 })
        for i in stride(from: 0, to: bytes, by: 997) { view[i] = UInt8(truncatingIfNeeded: i) }
        view[bytes - 1] = 0xAB
        #expect(stride(from: 0, to: bytes - 1, by: 997).allSatisfy { view[$0] == UInt8(truncatingIfNeeded: $0) })
        #expect(view[bytes - 1] == 0xAB)
    }

    @Test func aLargeMappingStartsOnAHugePageBoundary() {
        let pages = MappedPages(bytes: 5 * MappedPages.hugePage)
        defer { pages.release() }
        #expect(UInt(bitPattern: pages.base) % UInt(MappedPages.hugePage) == 0)
    }

    /// Growth from small to small, small to large and large to larger (where it moves to a new 2 MiB
    /// boundary), and to no more than it has.
    @Test(arguments: [(4096, 3 * 4096), (100, MappedPages.hugePage + 1), (MappedPages.hugePage, 3 * MappedPages.hugePage + 12_345), (5000, 4000)])
    func growingKeepsWhatIsWrittenAndAddsZeros(from: Int, to: Int) throws {
        var pages = MappedPages(bytes: from)
        defer { pages.release() }
        let before = UnsafeMutableRawBufferPointer(start: pages.base, count: from)
        for i in 0..<from { before[i] = UInt8(truncatingIfNeeded: i % 251 + 1) }
        let grew = pages.grow(to: to)
        try #require(grew)
        let after = UnsafeMutableRawBufferPointer(start: pages.base, count: max(from, to))
        #expect((0..<from).allSatisfy { after[$0] == UInt8(truncatingIfNeeded: $0 % 251 + 1) })
        #expect((from..<max(from, to)).allSatisfy { after[$0] == 0 })
        after[max(from, to) - 1] = 0xCD
        #expect(after[max(from, to) - 1] == 0xCD)
        if to >= MappedPages.hugePage { #expect(UInt(bitPattern: pages.base) % UInt(MappedPages.hugePage) == 0) }
    }

    /// Growth after growth keeps everything written, so each move takes the whole of what the one before made.
    @Test func growingTwiceKeepsEverything() throws {
        var pages = MappedPages(bytes: 4096)
        defer { pages.release() }
        var size = 4096
        for next in [5 * 4096, MappedPages.hugePage + 4096, 3 * MappedPages.hugePage + 12_345] {
            UnsafeMutableRawBufferPointer(start: pages.base, count: size).initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: size % 251 + 1))
            let grew = pages.grow(to: next)
            try #require(grew)
            let view = UnsafeRawBufferPointer(start: pages.base, count: next)
            #expect(view[0..<size].allSatisfy { $0 == UInt8(truncatingIfNeeded: size % 251 + 1) }, "growing from \(size) to \(next)")
            #expect(view[size..<next].allSatisfy { $0 == 0 }, "growing from \(size) to \(next)")
            size = next
        }
    }
}
