// OpenSSL's libcrypto, for SHA-256 only: it uses the CPU's SHA instructions where there are some.
#include <openssl/evp.h>
