// Resolves resubmissions (SPEC §3.4): records with the same (unit_id, survey_date, field) are one return;
// the latest submitted_at wins, else the later file, else the later row.

/// Collects accepted returns and keeps one winner per key, remembering what each winner replaced.
struct Resubmissions {
    private(set) var records: [ReturnRecord] = []
    private var live: [Bool] = []
    private var winnerByKey: [ReturnKey: Int] = [:]
    private(set) var superseded: [Superseded] = []

    /// `fileOrder` ranks files so "the later file" is well defined (their sorted order).
    let fileOrder: [String: Int]

    init(fileOrder: [String: Int]) { self.fileOrder = fileOrder }

    mutating func add(_ record: ReturnRecord) {
        let index = records.count
        records.append(record)
        live.append(true)
        guard let current = winnerByKey[record.key] else {
            winnerByKey[record.key] = index
            return
        }
        if isLater(record, than: records[current]) {
            live[current] = false
            winnerByKey[record.key] = index
        } else {
            live[index] = false
        }
    }

    /// The winners in input order, and every loser with the final winner of its key.
    func resolved() -> (winners: [ReturnRecord], superseded: [Superseded]) {
        var winners: [ReturnRecord] = []
        var losers: [Superseded] = []
        for (index, record) in records.enumerated() {
            if live[index] {
                winners.append(record)
            } else if let winner = winnerByKey[record.key] {
                losers.append(Superseded(record: record, winner: records[winner].source))
            }
        }
        return (winners, losers)
    }

    private func isLater(_ a: ReturnRecord, than b: ReturnRecord) -> Bool {
        if let ta = a.submittedAt, let tb = b.submittedAt, ta != tb { return ta > tb }
        let fa = fileOrder[a.source.file] ?? 0, fb = fileOrder[b.source.file] ?? 0
        if fa != fb { return fa > fb }
        return a.source.row > b.source.row
    }
}
