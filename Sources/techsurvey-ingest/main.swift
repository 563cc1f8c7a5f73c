// techsurvey-ingest: input files → validated, normalised records in the stage folder (SPEC §3).

import ArgumentParser
import TechSurvey
import TechSurveyCommand

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "techsurvey-ingest",
        abstract: "Read survey returns and activity logs, validate them, and write normalised records.",
        discussion: """
            Reads INPUT/returns/*.csv and *.xlsx, INPUT/activities/*.csv and *.xlsx (and INPUT/aliases.csv when present). \
            Writes returns.bin, activities.csv, rejects.csv, superseded.csv and ingest.json to the stage folder. \
            Every record read ends accepted, rejected (with a reason) or superseded by a resubmission.
            Exit codes: 0 ok, 64 usage, 65 data error, 66 input missing, 73/74 cannot write.
            """
    )

    @Option(name: .long, help: "Folder laid out like input/: returns/, activities/, optional aliases.csv.")
    var input = "input"

    @Option(name: .long, help: "Stage folder to write the normalised records to.")
    var stage = "build/stage"

    @Option(name: .long, help: "Encoding of files without a byte-order mark (also cp1258, utf8, tcvn). Default: UTF-8, or Windows-1258 when a file is not valid UTF-8.")
    var encoding: TextEncoding?

    @Option(name: .long, help: "Field delimiter (also comma, semicolon, pipe). Default: sniffed from each file's header line.")
    var delimiter: FieldDelimiter?

    @Option(name: .long, help: "Decimal mark of budgets: comma (5.132,5) or dot (5,132.5). Default: comma in ';'-delimited and tab-separated files, dot otherwise.")
    var decimal: DecimalMark?

    @Option(name: .long, help: "Folder where workbooks' cells are kept between runs, found by each workbook's content (make: CACHE=, default build/cache). Default: none; the workbook reader runs every time.")
    var cache: String?

    @Flag(name: .long, help: "Fail (exit 65) when any record is rejected.")
    var strict = false

    func run() throws {
        let options = ReadOptions(encoding: encoding, delimiter: delimiter?.byte, decimal: decimal, workbookCache: cache.map(ContentCache.init(folder:)))
        let summary = try runIngest(IngestRequest(inputDirectory: input, stage: StageFolder(stage), readOptions: options, strict: strict))
        StandardStreams.say(summary.runSummary.joined(separator: "\n"))
    }
}

Ingest.mainWithOneLineErrors(tool: "techsurvey-ingest")
