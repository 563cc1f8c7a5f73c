// Nothing to compile: the header declares what the fuzzer runtime provides.
