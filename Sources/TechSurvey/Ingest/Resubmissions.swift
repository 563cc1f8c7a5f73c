// Resolves resubmissions (SPEC §3.4): records with the same (unit_id, survey_date, field) are one return;
// the latest submitted_at wins, else the later file, else the later row. Only the current winner of each
// key is kept whole; a record that loses is kept as a few numbers until the final winner is known.

/// Collects accepted returns and keeps one winner per key, remembering what each winner replaced.
struct Resubmissions {
    /// A superseded record, compact: which key it belonged to and where it stood.
    private struct Loser {
        var slot: Int32
        var file: Int32
        var row: Int32
        var line: Int32
        /// `submitted_at` packed into one number (-1 when absent), see `pack`.
        var submitted: Int64
    }

    private static func pack(_ t: SubmissionTime?) -> Int64 {
        guard let t else { return -1 }
        let day = (Int64(t.date.year) * 13 + Int64(t.date.month)) * 32 + Int64(t.date.day)
        return day * 86_400 + Int64(t.seconds)
    }

    private static func unpack(_ packed: Int64) -> SubmissionTime? {
        guard packed >= 0 else { return nil }
        let day = packed / 86_400, seconds = Int(packed % 86_400)
        guard let date = CalendarDate(year: Int(day / 32 / 13), month: Int(day / 32 % 13), day: Int(day % 32)) else { return nil }
        return SubmissionTime(date: date, seconds: seconds)
    }

    private var winners: [ReturnRecord] = []
    /// Each winner's place in the input (file rank, row), packed so sorting them is cheap.
    private var positions: [UInt64] = []
    private var slotByKey: [ReturnKey: Int] = [:]
    private var losers: [Loser] = []

    /// `fileOrder` ranks files so "the later file" is well defined (their sorted order).
    let fileOrder: [String: Int]
    private let files: [String]

    init(fileOrder: [String: Int]) {
        self.fileOrder = fileOrder
        files = fileOrder.sorted { $0.value < $1.value }.map(\.key)
    }

    /// Sizes the tables for about `records` records, so they do not grow by rehashing.
    mutating func reserve(records: Int) {
        slotByKey.reserveCapacity(records)
        winners.reserveCapacity(records)
        positions.reserveCapacity(records)
    }

    mutating func add(_ record: ReturnRecord) {
        let key = record.key
        guard let slot = slotByKey[key] else {
            slotByKey[key] = winners.count
            winners.append(record)
            positions.append(position(record.source))
            return
        }
        if isLater(record, than: winners[slot]) {
            losers.append(loser(winners[slot], slot: slot))
            winners[slot] = record
            positions[slot] = position(record.source)
        } else {
            losers.append(loser(record, slot: slot))
        }
    }

    /// The winners, in input order.
    func resolvedWinners() -> [ReturnRecord] {
        winnerOrder().map { winners[$0] }
    }

    /// Hands each winner over in input order, without copying them all.
    func forEachWinner(_ body: (ReturnRecord) -> Void) {
        for i in winnerOrder() { body(winners[i]) }
    }

    var winnerCount: Int { winners.count }

    private func winnerOrder() -> [Int] {
        winners.indices.sorted { positions[$0] < positions[$1] }
    }

    /// How many records lost to a later submission.
    var supersededCount: Int { losers.count }

    /// Superseded records per file name.
    func supersededPerFile() -> [String: Int] {
        var counts: [String: Int] = [:]
        for loser in losers { counts[files[Int(loser.file)], default: 0] += 1 }
        return counts
    }

    /// Every loser in input order with the final winner of its key, built one at a time so a file with
    /// millions of resubmissions never holds them all as records.
    func forEachSuperseded(_ body: (Superseded) -> Void) {
        for loser in losers.sorted(by: { ($0.file, $0.row) < ($1.file, $1.row) }) {
            let winner = winners[Int(loser.slot)]
            var record = winner
            record.source = SourceRef(file: files[Int(loser.file)], row: Int(loser.row), line: Int(loser.line))
            record.submittedAt = Self.unpack(loser.submitted)
            body(Superseded(record: record, winner: winner.source))
        }
    }

    private func loser(_ r: ReturnRecord, slot: Int) -> Loser {
        Loser(slot: Int32(slot), file: Int32(fileOrder[r.source.file] ?? 0), row: Int32(clamping: r.source.row),
              line: Int32(clamping: r.source.line), submitted: Self.pack(r.submittedAt))
    }

    private func position(_ s: SourceRef) -> UInt64 { UInt64(fileOrder[s.file] ?? 0) << 40 | UInt64(clamping: s.row) }

    private func isLater(_ a: ReturnRecord, than b: ReturnRecord) -> Bool {
        if let ta = a.submittedAt, let tb = b.submittedAt, ta != tb { return ta > tb }
        let fa = fileOrder[a.source.file] ?? 0, fb = fileOrder[b.source.file] ?? 0
        if fa != fb { return fa > fb }
        return a.source.row > b.source.row
    }
}
