// Memory for the large tables comes zeroed, holds what is written in it until released, and a large
// mapping starts on a 2 MiB boundary, where the kernel can back it with huge pages.

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
}
