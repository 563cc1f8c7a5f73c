// Zeroed memory straight from the system, for the tables that follow distinct keys and texts (the claim
// table's shards, the interners' arrays): it goes back to the system the moment a table outgrows it, which
// memory from the heap did not (an outgrown copy stayed resident as a hole). A mapping of 2 MiB or more is
// aligned to 2 MiB and asks for transparent huge pages: lookups land at random in tables of tens to hundreds
// of MiB, and with 4 KiB pages nearly every one also missed the TLB. 7.4 million prefetched random updates
// of a 192 MiB table (the claim table is 156 MiB at 1 GB of distinct returns) took 1.25 s with 4 KiB pages
// and 0.79 s with huge ones on the 2-core machine. The price: the first byte written in a 2 MiB stretch
// makes all of it resident, so a growing array holds up to 2 MiB it has not written yet (ingest's peak
// RSS at 1 GB: 282 MiB with huge pages, 274 without). Where the kernel gives none (THP off), the pages
// are the usual ones.

import Foundation

struct MappedPages {
    /// The first byte, aligned to the system's page (2 MiB for a large mapping).
    let base: UnsafeMutableRawPointer
    /// The mapping as made, including the slack for alignment; nil when the memory is from the heap.
    private let mapping: UnsafeMutableRawPointer?
    private let mappedBytes: Int

    static let hugePage = 2 << 20

    /// `bytes` zeroed bytes. When no pages can be mapped, the heap's (which fails the same way when memory
    /// is truly out).
    init(bytes: Int) {
        let large = bytes >= Self.hugePage
        let length = large ? bytes + Self.hugePage : bytes
        if let pages = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), pages != MAP_FAILED {
            mapping = pages
            mappedBytes = length
            if large {
                let address = UInt(bitPattern: pages)
                let aligned = (address + UInt(Self.hugePage - 1)) & ~UInt(Self.hugePage - 1)
                base = pages + Int(aligned - address)
                // Advice, not a demand: refused, the memory works the same, only slower to look up.
                _ = madvise(base, bytes, MADV_HUGEPAGE)
            } else {
                base = pages
            }
        } else {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 64)
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: max(bytes, 1))
            base = raw
            mapping = nil
            mappedBytes = 0
        }
    }

    /// Gives the memory back; nothing may use `base` after.
    func release() {
        if let mapping {
            munmap(mapping, mappedBytes)
        } else {
            base.deallocate()
        }
    }
}
