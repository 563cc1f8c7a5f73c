// The activities as aggregate and trace read them: one at a time, in file order, never the whole file in
// memory (SPEC §7). The stage's activities.csv provides them; so does an array (tests).

/// Activities in file order, handed out one at a time; every call sees the same records.
protocol ActivityStream {
    func forEachActivity(_ body: (ActivityRecord) throws -> Void) throws
}

/// The stage folder's activities.csv, read as it is walked.
struct StageActivities: ActivityStream {
    let path: String

    func forEachActivity(_ body: (ActivityRecord) throws -> Void) throws {
        try StageRecords.forEachActivity(path, body)
    }
}

extension Array: ActivityStream where Element == ActivityRecord {
    func forEachActivity(_ body: (ActivityRecord) throws -> Void) throws {
        for a in self { try body(a) }
    }
}
