// techsurvey-ingest: input CSVs → validated, normalised records in the stage folder (SPEC §3).

import ArgumentParser
import TechSurvey
import TechSurveyCommand

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "techsurvey-ingest",
        abstract: "Read survey returns and activity logs, validate them, and write normalised records.",
        discussion: """
            Reads INPUT/returns/*.csv and INPUT/activities/*.csv (and INPUT/aliases.csv when present). \
            Writes returns.bin, activities.csv, rejects.csv, superseded.csv and ingest.json to the stage folder. \
            Every record read ends accepted, rejected (with a reason) or superseded by a resubmission.
            Exit codes: 0 ok, 64 usage, 65 data error, 66 input missing, 73/74 cannot write.
            """
    )

    @Option(name: .long, help: "Folder laid out like input/: returns/, activities/, optional aliases.csv.")
    var input = "input"

    @Option(name: .long, help: "Stage folder to write the normalised records to.")
    var stage = "build/stage"

    @Option(name: .long, help: "Encoding of files without a byte-order mark: \(TextEncoding.acceptedNames). Default: UTF-8, or Windows-1258 when the file is not valid UTF-8.")
    var encoding: String?

    @Option(name: .long, help: "Field delimiter: ',', ';', 'tab' or '|'. Default: sniffed from each file's header line.")
    var delimiter: String?

    @Option(name: .long, help: "Decimal mark of budgets: 'comma' (5.132,5) or 'dot' (5,132.5). Default: comma in ';'-delimited and tab-separated files, dot otherwise.")
    var decimal: String?

    @Flag(name: .long, help: "Fail (exit 65) when any record is rejected.")
    var strict = false

    func validate() throws {
        if let encoding, TextEncoding(name: encoding) == nil {
            throw ValidationError("unknown encoding '\(encoding)'; use one of \(TextEncoding.acceptedNames)")
        }
        if let decimal, DecimalMark(name: decimal) == nil {
            throw ValidationError("unknown decimal mark '\(decimal)'; use comma or dot (DECIMAL=comma|dot)")
        }
        if let delimiter, CommandSupport.delimiter(delimiter) == nil {
            throw ValidationError("unknown delimiter '\(delimiter)'; use ',', ';', 'tab' or '|'")
        }
    }

    func run() throws {
        let options = ReadOptions(encoding: encoding.flatMap(TextEncoding.init(name:)), delimiter: delimiter.flatMap(CommandSupport.delimiter),
                                  decimal: decimal.flatMap(DecimalMark.init(name:)))
        let summary = try runIngest(IngestRequest(inputDirectory: input, stage: StageFolder(stage), readOptions: options, strict: strict))
        CommandSupport.say(summary.runSummary.joined(separator: "\n"))
    }
}

Ingest.mainWithOneLineErrors(tool: "techsurvey-ingest")
