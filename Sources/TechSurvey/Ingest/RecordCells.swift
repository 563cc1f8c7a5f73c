// Cell access shared by the returns and activity validators: decoded text by canonical column, and the
// checks that turn a cell into a reason code and a detail an analyst can act on.

import Foundation

/// One record's cells seen through a file's column map. Never copied (its record, map and file name are
/// seven references: copying it for each cell's check counted them up and down five times per record).
struct RecordCells<Column: CanonicalColumn>: ~Copyable {
    // The record, map and file name are borrowed from `validate`'s caller for the one call, through
    // pointers: held as values, they were seven references counted up and down for every record.
    private let recordPointer: UnsafePointer<CSVRecord>
    private let columnsPointer: UnsafePointer<ColumnMap<Column>>
    private let filePointer: UnsafePointer<String>
    /// `record`'s bytes in place: the validator builds its cells inside `record.withFields`.
    let fields: RecordFields
    let delimiter: UInt8

    // Addressed, not returned: a getter would hand out a copy, references and all.
    var record: CSVRecord { unsafeAddress { recordPointer } }
    var columns: ColumnMap<Column> { unsafeAddress { columnsPointer } }
    /// Where the record is: its file, row and line.
    var source: SourceRef { SourceRef(file: filePointer.pointee, row: recordPointer.pointee.row, line: recordPointer.pointee.line) }
    var row: Int { recordPointer.pointee.row }
    var line: Int { recordPointer.pointee.line }

    /// A problem found in the record, ready to become a `Reject`.
    struct Problem: Error {
        let reason: RejectReason
        let detail: String
    }

    func reject(_ problem: Problem) -> Reject {
        Reject(source: source, reason: problem.reason, detail: problem.detail, raw: record.raw(delimiter: delimiter))
    }

    /// Hands `record`'s cells, in place, to `build`, the validator's rules; a problem they throw becomes
    /// the record's reject, through `rejected`.
    static func validate<Outcome>(_ record: CSVRecord, columns: ColumnMap<Column>, file: String, delimiter: UInt8,
                                  rejected: (Reject) -> Outcome, _ build: (borrowing RecordCells) throws(Problem) -> Outcome) -> Outcome {
        withUnsafePointer(to: record) { recordPointer in
            withUnsafePointer(to: columns) { columnsPointer in
                withUnsafePointer(to: file) { filePointer in
                    record.withFields { fields in
                        let cells = RecordCells(recordPointer: recordPointer, columnsPointer: columnsPointer, filePointer: filePointer,
                                                fields: fields, delimiter: delimiter)
                        do throws(Problem) {
                            return try build(cells)
                        } catch {
                            return rejected(cells.reject(error))
                        }
                    }
                }
            }
        }
    }

    /// Checks the record's shape and encoding before any cell is read.
    func checkShape() throws(Problem) {
        if let quote = record.unclosedQuote {
            let named = columns.index.first(where: { $0.value == quote.cell }).map { "\($0.key.rawValue) (column \(quote.cell + 1))" }
            let name = named ?? "column \(quote.cell + 1)"
            let place = quote.lineInRecord == 0 ? "on the record's first line (the line column)" : "\(quote.lineInRecord) line(s) below the record's first line"
            let skipped = "only this record is skipped, and reading resumes on the line after its first"
            let why: String
            switch quote.reason {
            case .pastLimits:
                // Quoted or not: a cell may be this long with no quote at all, and the reader cannot tell
                // which without depending on where the text was cut.
                throw Problem(reason: .wrongColumnCount, detail: "\(name) \(place) runs past \(CSVReader.maxRecordLines) lines or \(group(String(CSVReader.maxCellCharacters), ",")) characters, more than any spreadsheet cell holds: an unclosed quote (\") opens it, or the cell is too long to be real; \(skipped); remove the stray quote or shorten the cell")
            case .neverClosed: why = "is never closed before the end of the file"
            case .holdsRecords: why = "runs over lines that are whole records of their own (each with the header's number of cells)"
            }
            throw Problem(reason: .wrongColumnCount, detail: "unclosed quote: the quote (\") opening \(name) \(place) \(why); \(skipped); remove the stray quote or close it")
        }
        if !record.isKnownClean && !isCleanUTF8(fields.bytes), let i = (0..<record.count).first(where: { record.text($0) == nil }) {
            let named = columns.index.first(where: { $0.value == i }).map { "\($0.key.rawValue) (column \(i + 1))" }
            let name = named ?? (i < columns.headerCount ? "column \(i + 1)" : "an extra cell")
            if record.field(i).contains(0) {
                throw Problem(reason: .badEncoding, detail: "\(name) holds a NUL byte (shown as \\0 in raw), which is never text; retype the cell or export the sheet again")
            }
            throw Problem(reason: .badEncoding, detail: "\(name) holds bytes that are not valid text in this file's encoding; save the file as UTF-8 or name its encoding with ENCODING=")
        }
        if record.isWorkbookRow { try checkWorkbookCells() }
        if fields.count != columns.headerCount {
            let extrasBlank = record.count > columns.headerCount
                && (columns.headerCount..<record.count).allSatisfy { record.field($0).allSatisfy { $0 == 0x20 } }
            if !extrasBlank && record.isWorkbookRow, let extra = (columns.headerCount..<record.count).first(where: { !record.field($0).isEmpty }) {
                throw Problem(reason: .wrongColumnCount, detail: "cell \(cellName(extra)) holds a value, but column \(columnLetters(extra)) has no header; give the column a header or clear the cell")
            }
            if !extrasBlank {
                throw Problem(reason: .wrongColumnCount, detail: "found \(record.count) cells, expected \(columns.headerCount) as in the header; look for a stray delimiter or an unclosed quote")
            }
        }
    }

    /// A workbook row's error cells and formulas saved without a value, in the columns the file maps
    /// (SPEC §3.5): an error is `bad_number`, a missing value `missing_value`.
    private func checkWorkbookCells() throws(Problem) {
        for (column, index) in columns.index.sorted(by: { $0.value < $1.value }) where index < record.count {
            switch record.kind(index) {
            case .uncalculated:
                throw Problem(reason: .missingValue, detail: "\(column.rawValue) (cell \(cellName(index))) is a formula saved without its value: the workbook was not recalculated; open and save it in Excel")
            case .error:
                throw Problem(reason: .badNumber, detail: "\(column.rawValue) (cell \(cellName(index))) holds the error \(quotedCell(record.text(index) ?? "", limit: 20)); correct the formula or the value in the workbook")
            default:
                continue
            }
        }
    }

    /// The cell's name as Excel shows it (column letters and row), e.g. `E7`.
    private func cellName(_ index: Int) -> String { columnLetters(index) + String(record.row) }

    /// The kind of `column`'s cell: text for a text file, or a column the file lacks.
    func kind(_ column: Column) -> CellKind {
        guard let index = columns[column] else { return .text }
        return record.kind(index)
    }

    /// The raw bytes of `column` (empty when the file has no such column), for hot-path parsing.
    @inline(__always)
    func bytes(_ column: Column) -> UnsafeBufferPointer<UInt8> {
        guard let index = columns[column], index < fields.count else { return UnsafeBufferPointer(start: nil, count: 0) }
        return fields.field(index)
    }

    /// Throws `missing_value` when a required cell is empty or blank, without decoding it.
    @inline(__always)
    func requirePresent(_ column: Column) throws(Problem) {
        let raw = bytes(column)
        if let first = raw.first, first > 0x20 && first < 0x7F { return }
        try requirePresentSlowly(column, raw)
    }

    /// `requirePresent` for a cell that does not start with a visible ASCII character.
    private func requirePresentSlowly(_ column: Column, _ raw: UnsafeBufferPointer<UInt8>) throws(Problem) {
        // A no-break space or other Unicode blank is only seen once the cell is decoded.
        if raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }) || (raw.contains { $0 >= 0x80 } && text(column).isEmpty) {
            throw Problem(reason: .missingValue, detail: "\(column.rawValue) is empty; it is required")
        }
    }

    /// The trimmed text of `column`, empty when the file has no such column.
    func text(_ column: Column) -> String {
        guard let index = columns[column] else { return "" }
        return record.text(index) ?? ""
    }

    /// The text of a required column, or `missing_value`.
    func required(_ column: Column) throws(Problem) -> String {
        let value = text(column)
        guard !value.isEmpty else {
            throw Problem(reason: .missingValue, detail: "\(column.rawValue) is empty; it is required")
        }
        return value
    }

    /// A count cell: `bad_number` or `negative_count` when it is not a whole number ≥ 0. Empty is 0 unless required.
    func count(_ column: Column) throws(Problem) -> Int {
        // Plain digits, the common case, are read straight from the bytes.
        let raw = bytes(column)
        if !raw.isEmpty, raw.count <= 9, raw.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return raw.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        let value = column.isRequired ? try required(column) : text(column)
        if value.isEmpty { return 0 }
        switch kind(column) {
        case .number:
            // A number cell is a number, never text with group separators: 1.234 is not 1234.
            if value.hasPrefix("-") {
                throw Problem(reason: .negativeCount, detail: "\(column.rawValue) is the number \(value); a count cannot be negative")
            }
            if value.contains(".") {
                throw Problem(reason: .badNumber, detail: "\(column.rawValue) is the number \(value), not a whole number; a count is a whole number")
            }
        case .date, .dateTime, .time, .bool:
            throw Problem(reason: .badNumber, detail: "\(column.rawValue) is a \(kindName(kind(column))) cell (\(quotedCell(value))), not a number; type the count as a number")
        default:
            break
        }
        switch parseCount(value) {
        case .success(let n): return n
        case .failure(.negative):
            throw Problem(reason: .negativeCount, detail: "\(column.rawValue) is \(quotedCell(value)); a count cannot be negative")
        case .failure(.notANumber):
            throw Problem(reason: .badNumber, detail: "\(column.rawValue) is \(quotedCell(value)), not a whole number; write digits only, e.g. 12 or 1.234")
        case .failure(.tooLarge):
            throw Problem(reason: .badNumber, detail: "\(column.rawValue) is \(quotedCell(value)), too large: at most \(group(String(maxCount), ",")) in one cell; check the cell for a typing slip")
        }
    }

    /// A date cell: `bad_date` when it is not one of the accepted forms.
    func date(_ column: Column) throws(Problem) -> CalendarDate {
        if let (date, _) = CalendarDate.parseDateTime(bytes: bytes(column)) { return date }
        let value = try required(column)
        // A no-break space, zero-width space or BOM around the date is gone from the cleaned text.
        if let (date, _) = CalendarDate.parseDateTime(value) { return date }
        if kind(column) == .number {
            throw Problem(reason: .badDate, detail: "\(column.rawValue) is the number \(value), not a date; format the cell as a date, or type it as dd/mm/yyyy")
        }
        throw Problem(reason: .badDate, detail: "\(column.rawValue) is \(quotedCell(value)), not a date; write yyyy-mm-dd or dd/mm/yyyy (day first)")
    }

    /// A label cell looked up through `cache`, so each distinct spelling is folded once per file.
    /// A label through `cache`; `matcher` only sees a spelling the cache has not.
    func label<Code>(_ column: Column, _ cache: LabelCache<Code>, _ matcher: LabelMatcher<Code>) -> Code? {
        cache.code(for: bytes(column)) { matcher.match(text(column)) }
    }
}

/// Column letters as Excel shows them: 0 is A, 25 is Z, 26 is AA.
func columnLetters(_ index: Int) -> String {
    var n = index + 1
    var letters: [Character] = []
    while n > 0 {
        let digit = (n - 1) % 26
        letters.insert(Character(UnicodeScalar(UInt8(65 + digit))), at: 0)
        n = (n - 1) / 26
    }
    return String(letters)
}

/// How a detail names a cell kind.
func kindName(_ kind: CellKind) -> String {
    switch kind {
    case .text: return "text"
    case .number: return "number"
    case .date: return "date"
    case .dateTime: return "date-time"
    case .time: return "time"
    case .bool: return "true/false"
    case .error: return "error"
    case .uncalculated: return "formula without a value"
    }
}

/// What each distinct label's bytes matched, so a label is folded once per file rather than once per row.
/// A label column holds a handful of spellings: they are compared byte for byte, most recent first,
/// before any hashing.
final class LabelCache<Code> {
    private var recent: [(bytes: [UInt8], code: Code?)] = []
    private var known: [LabelBytes: Code?] = [:]

    func code(for bytes: UnsafeBufferPointer<UInt8>, resolve: () -> Code?) -> Code? {
        if let hit = lookup(bytes) { return hit }
        let code = resolve()
        store(bytes, code)
        return code
    }

    /// What `bytes` matched before (`.some(nil)`: no match), or nil when they are new.
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Code?? {
        for entry in recent where entry.bytes.count == bytes.count && entry.bytes.withUnsafeBufferPointer({ sameBytes($0, bytes) }) {
            return .some(entry.code)
        }
        if known.isEmpty { return nil }
        if let hit = known[LabelBytes(ArraySlice(bytes))] { return .some(hit) }
        return nil
    }

    func store(_ bytes: UnsafeBufferPointer<UInt8>, _ code: Code?) {
        if recent.count < 16 {
            recent.append((Array(bytes), code))
        } else if known.count < 4096 {
            // Free text in a label column must not grow the cache without bound.
            known[LabelBytes(ArraySlice(Array(bytes)))] = code
        }
    }
}

/// A cell's bytes as a dictionary key, hashed in one call rather than byte by byte.
struct LabelBytes: Hashable {
    let bytes: ArraySlice<UInt8>
    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (a: LabelBytes, b: LabelBytes) -> Bool {
        a.bytes.withUnsafeBufferPointer { x in b.bytes.withUnsafeBufferPointer { y in sameBytes(x, y) } }
    }
}

/// Byte-for-byte equality, with memcmp.
func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    guard let p = a.baseAddress, let q = b.baseAddress else { return true }
    return memcmp(p, q, a.count) == 0
}
