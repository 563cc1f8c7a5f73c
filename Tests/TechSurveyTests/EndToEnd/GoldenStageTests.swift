// Golden stage folders, one runner for every stage: Tests/Fixtures/<stage>/<case>/ holds `cmd` (make's
// variables for the run, one `NAME=value` a line, `#` comments), the input (`INPUT=input`, the case's own
// folder, `INPUT=bundled` for input/, or a path relative to the case) and `expected/`, the stage's files as
// text. The built executables run the stages up to <stage> the way make does, and every expected file is
// compared whole; a file the stage writes that `expected/` lacks is a failure too.
//   ingest     `techsurvey-stage returns` (returns.csv), rejects.csv, superseded.csv, activities.csv, ingest.json
//   aggregate  the aggregates file (aggregates-<period>.json)
//   report     report.md and news.md (the time fixed by SOURCE_DATE_EPOCH)
// After an intended change, rewrite the expected files with TECHSURVEY_UPDATE_GOLDEN=1 and read the diff.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct GoldenStageTests {
    static func cases(_ stage: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: TestPaths.fixtures + "/" + stage)) ?? []).sorted()
    }

    @Test(arguments: cases("ingest")) func ingest(_ name: String) throws { try check("ingest", name) }
    @Test(arguments: cases("aggregate")) func aggregate(_ name: String) throws { try check("aggregate", name) }
    @Test(arguments: cases("report")) func report(_ name: String) throws { try check("report", name) }

    @Test func everyStageHasCases() {
        for stage in ["ingest", "aggregate", "report"] { #expect(!Self.cases(stage).isEmpty, "no golden case for \(stage)") }
    }

    /// A case's settings from its `cmd`.
    static func settings(_ folder: String) -> [String: String] {
        var settings: [String: String] = [:]
        for line in readText(folder + "/cmd").split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            settings[parts[0]] = parts.count == 2 ? parts[1] : ""
        }
        return settings
    }

    /// Runs the stages of case `folder` up to `stage` in `dir`; the stage's files by name, as text.
    static func run(_ stage: String, _ folder: String, in dir: String) throws -> [String: String] {
        let settings = Self.settings(folder)
        let input = settings["INPUT"].map { $0 == "bundled" ? TestPaths.bundledInput : folder + "/" + $0 } ?? folder + "/input"
        let period = settings["PERIOD"] ?? "", language = settings["LANG_OUT"] ?? "vi"
        let options = [("ENCODING", "--encoding"), ("DELIMITER", "--delimiter"), ("DECIMAL", "--decimal")].flatMap { variable, option in
            settings[variable].map { [option, $0] } ?? []
        }
        let stageFolder = StageFolder(dir + "/stage")
        let ingest = try runTool("techsurvey-ingest", ["--input", input, "--stage", stageFolder.path] + options)
        try #require(ingest.status == 0, "ingest: \(ingest.stderr)")
        if stage == "ingest" {
            let returns = try runTool("techsurvey-stage", ["returns", "--stage", stageFolder.path])
            try #require(returns.status == 0, "techsurvey-stage: \(returns.stderr)")
            var files = ["returns.csv": returns.stdout]
            for path in [stageFolder.rejects, stageFolder.superseded, stageFolder.activities, stageFolder.ingestSummary] {
                files[(path as NSString).lastPathComponent] = readText(path)
            }
            return files
        }
        let aggregates = stageFolder.aggregates(try Period(parsing: period))
        let aggregate = try runTool("techsurvey-aggregate", ["--stage", stageFolder.path, "--period", period])
        try #require(aggregate.status == 0, "aggregate: \(aggregate.stderr)")
        if stage == "aggregate" { return [(aggregates as NSString).lastPathComponent: readText(aggregates)] }
        let out = dir + "/out"
        let report = try runTool("techsurvey-report", ["--stage", stageFolder.path, "--aggregates", aggregates, "--output", out, "--lang", language],
                                 environment: ["SOURCE_DATE_EPOCH": "1796181300"])
        try #require(report.status == 0, "report: \(report.stderr)")
        return ["report.md": readText(out + "/report.md"), "news.md": readText(out + "/news.md")]
    }

    func check(_ stage: String, _ name: String) throws {
        let folder = TestPaths.fixtures + "/" + stage + "/" + name
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let got = try Self.run(stage, folder, in: dir)
        let expected = folder + "/expected"
        if ProcessInfo.processInfo.environment["TECHSURVEY_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(atPath: expected)
            for (file, text) in got { writeFile(expected + "/" + file, text) }
        }
        let want = Set((try? FileManager.default.contentsOfDirectory(atPath: expected)) ?? [])
        #expect(want == Set(got.keys), "\(stage)/\(name): expected files \(want.sorted()), the stage wrote \(got.keys.sorted())")
        for file in want.sorted() {
            let wanted = readText(expected + "/" + file), text = got[file] ?? ""
            #expect(text == wanted, "\(stage)/\(name)/\(file) differs.\n--- expected\n\(wanted)\n--- got\n\(text)")
        }
    }
}
