// The one CSV reader: every byte of input goes through libcsv here, and nowhere else. It numbers records
// by spreadsheet row and by physical line, which libcsv itself does not track.

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
        try withHandler(onRecord) { parser, state in
            text.withUnsafeBufferPointer { buffer in parseLines(buffer, parser: parser, state: state) }
        }
    }

    // Feeding line by line lets the record callback know which physical line it is on.
    private func parseLines(_ buffer: UnsafeBufferPointer<UInt8>, parser: UnsafeMutablePointer<csv_parser>, state: ParseState) {
        guard let base = buffer.baseAddress else { return }
        var start = 0
        while start < buffer.count {
            var end = buffer.count
            if let newline = memchr(base + start, 0x0A, buffer.count - start) {
                end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
            }
            let length = end - start
            let fed = csv_parse(parser, base + start, length, fieldCallback, recordCallback, state.context)
            if fed < length, state.failure == nil { state.failure = parseFailure(parser) }
            if state.failure != nil { return }
            if base[end - 1] == 0x0A { state.line += 1 }
            start = end
        }
    }

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
    state.record.line = state.line - state.newlinesInRecord
    if state.failure == nil, let handler = state.handler {
        do { try handler(state.record) } catch { state.failure = error }
    }
    state.record.bytes.removeAll(keepingCapacity: true)
    state.record.ends.removeAll(keepingCapacity: true)
    state.newlinesInRecord = 0
}
