// The one stdout/stderr layer of the executables (TechSurveyCommand/StandardStreams.swift, issue 11 class 1):
// with stdout closed, full or a pipe whose reader has gone, and with stderr closed, no executable ends on a
// signal; a gone reader is exit 0, a full or closed stdout is exit 74 with one stderr line.

import Foundation
import Testing
@testable import TechSurvey

@Suite(.serialized) struct StandardStreamsTests {
    enum Stream: String, CaseIterable, CustomTestStringConvertible {
        case closed, full, readerGone
        var testDescription: String { rawValue }
    }

    struct Outcome {
        var status: Int32
        var signalled: Bool
        var stderr: String
    }

    /// Runs `tool` with stdout (or stderr) in the state `state`, the other stream captured.
    static func run(_ tool: String, _ arguments: [String], stdout state: Stream? = nil, stderrClosed: Bool = false) throws -> Outcome {
        let process = Process()
        let path = TestPaths.binaries + "/" + tool
        let err = Pipe()
        var keepAlive: [Any] = []
        switch (state, stderrClosed) {
        case (.closed, _):
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec \"$0\" \"$@\" >&-", path] + arguments
        case (_, true):
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec \"$0\" \"$@\" 2>&-", path] + arguments
            process.standardOutput = FileHandle.nullDevice
        default:
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
        }
        if state == .full {
            let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
            keepAlive.append(full)
            process.standardOutput = full
        }
        if state == .readerGone {
            // The reader closes before the tool writes a byte: every write meets EPIPE, deterministically.
            let pipe = Pipe()
            try pipe.fileHandleForReading.close()
            keepAlive.append(pipe)
            process.standardOutput = pipe
        }
        if !stderrClosed { process.standardError = err }
        try process.run()
        let errData = stderrClosed ? Data() : err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        withExtendedLifetime(keepAlive) {}
        return Outcome(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                       stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A stage and output folder from the bundled input, and every executable's command line over it.
    static func commands(_ dir: String) throws -> [(tool: String, arguments: [String])] {
        let stage = dir + "/stage"
        try #require(try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: stage).status == 0)
        return [
            ("techsurvey-ingest", ["--input", TestPaths.bundledInput, "--stage", stage]),
            ("techsurvey-aggregate", ["--stage", stage]),
            ("techsurvey-report", ["--stage", stage, "--output", dir + "/out"]),
            ("techsurvey-trace", ["--stage", stage, "--table", "by_field", "--row", "total", "--measure", "technologies_found"]),
            ("techsurvey-stage", ["returns", "--stage", stage]),
            ("techsurvey-trace", ["--help"]),
        ]
    }

    @Test(arguments: Stream.allCases)
    func everyExecutableSurvivesABadStdout(_ state: Stream) throws {
        let dir = scratchFolder("streams\(state.rawValue)")
        defer { removeFolder(dir) }
        for (tool, arguments) in try Self.commands(dir) {
            let outcome = try Self.run(tool, arguments, stdout: state)
            let what = "\(tool) \(arguments.last ?? "") with stdout \(state): status \(outcome.status), stderr: \(outcome.stderr)"
            #expect(!outcome.signalled, "\(what)")
            switch state {
            case .readerGone:
                #expect(outcome.status == 0, "\(what)")
                #expect(outcome.stderr.isEmpty, "\(what)")
            case .closed, .full:
                #expect(outcome.status == 74, "\(what)")
                #expect(outcome.stderr.hasPrefix("\(tool): "), "\(what)")
                #expect(outcome.stderr.contains("standard output"), "\(what)")
                #expect(outcome.stderr.split(separator: "\n").count == 1, "\(what)")
            }
        }
    }

    @Test func everyExecutableSurvivesAClosedStderr() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        for (tool, arguments) in try Self.commands(dir) {
            let outcome = try Self.run(tool, arguments, stderrClosed: true)
            #expect(!outcome.signalled && outcome.status == 0, "\(tool) with stderr closed: status \(outcome.status)")
        }
        // A failure with nowhere to say so still exits with its code.
        let missing = try Self.run("techsurvey-ingest", ["--input", dir + "/nothing", "--stage", dir + "/s2"], stderrClosed: true)
        #expect(!missing.signalled && missing.status == 66, "status \(missing.status)")
        let usage = try Self.run("techsurvey-trace", ["--bogus"], stderrClosed: true)
        #expect(!usage.signalled && usage.status == 64, "status \(usage.status)")
    }

    /// `| head -1` on a trace far longer than a pipe holds: the tool blocks on the full pipe, head leaves,
    /// the next write meets EPIPE mid-listing.
    @Test func aLongTraceStopsQuietlyWhenItsReaderLeaves() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        var csv = "unit_id,field,survey_date,technologies_found,technologies_proposed\n"
        for i in 0..<20_000 { csv += "U\(i),biotech,2015-01-02,3,1\n" }
        writeFile(dir + "/in/returns/r.csv", csv)
        try #require(try runTool("techsurvey-ingest", ["--input", dir + "/in", "--stage", dir + "/stage"]).status == 0)
        for (tool, arguments) in [
            ("techsurvey-trace", ["--stage", dir + "/stage", "--table", "by_field", "--row", "biotech", "--measure", "unit_visits"]),
            ("techsurvey-stage", ["returns", "--stage", dir + "/stage"]),
        ] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", "\"$0\" \"$@\" | head -1 >/dev/null; exit ${PIPESTATUS[0]}", TestPaths.binaries + "/" + tool] + arguments
            let err = Pipe()
            process.standardError = err
            try process.run()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(tool) | head -1: status \(process.terminationStatus), stderr: \(stderr)")
            #expect(stderr.isEmpty, "\(stderr)")
        }
    }

    /// An error line quoting input stays one line and sends no escape sequence to the terminal: a field cell
    /// with a line end and ESC sequences, quoted in STRICT's one-line failure.
    @Test func stderrQuotesInputAsOneSafeLine() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let evil = "bad\nline \u{1B}[2J\u{1B}]0;owned\u{07}\u{202E}"
        writeFile(dir + "/in/returns/r.csv", "unit_id,field,survey_date,technologies_found,technologies_proposed\nU1,\"\(evil)\",2015-01-02,1,1\nU2,biotech,2015-01-02,1,1\n")
        let ingest = try runTool("techsurvey-ingest", ["--input", dir + "/in", "--stage", dir + "/stage", "--strict"])
        let usage = try runTool("techsurvey-trace", ["--stage", dir, "--table", evil, "--row", "x", "--measure", "y"])
        #expect(ingest.status == 65 && usage.status == 64, "\(ingest.stderr) \(usage.stderr)")
        for run in [ingest, usage] {
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr.debugDescription)")
            #expect(!run.stderr.unicodeScalars.contains { $0 != "\n" && ControlCharacters.isControl($0) }, "\(run.stderr.debugDescription)")
        }
        #expect(ingest.stderr.contains("bad\\nline \\x1B[2J"), "\(ingest.stderr.debugDescription)")
    }
}
