// Zeroed memory straight from the system, for the tables that follow distinct keys and texts (the claim
// table's shards, the interners' arrays): it goes back to the system the moment a table outgrows it, which
// memory from the heap did not (an outgrown copy stayed resident as a hole). A mapping of 2 MiB or more is
// aligned to 2 MiB and asks for transparent huge pages: lookups land at random in tables of tens to hundreds
// of MiB, and with 4 KiB pages nearly every one also missed the TLB. 7.4 million prefetched random updates
// of a 192 MiB table (the claim table is 156 MiB at 1 GB of distinct returns) took 1.25 s with 4 KiB pages
// and 0.79 s with huge ones on the 2-core machine. The price: the first byte written in a 2 MiB stretch
// makes all of it resident, so a growing array holds up to 2 MiB it has not written yet (ingest's peak
// RSS at 1 GB: 282 MiB with huge pages, 274 without). Where the kernel gives none (THP off), the pages
// are the usual ones. A table grows by moving its pages to a bigger mapping (`grow`): only the added
// part is fresh memory, where a new mapping and a copy made every page fresh (on these virtual machines
// the first write to a page costs more than the copy: 0.5 to 1 GB/s), and the outgrown mapping stayed
// until the copy was done.

import Foundation
#if canImport(Glibc)
import CMemory
#endif

struct MappedPages {
    /// The first byte, aligned to the system's page (2 MiB for a large mapping).
    private(set) var base: UnsafeMutableRawPointer
    /// Whether the memory is mapped, not from the heap.
    private let isMapped: Bool
    /// The mapping's length, whole pages.
    private var mappedBytes: Int

    static let hugePage = 2 << 20

    /// `bytes` zeroed bytes. When no pages can be mapped, the heap's (which fails the same way when memory
    /// is truly out).
    init(bytes: Int) {
        let length = Self.wholePages(bytes)
        if let pages = Self.map(length) {
            base = pages
            isMapped = true
            mappedBytes = length
        } else {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 64)
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: max(bytes, 1))
            base = raw
            isMapped = false
            mappedBytes = 0
        }
    }

    /// Makes the memory at least `bytes` long, keeping what it holds, the added part zeroed. The pages
    /// move to the new mapping without a copy, so `base` may change. False when they cannot (memory from
    /// the heap, no room, no mremap): then nothing changed, and the caller copies.
    mutating func grow(to bytes: Int) -> Bool {
        guard isMapped else { return false }
        let length = Self.wholePages(bytes)
        guard length > mappedBytes else { return true }
        #if canImport(Glibc)
        // A large mapping moves to a 2 MiB boundary of a reserved stretch, so its huge pages stay whole.
        let target = length >= Self.hugePage ? Self.reserveAligned(length) : nil
        if length >= Self.hugePage && target == nil { return false }
        let moved = techsurvey_remap(base, UInt(mappedBytes), UInt(length), target)
        guard let moved, moved != MAP_FAILED else {
            // Only a refusal of the arguments (EINVAL) comes before the kernel takes the target over; after
            // any other failure the stretch may already be gone and its addresses another thread's, so it
            // is left (address space only, reserved without access or memory).
            if let target, errno == EINVAL { munmap(target, length) }
            return false
        }
        base = moved
        mappedBytes = length
        if length >= Self.hugePage { _ = madvise(base, length, MADV_HUGEPAGE) }
        return true
        #else
        return false
        #endif
    }

    /// Gives the memory back; nothing may use `base` after.
    func release() {
        if isMapped {
            munmap(base, mappedBytes)
        } else {
            base.deallocate()
        }
    }

    private static func wholePages(_ bytes: Int) -> Int {
        let page = max(Int(getpagesize()), 1)
        return (max(bytes, 1) + page - 1) / page * page
    }

    /// `length` zeroed bytes of their own, 2 MiB-aligned with huge pages asked for when that large; nil
    /// when the system maps none.
    private static func map(_ length: Int) -> UnsafeMutableRawPointer? {
        guard length >= hugePage else {
            guard let pages = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), pages != MAP_FAILED else { return nil }
            return pages
        }
        guard let stretch = reserveAligned(length) else { return nil }
        // The reservation becomes the memory: same place, readable and writable now.
        guard let pages = mmap(stretch, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), pages != MAP_FAILED else {
            munmap(stretch, length)
            return nil
        }
        // Advice, not a demand: refused, the memory works the same, only slower to look up.
        _ = madvise(pages, length, MADV_HUGEPAGE)
        return pages
    }

    /// `length` bytes of address space starting on a 2 MiB boundary, reserved (no access, no memory);
    /// the slack taken to align it is given back at once.
    private static func reserveAligned(_ length: Int) -> UnsafeMutableRawPointer? {
        let span = length + hugePage
        guard let stretch = mmap(nil, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0), stretch != MAP_FAILED else { return nil }
        let address = UInt(bitPattern: stretch)
        let aligned = (address + UInt(hugePage - 1)) & ~UInt(hugePage - 1)
        let head = Int(aligned - address)
        if head > 0 { munmap(stretch, head) }
        if span - head - length > 0 { munmap(stretch + head + length, span - head - length) }
        return stretch + head
    }
}
