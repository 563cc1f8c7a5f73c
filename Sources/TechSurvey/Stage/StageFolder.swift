// The files the stages hand to each other. Each is plain CSV or JSON so an analyst can open it, and each
// stage can be run and tested alone.

/// Paths inside one stage folder.
public struct StageFolder: Sendable {
    public let path: String
    public init(_ path: String) { self.path = path }

    /// Accepted returns after resubmissions, canonical columns, one per unit-visit.
    public var returns: String { path + "/returns.csv" }
    /// Accepted activities.
    public var activities: String { path + "/activities.csv" }
    public var rejects: String { path + "/rejects.csv" }
    /// The rejects of a run that failed (no usable record, or STRICT): not a make target, so make's
    /// clean-up of a failed stage leaves it for the analyst to read.
    public var failedRunRejects: String { path + "/rejects-of-failed-run.csv" }
    public var superseded: String { path + "/superseded.csv" }
    /// `IngestSummary` as JSON.
    public var ingestSummary: String { path + "/ingest.json" }
    /// `Aggregates` as JSON.
    public var aggregates: String { path + "/aggregates.json" }
}
