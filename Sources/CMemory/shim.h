// glibc's malloc tuning (mallopt), which Swift's Glibc module does not expose, and the CPU's prefetch
// hint, which Swift has no spelling for: the resubmission table and the winners are looked up at random
// across a few hundred MiB, and asking for the next records' cache lines early hides most of the wait.
// And mremap, which is variadic and so out of Swift's reach: a growing table's pages move to a bigger
// mapping without a copy (MappedPages.grow).
// And the kernel's write-back hint (sync_file_range), which the Glibc module does not expose either: see
// AtomicFile.Stream.
#include <malloc.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline void techsurvey_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

static inline void techsurvey_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/* Starts writing `count` bytes at `offset` of `fd` to disk without waiting (SYNC_FILE_RANGE_WRITE, 2):
   through syscall(), since glibc declares sync_file_range only under _GNU_SOURCE. */
static inline int techsurvey_start_writeback(int fd, long long offset, long long count) {
#if defined(SYS_sync_file_range) && defined(__LP64__)
    return (int)syscall(SYS_sync_file_range, fd, offset, count, 2);
#else
    /* 32-bit ABIs split the 64-bit arguments, and some have only sync_file_range2: no hint there (the
       fsync at the end still writes everything). */
    (void)fd; (void)offset; (void)count;
    return 0;
#endif
}

/* Moves the mapping of `old_size` bytes at `old` to one of `new_size` bytes, keeping its pages, at `target`
   when it is not NULL (MREMAP_MAYMOVE | MREMAP_FIXED, 3: whatever is mapped there goes), else where the
   kernel finds room (MREMAP_MAYMOVE, 1). Returns (void *)-1 (MAP_FAILED) when it cannot, or where there is
   no mremap: the caller then copies. */
static inline void *techsurvey_remap(void *old, unsigned long old_size, unsigned long new_size, void *target) {
#if defined(__linux__) && defined(SYS_mremap)
    return (void *)syscall(SYS_mremap, old, old_size, new_size, target ? 3 : 1, target);
#else
    (void)old; (void)old_size; (void)new_size; (void)target;
    return (void *)-1;
#endif
}
