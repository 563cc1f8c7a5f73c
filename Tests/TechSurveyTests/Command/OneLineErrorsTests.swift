// Every executable's failures as the analyst sees them (TechSurveyCommand/OneLineErrors.swift, SPEC §6): a
// bad option value stops before anything is read, on one stderr line with the list of choices and the
// make variable that sets the option, exit 64 (a variable only when make passes that executable the option);
// a single-value option given twice is a usage error too, not a silent last-wins; --help is still the full
// help, exit 0.

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

    @Test(arguments: [
        ("techsurvey-ingest", ["--encoding", "utf-8", "--encoding", "windows-1258"], "'--encoding'", "ENCODING="),
        ("techsurvey-ingest", ["--decimal=comma", "--delimiter", ";", "--decimal", "dot"], "'--decimal'", "DECIMAL="),
        ("techsurvey-report", ["--lang", "vi", "--lang=en"], "'--lang'", "LANG_OUT="),
        ("techsurvey-aggregate", ["--period", "2015", "--period", ""], "'--period'", "PERIOD="),
        ("techsurvey-trace", ["--table", "by_field", "--row", "biotech", "--measure", "unit_visits", "--measure", "unit_visits"], "'--measure'", "MEASURE="),
        ("techsurvey-stage", ["returns", "--stage", "elsewhere"], "'--stage'", nil),
    ] as [(String, [String], String, String?)])
    func aSingleValueOptionGivenTwiceIsAUsageError(_ tool: String, _ arguments: [String], _ option: String, _ variable: String?) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        // Before the check the last value won silently and the run went on (here to a missing stage or input).
        let stage = tool == "techsurvey-stage" ? ["returns", "--stage", dir + "/stage"] + arguments.dropFirst() : ["--stage", dir + "/stage"] + arguments
        let run = try runTool(tool, stage + (tool == "techsurvey-ingest" ? ["--input", dir + "/in"] : []))
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.hasPrefix(tool + ": ") && run.stderr.contains(option + " is given more than once"), "\(run.stderr)")
        #expect(variable.map { run.stderr.contains("(with make: \($0))") } ?? !run.stderr.contains("with make"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/stage"), "nothing was written")
    }

    /// An option's value that starts with -- is its value, not a second option: make's ROW=--period gave
    /// `--row --period ... --period ''`, and the run stopped on a repeated --period (with make: PERIOD=).
    @Test(arguments: [
        ("techsurvey-ingest", ["--encoding", "--decimal", "--decimal", "dot"], "'--encoding <encoding>'", "ENCODING="),
        ("techsurvey-aggregate", ["--output", "--period", "--period", "2015"], "'--output <output>'", nil),
        ("techsurvey-report", ["--lang", "--output", "--output", "elsewhere"], "'--lang <lang>'", "LANG_OUT="),
        ("techsurvey-trace", ["--table", "by_field", "--row", "--period", "--measure", "unit_visits", "--period", ""], "'--row <row>'", "ROW="),
        ("techsurvey-stage", ["returns", "--stage", "--stage"], "'--stage <stage>'", nil),
    ] as [(String, [String], String, String?)])
    func aValueThatLooksLikeAnOptionIsNotARepeat(_ tool: String, _ arguments: [String], _ option: String, _ variable: String?) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let stage = tool == "techsurvey-stage" ? arguments : ["--stage", dir + "/stage"] + arguments
        let run = try runTool(tool, stage + (tool == "techsurvey-ingest" ? ["--input", dir + "/in"] : []))
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1 && !run.stderr.contains("more than once") && run.stderr.contains("Missing value for " + option), "\(run.stderr)")
        #expect(variable.map { run.stderr.contains("(with make: \($0))") } ?? !run.stderr.contains("with make"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/stage"), "nothing was written")
    }

    @Test func aRepeatableOptionMayComeManyTimes() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let run = try runTool("techsurvey-trace", ["--stage", dir + "/stage", "--table", "by_period", "--row", "2015-Q3", "--row", "biotech", "--measure", "unit_visits"])
        #expect(run.status == 66 && !run.stderr.contains("more than once"), "past the arguments, to the missing stage: \(run.stderr)")
    }

    /// ingest has no --lang: before, its "unknown option" line sent the analyst to LANG_OUT=, which only the
    /// report stage reads.
    @Test func anOptionMakeDoesNotPassNamesNoMakeVariable() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let ingest = try runTool("techsurvey-ingest", ["--stage", dir + "/stage", "--input", dir + "/in", "--lang", "en"])
        #expect(ingest.status == 64 && ingest.stderr.contains("'--lang'") && !ingest.stderr.contains("LANG_OUT"), "\(ingest.stderr)")
        let aggregate = try runTool("techsurvey-aggregate", ["--stage", dir + "/stage", "--encoding", "utf-8"])
        #expect(aggregate.status == 64 && aggregate.stderr.contains("'--encoding'") && !aggregate.stderr.contains("ENCODING="), "\(aggregate.stderr)")
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
