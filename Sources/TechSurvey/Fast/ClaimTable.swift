// The resubmission table's storage: return key → its current winner's claim and place, 24 bytes a slot,
// in open addressing with linear probing (key and value side by side, so a probe costs one cache miss).
// Split by hash into 256 shards that each grow on their own, so growing never needs twice the table at
// once, and the table follows distinct keys, not records or bytes. A shard grows by half when three
// quarters full, so it is half to three quarters full: 32 to 48 bytes a key (powers of two would let an
// unlucky count sit at 0.4 full, 60 bytes a key). Each shard's slots are pages of their own, handed back
// to the system the moment the shard has grown: from the heap, the outgrown slots (twice the live table
// by the end) stayed resident as holes malloc could not give back, 400 MiB at 1 GB of input. A
// `Dictionary` does the same job (see ClaimTableTests) at several times the memory and time.

import Foundation

/// What the table keeps for one key.
struct ClaimEntry: Sendable, Equatable {
    /// Never `ClaimTable.empty`.
    var key: UInt64
    /// The winner's `SubmissionTime.packed`, -1 when it gave none.
    var submitted: Int64
    /// The winner's ordinal: its place among every accepted record, in input order.
    var ordinal: UInt32
    /// The winner's spreadsheet row.
    var row: UInt32
}

// Copy on write, as an Array is: a shard is changed only when this table alone holds it, so tables on
// other threads only ever read a shared one. Hence unchecked.
struct ClaimTable: @unchecked Sendable {
    static let empty = UInt64.max
    private static let shardBits = 8
    private var shards: [Slots]
    private(set) var count = 0

    init() {
        shards = (0..<(1 << Self.shardBits)).map { _ in Slots(capacity: 64) }
    }

    /// Stores `entry` when its key is new and returns nil. Otherwise returns the stored entry, and
    /// replaces it with `entry` when `replace(stored)` says so.
    @inline(__always)
    mutating func claim(_ entry: ClaimEntry, replace: (ClaimEntry) -> Bool) -> ClaimEntry? {
        let h = Self.hash(entry.key)
        let s = Int(truncatingIfNeeded: h >> UInt64(64 - Self.shardBits))
        // A copy of the table shares its shards until one of them changes.
        if !isKnownUniquelyReferenced(&shards[s]) { shards[s] = shards[s].grown(to: shards[s].capacity) }
        let shard = shards[s]
        if (shard.count + 1) * 4 > shard.capacity * 3 {
            shards[s] = shard.grown(to: shard.capacity + shard.capacity / 2)
        }
        let entries = shards[s].entries
        var i = Self.bucket(h, entries.count)
        while true {
            let stored = entries[i]
            if stored.key == entry.key {
                if replace(stored) { entries[i] = entry }
                return stored
            }
            if stored.key == Self.empty {
                entries[i] = entry
                shards[s].count += 1
                count += 1
                return nil
            }
            i = i + 1 == entries.count ? 0 : i + 1
        }
    }

    /// The entry stored for `key`, if any.
    func find(_ key: UInt64) -> ClaimEntry? {
        let h = Self.hash(key)
        let entries = shards[Int(truncatingIfNeeded: h >> UInt64(64 - Self.shardBits))].entries
        var i = Self.bucket(h, entries.count)
        while true {
            if entries[i].key == key { return entries[i] }
            if entries[i].key == Self.empty { return nil }
            i = i + 1 == entries.count ? 0 : i + 1
        }
    }

    /// Asks for the cache line `key` would be looked up in, ahead of `claim` or `find`.
    @inline(__always)
    func prefetch(_ key: UInt64) {
        let h = Self.hash(key)
        let entries = shards[Int(truncatingIfNeeded: h >> UInt64(64 - Self.shardBits))].entries
        if let base = entries.baseAddress { TechSurvey.prefetch(base + Self.bucket(h, entries.count)) }
    }

    /// Bytes held, for the memory figures.
    var bytes: Int { shards.reduce(0) { $0 + $1.capacity } * MemoryLayout<ClaimEntry>.stride }

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

    /// One shard's slots, every one empty or holding an entry, and how many hold one.
    private final class Slots {
        let entries: UnsafeMutableBufferPointer<ClaimEntry>
        var count = 0
        var capacity: Int { entries.count }
        private let mappedBytes: Int

        init(capacity: Int) {
            let bytes = capacity * MemoryLayout<ClaimEntry>.stride
            let start: UnsafeMutablePointer<ClaimEntry>
            if let pages = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), pages != MAP_FAILED {
                start = pages.bindMemory(to: ClaimEntry.self, capacity: capacity)
                mappedBytes = bytes
            } else {
                // No pages to be had: the heap (which fails the same way when memory is truly out).
                start = .allocate(capacity: capacity)
                mappedBytes = 0
            }
            entries = UnsafeMutableBufferPointer(start: start, count: capacity)
            entries.initialize(repeating: ClaimEntry(key: ClaimTable.empty, submitted: 0, ordinal: 0, row: 0))
        }

        /// A shard of `capacity` slots holding these entries.
        func grown(to capacity: Int) -> Slots {
            let bigger = Slots(capacity: capacity)
            for entry in entries where entry.key != ClaimTable.empty {
                var i = ClaimTable.bucket(ClaimTable.hash(entry.key), capacity)
                while bigger.entries[i].key != ClaimTable.empty { i = i + 1 == capacity ? 0 : i + 1 }
                bigger.entries[i] = entry
            }
            bigger.count = count
            return bigger
        }

        deinit {
            if mappedBytes > 0 {
                munmap(UnsafeMutableRawPointer(entries.baseAddress), mappedBytes)
            } else {
                entries.baseAddress?.deallocate()
            }
        }
    }
}
