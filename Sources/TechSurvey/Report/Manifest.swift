// `manifest.json` (SPEC §4): tool version, period, every input file with its SHA-256, encoding and
// delimiter as detected, and the row account of SPEC §3.4.

/// The provenance record of one report.
struct Manifest: Codable, Sendable, Equatable {
    var toolVersion: String
    var generatedAt: String
    var language: String
    var period: String
    var firstSurveyDate: String?
    var lastSurveyDate: String?
    var files: [FileSummary]
    var rowsRead: Int
    var rowsAccepted: Int
    var rowsRejected: Int
    var rowsSuperseded: Int
    var reconciles: Bool
    var returnsOutOfPeriod: Int
    var activitiesOutOfPeriod: Int
    var outputs: [String]

    enum CodingKeys: String, CodingKey {
        case language, period, files, outputs, reconciles
        case toolVersion = "tool_version"
        case generatedAt = "generated_at"
        case firstSurveyDate = "first_survey_date"
        case lastSurveyDate = "last_survey_date"
        case rowsRead = "rows_read"
        case rowsAccepted = "rows_accepted"
        case rowsRejected = "rows_rejected"
        case rowsSuperseded = "rows_superseded"
        case returnsOutOfPeriod = "returns_out_of_period"
        case activitiesOutOfPeriod = "activities_out_of_period"
    }

    init(summary: IngestSummary, aggregates: Aggregates, language: Language, generatedAt: String, outputs: [String]) {
        let totals = summary.totals
        toolVersion = TechSurveyVersion.current
        self.generatedAt = generatedAt
        self.language = language.rawValue
        period = aggregates.period.description
        firstSurveyDate = aggregates.firstSurveyDate
        lastSurveyDate = aggregates.lastSurveyDate
        files = summary.files
        rowsRead = totals.rowsRead
        rowsAccepted = totals.rowsAccepted
        rowsRejected = totals.rowsRejected
        rowsSuperseded = totals.rowsSuperseded
        reconciles = summary.files.allSatisfy(\.reconciles) && totals.reconciles
        returnsOutOfPeriod = aggregates.returnsOutOfPeriod
        activitiesOutOfPeriod = aggregates.activitiesOutOfPeriod
        self.outputs = outputs
    }
}
