// Every executable's failures as the analyst sees them (TechSurveyCommand/OneLineErrors.swift, SPEC §6): a
// bad option value stops before anything is read, on one stderr line with the list of choices and the
// make variable that sets the option, exit 64; --help is still the full help, exit 0.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct OneLineErrorsTests {
    @Test(arguments: [
        ("techsurvey-ingest", ["--encoding", "latin1"], "ENCODING=", "'utf-8', 'utf-16le', 'utf-16be', 'windows-1258' or 'tcvn3'"),
        ("techsurvey-ingest", ["--delimiter", ":"], "DELIMITER=", "',', ';', 'tab' or '|'"),
        ("techsurvey-ingest", ["--decimal", "comma dot"], "DECIMAL=", "'comma' and 'dot'"),
        ("techsurvey-report", ["--lang", "fr"], "LANG_OUT=", "'vi' and 'en'"),
        ("techsurvey-aggregate", ["--period", "2015-Q9"], "PERIOD=", "2015-Q3"),
    ])
    func aBadValueIsOneLineWithTheChoicesAndTheMakeVariable(_ tool: String, _ arguments: [String], _ variable: String, _ choices: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        // The folders exist and are empty: a run that got past its arguments would fail otherwise.
        let run = try runTool(tool, ["--stage", dir + "/stage"] + (tool == "techsurvey-ingest" ? ["--input", dir + "/in"] : []) + arguments)
        #expect(run.status == 64, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1, "one line: \(run.stderr)")
        #expect(run.stderr.contains(variable) && run.stderr.contains(choices) && run.stderr.hasPrefix(tool + ": "), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + "/stage"), "nothing was written")
    }

    @Test func twoFlagsThatExcludeEachOtherAreAUsageError() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let run = try runTool("techsurvey-report", ["--recover", "--remove-published", "--output", dir + "/out"])
        #expect(run.status == 64 && run.stderr.contains("--recover and --remove-published"), "\(run.stderr)")
    }

    @Test(arguments: ["techsurvey-ingest", "techsurvey-aggregate", "techsurvey-report", "techsurvey-trace", "techsurvey-stage"])
    func helpIsTheFullHelp(_ tool: String) throws {
        let run = try runTool(tool, ["--help"])
        #expect(run.status == 0 && run.stderr.isEmpty)
        #expect(run.stdout.contains("USAGE:") && run.stdout.contains("OPTIONS:") || run.stdout.contains("SUBCOMMANDS:"), "\(run.stdout)")
    }
}
