// glibc hands big blocks (≥128 KiB) out with mmap and gives them back on free, so every 1 MiB block of a
// file read in parallel costs fresh page faults. Ingest keeps freed memory for reuse instead. And the
// prefetch hint, for the lookups that land at random in tables of a few hundred MiB. One malloc arena for
// every thread: with one per thread, each kept its own freed blocks (the reader's 1 MiB blocks are freed
// by the merge), 30-60 MiB more at 250 MB of input, and varying run to run; no CPU seconds were lost.

#if canImport(Glibc)
import CMemory
#endif

/// Makes freed blocks of up to 64 MiB stay in the process for the next allocation, in one arena that
/// every thread shares. Call before any thread is started.
func keepFreedBlocksForReuse() {
    #if canImport(Glibc)
    _ = mallopt(M_ARENA_MAX, 1)
    _ = mallopt(M_MMAP_THRESHOLD, 64 << 20)
    _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
    #endif
}

/// Asks the CPU to bring the cache line at `address` in ahead of use: a hint, it never faults.
@inline(__always)
func prefetch(_ address: UnsafeRawPointer) {
    #if canImport(Glibc)
    techsurvey_prefetch(address)
    #endif
}
