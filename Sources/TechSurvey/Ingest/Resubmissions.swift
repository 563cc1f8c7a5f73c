// Resolves resubmissions (SPEC §3.4): records with the same (unit_id, survey_date, field) are one return;
// the latest submitted_at wins, else the later file, else the later row. A record without submitted_at
// ranks below every record with one, so the records of a key are ordered by (submitted_at or "none",
// file rank, row): a total order, and the winner does not depend on the order rows or files arrive in.
// Keys are packed into one number
// and looked up in an open-addressing table; only the current winner of each key is kept whole, and a
// record that loses is kept as a few numbers until the final winner is known.

/// Collects accepted returns and keeps one winner per key, remembering what each winner replaced.
struct Resubmissions {
    /// A superseded record, compact: which key it belonged to and where it stood.
    struct Loser: Sendable {
        var slot: Int32
        var file: Int32
        var row: Int32
        var line: Int32
        var submitted: Int64
    }

    /// Winners with `file` as the file's rank; `returnID` is filled in by `packed`.
    private var winners: [PackedReturn] = []
    private var returnIDs: [String] = []
    private var slots = SlotTable()
    /// Records that lost as they arrived: already in input order.
    private var lostOnArrival: [Loser] = []
    /// Winners a later record displaced: in the order they were displaced.
    private var displaced: [Loser] = []

    /// File names by rank: "the later file" is the one sorted later (a workbook's sheets, in its order).
    private(set) var files: [String]

    init(files: [String] = []) { self.files = files }

    /// Ranks `name` after every file so far and returns its rank.
    mutating func addFile(_ name: String) -> Int32 {
        files.append(name)
        return Int32(files.count - 1)
    }

    /// Sizes the tables for about `records` records, so they do not grow by rehashing.
    mutating func reserve(records: Int) {
        slots.reserve(records)
        winners.reserveCapacity(records)
        returnIDs.reserveCapacity(records)
    }

    /// Adds records of the file ranked `file`, in input order. Each record's key lands at random in a
    /// table of tens of MiB, and its winner in another: the table entries of the records a dozen ahead, and
    /// the winners of those half as far, are asked for early, so the lookups mostly find them in cache.
    mutating func add(_ batch: [ParsedReturn], file: Int32) {
        let far = 12, near = 6
        for i in batch.indices {
            if i + far < batch.count { slots.prefetch(Self.key(batch[i + far])) }
            if i + near < batch.count, let slot = slots.peek(Self.key(batch[i + near])) {
                winners.withUnsafeBufferPointer { if let base = $0.baseAddress { prefetch(base + Int(slot)) } }
                returnIDs.withUnsafeBufferPointer { if let base = $0.baseAddress { prefetch(base + Int(slot)) } }
            }
            add(batch[i], file: file)
        }
    }

    private static func key(_ r: ParsedReturn) -> UInt64 {
        UInt64(UInt32(bitPattern: r.unitID)) << 32 | UInt64(UInt32(bitPattern: r.surveyDate)) << 3 | UInt64(r.field)
    }

    /// Adds a record of the file ranked `file`. Records arrive in input order.
    mutating func add(_ r: ParsedReturn, file: Int32) {
        let record = PackedReturn(
            file: file, row: r.row, line: r.line, returnID: 0, unitID: r.unitID, unitName: r.unitName,
            district: r.district, unitType: r.unitType, field: r.field, surveyDate: r.surveyDate,
            found: r.found, proposed: r.proposed, submitted: r.submitted
        )
        guard let slot = slots.slot(for: Self.key(r), orInsert: Int32(winners.count)) else {
            winners.append(record)
            returnIDs.append(r.returnID)
            return
        }
        let old = winners[Int(slot)]
        // The new record comes later in the input (file rank, then row), so it wins unless its time is
        // earlier; "no time" is packed as -1, below every time, which is how the total order ranks it.
        if r.submitted < old.submitted {
            lostOnArrival.append(Loser(slot: slot, file: file, row: r.row, line: r.line, submitted: r.submitted))
            return
        }
        displaced.append(Loser(slot: slot, file: old.file, row: old.row, line: old.line, submitted: old.submitted))
        winners[Int(slot)] = record
        returnIDs[Int(slot)] = r.returnID
    }

    var winnerCount: Int { winners.count }

    /// How many records lost to a later submission.
    var supersededCount: Int { lostOnArrival.count + displaced.count }

    /// Superseded records per file name.
    func supersededPerFile() -> [String: Int] {
        var counts = [Int](repeating: 0, count: files.count)
        for loser in lostOnArrival { counts[Int(loser.file)] += 1 }
        for loser in displaced { counts[Int(loser.file)] += 1 }
        var byName: [String: Int] = [:]
        for (rank, n) in counts.enumerated() where n > 0 { byName[files[rank], default: 0] += n }
        return byName
    }

    /// The winners in input order, their text cells indices into `strings` followed by file names and
    /// return ids.
    func packed(strings: [String]) -> PackedReturns {
        var table = strings
        let fileBase = Int32(table.count)
        table.append(contentsOf: files)
        var records: [PackedReturn] = []
        records.reserveCapacity(winners.count)
        for slot in winnerOrder() {
            var w = winners[slot]
            w.file += fileBase
            w.returnID = Int32(table.count)
            table.append(returnIDs[slot])
            records.append(w)
        }
        return PackedReturns(strings: table, records: records)
    }

    /// Winner slots sorted by their place in the input.
    private func winnerOrder() -> [Int] {
        let keyed = winners.indices.map { (position: inputPosition(file: winners[$0].file, row: winners[$0].row), slot: $0) }
        return radixSorted(keyed, by: \.position).map(\.slot)
    }

    /// The final winner in `slot`.
    func winner(_ slot: Int32) -> PackedReturn { winners[Int(slot)] }

    /// Every winner, by slot, for loops that look up millions of them.
    func withWinners<R>(_ body: (UnsafeBufferPointer<PackedReturn>) throws -> R) rethrows -> R {
        try winners.withUnsafeBufferPointer(body)
    }

    /// Every loser, ready to be listed in input order.
    func superseded() -> SupersededList {
        SupersededList(arrivals: lostOnArrival, displaced: sortedByPosition(displaced))
    }
}

/// `losers` in input order.
func sortedByPosition(_ losers: [Resubmissions.Loser]) -> [Resubmissions.Loser] {
    radixSorted(losers, by: \.position)
}

/// `items` ordered by `key`, by least-significant-digit radix: one pass per byte that varies (three for a
/// file of millions of rows) instead of a comparison sort's n log n. Stable.
func radixSorted<Item>(_ items: [Item], by key: (Item) -> UInt64) -> [Item] {
    var from = items
    guard from.count > 1 else { return from }
    var to = from
    let highest = from.reduce(UInt64(0)) { max($0, key($1)) }
    var shift: UInt64 = 0
    while shift < 64 && highest >> shift != 0 {
        var starts = [Int](repeating: 0, count: 257)
        for item in from { starts[Int(truncatingIfNeeded: (key(item) >> shift) & 0xFF) + 1] += 1 }
        // A byte every item shares orders nothing.
        if !starts.contains(from.count) {
            for digit in 1...256 { starts[digit] += starts[digit - 1] }
            from.withUnsafeBufferPointer { source in
                to.withUnsafeMutableBufferPointer { target in
                    for item in source {
                        let digit = Int(truncatingIfNeeded: (key(item) >> shift) & 0xFF)
                        target[starts[digit]] = item
                        starts[digit] += 1
                    }
                }
            }
            swap(&from, &to)
        }
        shift += 8
    }
    return from
}

/// Where a record stood in the input (file rank, then row), as one sortable number.
private func inputPosition(file: Int32, row: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: file)) << 32 | UInt64(UInt32(bitPattern: row))
}

extension Resubmissions.Loser {
    var position: UInt64 { inputPosition(file: file, row: row) }
}

/// The losers in input order: those that lost on arrival (in order already) merged with the displaced
/// winners (sorted). Cut into runs, so runs can be written out on several threads.
struct SupersededList: Sendable {
    let arrivals: [Resubmissions.Loser]
    let displaced: [Resubmissions.Loser]

    /// A stretch of the merged order: where it starts in each list, and how many losers it holds.
    struct Run: Sendable {
        var arrival: Int
        var displaced: Int
        var count: Int
    }

    var count: Int { arrivals.count + displaced.count }

    /// Consecutive runs of at most `size` losers covering the whole list.
    func runs(of size: Int) -> [Run] {
        var runs: [Run] = []
        var i = 0, j = 0
        while i + j < count {
            var run = Run(arrival: i, displaced: j, count: 0)
            while run.count < size && i + j < count {
                if takesArrival(i, j) { i += 1 } else { j += 1 }
                run.count += 1
            }
            runs.append(run)
        }
        return runs
    }

    /// The losers of `run`, in input order.
    func forEach(in run: Run, _ body: (Resubmissions.Loser) -> Void) {
        var i = run.arrival, j = run.displaced
        for _ in 0..<run.count {
            if takesArrival(i, j) {
                body(arrivals[i])
                i += 1
            } else {
                body(displaced[j])
                j += 1
            }
        }
    }

    private func takesArrival(_ i: Int, _ j: Int) -> Bool {
        if i == arrivals.count { return false }
        if j == displaced.count { return true }
        return arrivals[i].position < displaced[j].position
    }
}

/// Packed key → winner slot, open addressing with linear probing. Key and slot sit side by side, so a
/// probe costs one cache miss, not two. Keys never equal `empty`.
struct SlotTable {
    private static let empty = UInt64.max
    private struct Entry {
        var key: UInt64
        var value: Int32
    }
    private var entries: [Entry] = []
    private var count = 0
    private var mask = 0

    mutating func reserve(_ n: Int) {
        var capacity = 1024
        while capacity < n * 2 { capacity <<= 1 }
        if capacity > entries.count { rehash(capacity) }
    }

    /// The slot stored for `key`, or nil after storing `slot` for it.
    mutating func slot(for key: UInt64, orInsert slot: Int32) -> Int32? {
        if (count + 1) * 2 > entries.count { rehash(max(1024, entries.count * 2)) }
        var i = Self.bucket(key, mask)
        while true {
            let entry = entries[i]
            if entry.key == key { return entry.value }
            if entry.key == Self.empty {
                entries[i] = Entry(key: key, value: slot)
                count += 1
                return nil
            }
            i = (i + 1) & mask
        }
    }

    /// The slot stored for `key`, if any; stores nothing.
    func peek(_ key: UInt64) -> Int32? {
        guard !entries.isEmpty else { return nil }
        var i = Self.bucket(key, mask)
        while true {
            let entry = entries[i]
            if entry.key == key { return entry.value }
            if entry.key == Self.empty { return nil }
            i = (i + 1) & mask
        }
    }

    /// Asks for the cache line `key` would be looked up in.
    func prefetch(_ key: UInt64) {
        let i = Self.bucket(key, mask)
        entries.withUnsafeBufferPointer { if let base = $0.baseAddress, i < $0.count { TechSurvey.prefetch(base + i) } }
    }

    private static func bucket(_ key: UInt64, _ mask: Int) -> Int {
        // Fibonacci hashing spreads keys that differ only in their low bits (dates, fields).
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    private mutating func rehash(_ capacity: Int) {
        let old = entries
        entries = [Entry](repeating: Entry(key: Self.empty, value: 0), count: capacity)
        mask = capacity - 1
        for entry in old where entry.key != Self.empty {
            var i = Self.bucket(entry.key, mask)
            while entries[i].key != Self.empty { i = (i + 1) & mask }
            entries[i] = entry
        }
    }
}
