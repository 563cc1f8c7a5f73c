// The one way the executables write to stdout and stderr: write(2) in a loop (EINTR retried, short writes
// finished), SIGPIPE ignored so a closed pipe is an error code rather than a signal, and every failure
// turned into the documented outcome instead of a trap:
// - stdout's reader went away (`| head -1`, EPIPE): the command ends quietly with exit 0, as the README says;
// - stdout cannot take the bytes (a full disk, ENOSPC; a closed descriptor, EBADF): exit 74 with one line
//   on stderr, when stderr can still take it;
// - stderr itself cannot be written: the line is lost, the exit code still tells.
// Everything written to stderr goes through `TerminalText.line`, so input quoted in a message can neither
// split the line nor send escape sequences to the terminal.

import Foundation
import TechSurvey

public enum StandardStreams {
    /// Set when a descriptor was closed before the command started; its slot now holds /dev/null, so a file
    /// the command opens can never land on descriptor 1 or 2 and receive the command's messages.
    nonisolated(unsafe) private static var closedAtStart: Set<Int32> = []

    /// Call first thing in every executable.
    static func prepare() {
        signal(SIGPIPE, SIG_IGN)
        for fd: Int32 in [0, 1, 2] where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if null >= 0 && null != fd {
                dup2(null, fd)
                close(null)
            }
            if fd != 0 { closedAtStart.insert(fd) }
        }
    }

    /// Writes `text`, made safe for a terminal (input quoted in a summary cannot send escape sequences),
    /// and a line end to stdout; a closed pipe (`| head`) ends the command quietly.
    public static func say(_ text: String) {
        out(TerminalText.lines(text))
    }

    /// Writes `text` and a line end to stdout.
    static func out(_ text: String) {
        outBytes(Array((text + "\n").utf8))
    }

    /// Writes `bytes` to stdout as they are (the stage tool's CSV).
    public static func outBytes(_ bytes: [UInt8]) {
        if closedAtStart.contains(1) { failStdout(EBADF) }
        if let failure = writeAll(1, bytes) {
            if failure == EPIPE { Foundation.exit(0) }
            failStdout(failure)
        }
    }

    /// Writes one line to stderr, made safe for a terminal; a stderr that cannot be written is given up on.
    public static func err(_ line: String) {
        guard !closedAtStart.contains(2) else { return }
        _ = writeAll(2, Array((TerminalText.line(line) + "\n").utf8))
    }

    /// Ends the command with `code`.
    static func exit(_ code: Int32) -> Never {
        Foundation.exit(code)
    }

    private static func failStdout(_ error: Int32) -> Never {
        let advice = error == EBADF
            ? "standard output is closed; run again with it open, or redirected to a file or /dev/null"
            : "cannot write to standard output (\(String(cString: strerror(error)))); free space, or redirect it elsewhere, and run again"
        err("\(tool): \(advice)")
        Foundation.exit(74)
    }

    /// The name stderr lines start with; set by `mainWithOneLineErrors`.
    nonisolated(unsafe) static var tool = "techsurvey"

    /// Writes every byte, retrying interrupted and short writes; the errno of the failure, or nil.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { raw -> Int32? in
            guard let base = raw.baseAddress else { return nil }
            var done = 0
            while done < raw.count {
                let n = write(fd, base + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if n == 0 { return EIO }
                done += n
            }
            return nil
        }
    }
}
