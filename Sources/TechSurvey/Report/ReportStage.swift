// The report stage: renders aggregates into OUTPUT — tables/*.csv with datapackage.json, report.md,
// report.xlsx, news.md, manifest.json, and the published copies of rejects.csv and superseded.csv.

import Foundation

/// What a report run needs.
public struct ReportRequest: Sendable {
    var stage: StageFolder
    var aggregatesPath: String
    var outputDirectory: String
    var language: Language
    /// The generation time printed in the report; nil means now (SOURCE_DATE_EPOCH is honoured).
    var generatedAt: Date?
    /// STRICT=1: a period without any record is a data error (exit 65), and nothing is published.
    var strict: Bool
    /// Where Word's reference document is kept between runs; nil makes it every time.
    var cache: ContentCache?

    public init(stage: StageFolder, aggregatesPath: String? = nil, outputDirectory: String, language: Language, generatedAt: Date? = nil, strict: Bool = false,
                cache: ContentCache? = nil) {
        self.strict = strict
        self.cache = cache
        self.stage = stage
        self.aggregatesPath = aggregatesPath ?? stage.aggregates(.all)
        self.outputDirectory = outputDirectory
        self.language = language
        self.generatedAt = generatedAt
    }
}

/// The tables the report publishes, in order; rows listed by name (unit types, districts, countries) in
/// Vietnamese alphabetical order of their label in `language`.
func publishedTables(_ a: Aggregates, _ language: Language) -> [PublishedTable] {
    [PublishedTable(.byField, survey: a.byField)] + [comparisonTable(a)].compactMap { $0 } + [
        PublishedTable(.byPeriod, survey: a.byPeriod),
        PublishedTable(.byUnitType, survey: inNameOrder(a.byUnitType, language)),
        PublishedTable(.byDistrict, survey: inNameOrder(a.byDistrict, language)),
        PublishedTable(.activitiesByKind, activity: a.activitiesByKind),
        PublishedTable(.activitiesByCountry, activity: inNameOrder(a.activitiesByCountry, language)),
    ]
}

/// Rows in Vietnamese order of their label; "other", "unknown" and the total keep their places at the end.
private func namedOrder(_ keys: [String], totals: [Bool], column: String, _ language: Language) -> [Int] {
    let last: Set<String> = column == "unit_type" ? [unknownGroupKey, UnitType.other.rawValue] : [unknownGroupKey]
    let isLast = { (i: Int) in totals[i] || last.contains(keys[i]) }
    let named = keys.indices.filter { !isLast($0) }
    return VietnameseOrder.sorted(named) { language.keyLabel(keys[$0], column: column) } + keys.indices.filter(isLast)
}

func inNameOrder(_ table: SurveyTable, _ language: Language) -> SurveyTable {
    guard let column = table.keyColumns.first else { return table }
    var out = table
    out.rows = namedOrder(table.rows.map { $0.keys.first ?? "" }, totals: table.rows.map(\.isTotal), column: column, language).map { table.rows[$0] }
    return out
}

func inNameOrder(_ table: ActivityTable, _ language: Language) -> ActivityTable {
    guard let column = table.keyColumns.first else { return table }
    var out = table
    out.rows = namedOrder(table.rows.map { $0.keys.first ?? "" }, totals: table.rows.map(\.isTotal), column: column, language).map { table.rows[$0] }
    return out
}

/// What a report run wrote, and what the analyst should be told on stderr.
public struct ReportOutcome: Sendable {
    /// Paths relative to the output folder.
    public var files: [String]
    public var warnings: [String]
}

/// Writes every output file. Holds the output folder's lock throughout, and publishes all files together
/// only once every one of them is written.
@discardableResult
public func runReport(_ request: ReportRequest) throws -> ReportOutcome {
    let aggregates = try JSONFile.read(Aggregates.self, from: request.aggregatesPath)
    var warnings: [String] = []
    if let empty = emptyPeriodWarning(aggregates) {
        if request.strict { throw TechSurveyError(.data, empty + "; STRICT=1 stops here and leaves the published report as it was") }
        warnings.append(empty)
    }
    let summary = try JSONFile.read(IngestSummary.self, from: request.stage.ingestSummary)
    let language = request.language
    let generatedDate = request.generatedAt ?? sourceDateEpoch() ?? Date()
    let generatedAt = timestamp(generatedDate)
    let periodLabel = describePeriod(aggregates, language)
    let printedTime = language.printedTime(generatedDate)
    let tables = publishedTables(aggregates, language)
    let charts = reportCharts(aggregates, language: language)

    let lock = try OutputLock(directory: request.outputDirectory)
    defer { withExtendedLifetime(lock) {} }
    var publisher = try OutputPublisher(directory: request.outputDirectory)
    // The kept tools run while this stage does its own work: the PNG charts and Word's reference document
    // from the start, then pandoc once the PNGs are there. Every job is waited for before the staging
    // folder can go.
    var jobs: [ToolJob<Void>] = []
    do {
        let scratchFolder = try publisher.scratchPath("")
        let reference = scratchFolder + "reference.docx"
        let cache = request.cache
        let word = WordDocument(cache: cache)
        let referenceJob = ToolJob { try word.writeReference(to: reference) }
        jobs.append(referenceJob)
        // Ingest wrote these two in their published form. They can run to millions of rows (630 MB of
        // superseded.csv at 1 GB of resubmitted returns, 1.9 s to copy and sync after ingest): the kernel
        // copies them, and syncs them, on their own threads from the start. A copy, not a second name for
        // the stage file: an edit of the published list in place would reach the stage and every other
        // output folder (AtomicFileTests.aCopiedStageFileIsAFileOfItsOwn).
        let evidence = [(request.stage.rejects, "rejects.csv"), (request.stage.superseded, "superseded.csv")].map { source, name in
            let target = publisher.stagedPath(name)
            return (name: name, job: ToolJob { try AtomicFile.copyFile(source, to: target) })
        }
        jobs += evidence.map(\.job)
        // The text documents pass the control-character filter whole, behind the escapers of each piece:
        // nothing invisible or reordering reaches a reader whatever path a text took in.
        let images = ChartImages(cache: cache)
        var pngJobs: [(name: String, job: ToolJob<Void>)] = []
        for chart in charts {
            let svg = ControlCharacters.removed(chart.svg, keepingLayout: true)
            try publisher.write(svg, to: "charts/\(chart.name).svg")
            let name = "charts/\(chart.name).png"
            let svgPath = publisher.stagedPath("charts/\(chart.name).svg"), png = publisher.stagedPath(name)
            let job = ToolJob<Void> { try images.render(svg: svgPath, content: svg, to: png, name: name) }
            jobs.append(job)
            pngJobs.append((name, job))
        }
        // Word's text is the same with the PNG charts, made with the time WordDocument asks for, on the
        // Word document's own thread: it starts once the PNGs and the reference document are there, while
        // this one writes report.md and everything else.
        let wordText = { @Sendable (time: String) in
            ControlCharacters.removed(reportDocument(tables: tables, charts: charts, aggregates: aggregates, summary: summary, language: language,
                                                     periodLabel: periodLabel, generatedAt: time, chartExtension: "png"), keepingLayout: true)
        }
        let resources = publisher.stagedPath(""), docx = publisher.stagedPath("report.docx")
        let pngs = pngJobs.map { publisher.stagedPath($0.name) }, drawn = pngJobs.map(\.job)
        let wordJob = ToolJob {
            try referenceJob.wait()
            for png in drawn { try png.wait() }
            try word.write(text: wordText, time: printedTime, created: generatedDate, images: pngs, resources: resources, reference: reference,
                           scratch: scratchFolder, to: docx)
        }
        jobs.append(wordJob)
        let report = reportDocument(tables: tables, charts: charts, aggregates: aggregates, summary: summary, language: language, periodLabel: periodLabel, generatedAt: printedTime)
        for (name, job) in pngJobs { try publisher.produce(name) { _ in try job.wait() } }

        for table in tables { try publisher.write(table.csv(), to: "tables/\(table.name).csv") }
        // The workbook and the data package (SPEC §4.2, §4.4), from the same tables as the CSVs.
        try publisher.write(JSONFile.encode(dataPackage(tables: tables, language: language, period: aggregates.period, generatedAt: generatedAt)), to: "tables/datapackage.json")
        let workbook = reportWorkbook(tables: tables, aggregates: aggregates, summary: summary, language: language, periodLabel: periodLabel, generatedAt: printedTime, created: generatedDate)
        try publisher.produce("report.xlsx") { path in try WorkbookWriter.write(workbook, to: path) }
        try publisher.write(ControlCharacters.removed(report, keepingLayout: true), to: "report.md")
        try publisher.write(ControlCharacters.removed(newsText(aggregates, language: language, periodLabel: describeNewsPeriod(aggregates, language)), keepingLayout: true), to: "news.md")
        for (name, job) in evidence { try publisher.produce(name) { _ in try job.wait() } }
        try publisher.produce("report.docx") { _ in try wordJob.wait() }
        let names = publisher.stagedNames + ["manifest.json"]
        let manifest = Manifest(summary: summary, aggregates: aggregates, language: language, generatedAt: generatedAt, outputs: names)
        try publisher.write(JSONFile.encode(manifest), to: "manifest.json")
        pauseForTests()
        // A file the previous report wrote and this one does not (comparison.csv after a PERIOD=quarter
        // run) would contradict the new report: it is removed in the same step.
        let stale = OutputPublisher.publishedNames(request.outputDirectory).subtracting(names)
        try publisher.publish(removing: stale.sorted())
        return ReportOutcome(files: names, warnings: warnings)
    } catch {
        for job in jobs { _ = try? job.wait() }
        publisher.discard()
        throw error
    }
}

/// The warning for a period without a single return or activity: the report says so in one sentence.
func emptyPeriodWarning(_ a: Aggregates) -> String? {
    let visits = a.byField.rows.last?.measures.unitVisits ?? 0
    let activities = a.activitiesByKind.rows.last?.measures.activities ?? 0
    guard visits == 0 && activities == 0 else { return nil }
    let period = a.period.isAll ? "the input" : "PERIOD=\(a.period.text)"
    return "no return and no activity falls in \(period) (\(a.returnsOutOfPeriod) returns and \(a.activitiesOutOfPeriod) activities lie outside it); the report says so in one sentence; check PERIOD"
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

/// The period as the report's header prints it: the period asked for with its calendar dates, or for all
/// data the span of every dated record counted, returns and activities (SPEC §4.5).
func describePeriod(_ a: Aggregates, _ language: Language) -> String {
    let vi = language == .vi
    if let name = language.periodName(a.period), let first = a.period.first.flatMap(quarterDays), let last = a.period.last.flatMap(quarterDays) {
        return "\(name) (\(language.dateSpan(first.first, last.last)))"
    }
    guard let span = recordSpan(a) else { return vi ? "toàn bộ dữ liệu (chưa có bản ghi nào)" : "all data (no records)" }
    return (vi ? "toàn bộ dữ liệu, " : "all data, ") + language.dateSpan(span.first, span.last)
}

/// The period as news.md prints it. In English no day number stands alone (numbers under ten are words in
/// news), so all data is named by its first and last month, which still hold every record counted.
func describeNewsPeriod(_ a: Aggregates, _ language: Language) -> String {
    guard language == .en else { return describePeriod(a, language) }
    if let name = language.periodName(a.period) { return name }
    guard let span = recordSpan(a) else { return "all data (no records)" }
    return "all data, \(language.printedMonth(span.first)) to \(language.printedMonth(span.last))"
}

/// The first and last date of every record counted, returns and activities.
func recordSpan(_ a: Aggregates) -> (first: CalendarDate, last: CalendarDate)? {
    let firsts = [a.firstSurveyDate, a.firstActivityDate].compactMap { $0.flatMap(CalendarDate.init(parsing:)) }
    let lasts = [a.lastSurveyDate, a.lastActivityDate].compactMap { $0.flatMap(CalendarDate.init(parsing:)) }
    guard let first = firsts.min(), let last = lasts.max() else { return nil }
    return (first, last)
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
