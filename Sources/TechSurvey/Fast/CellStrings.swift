// The distinct texts of the unit id, name and district cells. Each parsing thread numbers its own (no lock
// on the hot path); the merge maps those numbers onto the file-wide table, taking each thread's new texts
// in the order the thread created them. The table hashes bytes with a few multiplications and compares
// with memcmp: a general-purpose dictionary spent more time here than libcsv spent parsing.

import Foundation

/// Distinct byte strings, numbered from 0 as first seen.
struct ByteInterner {
    /// Every text back to back; text `i` is `arena[starts[i]..<starts[i + 1]]`. In pages of their own
    /// (PagedArray.swift), as are the slots.
    private var arena = PagedArray<UInt8>()
    private var starts = PagedArray<Int>(count: 1)
    /// Open addressing, 8 bytes a slot: the hash's top 32 bits above the text's number + 1 (0: empty). A
    /// probe compares the tag alone and looks at a text only when the tags match. Each parsing thread and
    /// the merge hold one of these over every unit id and name: with 24-byte slots holding the text's
    /// place, the three tables were most of ingest's memory on a resubmitted national file.
    private var slots = PagedArray<UInt64>(count: 1024)

    var count: Int { starts.count - 1 }

    /// The number of `bytes`, and whether it was new.
    mutating func id(_ bytes: UnsafeRawBufferPointer) -> (id: Int32, isNew: Bool) {
        id(bytes, hash: Self.hash(bytes))
    }

    /// The numbers of `cells`, pieces of `text`, in order: what `id(_:)` one at a time gives. Each lookup
    /// lands at random in tables of several MiB, through three dependent loads (slot, start, text):
    /// hashing every cell first lets the slot of the cell sixteen ahead, the start of the one ten ahead
    /// and the text of the one five ahead be asked for early.
    /// The cells lie back to back from the start of `text`, cell `i` ending at the `i`th Int of `ends`
    /// (little-endian, as `ByteBuffer.store` writes it): how `CellStrings` queues them, with no range to build per cell.
    mutating func ids(ofCellsEndingAt ends: UnsafeRawBufferPointer, in text: UnsafeRawBufferPointer) -> [Int32] {
        let n = ends.count / MemoryLayout<Int>.stride
        guard n > 0 else { return [] }
        @inline(__always) func end(_ i: Int) -> Int { Int(littleEndian: ends.loadUnaligned(fromByteOffset: i * MemoryLayout<Int>.stride, as: Int.self)) }
        @inline(__always) func cell(_ i: Int) -> UnsafeRawBufferPointer {
            let start = i == 0 ? 0 : end(i - 1)
            return UnsafeRawBufferPointer(rebasing: text[start..<end(i)])
        }
        return [UInt64](unsafeUninitializedCapacity: n) { hashes, hashCount in
            for i in 0..<n { hashes.initializeElement(at: i, to: Self.hash(cell(i))) }
            hashCount = n
        }.withUnsafeBufferPointer { hashes in
            [Int32](unsafeUninitializedCapacity: n) { numbers, numberCount in
                for i in 0..<n {
                    if i + 16 < n {
                        let bucket = Self.home(hashes[i + 16] >> 32, size: slots.count)
                        slots.withUnsafeBufferPointer { if let base = $0.baseAddress { prefetch(base + bucket) } }
                    }
                    if i + 10 < n, let id = firstCandidate(hashes[i + 10]) {
                        starts.withUnsafeBufferPointer { if let base = $0.baseAddress { prefetch(base + id) } }
                    }
                    if i + 5 < n, let id = firstCandidate(hashes[i + 5]) {
                        let offset = starts[id]
                        arena.withUnsafeBytes { if let base = $0.baseAddress, offset < $0.count { prefetch(base + offset) } }
                    }
                    numbers.initializeElement(at: i, to: id(cell(i), hash: hashes[i]).id)
                }
                numberCount = n
            }
        }
    }

    /// The number in the first slot a lookup of hash `h` reads, when its tag matches: the text most
    /// likely compared.
    @inline(__always)
    private func firstCandidate(_ h: UInt64) -> Int? {
        let slot = slots[Self.home(h >> 32, size: slots.count)]
        return slot != 0 && slot >> 32 == h >> 32 ? Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1 : nil
    }

    private mutating func id(_ bytes: UnsafeRawBufferPointer, hash h: UInt64) -> (id: Int32, isNew: Bool) {
        let tag = h >> 32
        let mask = slots.count - 1
        var i = Self.home(tag, size: slots.count)
        while true {
            let slot = slots[i]
            if slot == 0 { break }
            if slot >> 32 == tag {
                let id = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                if equal(id, bytes) { return (Int32(truncatingIfNeeded: id), false) }
            }
            i = (i + 1) & mask
        }
        // Numbers past Int32 never reach a stage file: it refuses more than Int32.max texts, and memory
        // runs out long before 2^32 texts would make a number collide with the empty mark.
        let id = count
        slots[i] = tag << 32 | UInt64(UInt32(truncatingIfNeeded: id + 1))
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        if count * 2 > slots.count { grow() }
        return (Int32(truncatingIfNeeded: id), true)
    }
    /// Text `id` as a String.
    func string(_ id: Int) -> String {
        withBytes(id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with text `id`'s bytes.
    func withBytes<R>(_ id: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let (start, end) = (starts[id], starts[id + 1])
        return try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Every text as a String, in number order.
    var strings: [String] { (0..<count).map(string) }

    /// Texts `first..<count`, in number order, as slices of one copy of their bytes.
    func texts(from first: Int) -> [ArraySlice<UInt8>] {
        guard first < count else { return [] }
        let base = starts[first]
        let copy = arena.withUnsafeBytes { Array($0[base..<starts[count]]) }
        return (first..<count).map { copy[starts[$0] - base..<starts[$0 + 1] - base] }
    }

    /// The number of `bytes`, adding them when new.
    mutating func id(_ bytes: ArraySlice<UInt8>) -> Int32 { bytes.withUnsafeBytes { id($0).id } }

    /// Text `id`'s bytes.
    func bytes(_ id: Int) -> ArraySlice<UInt8> { withBytes(id) { ArraySlice($0) } }

    /// Whether text `id` is `bytes`.
    private func equal(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = starts[id]
        guard starts[id + 1] - start == bytes.count else { return false }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        return arena.withUnsafeBytes { stored in
            guard let text = stored.baseAddress else { return false }
            return memcmp(text + start, base, bytes.count) == 0
        }
    }

    /// The slot a text whose tag is `tag` starts its probe at. Taken from the tag, which the slot keeps,
    /// so growing moves slots without hashing any text again (rehashing from the text was 2.6 % of
    /// ingest's CPU); the tag's bits above the table's size still tell texts of one home slot apart.
    @inline(__always)
    private static func home(_ tag: UInt64, size: Int) -> Int { Int(truncatingIfNeeded: tag) & (size - 1) }

    private mutating func grow() {
        let size = slots.count * 2
        var bigger = PagedArray<UInt64>(count: size)
        for old in 0..<slots.count {
            let slot = slots[old]
            if slot == 0 { continue }
            var i = Self.home(slot >> 32, size: size)
            while bigger[i] != 0 { i = (i + 1) & (size - 1) }
            bigger[i] = slot
        }
        slots = bigger
    }

    /// Eight bytes at a time, each word mixed by a multiply; good enough spread for ids and names.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        let rest = bytes.count - offset
        if rest > 0 && bytes.count >= 8 {
            // The last eight bytes in one load, the ones already mixed shifted out: the same word the
            // byte loop below builds, without a step per byte.
            let last = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self))
            tail = last >> UInt64(64 - 8 * rest)
        } else {
            var shift: UInt64 = 0
            while offset < bytes.count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
        }
        // MurmurHash3's finaliser: every input bit reaches the top bits the table indexes by (the tag).
        h ^= tail
        h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        h = (h ^ (h >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 33)
    }
}


/// One thread's distinct cell texts, with the ones numbered since the merge last took them. The validator
/// queues a record's cells; they are numbered a block at a time (`numberQueued`), which lets the lookups
/// overlap their waits for memory.
final class CellStrings {
    private var interner = ByteInterner()
    private var handedOver = 0
    /// The queued cells back to back, and where each ends: two flat buffers, so queueing a cell is a
    /// copy and a store (with arrays of bytes and of ranges it cost as much as numbering it).
    private let queuedText = ByteBuffer(capacity: 1 << 16)
    private let queuedEnds = ByteBuffer(capacity: 1 << 14)

    /// Queues a cell whose bytes already are its text (UTF-8, trimmed, NFC, canonical); returns its place
    /// in the queue.
    func queue(canonical bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        queuedText.reserve(bytes.count)
        queuedText.append(bytes)
        return queued()
    }

    /// Queues a text built from a cell; returns its place in the queue.
    func queue(text: String) -> Int32 {
        var text = text
        text.withUTF8 { queuedText.reserve($0.count); queuedText.append($0) }
        return queued()
    }

    /// Ends the cell just copied into `queuedText`.
    @inline(__always)
    private func queued() -> Int32 {
        queuedEnds.reserve(MemoryLayout<Int>.stride)
        queuedEnds.store(queuedText.count)
        return Int32(truncatingIfNeeded: queuedEnds.count / MemoryLayout<Int>.stride - 1)
    }

    /// The number of every queued cell, by place in the queue, which starts empty again.
    func numberQueued() -> [Int32] {
        defer {
            queuedText.removeAll()
            queuedEnds.removeAll()
        }
        return interner.ids(ofCellsEndingAt: queuedEnds.bytes, in: queuedText.bytes)
    }

    /// The texts numbered since the last call, in number order. Copied out: a slice of the interner's own
    /// text would share its storage while the block holding it is in flight, and the thread's next new
    /// text would then copy all of it (half the heap and a tenth of the CPU at 250 MB of input). The new
    /// texts lie back to back in the interner, so they are copied at once.
    func takeFresh() -> [ArraySlice<UInt8>] {
        defer { handedOver = interner.count }
        return interner.texts(from: handedOver)
    }
}

/// True when a cell's raw bytes are exactly the text `decodeCell` would give (valid UTF-8 assumed):
/// nothing to trim at either end and nothing NFC would change.
func isCanonicalText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = bytes.first, let last = bytes.last else { return true }
    return !isTrimmable(first) && !isTrimmable(last) && !mayNeedCleaning(bytes)
}

/// True when a unit id's raw bytes are already canonical: ASCII with no lower-case letter and no white
/// space or control byte, which `canonicalUnitID` would leave unchanged.
func isCanonicalUnitID(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    for b in bytes {
        // Outside 0x21–0x7E, or a lower-case letter: each range in one unsigned comparison.
        if b &- 0x21 >= 0x5E || b &- 0x61 < 26 { return false }
    }
    return true
}
