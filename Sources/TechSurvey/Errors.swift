// The one error type of techsurvey: every failure an analyst can meet, worded for them, with its
// sysexits code (SPEC §6). The core throws these; only the executables print them and exit.

/// A failure that stops a stage. `message` says what is wrong, where, and what to do.
public struct TechSurveyError: Error, CustomStringConvertible, Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// 64: the command line is wrong.
        case usage
        /// 65: the data cannot give a report (no usable record, a file missing a required column, STRICT).
        case data
        /// 66: an input file or folder is missing or unreadable.
        case noInput
        /// 73: an output file or folder cannot be created.
        case cannotCreate
        /// 74: an output file cannot be written.
        case ioError
        /// 75: another run holds the output lock.
        case locked
    }

    let kind: Kind
    public let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The sysexits code the executables exit with.
    public var exitCode: Int32 {
        switch kind {
        case .usage: return 64
        case .data: return 65
        case .noInput: return 66
        case .cannotCreate: return 73
        case .ioError: return 74
        case .locked: return 75
        }
    }

    public var description: String { message }
}
