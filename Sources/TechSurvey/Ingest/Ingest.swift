// The ingest stage: reads every file under INPUT/returns and INPUT/activities, validates and normalises
// each record, resolves resubmissions, and writes the stage folder. Every record read ends accepted,
// rejected or superseded, and the account is checked before anything is written.

import Foundation

/// What an ingest run needs.
public struct IngestRequest: Sendable {
    var inputDirectory: String
    var stage: StageFolder
    var readOptions: ReadOptions
    /// SPEC §2 `STRICT=1`: any rejected record fails the run.
    var strict: Bool

    public init(inputDirectory: String, stage: StageFolder, readOptions: ReadOptions = ReadOptions(), strict: Bool = false) {
        self.inputDirectory = inputDirectory
        self.stage = stage
        self.readOptions = readOptions
        self.strict = strict
    }
}

/// One input file: the name rejects and trace show (relative to INPUT), and where its bytes are.
struct InputFile: Sendable {
    var name: String
    var source: ByteSource
    init(name: String, source: ByteSource) {
        self.name = name
        self.source = source
    }
}

/// Every input validated and accounted for; the accepted returns are in the stage file, not yet committed.
struct IngestResult: Sendable {
    var summary: IngestSummary
    var returnsCount: Int { resubmissions.winnerCount }
    /// Accepted activities after resubmissions, in input order.
    var activities: [ActivityRecord]
    /// Activities a later copy replaced, each with the winner's place.
    var supersededActivities: [SupersededActivity]
    var rejects: [Reject]
    /// How many returns lost to a later submission; `writeSuperseded(to:)` lists them (activities too).
    var supersededCount: Int { resubmissions.supersededCount }
    let resubmissions: Resubmissions
    /// The returns stage file as written.
    let staged: StagedReturns

    /// Accepted returns after resubmissions, in input order, read back from the stage file (tests).
    var returns: [ReturnRecord] {
        get throws { try staged.reader().returnRecords() }
    }
}

/// The returns stage file of one ingest run: committed into the stage folder by `runIngest`, or, when the
/// run was given no stage folder (tests), a scratch file removed with the last copy of the result.
final class StagedReturns: @unchecked Sendable {
    // Written on one thread, then read or committed; never used by two threads at once.
    let writer: PackedReturnsFile.Writer
    private let scratch: String?
    private var committed = false

    init(path: String?) throws(TechSurveyError) {
        if let path {
            scratch = nil
            writer = try PackedReturnsFile.Writer(path: path)
        } else {
            let folder = NSTemporaryDirectory() + "/techsurvey-returns-\(UUID().uuidString)"
            scratch = folder
            writer = try PackedReturnsFile.Writer(path: folder + "/returns.bin")
        }
    }

    /// A reader of the file, committed or not; its messages name the published path.
    func reader() throws(TechSurveyError) -> PackedReturnsFile.Reader {
        try PackedReturnsFile.Reader(committed ? writer.path : writer.writtenPath, shownAs: writer.path)
    }

    /// Puts the file on the disk without publishing it.
    func sync() throws(TechSurveyError) { try writer.sync() }

    func commit() throws(TechSurveyError) {
        try writer.commit()
        committed = true
    }

    deinit {
        if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
    }
}

/// Runs the ingest stage and returns its account.
public func runIngest(_ request: IngestRequest) throws -> IngestSummary {
    keepFreedBlocksForReuse()
    let layout = try InputLayout(directory: request.inputDirectory)
    let vocabularies = try layout.aliasesFile.map { try Vocabularies.load(aliasesFile: $0, displayName: "aliases.csv") } ?? Vocabularies()
    let input = { (name: String) in InputFile(name: name, source: .file(layout.directory + "/" + name)) }
    let result = try ingest(
        returnFiles: layout.returnFiles.map(input), activityFiles: layout.activityFiles.map(input),
        vocabularies: vocabularies, options: request.readOptions, returnsPath: request.stage.returns
    )
    let rejects = result.rejects
    if result.returnsCount == 0 || (request.strict && !rejects.isEmpty) {
        let failed = request.stage.failedRunRejects
        try AtomicFile.write(StageRecords.rejectsCSV(rejects, neutralise: true), to: failed)
        let first = rejects.first.map { " (first: \($0.source.file) row \($0.source.row): \($0.reason.rawValue), \($0.detail))" } ?? ""
        if result.returnsCount == 0 {
            // Returns only: accepted activities do not make a survey record, and must not be counted as rejected.
            let returnsRead = result.summary.files.filter { $0.kind == "returns" }.reduce(0) { $0 + $1.rowsRead }
            let firstReturn = rejects.first { $0.source.file.hasPrefix("returns/") }
                .map { " (first: \($0.source.file) row \($0.source.row): \($0.reason.rawValue), \($0.detail))" } ?? ""
            throw TechSurveyError(.data, "no usable survey record: all \(returnsRead) records were rejected\(firstReturn); every reason is in \(failed)")
        }
        throw TechSurveyError(.data, "STRICT=1 and \(rejects.count) record(s) were rejected\(first); fix them or run without STRICT=1; every reason is in \(failed)")
    }
    try AtomicFile.write(StageRecords.rejectsCSV(rejects, neutralise: true), to: request.stage.rejects)
    // returns.bin's fsync waits on the disk while superseded.csv is read out of it on the cores (one
    // after the other, they were 0.8 s and 0.6 s at 1 GB of input); both are renamed into place only once
    // both are whole on the disk, so a failure in either publishes neither.
    let staged = result.staged
    var superseded: AtomicFile.Stream?
    try concurrently({
        let file = try result.writeSupersededUncommitted(to: request.stage.superseded)
        try file.sync()
        superseded = file
    }, { try staged.sync() })
    try staged.commit()
    try superseded?.commit()
    try AtomicFile.write(StageRecords.activitiesCSV(result.activities), to: request.stage.activities)
    try JSONFile.write(result.summary, to: request.stage.ingestSummary)
    return result.summary
}

/// Reads and validates every file, resolves resubmissions, and checks the account of every file. Accepted
/// returns are appended to the stage file at `returnsPath` (uncommitted; a scratch file when nil) as they are
/// validated.
func ingest(returnFiles: [InputFile], activityFiles: [InputFile], vocabularies: Vocabularies, options: ReadOptions,
            chunkSize: Int = 1 << 20, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
            returnsPath: String? = nil) throws -> IngestResult {
    var summaries: [FileSummary] = []
    var rejects: [Reject] = []
    var strings = ByteInterner()
    var resubmissions = Resubmissions()
    let staged = try StagedReturns(path: returnsPath)
    let writer = staged.writer
    let returns = ReturnInput(vocabularies: vocabularies)
    for file in returnFiles {
        var rank: Int32 = 0
        summaries.append(try readInput(
            file, kind: returns, options: options, chunkSize: chunkSize, threads: threads, strings: &strings,
            startSource: { rank = resubmissions.addFile($0) },
            accept: { batch in
                try resubmissions.add(batch)
                for i in batch.indices { try writer.append(batch[i], file: rank) }
            }, reject: { rejects.append($0) }
        ))
    }
    try writer.finish(strings: strings, files: resubmissions.files, losers: resubmissions.losers)

    var activities: [ActivityRecord] = []
    let activityInput = ActivityInput(vocabularies: vocabularies, decimal: options.decimal)
    for file in activityFiles {
        summaries.append(try readInput(
            file, kind: activityInput, options: options, chunkSize: chunkSize, threads: threads, strings: &strings,
            startSource: { _ in }, accept: { activities.append(contentsOf: $0) }, reject: { rejects.append($0) }
        ))
    }
    let activityResubmissions = ActivityResubmissions(activities)

    var supersededPerFile = resubmissions.supersededPerFile()
    for (file, n) in activityResubmissions.supersededPerFile() { supersededPerFile[file, default: 0] += n }
    for i in summaries.indices { applySuperseded(supersededPerFile, to: &summaries[i]) }
    if let broken = summaries.first(where: { !$0.reconciles }) {
        throw TechSurveyError(.data, "internal accounting error in \(broken.file): read \(broken.rowsRead), accepted \(broken.rowsAccepted), rejected \(broken.rowsRejected), superseded \(broken.rowsSuperseded); please report this with the file")
    }
    return IngestResult(summary: IngestSummary(files: summaries), activities: activityResubmissions.winners,
                        supersededActivities: activityResubmissions.losers, rejects: rejects, resubmissions: resubmissions, staged: staged)
}

/// Moves superseded counts into a workbook's sheets and totals; `superseded` is keyed by source name.
func applySuperseded(_ superseded: [String: Int], to summary: inout FileSummary) {
    guard var sheets = summary.sheets else {
        summary.supersede(superseded[summary.file] ?? 0)
        return
    }
    for i in sheets.indices where sheets[i].read {
        let n = superseded[sheetSourceName(file: summary.file, sheet: sheets[i].name)] ?? 0
        sheets[i].supersede(n)
        summary.supersede(n)
    }
    summary.sheets = sheets
}

/// The column map of a header record. A missing required column fails the file, naming the closest
/// unmatched column; an ignored column that looks like a known one gets a warning.
func columnMap<Column: CanonicalColumn>(header record: CSVRecord, matcher: LabelMatcher<Column>, file: String, summary: inout FileSummary) throws -> ColumnMap<Column> {
    let header = (0..<record.count).map { record.text($0) ?? "" }
    let columns = ColumnMap(header: header, matcher: matcher)
    if let missing = columns.missingRequired.first {
        // The header is file content: only the cell at fault is quoted (cut), and only when it is close to
        // the missing name, so a file that is no survey at all (a link to a system file) is never echoed.
        let target = TextFold.key(missing.rawValue)
        let near = columns.extraColumns
            .map { (cell: $0, distance: TextFold.distance(TextFold.key($0), target)) }
            .filter { $0.distance <= max(2, target.count / 3) }
            .min { $0.distance < $1.distance }?.cell
        let hint = near.map { "; closest unmatched column: \(quotedCell($0, limit: 40)) (add it to aliases.csv as column,<its name>,\(missing.rawValue) if it is the same)" } ?? ""
        let names = columns.missingRequired.map(\.rawValue).joined(separator: ", ")
        let known = Column.allCases.filter { columns[$0] != nil }.map(\.rawValue)
        let has = "the header row has \(header.count) column(s)" + (known.isEmpty ? ", none of them a known column" : ", known: \(known.joined(separator: ", "))")
        throw TechSurveyError(.data, "\(file): required column \(names) is missing; \(has)\(hint); the row with the column names must be one of the first \(titleRowLimit) (rows above it are a title block; see README, Input)")
    }
    summary.extraColumns = columns.extraColumns
    for extra in columns.extraColumns {
        guard let near = matcher.nearest(to: extra), columns[near] == nil else { continue }
        summary.warnings.append("column \(quotedCell(extra)) is ignored; did you mean \(near.rawValue)? Rename it, or add it to aliases.csv as column,\(extra),\(near.rawValue)")
    }
    return columns
}
