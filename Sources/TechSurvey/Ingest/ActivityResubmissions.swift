// Resolves resubmissions of activities (SPEC §3.4, like returns): an activity log copied into a second file,
// or re-exported with corrections, must not count twice. Records with the same activity_id — or, without an
// id, the same date, kind, title and partner, compared as labels are (folded, invisible characters gone) —
// are one activity, and a record without an id is also a copy of a record with one of the same content (a
// log exported once with and once without the id column). Activities carry no submission time, so the
// later file wins, then the later row.

/// An activity that lost to a later copy, and where the winner stands.
struct SupersededActivity: Hashable, Sendable {
    var record: ActivityRecord
    var winner: SourceRef
}

/// The winners and losers of a run's activities.
struct ActivityResubmissions {
    /// Winners in input order.
    let winners: [ActivityRecord]
    /// Losers in input order, each naming its final winner.
    let losers: [SupersededActivity]

    /// Resolves `records`, given in input order (file rank, then row): that order ranks the copies of one
    /// activity (the last wins), so the result depends on the records and their places, never on the order
    /// the records are looked at.
    ///
    /// Records with an id are one activity per id. A record without one (a copy exported without the id
    /// column) is the activity with its content (date, kind, title, partner) among the records with an id;
    /// when several ids share that content, the one whose latest record ranks last; and when none has it,
    /// one activity with the other id-less records of that content.
    init(_ records: [ActivityRecord]) {
        enum Group: Hashable { case id(String), content(ActivityKey) }
        let ids = records.map { canonicalUnitID($0.activityID) }
        let contents = records.map { ActivityKey.content(of: $0) }
        // The latest record of each id, and the ids of each content.
        var latestOfID: [String: Int] = [:]
        var idOfContent: [ActivityKey: String] = [:]
        for i in records.indices where !ids[i].isEmpty {
            latestOfID[ids[i]] = max(latestOfID[ids[i]] ?? i, i)
        }
        for i in records.indices where !ids[i].isEmpty {
            let id = ids[i]
            if let other = idOfContent[contents[i]], other != id, let o = latestOfID[other], let mine = latestOfID[id], o > mine { continue }
            idOfContent[contents[i]] = id
        }
        let groups = records.indices.map { i -> Group in
            if !ids[i].isEmpty { return .id(ids[i]) }
            return idOfContent[contents[i]].map { .id($0) } ?? .content(contents[i])
        }
        var winnerOf: [Group: Int] = [:]
        for i in records.indices { winnerOf[groups[i]] = max(winnerOf[groups[i]] ?? i, i) }
        winners = records.indices.filter { winnerOf[groups[$0]] == $0 }.map { records[$0] }
        losers = records.indices.compactMap { i in
            guard let w = winnerOf[groups[i]], w != i else { return nil }
            return SupersededActivity(record: records[i], winner: records[w].source)
        }
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
        self = id.isEmpty ? Self.content(of: record) : .id(id)
    }

    /// The content identity, which a record without an id is matched by (labels folded as labels are).
    static func content(of record: ActivityRecord) -> ActivityKey {
        .content(date: record.date, kind: record.kind, title: TextFold.key(record.title), partner: TextFold.key(record.partner))
    }
}
