// The Makefile as an analyst and cron use it: a second `make report` re-runs nothing, and `make quarterly`
// works under cron's bare environment. Uses the debug build the test run already made (TECHSURVEY_BIN_DIR), so
// make finds its executables up to date and never builds into another scratch folder.

import Foundation
import Testing
@testable import TechSurvey

@Suite(.serialized) struct MakefileTests {
    /// Runs make in the package root with cron's environment: no TTY, PATH=/usr/bin:/bin, no LANG.
    static func make(_ arguments: [String], environment: [String: String] = [:]) throws -> RunResult {
        try start(arguments, environment: environment).wait()
    }

    /// A make run in progress.
    struct Running {
        let process: Process
        let out: Pipe
        let err: Pipe

        func wait() -> RunResult {
            let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return RunResult(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
        }
    }

    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/make")
        process.arguments = ["--no-print-directory", "-C", TestPaths.packageRoot, "CONFIG=debug", "BIN=\(TestPaths.binaries)"] + arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()].merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return Running(process: process, out: out, err: err)
    }

    /// A private copy of the bundled input, so the stage folder is this test's own.
    static func copyOfInput(_ dir: String) throws -> String {
        try FileManager.default.copyItem(atPath: TestPaths.bundledInput, toPath: dir + "/input")
        return dir + "/input"
    }

    @Test func secondReportRerunsNothingAndAChangedFileRerunsIngest() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let first = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"])
        try #require(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("techsurvey-ingest"))
        let second = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"])
        #expect(second.status == 0)
        #expect(!second.stdout.contains("techsurvey-ingest"), "ingest re-ran: \(second.stdout)")
        #expect(!second.stdout.contains("techsurvey-aggregate"), "aggregate re-ran: \(second.stdout)")

        // A new file in returns/ is seen, through the folder's date.
        try FileManager.default.copyItem(atPath: input + "/returns/returns-2015.xlsx", toPath: input + "/returns/returns-2015-copy.xlsx")
        let third = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"])
        #expect(third.status == 0)
        #expect(third.stdout.contains("techsurvey-ingest"))
        let manifest = try JSONDecoder().decode(Manifest.self, from: FileManager.default.contents(atPath: dir + "/out/manifest.json") ?? Data())
        #expect(manifest.rowsSuperseded == 24, "the copied file resubmits all 24 returns of 2015")
    }

    @Test func aBrokenFileStopsTheRunAndLeavesThePreviousOutput() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        try #require(try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"]).status == 0)
        let before = readText(dir + "/out/report.md") + readText(dir + "/out/tables/by_field.csv")
        writeFile(input + "/returns/returns-2016.csv", "unit_id,field,survey_date,found,technologies_proposed\nU1,biotech,2016-01-01,3,1\n")
        let run = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("returns/returns-2016.csv: required column technologies_found is missing"), "\(run.stderr)")
        #expect(readText(dir + "/out/report.md") + readText(dir + "/out/tables/by_field.csv") == before)
    }

    @Test func encodingIsNamedThroughMakeOrDetected() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try FileManager.default.copyItem(atPath: TestPaths.fixtures + "/encodings/windows-1258/input", toPath: dir + "/input")
        for (arguments, source) in [(["ENCODING=cp1258"], "option"), ([], "fallback")] {
            let run = try Self.make(["report", "INPUT=\(dir)/input", "OUTPUT=\(dir)/out"] + arguments)
            #expect(run.status == 0, "\(run.stderr)")
            let manifest = try JSONDecoder().decode(Manifest.self, from: FileManager.default.contents(atPath: dir + "/out/manifest.json") ?? Data())
            #expect(manifest.files.first?.encoding == "windows-1258")
            #expect(manifest.files.first?.encodingSource == source)
            #expect(manifest.rowsAccepted == 12)
        }
    }

    @Test func aSecondConcurrentMakeStopsAtOnce() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        try #require(try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"]).status == 0)
        let first = try Self.start(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out", "LANG_OUT=en"],
                                   environment: ["TECHSURVEY_TEST_PAUSE_BEFORE_PUBLISH_MS": "3000"])
        // Wait until the first run is staging its files, i.e. is inside the pipeline.
        func staging() -> Bool {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir + "/out")) ?? []
            return entries.contains { $0.hasPrefix(".staging-") }
        }
        var waited = 0
        while !staging() && waited < 150 {
            usleep(20_000)
            waited += 1
        }
        let second = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out", "LANG_OUT=en"])
        #expect(second.status != 0)
        #expect(second.stderr.contains("another run is writing"), "\(second.stderr)")
        #expect(first.wait().status == 0)
    }

    @Test func stageCSVPrintsOnlyTheReturnsOnStdout() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let run = try Self.make(["stage-csv", "INPUT=\(input)"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.first.map(String.init) == StageRecords.returnsHeader.joined(separator: ","))
        #expect(lines.count == 67, "header and the 66 bundled returns")
        #expect(run.stderr.contains("techsurvey-ingest"), "ingest ran first, reporting on stderr")
    }

    @Test func quarterlyRunsUnderCronsEnvironment() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let run = try Self.make(["quarterly", "QUARTER=2015-Q2", "INPUT=\(input)", "OUTPUT=\(dir)/out"])
        #expect(run.status == 0, "\(run.stderr)")
        for name in ["report.md", "news.md", "tables/by_field.csv", "tables/comparison.csv", "manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/out/2015-Q2/" + name), "missing \(name)")
        }
        #expect(readText(dir + "/out/2015-Q2/news.md").contains("so với quý trước"))
    }
}
