// The executables' entry point: parse arguments and run, and when anything fails print one line on stderr
// and exit with its sysexits code (SPEC §6) — usage errors included, which ArgumentParser would otherwise
// print as several lines of usage text. A bad option value that make passes on from a variable also names
// the variable, since an analyst running make never typed the option.

import ArgumentParser
import TechSurvey

extension ParsableCommand {
    /// Parses the command line and runs the command; `--help` still prints the full help.
    public static func mainWithOneLineErrors(tool: String) -> Never {
        StandardStreams.prepare()
        StandardStreams.tool = tool
        do {
            var command = try parseAsRoot()
            try command.run()
            StandardStreams.exit(0)
        } catch let error as TechSurveyError {
            StandardStreams.err("\(tool): \(error.message)")
            StandardStreams.exit(error.exitCode)
        } catch {
            // ArgumentParser's own outcomes: help and version (exit 0), or a usage error (64).
            let code = exitCode(for: error)
            if code == .success {
                StandardStreams.out(fullMessage(for: error))
                StandardStreams.exit(0)
            }
            guard code.rawValue == 64 else {
                StandardStreams.err("\(tool): unexpected error: \(error); please report it with the input that caused it")
                StandardStreams.exit(70)
            }
            // A choice of six or more values comes as a bulleted list under the first line: kept, on that line.
            let lines = message(for: error).split(separator: "\n")
            let choices = lines.dropFirst().filter { $0.hasPrefix("  - ") }.map { $0.dropFirst(4) }
            var message = lines.first.map(String.init) ?? "invalid arguments"
            if !choices.isEmpty { message += " " + choices.joined(separator: ", ") }
            while message.hasSuffix(".") { message.removeLast() }
            let variable = makeVariables.first { message.contains("'--\($0.option) ") || message.contains("'--\($0.option)'") }
            let make = variable.flatMap { message.contains($0.variable + "=") ? nil : " (with make: \($0.variable)=)" } ?? ""
            StandardStreams.err("\(tool): \(message)\(make); see \(tool) --help")
            StandardStreams.exit(code.rawValue)
        }
    }
}

/// The options make fills from a variable of the same meaning (scripts/stages.mk, scripts/pipeline.sh).
private let makeVariables: [(option: String, variable: String)] = [
    ("encoding", "ENCODING"), ("delimiter", "DELIMITER"), ("decimal", "DECIMAL"), ("lang", "LANG_OUT"),
    ("period", "PERIOD"), ("table", "TABLE"), ("row", "ROW"), ("measure", "MEASURE"),
]
