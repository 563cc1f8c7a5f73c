// One parsed record: its fields' bytes back to back with their end offsets (so the reader can reuse one
// buffer for every record), plus where the record stands in the spreadsheet and in the file.

import Foundation

/// A record as libcsv delivered it. Field text is decoded only when asked for.
struct CSVRecord: Sendable {
    var bytes: [UInt8] = []
    var ends: [Int] = []
    /// The spreadsheet row: header = 1, first record = 2, blank lines counted, as Excel shows the file.
    var row = 0
    /// The physical line (1-based) where the record starts, which differs from `row` after a quoted newline.
    var line = 0
    /// Set when the record is a stray quote's: it then holds one field, the record's first line as read.
    var unclosedQuote: UnclosedQuote?
    /// A workbook row's cell kinds, one per field (SPEC §3.5); empty for a record of a text file.
    var kinds: [CellKind] = []
    /// The reader knows every byte is clean UTF-8 (the file's census said so), so the validators skip the check.
    var isKnownClean = false

    init() {}

    /// A workbook row: `cells` (non-empty ones, any order) laid out in `width` fields or more, empty fields
    /// text; `row` and `line` are the row number Excel shows.
    init(workbookRow row: Int, cells: [XlsxCell], width: Int) {
        let count = max(width, (cells.map(\.column).max() ?? -1) + 1)
        var texts = [String](repeating: "", count: count)
        kinds = [CellKind](repeating: .text, count: count)
        for cell in cells where cell.column >= 0 {
            texts[cell.column] = cell.text
            kinds[cell.column] = cell.kind
        }
        for text in texts {
            bytes.append(contentsOf: text.utf8)
            ends.append(bytes.count)
        }
        self.row = row
        self.line = row
    }

    /// The kind of field `index`: always text in a text file.
    func kind(_ index: Int) -> CellKind {
        index < kinds.count ? kinds[index] : .text
    }

    /// True for a workbook row.
    var isWorkbookRow: Bool { !kinds.isEmpty }

    /// Builds a record from strings (tests, and the writer's round trips).
    init(fields: [String], row: Int = 0, line: Int = 0) {
        for field in fields {
            bytes.append(contentsOf: Array(field.utf8))
            ends.append(bytes.count)
        }
        self.row = row
        self.line = line
    }

    var count: Int { ends.count }

    /// The raw bytes of field `index`.
    func field(_ index: Int) -> ArraySlice<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        return bytes[start..<ends[index]]
    }

    /// The record's bytes in place for `body`, so the validators read cells without counting references
    /// to the record's storage once per cell.
    func withFields<R>(_ body: (RecordFields) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in
            try ends.withUnsafeBufferPointer { e in try body(RecordFields(bytes: b, ends: e)) }
        }
    }

    /// Field `index` as NFC text with surrounding white space trimmed, or nil when its bytes are not valid
    /// UTF-8 or hold U+FFFD (a character the input's encoding could not express).
    func text(_ index: Int) -> String? {
        guard index < count else { return "" }
        return decodeCell(field(index))
    }

    /// True when every field is empty or white space: Excel's trailing `,,,,` rows.
    var isBlank: Bool {
        for b in bytes where b != 0x20 && b != 0x09 && b != 0x0A { return false }
        return true
    }

    /// The record as one CSV line in `delimiter`, for `rejects.csv`'s `raw` column: control characters shown
    /// as visible escapes (a NUL as `\0`), and cut to what one spreadsheet cell holds, saying so.
    func raw(delimiter: UInt8) -> String {
        if unclosedQuote != nil { return rawCell(String(decoding: bytes, as: UTF8.self)) }
        var parts: [String] = []
        for i in 0..<count {
            let s = String(decoding: field(i), as: UTF8.self)
            parts.append(CSVWriter.quoteIfNeeded(s, delimiter: delimiter))
        }
        return rawCell(parts.joined(separator: String(UnicodeScalar(delimiter))))
    }
}

/// Excel's limit on the characters of one cell (UTF-16 code units).
let spreadsheetCellLimit = 32_767

/// `text` as the `raw` cell of rejects.csv: control characters but TAB and line ends shown as
/// `ControlCharacters.visible` shows them (NUL as `\0`, ESC as `\x1B`, U+202E as `\u{202E}`), and cut to `spreadsheetCellLimit` with a note saying how long the record was.
func rawCell(_ text: String) -> String {
    let clean = ControlCharacters.visible(text, keepingLayout: true)
    guard clean.utf16.count > spreadsheetCellLimit else { return clean }
    let note = " … [cut here: the record as read holds \(clean.utf16.count) characters, more than the \(spreadsheetCellLimit) a spreadsheet cell can hold]"
    var kept = String.UnicodeScalarView()
    var units = 0
    for scalar in clean.unicodeScalars {
        let width = scalar.value > 0xFFFF ? 2 : 1
        if units + width > spreadsheetCellLimit - note.utf16.count { break }
        units += width
        kept.append(scalar)
    }
    return String(kept) + note
}


/// A record's fields in place; valid only inside `CSVRecord.withFields`.
struct RecordFields {
    let bytes: UnsafeBufferPointer<UInt8>
    let ends: UnsafeBufferPointer<Int>

    var count: Int { ends.count }

    /// The raw bytes of field `index` (< `count`). Pointer arithmetic, not a slice: a slice's range
    /// checks cost more than the rest of reading most cells.
    @inline(__always)
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        let end = ends[index]
        guard let base = bytes.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + start, count: end - start)
    }
}

/// Decodes one cell: ASCII is taken as is (trimmed); anything else is validated, then cleaned by
/// `cleanCellText` unless its bytes show it cannot need it.
func decodeCell(_ bytes: ArraySlice<UInt8>) -> String? {
    var ascii = true
    for b in bytes where b >= 0x80 || b == 0 { ascii = false; break }
    if ascii { return trimmed(String(decoding: bytes, as: UTF8.self)) }
    guard isCleanUTF8(bytes) else { return nil }
    let s = String(decoding: bytes, as: UTF8.self)
    return mayNeedCleaning(bytes) ? cleanCellText(s) : trimmed(s)
}

/// The one normalisation of a cell's text (SPEC §3.3), for ids, dates, counts and labels alike: NFC;
/// invisible characters (format characters such as the zero-width space, ZWNJ/ZWJ, word joiner, BOM, soft
/// hyphen, bidi marks) removed; other spaces (no-break, narrow no-break, …) made plain spaces; white space
/// trimmed at both ends. Invisible characters so never make two values differ.
func cleanCellText(_ text: String) -> String {
    let nfc = text.precomposedStringWithCanonicalMapping
    var needsMapping = false
    for scalar in nfc.unicodeScalars where scalar.value >= 0x80 && isInvisibleOrSpace(scalar) {
        needsMapping = true
        break
    }
    guard needsMapping else { return trimmed(nfc) }
    var out = String.UnicodeScalarView()
    for scalar in nfc.unicodeScalars {
        if scalar.value < 0x80 { out.append(scalar); continue }
        switch scalar.properties.generalCategory {
        case .format: continue
        case .spaceSeparator: out.append(" ")
        default: out.append(scalar)
        }
    }
    return trimmed(String(out))
}

private func isInvisibleOrSpace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .format, .spaceSeparator: return true
    default: return false
    }
}

/// Valid UTF-8 holding no U+FFFD (what a decoder writes for a byte it could not map) and no NUL byte (never
/// text: a NUL anywhere in a file makes its record `bad_encoding`).
func isCleanUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.withUnsafeBufferPointer { isCleanUTF8($0) }
}

func isCleanUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let raw = UnsafeRawBufferPointer(bytes)
    guard let base = raw.baseAddress else { return true }
    let p = base.assumingMemoryBound(to: UInt8.self)
    let end = raw.count
    var i = 0
    while i < end {
        // ASCII runs without NUL, most of a record, are skipped eight bytes at a time, also between letters.
        i = asciiRunEnd(raw, from: i)
        guard i < end else { break }
        let b = p[i]
        if b < 0x80 {
            if b == 0 { return false }
            i += 1
            continue
        }
        guard let length = utf8SequenceLength(lead: b), i + length <= end else { return false }
        for k in 1..<length where p[i + k] & 0xC0 != 0x80 { return false }
        if length >= 3 && !isCleanSequence(p + i, length: length) { return false }
        i += length
    }
    return true
}

/// False when the bytes hold only Latin letters (U+0080–U+02FF but the no-break space and soft hyphen),
/// Vietnamese precomposed letters (U+1E00–U+1EFF) and visible punctuation (U+2010–U+2027, U+2030–U+205E,
/// U+2070–U+20CF): text that `cleanCellText` leaves as it is. Combining marks (U+0300–U+036F, how NFD and
/// Windows-1258 write Vietnamese tones), spaces and invisible characters (U+2000–U+200F, U+2028–U+202F,
/// U+205F–U+206F, U+FEFF) and anything else go through it.
func mayNeedCleaning(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.withUnsafeBufferPointer { mayNeedCleaning($0) }
}

func mayNeedCleaning(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let end = p.count
    // Byte by byte: ASCII runs in Vietnamese names are a few bytes long, and skipping them a word at a time
    // cost more instructions than it saved (callgrind, 25 MB of returns).
    while i < end {
        let b = p[i]
        switch b {
        case 0..<0x80: i += 1
        case 0xC2:
            guard i + 1 < end, p[i + 1] != 0xA0 && p[i + 1] != 0xAD else { return true }
            i += 2
        case 0xC3...0xCB: i += 2
        case 0xE1 where i + 1 < end && (0xB8...0xBB).contains(p[i + 1]): i += 3
        case 0xE2 where i + 2 < end && (0x80...0x82).contains(p[i + 1]):
            let b1 = p[i + 1], b2 = p[i + 2]
            if b1 == 0x80 && (b2 <= 0x8F || (0xA8...0xAF).contains(b2)) { return true }
            if b1 == 0x81 && b2 >= 0x9F && b2 <= 0xAF { return true }
            i += 3
        default: return true
        }
    }
    return false
}

private func trimmed(_ s: String) -> String {
    guard let first = s.utf8.first, let last = s.utf8.last else { return s }
    if !isTrimmable(first) && !isTrimmable(last) { return s }
    return s.trimmingCharacters(in: .whitespacesAndNewlines)
}

func isTrimmable(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0xC2 || b == 0xA0 }
