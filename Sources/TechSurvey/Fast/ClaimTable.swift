// The resubmission table's storage: return key → its current winner's claim, 16 bytes a slot, in open
// addressing with linear probing (key and value side by side, so a probe costs one cache miss). Split by
// hash into 32 shards that each grow on their own, so growing never needs twice the table at once, and
// the table follows distinct keys, not records or bytes. A shard grows by half when three quarters full,
// so it is half to three quarters full: 21 to 32 bytes a key (powers of two would let an unlucky count sit
// at 0.4 full, 40 bytes a key). Each shard's slots are pages of their own (MappedPages.swift), handed back
// to the system the moment the shard has grown: from the heap, the outgrown slots (twice the live table by
// the end) stayed resident as holes malloc could not give back, 400 MiB at 1 GB of input. Few shards, so
// a large table's shards are megabytes each and get huge pages (at 1 GB of distinct returns a claim was a
// TLB miss as often as a cache miss); the growing shard's copy is a thirty-second of the table. A `Dictionary` does the same
// job (see ClaimTableTests) at several times the memory and time.
//
// Sixteen bytes hold a 64-bit key, a 37-bit submission time and a 32-bit ordinal because a slot keeps the
// key's hash, not the key: the hash is a bijection (a multiply by an odd number), and its top 5 bits are
// the shard's number, so 59 bits of it name the key within its shard. Ingest's rows are not kept here:
// `OrdinalRows` gives a winner's row from its ordinal.

import Foundation

/// What the table keeps for one key.
struct ClaimEntry: Sendable, Equatable {
    var key: UInt64
    /// The winner's `SubmissionTime.packed`, -1 when it gave none; within `ClaimTable.submittedRange`.
    var submitted: Int64
    /// The winner's ordinal: its place among every accepted record, in input order; below `UInt32.max`.
    var ordinal: UInt32
}

// Copy on write, as an Array is: a shard is changed only when this table alone holds it, so tables on
// other threads only ever read a shared one. Hence unchecked.
struct ClaimTable: @unchecked Sendable {
    /// The submission times a slot holds: every `SubmissionTime.packed` (years up to 2200 need 37 bits).
    /// Kept plus one in the bits the hash leaves free in a slot's high word beside the low word's 32.
    static let submittedRange: ClosedRange<Int64> = -1...((1 << (32 + shardBits)) - 2)
    /// The hash's top bits pick the shard, its other 59 name a key in its shard; the time's top bits fill
    /// the 5 bits that frees, so every field of a slot follows from this one number.
    private static let shardBits = 5
    private var shards: [Slots]
    private(set) var count = 0

    init() {
        shards = (0..<(1 << Self.shardBits)).map { _ in Slots(capacity: 64) }
    }

    /// Stores `entry` when its key is new and returns nil. Otherwise returns the stored entry, and
    /// replaces it with `entry` when `replace(stored)` says so. The entry's submission time must lie in
    /// `submittedRange` and its ordinal below `UInt32.max`.
    @inline(__always)
    mutating func claim(_ entry: ClaimEntry, replace: (ClaimEntry) -> Bool) -> ClaimEntry? {
        let h = Self.hash(entry.key)
        let s = Int(truncatingIfNeeded: h >> UInt64(64 - Self.shardBits))
        // A copy of the table shares its shards until one of them changes.
        if !isKnownUniquelyReferenced(&shards[s]) { shards[s] = shards[s].grown(to: shards[s].capacity) }
        let shard = shards[s]
        if (shard.count + 1) * 4 > shard.capacity * 3 {
            let wanted = shard.capacity + shard.capacity / 2
            if !shard.grow(to: wanted) { shards[s] = shard.grown(to: wanted) }
        }
        let slots = shards[s].slots
        let name = h & Slot.nameMask
        var i = Self.bucket(h, slots.count)
        while true {
            let stored = slots[i]
            if stored.isEmpty {
                slots[i] = Slot(name: name, entry)
                shards[s].count += 1
                count += 1
                return nil
            }
            if stored.name == name {
                let old = stored.entry(key: entry.key)
                if replace(old) { slots[i] = Slot(name: name, entry) }
                return old
            }
            i = i + 1 == slots.count ? 0 : i + 1
        }
    }

    /// The entry stored for `key`, if any.
    func find(_ key: UInt64) -> ClaimEntry? {
        let h = Self.hash(key)
        let slots = shards[Int(truncatingIfNeeded: h >> UInt64(64 - Self.shardBits))].slots
        let name = h & Slot.nameMask
        var i = Self.bucket(h, slots.count)
        while true {
            if slots[i].isEmpty { return nil }
            if slots[i].name == name { return slots[i].entry(key: key) }
            i = i + 1 == slots.count ? 0 : i + 1
        }
    }

    /// Asks for the cache line `key` would be looked up in, ahead of `claim` or `find`.
    @inline(__always)
    func prefetch(_ key: UInt64) {
        let h = Self.hash(key)
        let slots = shards[Int(truncatingIfNeeded: h >> UInt64(64 - Self.shardBits))].slots
        if let base = slots.baseAddress { TechSurvey.prefetch(base + Self.bucket(h, slots.count)) }
    }

    /// Bytes held, for the memory figures.
    var bytes: Int { shards.reduce(0) { $0 + $1.capacity } * MemoryLayout<Slot>.stride }

    @inline(__always)
    private static func hash(_ key: UInt64) -> UInt64 {
        // Fibonacci hashing spreads keys that differ only in their low bits (dates, fields); the top bits
        // pick the shard, the next ones the bucket.
        key &* 0x9E37_79B9_7F4A_7C15
    }

    /// Bits 24–55 of the hash scaled onto `0..<capacity` (a multiply, not a division).
    @inline(__always)
    private static func bucket(_ h: UInt64, _ capacity: Int) -> Int {
        Int(truncatingIfNeeded: (((h >> 24) & 0xFFFF_FFFF) &* UInt64(truncatingIfNeeded: capacity)) >> 32)
    }

    /// One entry in 16 bytes: `high` is the hash's low 59 bits (the key's name in its shard) above the
    /// submission time's top 5 bits; `low` the time's other 32 bits above the ordinal. The time is kept
    /// plus one (0 for none), and so is the ordinal, so an empty slot is all zero: the zeroed pages a shard
    /// is made of are empty slots as they come, with no pass to mark them (a shard grows by half, so the
    /// slots made over a run are three times the final table: 470 MiB at 1 GB of distinct returns).
    private struct Slot {
        static let nameMask: UInt64 = (1 << (64 - ClaimTable.shardBits)) - 1
        var high: UInt64
        var low: UInt64

        /// The time's bits kept in `high`.
        private static let timeHighBits = UInt64(ClaimTable.shardBits)

        @inline(__always)
        init(name: UInt64, _ entry: ClaimEntry) {
            let time = UInt64(truncatingIfNeeded: entry.submitted &+ 1)
            high = name << Self.timeHighBits | time >> 32
            low = (time & 0xFFFF_FFFF) << 32 | UInt64(entry.ordinal &+ 1)
        }

        var isEmpty: Bool { UInt32(truncatingIfNeeded: low) == 0 }
        var name: UInt64 { high >> Self.timeHighBits }

        func entry(key: UInt64) -> ClaimEntry {
            let timeHigh = high & ((1 << Self.timeHighBits) - 1)
            return ClaimEntry(key: key, submitted: Int64(truncatingIfNeeded: timeHigh << 32 | low >> 32) - 1,
                              ordinal: UInt32(truncatingIfNeeded: low) &- 1)
        }
    }

    /// One shard's slots, every one empty or holding an entry, and how many hold one.
    private final class Slots {
        private(set) var slots: UnsafeMutableBufferPointer<Slot>
        var count = 0
        var capacity: Int { slots.count }
        private var memory: MappedPages

        init(capacity: Int) {
            memory = MappedPages(bytes: capacity * MemoryLayout<Slot>.stride)
            // Zeroed memory (MappedPages), so every slot starts empty.
            let start = memory.base.bindMemory(to: Slot.self, capacity: capacity)
            slots = UnsafeMutableBufferPointer(start: start, count: capacity)
        }

        /// A shard of `capacity` slots holding these entries (for a copy of the table).
        func grown(to capacity: Int) -> Slots {
            let bigger = Slots(capacity: capacity)
            for slot in slots where !slot.isEmpty { bigger.place(slot) }
            bigger.count = count
            return bigger
        }

        /// Makes these slots `capacity` many, keeping every entry; false when the memory cannot grow in
        /// place (then nothing changed). The pages move without a copy and still hold the entries at their
        /// old places; those are copied out to the heap, emptied, and placed again.
        func grow(to capacity: Int) -> Bool {
            let before = slots.count
            guard memory.grow(to: capacity * MemoryLayout<Slot>.stride) else { return false }
            let start = memory.base.bindMemory(to: Slot.self, capacity: capacity)
            let old = UnsafeMutableBufferPointer<Slot>.allocate(capacity: before)
            defer { old.deallocate() }
            _ = old.initialize(fromContentsOf: UnsafeBufferPointer(start: start, count: before))
            // The added slots are fresh zero pages; the old ones are emptied here.
            memset(start, 0, before * MemoryLayout<Slot>.stride)
            slots = UnsafeMutableBufferPointer(start: start, count: capacity)
            for slot in old where !slot.isEmpty { place(slot) }
            return true
        }

        /// Puts `slot` in the first empty slot from its bucket on (bits 24–55 place a key; the name holds them).
        private func place(_ slot: Slot) {
            var i = ClaimTable.bucket(slot.name, slots.count)
            while !slots[i].isEmpty { i = i + 1 == slots.count ? 0 : i + 1 }
            slots[i] = slot
        }

        deinit { memory.release() }
    }
}
