// What the executables share of option handling and failure reporting: option text turned into ready
// values, and any error into the one stderr line and sysexits code of SPEC §6.

import TechSurvey

public enum CommandSupport {
    /// The stderr line and exit code for `error`.
    public static func failure(_ error: Error, tool: String) -> (line: String, code: Int32) {
        if let e = error as? TechSurveyError { return ("\(tool): \(e.message)", e.exitCode) }
        return ("\(tool): unexpected error: \(error); please report it with the input that caused it", 70)
    }

    /// Prints the failure line for `error` and exits with its code.
    public static func exit(with error: Error, tool: String) -> Never {
        let (line, code) = failure(error, tool: tool)
        StandardStreams.err(line)
        StandardStreams.exit(code)
    }

    /// Parses a `--delimiter` value: `,` `;` `|` `tab` (or a literal TAB), and their names.
    public static func delimiter(_ text: String) -> UInt8? {
        switch text.lowercased() {
        case ",", "comma": return 0x2C
        case ";", "semicolon": return 0x3B
        case "|", "pipe": return 0x7C
        case "\t", "tab", "\\t": return 0x09
        default: return nil
        }
    }

    /// Writes `text` to stdout, made safe for a terminal (input quoted in a summary cannot send escape
    /// sequences); a closed pipe (`| head`) ends the command quietly.
    public static func say(_ text: String) {
        StandardStreams.out(TerminalText.lines(text))
    }
}
