// The activities as aggregate and trace read them: one at a time, in file order, never the whole file in
// memory (SPEC §7). The stage's activities.csv provides them (and, in the tests, an array).

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
