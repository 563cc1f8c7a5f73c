// techsurvey-report: aggregates → report.md, news.md, tables/*.csv and manifest.json in OUTPUT (SPEC §4).

import ArgumentParser
import TechSurvey
import TechSurveyCommand

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "techsurvey-report",
        abstract: "Write the report, news text, tables, charts and manifest from the aggregates file.",
        discussion: """
            Reads the aggregates file and ingest.json from the stage folder and writes to the output folder: \
            report.md, report.docx, report.xlsx, news.md, tables/ (by_field.csv, by_period.csv, by_unit_type.csv, \
            by_district.csv, activities_by_kind.csv, activities_by_country.csv, datapackage.json), charts/, \
            rejects.csv, superseded.csv, manifest.json.
            Exit codes: 0 ok, 64 usage, 65 data error, 66 stage files missing, 73/74 cannot write.
            """
    )

    @Option(name: .long, help: "Stage folder written by techsurvey-ingest and techsurvey-aggregate.")
    var stage = "build/stage"

    @Option(name: .long, help: "The aggregates file (default: STAGE/aggregates-all.json, all data).")
    var aggregates: String?

    @Option(name: .long, help: "Output folder.")
    var output = "output"

    @Option(name: .long, help: "Folder where the PNG charts, Word's reference document and pandoc's conversion of the report are kept between runs, found by what they are made from (make: CACHE=, default build/cache). Default: none; they are made every time.")
    var cache: String?

    @Option(name: .customLong("lang"), help: "Language of the report: report.md, news.md, report.xlsx, report.docx, the charts.")
    var language: Language = .vi

    @Flag(name: .long, help: "A period without any record is a data error (exit 65); nothing is published.")
    var strict = false

    @Flag(name: .long, help: "Only finish a publication that a killed run left half done in the output folder (make does this before every run), then exit.")
    var recover = false

    @Flag(name: .long, help: "Only remove the files the report in the output folder published (make clean); other files stay.")
    var removePublished = false

    func validate() throws {
        if recover && removePublished { throw ValidationError("--recover and --remove-published are two separate runs; give one") }
    }

    func run() throws {
        if recover { return try finishInterruptedPublication(outputDirectory: output) }
        if removePublished {
            let count = try removePublishedReport(outputDirectory: output)
            return StandardStreams.say("report: removed \(count) published files from \(output)/")
        }
        let outcome = try runReport(ReportRequest(stage: StageFolder(stage), aggregatesPath: aggregates, outputDirectory: output, language: language, strict: strict, cache: cache.map(ContentCache.init(folder:))))
        for warning in outcome.warnings { StandardStreams.err("techsurvey-report: warning: \(warning)") }
        StandardStreams.say("report: wrote \(outcome.files.count) files to \(output)/")
    }
}

Report.mainWithOneLineErrors(tool: "techsurvey-report")
