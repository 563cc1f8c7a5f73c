// The stage's binary returns as the CSV they were before returns.bin, for analysts who want to open them in
// a spreadsheet or check them with other tools: the same header, columns and row form as returns.csv had.

import Foundation

public enum StageReturnsCSV {
    /// `packed` as CSV, header first, handed to `emit` in pieces of a few MiB so millions of rows never
    /// sit in memory as text.
    static func write(_ packed: PackedReturns, _ emit: ([UInt8]) throws -> Void) rethrows {
        var w = CSVWriter(crlf: false)
        w.writeRow(StageRecords.returnsHeader)
        for i in packed.records.indices {
            StageRecords.writeReturn(packed.record(i), to: &w)
            if w.bytes.count >= 1 << 22 { try emit(w.drain()) }
        }
        try emit(w.drain())
    }

    /// Prints the stage folder's returns as CSV on standard output. A reader that stops early
    /// (`| head`) ends the output quietly.
    public static func print(stage: StageFolder) throws {
        let packed = try PackedReturnsFile.read(stage.returns)
        signal(SIGPIPE, SIG_IGN)
        do {
            try write(packed, writeStandardOutput)
        } catch is ReaderGone {
            return
        }
    }

    private struct ReaderGone: Error {}

    private static func writeStandardOutput(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = writeBytes(1, raw.baseAddress.map { $0 + done }, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n < 0 && errno == EPIPE { throw ReaderGone() }
                guard n > 0 else {
                    throw TechSurveyError(.ioError, "cannot write the returns to standard output (\(String(cString: strerror(errno)))); is the disk full?")
                }
                done += n
            }
        }
    }
}

/// `write(2)`, named apart from `StageReturnsCSV.write`.
private func writeBytes(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
