// glibc's malloc tuning (mallopt), which Swift's Glibc module does not expose, and the CPU's prefetch
// hint, which Swift has no spelling for: the resubmission table and the winners are looked up at random
// across a few hundred MiB, and asking for the next records' cache lines early hides most of the wait.
#include <malloc.h>

static inline void techsurvey_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

static inline void techsurvey_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}
