// The executables' option values with a closed set of choices, as enums ArgumentParser checks: a bad value
// fails before anything runs, with the list of choices. The names analysts type besides the canonical ones
// (`cp1258`, `UTF8`, `;`, `point`) are accepted too. (A period is free text: the executables check it in
// `validate()` with the core's own rule, whose message quotes the text safely on one line.)

import ArgumentParser
import TechSurvey

extension TextEncoding: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}

extension DecimalMark: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}

extension Language: ExpressibleByArgument {}

/// The field delimiter `--delimiter` forces; without it ingest sniffs each file's header line.
public enum FieldDelimiter: String, CaseIterable, ExpressibleByArgument, Sendable {
    case comma = ",", semicolon = ";", tab, pipe = "|"

    /// Also the names of the marks and a typed TAB or `\t`.
    public init?(argument: String) {
        switch argument.lowercased() {
        case ",", "comma": self = .comma
        case ";", "semicolon": self = .semicolon
        case "|", "pipe": self = .pipe
        case "\t", "tab", "\\t": self = .tab
        default: return nil
        }
    }

    /// The byte the reader splits fields on.
    public var byte: UInt8 {
        switch self {
        case .comma: return 0x2C
        case .semicolon: return 0x3B
        case .tab: return 0x09
        case .pipe: return 0x7C
        }
    }
}
