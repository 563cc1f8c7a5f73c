// The executables' entry point: parse arguments and run, and when anything fails print one line on stderr
// and exit with its sysexits code (SPEC §6) — usage errors included, which ArgumentParser would otherwise
// print as several lines of usage text.

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
            CommandSupport.exit(with: error, tool: tool)
        } catch {
            // ArgumentParser's own outcomes: help and version (exit 0), or a usage error (64).
            let code = exitCode(for: error)
            if code == .success {
                StandardStreams.out(fullMessage(for: error))
                StandardStreams.exit(0)
            }
            // A choice of six or more values comes as a bulleted list under the first line: kept, on that line.
            let lines = message(for: error).split(separator: "\n")
            let choices = lines.dropFirst().filter { $0.hasPrefix("  - ") }.map { $0.dropFirst(4) }
            var message = lines.first.map(String.init) ?? "invalid arguments"
            if !choices.isEmpty { message += " " + choices.joined(separator: ", ") }
            while message.hasSuffix(".") { message.removeLast() }
            StandardStreams.err("\(tool): \(message); see \(tool) --help")
            StandardStreams.exit(code.rawValue)
        }
    }
}
