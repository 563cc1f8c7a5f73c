// libFuzzer's entry for a program that has a main of its own (SwiftPM gives every executable one); the
// fuzzer runtime linked by -sanitize=fuzzer defines it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test_one_input)(const uint8_t *data, size_t size));
