// The report stage: renders aggregates into OUTPUT — tables/*.csv with datapackage.json, report.md,
// report.xlsx, news.md, manifest.json, and the published copies of rejects.csv and superseded.csv.

import Foundation

/// What a report run needs.
public struct ReportRequest: Sendable {
    public var stage: StageFolder
    public var aggregatesPath: String
    public var outputDirectory: String
    public var language: Language
    /// The generation time printed in the report; nil means now (SOURCE_DATE_EPOCH is honoured).
    public var generatedAt: Date?

    public init(stage: StageFolder, aggregatesPath: String? = nil, outputDirectory: String, language: Language, generatedAt: Date? = nil) {
        self.stage = stage
        self.aggregatesPath = aggregatesPath ?? stage.aggregates
        self.outputDirectory = outputDirectory
        self.language = language
        self.generatedAt = generatedAt
    }
}

/// The tables the report publishes, in order.
func publishedTables(_ a: Aggregates) -> [PublishedTable] {
    [PublishedTable(name: "by_field", survey: a.byField)] + [comparisonTable(a)].compactMap { $0 } + [
        PublishedTable(name: "by_period", survey: a.byPeriod),
        PublishedTable(name: "by_unit_type", survey: a.byUnitType),
        PublishedTable(name: "by_district", survey: a.byDistrict),
        PublishedTable(name: "activities_by_kind", activity: a.activitiesByKind),
        PublishedTable(name: "activities_by_country", activity: a.activitiesByCountry),
    ]
}

/// Writes every output file; returns their paths relative to the output folder. Holds the output folder's
/// lock throughout, and publishes all files together only once every one of them is written.
@discardableResult
public func runReport(_ request: ReportRequest) throws -> [String] {
    let aggregates = try JSONFile.read(Aggregates.self, from: request.aggregatesPath)
    let summary = try JSONFile.read(IngestSummary.self, from: request.stage.ingestSummary)
    let language = request.language
    let generatedDate = request.generatedAt ?? sourceDateEpoch() ?? Date()
    let generatedAt = timestamp(generatedDate)
    let periodLabel = describePeriod(aggregates, language)
    let tables = publishedTables(aggregates)
    let charts = reportCharts(aggregates, language: language)

    let lock = try OutputLock(directory: request.outputDirectory)
    defer { withExtendedLifetime(lock) {} }
    var publisher = try OutputPublisher(directory: request.outputDirectory)
    do {
        for table in tables { try publisher.write(table.csv(), to: "tables/\(table.name).csv") }
        // The text documents pass the control-character filter whole, behind the escapers of each piece:
        // nothing invisible or reordering reaches a reader whatever path a text took in.
        for chart in charts { try publisher.write(ControlCharacters.removed(chart.svg, keepingLayout: true), to: "charts/\(chart.name).svg") }
        // The workbook and the data package (SPEC §4.2, §4.4), from the same tables as the CSVs.
        try publisher.write(JSONFile.encode(dataPackage(tables: tables, language: language, period: aggregates.period, generatedAt: generatedAt)), to: "tables/datapackage.json")
        let workbook = reportWorkbook(tables: tables, aggregates: aggregates, summary: summary, language: language, periodLabel: periodLabel, generatedAt: generatedAt, created: generatedDate)
        try publisher.produce("report.xlsx") { path in try WorkbookWriter.write(workbook, to: path) }
        let report = reportDocument(tables: tables, charts: charts, aggregates: aggregates, summary: summary, language: language, periodLabel: periodLabel, generatedAt: generatedAt)
        try publisher.write(ControlCharacters.removed(report, keepingLayout: true), to: "report.md")
        try publisher.write(ControlCharacters.removed(newsText(aggregates, language: language, periodLabel: periodLabel), keepingLayout: true), to: "news.md")
        // Ingest wrote these in their published form; they can run to millions of rows, so they are copied.
        try publisher.copy(request.stage.rejects, to: "rejects.csv")
        try publisher.copy(request.stage.superseded, to: "superseded.csv")
        let names = publisher.stagedNames + ["manifest.json"]
        let manifest = Manifest(summary: summary, aggregates: aggregates, language: language, generatedAt: generatedAt, outputs: names)
        try publisher.write(JSONFile.encode(manifest), to: "manifest.json")
        pauseForTests()
        // A file the previous report wrote and this one does not (comparison.csv after a PERIOD=quarter
        // run) would contradict the new report: it is removed in the same step.
        let stale = OutputPublisher.publishedNames(request.outputDirectory).subtracting(names)
        try publisher.publish(removing: stale.sorted())
        return names
    } catch {
        publisher.discard()
        throw error
    }
}

/// Finishes a publication a killed run left half done in `directory`, under the output lock; make runs
/// this before anything else, so a run that fails early never leaves a half-published report.
public func finishInterruptedPublication(outputDirectory: String) throws {
    let lock = try OutputLock(directory: outputDirectory)
    defer { withExtendedLifetime(lock) {} }
    try OutputPublisher.finishInterrupted(outputDirectory)
}

/// Removes the files the report in `directory` published (make clean); everything else stays.
@discardableResult
public func removePublishedReport(outputDirectory: String) throws -> Int {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: outputDirectory, isDirectory: &isDirectory), isDirectory.boolValue else { return 0 }
    let lock = try OutputLock(directory: outputDirectory)
    defer { withExtendedLifetime(lock) {} }
    return try OutputPublisher.unpublish(outputDirectory)
}

/// Lets a test kill the report while every file is written but none is published yet.
private func pauseForTests() {
    guard let text = ProcessInfo.processInfo.environment["TECHSURVEY_TEST_PAUSE_BEFORE_PUBLISH_MS"], let ms = UInt32(text) else { return }
    usleep(ms * 1000)
}

/// "all data (02/01/2013 – 28/12/2015)" or the period as written, in `language`.
func describePeriod(_ a: Aggregates, _ language: Language) -> String {
    let vi = language == .vi
    let span: String
    if let first = a.firstSurveyDate, let last = a.lastSurveyDate {
        span = "\(language.date(first)) – \(language.date(last))"
    } else {
        span = vi ? "không có lượt khảo sát" : "no unit-visits"
    }
    if a.period.isAll { return (vi ? "toàn bộ dữ liệu" : "all data") + " (\(span))" }
    return "\(a.period.text) (\(span))"
}

private func sourceDateEpoch() -> Date? {
    guard let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = TimeInterval(text) else { return nil }
    return Date(timeIntervalSince1970: seconds)
}

/// ISO 8601 in Vietnam's time zone, where the reports are read.
private func timestamp(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)
    formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
    return formatter.string(from: date)
}
