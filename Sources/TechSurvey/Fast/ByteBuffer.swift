// Output bytes for files of millions of rows. `[UInt8].append` checks uniqueness and capacity on every
// byte; here the caller asks for room once per row and then writes through a pointer.

import Foundation

/// A growable byte buffer written through a pointer. Call `reserve(_:)` with an upper bound of what the
/// next writes add; the writes themselves check nothing.
final class ByteBuffer: @unchecked Sendable {
    // Moved between threads whole (formatted on one, written out on another), never shared: hence unchecked.
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1 << 16) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private func grow(_ needed: Int) {
        var size = capacity * 2
        while size < needed { size *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = size
    }

    /// Empties the buffer, keeping its room.
    func removeAll() { count = 0 }

    /// `value`'s bytes, little-endian.
    @inline(__always)
    func store<T: FixedWidthInteger>(_ value: T) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.littleEndian, as: T.self)
        count += MemoryLayout<T>.size
    }

    @inline(__always)
    func byte(_ b: UInt8) {
        base[count] = b
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress else { return }
        (base + count).update(from: start, count: bytes.count)
        count += bytes.count
    }

    /// The decimal digits of `n`.
    @inline(__always)
    func number(_ n: UInt64) {
        var width = 1
        var rest = n
        while rest >= 10 {
            rest /= 10
            width += 1
        }
        var index = count + width - 1
        var value = n
        repeat {
            base[index] = UInt8(truncatingIfNeeded: value % 10) &+ 0x30
            value /= 10
            index -= 1
        } while value > 0
        count += width
    }

    /// `value` in exactly `width` digits, zero-padded; `value` must fit.
    @inline(__always)
    func fixed(_ value: Int, width: Int) {
        var v = value
        var index = count + width - 1
        while index >= count {
            base[index] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
            v /= 10
            index -= 1
        }
        count += width
    }
}
