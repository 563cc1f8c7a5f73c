// The one CSV reader: every byte of input goes through libcsv here, and nowhere else. It numbers records
// by spreadsheet row and by physical line, which libcsv itself does not track, and says whether the text
// fed so far ends between records, which is what lets a file be parsed in pieces on several cores.

import CLibCSV
import Foundation

/// Streams records out of UTF-8 text with LF line ends (what `Transcoder` produces).
///
/// A quoted cell that runs past what a spreadsheet cell holds (`maxCellCharacters`) or across more lines
/// than any real cell does (a record spanning more than `maxRecordLines` lines), or whose quote is never
/// closed, is not a cell but a stray quote swallowing the records after it. The record it opens is handed
/// on as an `unclosedQuote` record holding its first line only, and reading resumes at the line after that
/// first line, so one stray quote costs one record. To resume there, the text of a record still open at the
/// end of a `feed` is kept until the record ends; the limits bound it. Whether a record breaks a limit
/// does not depend on how the text is cut into feeds, so the parallel reader gives what one reader gives.
///
/// Once `recordCells` is set (the header's number of cells), a quoted cell spanning lines is also not a
/// cell when the lines it spans show it swallowed whole records: a line wholly inside it, read on its own,
/// has at least `recordCells` cells; or both its opening line (its opening quote read as a plain
/// character) and its closing line do. Cells are counted at the delimiter outside quotes. A real
/// multi-line cell (an address, a note) never has a whole record's worth of delimiters on its inner lines.
final class CSVReader {
    private var parser: UnsafeMutablePointer<csv_parser>
    private let state: ParseState
    private let delimiter: UInt8
    /// The text of the record still open after the last feed, from its first byte (already fed).
    private var retained: [UInt8] = []
    /// The line `retained` starts on.
    private var retainedLine = 1

    /// A record spanning more lines than this is a stray quote's doing.
    static let maxRecordLines = 100
    /// A cell longer than this (Excel's cell limit, in UTF-16 units) is a stray quote's doing.
    static let maxCellCharacters = spreadsheetCellLimit

    /// The cells of a complete record of the file (the header's count), once the header is known; nil
    /// before, when only the line and character limits apply.
    var recordCells: Int? {
        get { state.recordCells }
        set { state.recordCells = newValue.map { max(2, $0) } }
    }

    /// - Parameters:
    ///   - delimiter: the field separator; the quote is always `"`.
    ///   - textIsClean: the text is known to be clean UTF-8 (`FileFacts.textIsClean`); its records say so.
    init(delimiter: UInt8, textIsClean: Bool = false) throws(TechSurveyError) {
        parser = try Self.makeParser(delimiter: delimiter)
        self.delimiter = delimiter
        state = ParseState()
        state.delimiter = delimiter
        state.record.isKnownClean = textIsClean
    }

    private static func makeParser(delimiter: UInt8) throws(TechSurveyError) -> UnsafeMutablePointer<csv_parser> {
        // REPALL_NL makes libcsv report blank lines, so spreadsheet rows stay countable.
        let parser = UnsafeMutablePointer<csv_parser>.allocate(capacity: 1)
        guard csv_init(parser, UInt8(CSV_REPALL_NL)) == 0 else {
            parser.deallocate()
            throw TechSurveyError(.ioError, "could not start the CSV parser (out of memory?); try again")
        }
        csv_set_delim(parser, delimiter)
        return parser
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
    }

    /// Feeds the next piece of text; `onRecord` is called for every record completed by it, blank ones
    /// included (check `isBlank`).
    func feed(_ text: [UInt8], onRecord: (CSVRecord) throws -> Void) throws {
        try text.withUnsafeBufferPointer { try feed($0, onRecord: onRecord) }
    }

    /// Feeds text in place; the same as `feed(_:onRecord:)`.
    func feed(_ text: UnsafeBufferPointer<UInt8>, onRecord: (CSVRecord) throws -> Void) throws {
        guard text.baseAddress != nil, !text.isEmpty else { return }
        try withHandler(onRecord) {
            if retained.isEmpty {
                // Between records: the text starts on the line the next record starts on.
                try process(text, from: 0, baseLine: state.line)
            } else {
                var work = retained
                work.append(contentsOf: text)
                let (fed, base) = (retained.count, retainedLine)
                retained = []
                try work.withUnsafeBufferPointer { try process($0, from: fed, baseLine: base) }
            }
        }
    }

    /// True when the text fed so far ends between records, not inside one (a quoted field still open, or a
    /// last line without its line end). A piece of text cut at a line end that the previous piece's parser
    /// ends between records is a safe place to start a new parser.
    var isBetweenRecords: Bool { parser.pointee.pstate == 0 }

    /// Records completed so far, blank ones included: the spreadsheet rows consumed.
    var rowsSeen: Int { state.row }
    /// Line ends consumed by completed records (their own, and those inside their quoted fields).
    var linesSeen: Int { state.line - 1 }

    /// Flushes a last record that has no line end. A quote still open here is never closed: its record is
    /// skipped like any stray quote's, and the lines after its first are read.
    func finish(onRecord: (CSVRecord) throws -> Void) throws {
        try withHandler(onRecord) {
            while true {
                let buffer = retained, base = retainedLine
                retained = []
                if isInsideQuotes && !buffer.isEmpty {
                    let open = openRecord(reason: .neverClosed)
                    try buffer.withUnsafeBufferPointer { b in
                        let next = try skip(open, in: b, baseLine: base)
                        if next < b.count { try process(b, from: next, baseLine: base) }
                    }
                    continue
                }
                _ = csv_fini(parser, fieldCallback, recordCallback, state.context)
                try state.rethrow()
                guard let runaway = state.runaway else { return }
                state.runaway = nil
                try buffer.withUnsafeBufferPointer { b in
                    let next = try skip(runaway, in: b, baseLine: base)
                    if next < b.count { try process(b, from: next, baseLine: base) }
                }
            }
        }
    }

    private var isInsideQuotes: Bool { parser.pointee.pstate == 2 && parser.pointee.quoted != 0 }
    /// In a quoted field, or just past a quote inside one (state 3: the next byte says whether it closed
    /// the field or was doubled): the text that follows may hold a line end inside that field.
    private var isInQuotedField: Bool { isInsideQuotes || (parser.pointee.pstate == 3 && parser.pointee.quoted != 0) }

    /// Feeds `buffer[from...]` (what comes before was fed already; `buffer` starts on line `baseLine`),
    /// skipping every record that breaks a limit, and keeps the text of a record left open.
    private func process(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, baseLine: Int) throws {
        guard let base = buffer.baseAddress else { return }
        var start = from
        // What csv_fini flushes later was not looked at here.
        defer { state.quoteFree = false }
        while start < buffer.count {
            // Outside quotes a line end ends the record, so with no quote ahead no cell can hold one.
            state.quoteFree = !isInQuotedField && memchr(base + start, 0x22, buffer.count - start) == nil
            let fed = csv_parse(parser, base + start, buffer.count - start, fieldCallback, recordCallback, state.context)
            try state.rethrow()
            if let runaway = state.runaway {
                state.runaway = nil
                start = try skip(runaway, in: buffer, baseLine: baseLine)
                continue
            }
            if fed < buffer.count - start { throw parseFailure(parser) }
            guard !isBetweenRecords else {
                // libcsv skips a record's leading spaces without opening it; when a piece ends inside them,
                // keep them, so a stray quote's record read in pieces starts its line as it does read whole.
                if buffer[buffer.count - 1] != 0x0A {
                    retained = Array(buffer[offset(ofLine: state.line, in: buffer, baseLine: baseLine)...])
                    retainedLine = state.line
                }
                return
            }
            let recordStart = offset(ofLine: state.line, in: buffer, baseLine: baseLine)
            let openLines = lineEnds(in: UnsafeBufferPointer(rebasing: buffer[recordStart...]))
            if openLines > Self.maxRecordLines {
                start = try skip(openRecord(reason: .pastLimits), in: buffer, baseLine: baseLine)
                continue
            }
            if openLines > 0 && isInsideQuotes && parser.pointee.entry_pos > Self.maxCellCharacters,
               let entry = parser.pointee.entry_buf,
               utf16Length(UnsafeBufferPointer(start: entry, count: parser.pointee.entry_pos)) > Self.maxCellCharacters {
                start = try skip(openRecord(reason: .pastLimits), in: buffer, baseLine: baseLine)
                continue
            }
            retained = Array(buffer[recordStart...])
            retainedLine = state.line
            return
        }
    }

    /// The record open in the parser, as a runaway. The cell at fault is the one in which the record passed
    /// the line limit: a cell already read when it passed there, else the cell still open (which is also the
    /// one at fault for the character limit and for a quote never closed). The record callback names the
    /// same cell, so the message does not depend on where the text was cut into feeds.
    private func openRecord(reason: UnclosedQuote.Reason) -> Runaway {
        let quote = state.crossing.map { UnclosedQuote(cell: $0.cell, lineInRecord: $0.line, reason: reason) }
            ?? UnclosedQuote(cell: state.cellCount, lineInRecord: state.newlinesInRecord, reason: reason)
        return Runaway(row: state.row + 1, line: state.line, quote: quote)
    }

    /// Hands on `runaway` as a record of its first line, starts a fresh parser, and returns where the line
    /// after that first line starts in `buffer`.
    private func skip(_ runaway: Runaway, in buffer: UnsafeBufferPointer<UInt8>, baseLine: Int) throws -> Int {
        let first = offset(ofLine: runaway.line, in: buffer, baseLine: baseLine)
        var end = first
        while end < buffer.count && buffer[end] != 0x0A { end += 1 }
        csv_free(parser)
        parser.deallocate()
        parser = try Self.makeParser(delimiter: delimiter)
        state.resetRecord()
        var record = CSVRecord()
        record.bytes = Array(buffer[first..<end])
        record.ends = [record.bytes.count]
        record.row = runaway.row
        record.line = runaway.line
        record.unclosedQuote = runaway.quote
        state.row = runaway.row
        state.line = runaway.line + 1
        try state.handler?(record)
        return min(buffer.count, end + 1)
    }

    private func withHandler(_ handler: (CSVRecord) throws -> Void, _ body: () throws -> Void) throws {
        try withoutActuallyEscaping(handler) { escapable in
            state.handler = escapable
            defer { state.handler = nil }
            try body()
        }
    }
}

/// Where line `line` starts in `buffer`, which starts on line `baseLine` (the end when it is not there).
private func offset(ofLine line: Int, in buffer: UnsafeBufferPointer<UInt8>, baseLine: Int) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    var position = 0
    var current = baseLine
    while current < line, position < buffer.count, let hit = memchr(base + position, 0x0A, buffer.count - position) {
        position = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit)) + 1
        current += 1
    }
    return current < line ? buffer.count : position
}

private func lineEnds(in buffer: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    var count = 0, position = 0
    while position < buffer.count, let hit = memchr(base + position, 0x0A, buffer.count - position) {
        position = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit)) + 1
        count += 1
    }
    return count
}

/// The UTF-16 length of UTF-8 text, as a spreadsheet counts characters.
func utf16Length(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var n = 0
    for b in bytes where b & 0xC0 != 0x80 { n += b >= 0xF0 ? 2 : 1 }
    return n
}

/// A quoted cell that is not a cell: which one, on which line its quote opened, and what gave it away.
struct UnclosedQuote: Sendable, Equatable {
    enum Reason: Sendable, Equatable {
        /// Its record spans more than `CSVReader.maxRecordLines` lines, or it runs past
        /// `CSVReader.maxCellCharacters`. One reason for both: which limit is seen first depends on where
        /// the text was cut, and the result must not.
        case pastLimits
        /// Its quote is still open at the end of the file.
        case neverClosed
        /// The lines it spans hold whole records of the file (see `CSVReader.recordCells`).
        case holdsRecords
    }
    /// The cell's index in its record.
    var cell: Int
    /// The line its quote opened on, counted from the record's first line (0). Relative, so a record read by
    /// a parser that started mid-file says the same.
    var lineInRecord: Int
    var reason: Reason
}

/// A record to skip, found while parsing.
private struct Runaway {
    var row: Int
    var line: Int
    var quote: UnclosedQuote
}

private func parseFailure(_ parser: UnsafeMutablePointer<csv_parser>) -> Error {
    let code = csv_error(parser)
    let reason = csv_strerror(code).map { String(cString: $0) } ?? "code \(code)"
    return TechSurveyError(.ioError, "the CSV parser stopped: \(reason); the file may be too large for memory")
}

private final class ParseState {
    var record = CSVRecord()
    /// The current record's cell bytes as libcsv hands them over, moved into `record.bytes` once per
    /// record: one array append per record rather than one per cell (those were 5 % of ingest's work).
    let text = ByteBuffer(capacity: 4096)
    /// Where each of the current record's cells ends in `text`, moved into `record.ends` the same way: an
    /// array append per cell, with its uniqueness check, cost more than the rest of the cell's callback.
    private(set) var cellEnds = UnsafeMutablePointer<Int>.allocate(capacity: 64)
    private var cellEndsCapacity = 64
    /// The current record's cells so far.
    private(set) var cellCount = 0
    var newlinesInRecord = 0
    /// The text being parsed holds no quote and the parser is in no quoted field: no cell holds a line end.
    var quoteFree = false
    /// The line the next record starts on. Text reaches the parser with LF line ends only, and each record
    /// ends at one LF outside quotes, so lines advance by one per record plus its quoted newlines.
    var line = 1
    var row = 0
    var handler: ((CSVRecord) throws -> Void)?
    var failure: Error?
    /// The cell of the current record in which its line ends passed `maxRecordLines`, and the line it starts
    /// on (from the record's first, 0); a cell past the character limit.
    var crossing: (cell: Int, line: Int)?
    var tooLong: (cell: Int, line: Int)?
    /// See `CSVReader.recordCells`.
    var recordCells: Int?
    var delimiter: UInt8 = 0x2C
    /// Cells of the current record on its current physical line so far, and the last multi-line cell
    /// whose opening line held a whole record's worth of cells (its closing line decides).
    var lineCells = 0
    var openedFull: (cell: Int, line: Int)?
    /// A record that broke a limit in this parse call; what the parser gives after it is ignored, since
    /// reading resumes on the line after its first.
    var runaway: Runaway?
    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    deinit { cellEnds.deallocate() }

    /// Ends the current cell at the end of `text`.
    @inline(__always)
    func endCell() {
        if cellCount == cellEndsCapacity { growCellEnds() }
        cellEnds[cellCount] = text.count
        cellCount += 1
    }

    private func growCellEnds() {
        let bigger = UnsafeMutablePointer<Int>.allocate(capacity: cellEndsCapacity * 2)
        bigger.update(from: cellEnds, count: cellCount)
        cellEnds.deallocate()
        cellEnds = bigger
        cellEndsCapacity *= 2
    }

    /// The record's cells, from `text` and `cellEnds`, into `record`.
    func fillRecord() {
        record.bytes.append(contentsOf: UnsafeBufferPointer(start: text.base, count: text.count))
        record.ends.append(contentsOf: UnsafeBufferPointer(start: cellEnds, count: cellCount))
    }

    func resetRecord() {
        text.removeAll()
        cellCount = 0
        record.bytes.removeAll(keepingCapacity: true)
        record.ends.removeAll(keepingCapacity: true)
        newlinesInRecord = 0
        crossing = nil
        tooLong = nil
        runaway = nil
        lineCells = 0
        openedFull = nil
    }

    /// Counts the cells of each physical line a multi-line cell spans (see `CSVReader.recordCells`), and
    /// marks the record a runaway when they show the cell swallowed records. Runs only for cells holding a
    /// line end, so the hot path of one-line records pays one increment.
    func checkSpannedLines(_ cell: UnsafeBufferPointer<UInt8>, cell index: Int, line: Int, recordCells: Int) {
        var segment = 0, delimiters = 0, quoted = false
        for i in 0..<cell.count {
            let b = cell[i]
            if b == 0x22 { quoted.toggle() }
            else if b == delimiter && !quoted { delimiters += 1 }
            else if b == 0x0A {
                let cells = segment == 0 ? lineCells + 1 + delimiters : 1 + delimiters
                if segment == 0 {
                    // This line closes the previous multi-line cell of the record (if any) and opens this one.
                    if let full = openedFull, cells >= recordCells {
                        runaway = Runaway(row: row + 1, line: self.line, quote: UnclosedQuote(cell: full.cell, lineInRecord: full.line, reason: .holdsRecords))
                        return
                    }
                    openedFull = cells >= recordCells ? (index, line) : nil
                } else if cells >= recordCells {
                    runaway = Runaway(row: row + 1, line: self.line, quote: UnclosedQuote(cell: index, lineInRecord: line, reason: .holdsRecords))
                    return
                }
                segment += 1
                delimiters = 0
                quoted = false
            }
        }
        // The closing line so far: this cell's tail, counted on, cell by cell, until the record or the next
        // multi-line cell ends it.
        lineCells = 1 + delimiters
    }

    /// The limits' bookkeeping for a cell holding a line end or past the character limit.
    func checkLimits(_ cell: UnsafeBufferPointer<UInt8>) {
        guard let start = cell.baseAddress else { return }
        let length = cell.count
        let before = newlinesInRecord
        var cursor = UnsafeRawPointer(start)
        var remaining = length
        while remaining > 0, let hit = memchr(cursor, 0x0A, remaining) {
            newlinesInRecord += 1
            let step = cursor.distance(to: UnsafeRawPointer(hit)) + 1
            cursor += step
            remaining -= step
        }
        if crossing == nil && newlinesInRecord > CSVReader.maxRecordLines {
            crossing = (cellCount, before)
        }
        if length > CSVReader.maxCellCharacters && tooLong == nil, utf16Length(cell) > CSVReader.maxCellCharacters {
            tooLong = (cellCount, before)
        }
        // A record past a limit is the limits' (a reader fed in pieces sees those first, and must agree).
        if newlinesInRecord > before, let cells = recordCells, tooLong == nil, newlinesInRecord <= CSVReader.maxRecordLines {
            checkSpannedLines(cell, cell: cellCount, line: before, recordCells: cells)
        } else {
            lineCells += 1
        }
    }

    func rethrow() throws {
        if let failure {
            self.failure = nil
            throw failure
        }
    }
}

// The state is borrowed, not retained: the reader holds it for the whole parse, and a retain and a release
// per field were 5 % of ingest's CPU.
private let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { data, length, context in
    guard let context else { return }
    Unmanaged<ParseState>.fromOpaque(context)._withUnsafeGuaranteedRef { state in
        if state.runaway != nil { return }
        if length > 0, let data {
            state.text.reserve(length)
            state.text.append(UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt8.self), count: length))
            // Only a quoted field holds a newline; memchr finds them without a loop over every byte, and
            // text without a quote needs no look at all. A cell with none, within the character limit, moves
            // no limit (a record past the line limit got its crossing in the cell that took it there): it
            // only counts on its line. (Two 8-byte words for a short cell instead of memchr measured the
            // same: what memchr's call saved went into the callback.)
            if length <= CSVReader.maxCellCharacters && (state.quoteFree || memchr(data, 0x0A, length) == nil) {
                state.lineCells += 1
            } else {
                state.checkLimits(UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt8.self), count: length))
            }
        } else {
            state.lineCells += 1
        }
        state.endCell()
    }
}

private let recordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, context in
    guard let context else { return }
    Unmanaged<ParseState>.fromOpaque(context)._withUnsafeGuaranteedRef { endRecord($0) }
}

private func endRecord(_ state: ParseState) {
    if state.runaway != nil { return }
    if state.newlinesInRecord > CSVReader.maxRecordLines || state.tooLong != nil {
        let quote = state.tooLong.map { UnclosedQuote(cell: $0.cell, lineInRecord: $0.line, reason: .pastLimits) }
            ?? UnclosedQuote(cell: state.crossing?.cell ?? 0, lineInRecord: state.crossing?.line ?? 0, reason: .pastLimits)
        state.runaway = Runaway(row: state.row + 1, line: state.line, quote: quote)
        return
    }
    if let full = state.openedFull, let cells = state.recordCells, state.lineCells >= cells {
        state.runaway = Runaway(row: state.row + 1, line: state.line,
                                quote: UnclosedQuote(cell: full.cell, lineInRecord: full.line, reason: .holdsRecords))
        return
    }
    state.row += 1
    state.fillRecord()
    state.record.row = state.row
    state.record.line = state.line
    state.line += state.newlinesInRecord + 1
    if state.failure == nil, let handler = state.handler {
        // Moved out for the call, not copied: a copy counted the record's arrays up and down each time.
        var record = CSVRecord()
        swap(&record, &state.record)
        do { try handler(record) } catch { state.failure = error }
        swap(&record, &state.record)
    }
    // No runaway here (one returns above): the same clearing a skipped record gets.
    state.resetRecord()
}
