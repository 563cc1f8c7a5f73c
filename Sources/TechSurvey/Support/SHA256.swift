// SHA-256, streamed, so the manifest can fingerprint every input file while ingest reads it once. OpenSSL
// does the work: it uses the CPU's SHA instructions, which portable code cannot.

import CCrypto

/// Incremental SHA-256.
struct SHA256Hasher: @unchecked Sendable {
    // Owns the OpenSSL context; a hasher is used by one thread at a time.
    private final class Context {
        let pointer: OpaquePointer?
        init() {
            // Out of memory leaves no context: the digest then comes out empty rather than the run crashing.
            let made = EVP_MD_CTX_new()
            if let made, EVP_DigestInit_ex(made, EVP_sha256(), nil) != 1 {
                EVP_MD_CTX_free(made)
                pointer = nil
            } else {
                pointer = made
            }
        }
        deinit { EVP_MD_CTX_free(pointer) }
    }

    private var context = Context()

    init() {}

    mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        // Arrays and slices are hashed in place; only other collections are copied first.
        if bytes.withContiguousStorageIfAvailable({ update(buffer: $0) }) == nil {
            Array(bytes).withUnsafeBufferPointer { update(buffer: $0) }
        }
    }

    mutating func update(buffer: UnsafeBufferPointer<UInt8>) {
        guard let base = buffer.baseAddress, buffer.count > 0, let pointer = context.pointer else { return }
        _ = EVP_DigestUpdate(pointer, base, buffer.count)
    }

    /// The digest as 64 lowercase hex digits; the hasher starts over afterwards.
    mutating func finalizeHex() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        if let pointer = context.pointer {
            _ = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(pointer, $0.baseAddress, &length) }
        }
        context = Context()
        let digits = Array("0123456789abcdef")
        var out = ""
        for byte in digest.prefix(Int(length)) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return out
    }
}
