// The executables' entry point: parse arguments and run, and when anything fails print one line on stderr
// and exit with its sysexits code (SPEC §6) — usage errors included, which ArgumentParser would otherwise
// print as several lines of usage text. A bad option value that make passes on from a variable also names
// the variable, since an analyst running make never typed the option; only a variable that make passes to
// this executable is named.

import ArgumentParser
import Foundation
import TechSurvey

extension ParsableCommand {
    /// Parses the command line and runs the command; `--help` still prints the full help.
    public static func mainWithOneLineErrors(tool: String) -> Never {
        StandardStreams.prepare()
        StandardStreams.tool = tool
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let repeated = repeatedOption(in: arguments) {
            // ArgumentParser keeps the last of them without a word: `--encoding utf-8 --encoding windows-1258`
            // would read every file with one of two encodings the analyst gave.
            usageFailure(tool: tool, "'--\(repeated)' is given more than once, and only one value can hold; give it once")
        }
        do {
            var command = try parseAsRoot(arguments)
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
            usageFailure(tool: tool, message)
        }
    }

    /// The long name of the first single-value option `arguments` give twice (a repeatable one such as
    /// trace's `--row` may come many times), found in the command's own description of its options.
    static func repeatedOption(in arguments: [String]) -> String? {
        // Most command lines name no option twice: they never pay for the description.
        let names = arguments.prefix { $0 != "--" }.filter { $0.hasPrefix("--") }.map { $0.prefix { $0 != "=" } }
        guard Set(names).count < names.count,
              let tool = try? JSONDecoder().decode(ToolDescription.self, from: Data(_dumpHelp().utf8)) else { return nil }
        var command = tool.command
        var seen: Set<String> = []
        var index = 0
        while index < arguments.count {
            let token = arguments[index]
            index += 1
            if token == "--" { break }
            if !token.hasPrefix("-"), let sub = command.subcommands?.first(where: { $0.commandName == token }) {
                command = sub
                seen = []
                continue
            }
            guard token.hasPrefix("--") else { continue }
            let name = String(token.dropFirst(2).prefix { $0 != "=" })
            guard let option = command.arguments?.first(where: { $0.kind == "option" && $0.longNames.contains(name) }) else { continue }
            // Its value is the next word whatever it looks like, and not an option to count: with make's
            // ROW=--period trace gets `--row --period ... --period ''`, whose one --period ArgumentParser
            // then reports as --row's missing value, the word that names the variable to fix.
            if !token.contains("="), index < arguments.count { index += 1 }
            if option.isRepeating { continue }
            if !seen.insert(name).inserted { return name }
        }
        return nil
    }
}

/// Ends the command with a usage error (64): one line, naming the make variable that sets the option the
/// message is about when make passes this executable that option.
private func usageFailure(tool: String, _ message: String) -> Never {
    let variable = makeVariables[tool]?.first { message.contains("'--\($0.option) ") || message.contains("'--\($0.option)'") }
    let make = variable.flatMap { message.contains($0.variable + "=") ? nil : " (with make: \($0.variable)=)" } ?? ""
    StandardStreams.err("\(tool): \(message)\(make); see \(tool) --help")
    StandardStreams.exit(64)
}

/// The options make fills from a variable of the same meaning, per executable, as scripts/stages.mk and
/// scripts/pipeline.sh pass them; an option make never gives an executable names no variable there.
private let makeVariables: [String: [(option: String, variable: String)]] = [
    "techsurvey-ingest": [("encoding", "ENCODING"), ("delimiter", "DELIMITER"), ("decimal", "DECIMAL")],
    "techsurvey-aggregate": [("period", "PERIOD")],
    "techsurvey-report": [("lang", "LANG_OUT")],
    "techsurvey-trace": [("table", "TABLE"), ("row", "ROW"), ("measure", "MEASURE"), ("period", "PERIOD")],
]

/// What ArgumentParser's `_dumpHelp()` says of a command, as much as finding repeated options needs.
private struct ToolDescription: Decodable {
    struct Command: Decodable {
        var commandName: String
        var arguments: [Argument]?
        var subcommands: [Command]?
    }

    struct Argument: Decodable {
        var kind: String
        var names: [Name]?
        var isRepeating: Bool
        var longNames: [String] { (names ?? []).filter { $0.kind == "long" }.map(\.name) }
    }

    struct Name: Decodable {
        var kind: String
        var name: String
    }

    var command: Command
}
