// The files the stages hand to each other, so each stage can be run and tested alone. Each is plain CSV or
// JSON an analyst can open, except the returns: millions of rows read back faster as binary, and
// `techsurvey-stage returns` prints them as CSV.

/// Paths inside one stage folder.
public struct StageFolder: Sendable {
    let path: String
    public init(_ path: String) { self.path = path }

    /// Accepted returns after resubmissions, one per unit-visit, as `PackedReturnsFile` writes them.
    var returns: String { path + "/returns.bin" }
    /// Accepted activities.
    var activities: String { path + "/activities.csv" }
    var rejects: String { path + "/rejects.csv" }
    /// The rejects of a run that failed (no usable record, or STRICT): not a make target, so make's
    /// clean-up of a failed stage leaves it for the analyst to read.
    var failedRunRejects: String { path + "/rejects-of-failed-run.csv" }
    var superseded: String { path + "/superseded.csv" }
    /// `IngestSummary` as JSON.
    var ingestSummary: String { path + "/ingest.json" }
    /// The aggregates file of `period`: `Aggregates` as JSON, `aggregates-all.json` for all data (one per
    /// period, so reports of several periods share one stage folder; scripts/stages.mk names it alike).
    func aggregates(_ period: Period) -> String {
        path + "/aggregates-" + (period.isAll ? "all" : period.text.replacingOccurrences(of: ".", with: "_")) + ".json"
    }
}
