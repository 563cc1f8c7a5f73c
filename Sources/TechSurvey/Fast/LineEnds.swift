// Whether a cell libcsv hands over holds a line end, asked of every cell (only a quoted one can, and those
// take the limits' bookkeeping). Most cells are a few bytes long, and memchr's call and set-up cost more
// than looking at them: a cell of 8 to 16 bytes is two overlapping 8-byte words, a shorter one its bytes
// (memchr was 2.3 % of ingest's CPU at 1 GB). LineEndsTests compares it with memchr.

import Foundation

/// True when the `count` bytes at `p` hold 0x0A.
@inline(__always)
func holdsLineEnd(_ p: UnsafeRawPointer, count: Int) -> Bool {
    if count > 16 { return memchr(p, 0x0A, count) != nil }
    if count >= 8 {
        return hasLineEnd(p.loadUnaligned(as: UInt64.self)) || hasLineEnd(p.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    }
    for i in 0..<count where p.load(fromByteOffset: i, as: UInt8.self) == 0x0A { return true }
    return false
}

/// Whether a byte of `word` is 0x0A: a byte is zero after the XOR exactly where it was, and the borrow
/// test below flags a zero byte with no false flag when none is (a false one only ever sits above a true one).
@inline(__always)
private func hasLineEnd(_ word: UInt64) -> Bool {
    let x = word ^ 0x0A0A_0A0A_0A0A_0A0A
    return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
}
