// A fast checksum for binary stage files. Index and code checks catch most damage, but a flipped bit in a
// count or in a district's text would still read as valid and change a published figure; this catches it.
// Not cryptographic: it guards against damage, not tampering.

/// 64-bit words, little-endian, each mixed in with a bijective step, so changing any one word always
/// changes the result. Bytes may arrive in pieces of any size.
struct StageChecksum {
    private var state: UInt64 = 0x243F_6A88_85A3_08D3
    private var length: UInt64 = 0
    /// Bytes of a word not yet complete, lowest first.
    private var pending: UInt64 = 0
    private var pendingCount = 0

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var i = 0
        if pendingCount > 0 {
            while pendingCount < 8, i < bytes.count {
                pending |= UInt64(bytes[i]) << UInt64(8 * pendingCount)
                pendingCount += 1
                i += 1
            }
            guard pendingCount == 8 else { return }
            mix(pending)
            pending = 0
            pendingCount = 0
        }
        while i + 8 <= bytes.count {
            mix(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        while i < bytes.count {
            pending |= UInt64(bytes[i]) << UInt64(8 * pendingCount)
            pendingCount += 1
            i += 1
        }
    }

    mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { add($0) }
    }

    var value: UInt64 {
        var copy = self
        if copy.pendingCount > 0 { copy.mix(copy.pending) }
        copy.mix(length)
        return copy.state
    }

    private mutating func mix(_ word: UInt64) {
        state = (state ^ word) &* 0x9E37_79B9_7F4A_7C15
        state ^= state >> 29
    }
}
