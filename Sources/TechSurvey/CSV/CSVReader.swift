// The one CSV reader: every byte of input goes through libcsv here, and nowhere else. It numbers records
// by spreadsheet row and by physical line, which libcsv itself does not track, and says whether the text
// fed so far ends between records, which is what lets a file be parsed in pieces on several cores.

import CLibCSV
import Foundation

/// Streams records out of UTF-8 text with LF line ends (what `Transcoder` produces).
public final class CSVReader {
    private let parser: UnsafeMutablePointer<csv_parser>
    private let state: ParseState

    /// - Parameter delimiter: the field separator; the quote is always `"`.
    public init(delimiter: UInt8) throws(TechSurveyError) {
        // REPALL_NL makes libcsv report blank lines, so spreadsheet rows stay countable.
        parser = .allocate(capacity: 1)
        guard csv_init(parser, UInt8(CSV_REPALL_NL)) == 0 else {
            parser.deallocate()
            throw TechSurveyError(.ioError, "could not start the CSV parser (out of memory?); try again")
        }
        csv_set_delim(parser, delimiter)
        state = ParseState()
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
    }

    /// Feeds the next piece of text; `onRecord` is called for every record completed by it, blank ones
    /// included (check `isBlank`).
    public func feed(_ text: [UInt8], onRecord: (CSVRecord) throws -> Void) throws {
        try text.withUnsafeBufferPointer { try feed($0, onRecord: onRecord) }
    }

    /// Feeds text in place; the same as `feed(_:onRecord:)`.
    public func feed(_ text: UnsafeBufferPointer<UInt8>, onRecord: (CSVRecord) throws -> Void) throws {
        guard let base = text.baseAddress, !text.isEmpty else { return }
        try withHandler(onRecord) { parser, state in
            let fed = csv_parse(parser, base, text.count, fieldCallback, recordCallback, state.context)
            if fed < text.count, state.failure == nil { state.failure = parseFailure(parser) }
        }
    }

    /// True when the text fed so far ends between records, not inside one (a quoted field still open, or a
    /// last line without its line end). A piece of text cut at a line end that the previous piece's parser
    /// ends between records is a safe place to start a new parser.
    public var isBetweenRecords: Bool { parser.pointee.pstate == 0 }

    /// Records completed so far, blank ones included: the spreadsheet rows consumed.
    public var rowsSeen: Int { state.row }
    /// Line ends consumed by completed records (their own, and those inside their quoted fields).
    public var linesSeen: Int { state.line - 1 }

    /// Flushes a last record that has no line end.
    public func finish(onRecord: (CSVRecord) throws -> Void) throws {
        try withHandler(onRecord) { parser, state in
            _ = csv_fini(parser, fieldCallback, recordCallback, state.context)
        }
    }

    private func withHandler(
        _ handler: (CSVRecord) throws -> Void,
        _ body: (UnsafeMutablePointer<csv_parser>, ParseState) -> Void
    ) throws {
        try withoutActuallyEscaping(handler) { escapable in
            state.handler = escapable
            defer { state.handler = nil }
            body(parser, state)
            if let failure = state.failure {
                state.failure = nil
                throw failure
            }
        }
    }
}

private func parseFailure(_ parser: UnsafeMutablePointer<csv_parser>) -> Error {
    let code = csv_error(parser)
    let reason = csv_strerror(code).map { String(cString: $0) } ?? "code \(code)"
    return TechSurveyError(.ioError, "the CSV parser stopped: \(reason); the file may be too large for memory")
}

private final class ParseState {
    var record = CSVRecord()
    var newlinesInRecord = 0
    /// The line the next record starts on. Text reaches the parser with LF line ends only, and each record
    /// ends at one LF outside quotes, so lines advance by one per record plus its quoted newlines.
    var line = 1
    var row = 0
    var handler: ((CSVRecord) throws -> Void)?
    var failure: Error?
    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}

private let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { data, length, context in
    guard let context else { return }
    let state = Unmanaged<ParseState>.fromOpaque(context).takeUnretainedValue()
    if length > 0, let data {
        state.record.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
        // Only a quoted field holds a newline; memchr finds them without a loop over every byte.
        var cursor = UnsafeRawPointer(data)
        var remaining = length
        while remaining > 0, let hit = memchr(cursor, 0x0A, remaining) {
            state.newlinesInRecord += 1
            let step = cursor.distance(to: UnsafeRawPointer(hit)) + 1
            cursor += step
            remaining -= step
        }
    }
    state.record.ends.append(state.record.bytes.count)
}

private let recordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, context in
    guard let context else { return }
    let state = Unmanaged<ParseState>.fromOpaque(context).takeUnretainedValue()
    state.row += 1
    state.record.row = state.row
    state.record.line = state.line
    state.line += state.newlinesInRecord + 1
    if state.failure == nil, let handler = state.handler {
        do { try handler(state.record) } catch { state.failure = error }
    }
    state.record.bytes.removeAll(keepingCapacity: true)
    state.record.ends.removeAll(keepingCapacity: true)
    state.newlinesInRecord = 0
}
