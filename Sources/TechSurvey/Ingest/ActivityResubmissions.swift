// Resolves resubmissions of activities (SPEC §3.4, like returns): an activity log copied into a second file,
// or re-exported with corrections, must not count twice. Records with the same activity_id — or, without an
// id, the same date, kind, title and partner, compared as labels are (folded, invisible characters gone) —
// are one activity. Activities carry no submission time, so the later file wins, then the later row.

/// An activity that lost to a later copy, and where the winner stands.
public struct SupersededActivity: Hashable, Sendable {
    public var record: ActivityRecord
    public var winner: SourceRef
}

/// The winners and losers of a run's activities.
struct ActivityResubmissions {
    /// Winners in input order.
    let winners: [ActivityRecord]
    /// Losers in input order, each naming its final winner.
    let losers: [SupersededActivity]

    /// Resolves `records`, given in input order (file rank, then row).
    init(_ records: [ActivityRecord]) {
        var winnerOf: [ActivityKey: Int] = [:]
        var lost = [Bool](repeating: false, count: records.count)
        var loserKeys: [(index: Int, key: ActivityKey)] = []
        for (i, record) in records.enumerated() {
            let key = ActivityKey(record)
            if let previous = winnerOf[key] {
                lost[previous] = true
                loserKeys.append((previous, key))
            }
            winnerOf[key] = i
        }
        winners = records.indices.filter { !lost[$0] }.map { records[$0] }
        losers = loserKeys
            .sorted { $0.index < $1.index }
            .compactMap { loser in winnerOf[loser.key].map { SupersededActivity(record: records[loser.index], winner: records[$0].source) } }
    }

    /// Superseded activities per file name.
    func supersededPerFile() -> [String: Int] {
        var counts: [String: Int] = [:]
        for loser in losers { counts[loser.record.source.file, default: 0] += 1 }
        return counts
    }
}

/// The identity of an activity.
enum ActivityKey: Hashable {
    case id(String)
    case content(date: CalendarDate, kind: ActivityKind, title: String, partner: String)

    init(_ record: ActivityRecord) {
        let id = canonicalUnitID(record.activityID)
        if !id.isEmpty {
            self = .id(id)
        } else {
            self = .content(date: record.date, kind: record.kind, title: TextFold.key(record.title), partner: TextFold.key(record.partner))
        }
    }
}
