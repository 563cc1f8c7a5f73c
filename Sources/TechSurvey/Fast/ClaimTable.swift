// The resubmission table's storage: return key → its current winner's claim and place, 24 bytes a slot,
// in open addressing with linear probing (key and value side by side, so a probe costs one cache miss).
// Split by hash into 256 shards that each grow on their own, so growing never needs twice the table at
// once, and the table follows distinct keys, not records or bytes. A shard grows by half when three
// quarters full, so it is half to three quarters full: 32 to 48 bytes a key (powers of two would let an
// unlucky count sit at 0.4 full, 60 bytes a key). A `Dictionary` does the same job
// (see ClaimTableTests) at several times the memory and time.

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

struct ClaimTable {
    static let empty = UInt64.max
    private static let shardBits = 8
    private var shards: [Shard]
    private(set) var count = 0

    private struct Shard {
        var entries: [ClaimEntry] = []
        var count = 0
    }

    init() {
        shards = [Shard](repeating: Shard(), count: 1 << Self.shardBits)
        for s in shards.indices { Self.resize(&shards[s], to: 64) }
    }

    /// Stores `entry` when its key is new and returns nil. Otherwise returns the stored entry, and
    /// replaces it with `entry` when `replace(stored)` says so.
    @inline(__always)
    mutating func claim(_ entry: ClaimEntry, replace: (ClaimEntry) -> Bool) -> ClaimEntry? {
        let h = Self.hash(entry.key)
        let s = Int(truncatingIfNeeded: h >> UInt64(64 - Self.shardBits))
        if (shards[s].count + 1) * 4 > shards[s].entries.count * 3 {
            Self.resize(&shards[s], to: shards[s].entries.count + shards[s].entries.count / 2)
        }
        var inserted = false
        let found = shards[s].entries.withUnsafeMutableBufferPointer { entries -> ClaimEntry? in
            var i = Self.bucket(h, entries.count)
            while true {
                let stored = entries[i]
                if stored.key == entry.key {
                    if replace(stored) { entries[i] = entry }
                    return stored
                }
                if stored.key == Self.empty {
                    entries[i] = entry
                    inserted = true
                    return nil
                }
                i = i + 1 == entries.count ? 0 : i + 1
            }
        }
        if inserted {
            shards[s].count += 1
            count += 1
        }
        return found
    }

    /// The entry stored for `key`, if any.
    func find(_ key: UInt64) -> ClaimEntry? {
        let h = Self.hash(key)
        return shards[Int(truncatingIfNeeded: h >> UInt64(64 - Self.shardBits))].entries.withUnsafeBufferPointer { entries in
            var i = Self.bucket(h, entries.count)
            while true {
                if entries[i].key == key { return entries[i] }
                if entries[i].key == Self.empty { return nil }
                i = i + 1 == entries.count ? 0 : i + 1
            }
        }
    }

    /// Asks for the cache line `key` would be looked up in, ahead of `claim` or `find`.
    @inline(__always)
    func prefetch(_ key: UInt64) {
        let h = Self.hash(key)
        shards[Int(truncatingIfNeeded: h >> UInt64(64 - Self.shardBits))].entries.withUnsafeBufferPointer {
            if let base = $0.baseAddress { TechSurvey.prefetch(base + Self.bucket(h, $0.count)) }
        }
    }

    /// Bytes held, for the memory figures.
    var bytes: Int { shards.reduce(0) { $0 + $1.entries.count } * MemoryLayout<ClaimEntry>.stride }

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

    private static func resize(_ shard: inout Shard, to capacity: Int) {
        let old = shard.entries
        shard.entries = [ClaimEntry](repeating: ClaimEntry(key: empty, submitted: 0, ordinal: 0, row: 0), count: capacity)
        for entry in old where entry.key != empty {
            var i = bucket(hash(entry.key), capacity)
            while shard.entries[i].key != empty { i = i + 1 == capacity ? 0 : i + 1 }
            shard.entries[i] = entry
        }
    }
}
