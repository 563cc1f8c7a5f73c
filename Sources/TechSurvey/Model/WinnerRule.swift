// Which of two records of one return wins (SPEC §3.4): the latest submitted_at, else the later file, else
// the later row; a record without submitted_at ranks below every record with one. One total order, so the
// winner does not depend on the order rows or files arrive in.

/// A record's claim to be its return's winner.
struct WinnerClaim: Sendable, Equatable {
    /// `SubmissionTime.packed`; -1 (no submitted_at) is below every time.
    var submitted: Int64
    /// The record's place in the input: larger for a later file, and within a file for a later row.
    var place: UInt64
}

enum WinnerRule {
    /// Whether `a` beats `b`.
    static func beats(_ a: WinnerClaim, _ b: WinnerClaim) -> Bool {
        if a.submitted != b.submitted { return a.submitted > b.submitted }
        return a.place > b.place
    }
}
