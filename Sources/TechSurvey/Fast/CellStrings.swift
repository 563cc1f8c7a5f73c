// The distinct texts of the unit id, name and district cells. Each parsing thread numbers its own (no lock
// on the hot path); the merge maps those numbers onto the file-wide table, taking each thread's new texts
// in the order the thread created them. The table hashes bytes with a few multiplications and compares
// with memcmp: a general-purpose dictionary spent more time here than libcsv spent parsing.

import Foundation

/// Distinct byte strings, numbered from 0 as first seen.
struct ByteInterner {
    /// Every text back to back; text `i` is `arena[starts[i]..<starts[i + 1]]`.
    private(set) var arena: [UInt8] = []
    private var starts: [Int] = [0]
    /// Open addressing. Each slot holds what a probe needs without touching another array (a cache miss
    /// each): the hash, and where the text lies in `arena`. `length == -1` marks an empty slot.
    private var slots = [Slot](repeating: Slot(hash: 0, id: 0, offset: 0, length: -1), count: 1024)

    private struct Slot {
        var hash: UInt32
        var id: Int32
        var offset: Int
        var length: Int32
    }

    var count: Int { starts.count - 1 }

    /// The number of `bytes`, and whether it was new.
    mutating func id(_ bytes: UnsafeRawBufferPointer) -> (id: Int32, isNew: Bool) {
        id(bytes, hash: Self.hash(bytes))
    }

    /// The numbers of `cells`, pieces of `text`, in order: what `id(_:)` one at a time gives. Each lookup
    /// lands at random in tables of tens of MiB; hashing every cell first lets the slots of the cells
    /// sixteen ahead, and the stored texts of those eight ahead, be asked for early.
    mutating func ids(of cells: [Range<Int>], in text: UnsafeRawBufferPointer) -> [Int32] {
        let n = cells.count
        let hashes = cells.map { Self.hash(UnsafeRawBufferPointer(rebasing: text[$0])) }
        var numbers: [Int32] = []
        numbers.reserveCapacity(n)
        for i in 0..<n {
            if i + 16 < n {
                let bucket = Int(truncatingIfNeeded: hashes[i + 16]) & (slots.count - 1)
                slots.withUnsafeBufferPointer { if let base = $0.baseAddress { prefetch(base + bucket) } }
            }
            if i + 8 < n {
                let h = hashes[i + 8]
                let slot = slots[Int(truncatingIfNeeded: h) & (slots.count - 1)]
                if slot.length >= 0 && slot.hash == UInt32(truncatingIfNeeded: h >> 32) {
                    arena.withUnsafeBytes { if let base = $0.baseAddress, slot.offset < $0.count { prefetch(base + slot.offset) } }
                }
            }
            numbers.append(id(UnsafeRawBufferPointer(rebasing: text[cells[i]]), hash: hashes[i]).id)
        }
        return numbers
    }

    private mutating func id(_ bytes: UnsafeRawBufferPointer, hash h: UInt64) -> (id: Int32, isNew: Bool) {
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot.length < 0 { break }
            if slot.hash == tag && Int(slot.length) == bytes.count && equal(slot.offset, bytes) { return (slot.id, false) }
            i = (i + 1) & mask
        }
        let id = Int32(count)
        slots[i] = Slot(hash: tag, id: id, offset: arena.count, length: Int32(clamping: bytes.count))
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        if count * 2 > slots.count { grow() }
        return (id, true)
    }
    /// Text `id` as a String.
    func string(_ id: Int) -> String {
        String(decoding: arena[starts[id]..<starts[id + 1]], as: UTF8.self)
    }

    /// Every text as a String, in number order.
    var strings: [String] { (0..<count).map(string) }

    /// The number of `bytes`, adding them when new.
    mutating func id(_ bytes: ArraySlice<UInt8>) -> Int32 { bytes.withUnsafeBytes { id($0).id } }

    /// Text `id`'s bytes.
    func bytes(_ id: Int) -> ArraySlice<UInt8> { arena[starts[id]..<starts[id + 1]] }

    private func equal(_ offset: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        return arena.withUnsafeBytes { stored in
            guard let start = stored.baseAddress else { return false }
            return memcmp(start + offset, base, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var bigger = [Slot](repeating: Slot(hash: 0, id: 0, offset: 0, length: -1), count: size)
        arena.withUnsafeBytes { stored in
            for id in 0..<count {
                let text = UnsafeRawBufferPointer(rebasing: stored[starts[id]..<starts[id + 1]])
                let h = Self.hash(text)
                var i = Int(truncatingIfNeeded: h) & (size - 1)
                while bigger[i].length >= 0 { i = (i + 1) & (size - 1) }
                bigger[i] = Slot(hash: UInt32(truncatingIfNeeded: h >> 32), id: Int32(id), offset: starts[id], length: Int32(clamping: text.count))
            }
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
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        // MurmurHash3's finaliser: every input bit reaches the low bits the table indexes by.
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
    private var queuedText: [UInt8] = []
    private var queued: [Range<Int>] = []

    /// Queues a cell whose bytes already are its text (UTF-8, trimmed, NFC, canonical); returns its place
    /// in the queue.
    func queue(canonical bytes: UnsafeBufferPointer<UInt8>) -> Int32 { queue(bytes) }

    /// Queues a text built from a cell; returns its place in the queue.
    func queue(text: String) -> Int32 { queue(text.utf8) }

    private func queue(_ bytes: some Collection<UInt8>) -> Int32 {
        let start = queuedText.count
        queuedText.append(contentsOf: bytes)
        queued.append(start..<queuedText.count)
        return Int32(queued.count - 1)
    }

    /// The number of every queued cell, by place in the queue, which starts empty again.
    func numberQueued() -> [Int32] {
        defer {
            queued.removeAll(keepingCapacity: true)
            queuedText.removeAll(keepingCapacity: true)
        }
        return queuedText.withUnsafeBytes { interner.ids(of: queued, in: $0) }
    }

    /// The texts numbered since the last call, in number order. Copied out: a slice of the interner's own
    /// text would share its storage while the block holding it is in flight, and the thread's next new
    /// text would then copy all of it (half the heap and a tenth of the CPU at 250 MB of input).
    func takeFresh() -> [ArraySlice<UInt8>] {
        defer { handedOver = interner.count }
        var texts: [UInt8] = []
        var ranges: [Range<Int>] = []
        for id in handedOver..<interner.count {
            let text = interner.bytes(id)
            ranges.append(texts.count..<texts.count + text.count)
            texts.append(contentsOf: text)
        }
        return ranges.map { texts[$0] }
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
    for b in bytes where b <= 0x20 || b >= 0x7F || (0x61...0x7A).contains(b) { return false }
    return true
}
