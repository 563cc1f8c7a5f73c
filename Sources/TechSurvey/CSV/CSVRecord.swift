// One parsed record: its fields' bytes back to back with their end offsets (so the reader can reuse one
// buffer for every record), plus where the record stands in the spreadsheet and in the file.

import Foundation

/// A record as libcsv delivered it. Field text is decoded only when asked for.
public struct CSVRecord: Sendable {
    public internal(set) var bytes: [UInt8] = []
    public internal(set) var ends: [Int] = []
    /// The spreadsheet row: header = 1, first record = 2, blank lines counted, as Excel shows the file.
    public internal(set) var row = 0
    /// The physical line (1-based) where the record starts, which differs from `row` after a quoted newline.
    public internal(set) var line = 0

    public init() {}

    /// Builds a record from strings (tests, and the writer's round trips).
    public init(fields: [String], row: Int = 0, line: Int = 0) {
        for field in fields {
            bytes.append(contentsOf: Array(field.utf8))
            ends.append(bytes.count)
        }
        self.row = row
        self.line = line
    }

    public var count: Int { ends.count }

    /// The raw bytes of field `index`.
    public func field(_ index: Int) -> ArraySlice<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        return bytes[start..<ends[index]]
    }

    /// Field `index` as NFC text with surrounding white space trimmed, or nil when its bytes are not valid
    /// UTF-8 or hold U+FFFD (a character the input's encoding could not express).
    public func text(_ index: Int) -> String? {
        guard index < count else { return "" }
        return decodeCell(field(index))
    }

    /// True when every field is empty or white space: Excel's trailing `,,,,` rows.
    public var isBlank: Bool {
        for b in bytes where b != 0x20 && b != 0x09 && b != 0x0A { return false }
        return true
    }

    /// The record as one CSV line in `delimiter`, for `rejects.csv`'s `raw` column.
    public func raw(delimiter: UInt8) -> String {
        var parts: [String] = []
        for i in 0..<count {
            let s = String(decoding: field(i), as: UTF8.self)
            parts.append(CSVWriter.quoteIfNeeded(s, delimiter: delimiter))
        }
        return parts.joined(separator: String(UnicodeScalar(delimiter)))
    }
}

/// Decodes one cell: ASCII is taken as is; anything else is validated and normalised to NFC.
func decodeCell(_ bytes: ArraySlice<UInt8>) -> String? {
    var ascii = true
    for b in bytes where b >= 0x80 { ascii = false; break }
    if ascii { return trimmed(String(decoding: bytes, as: UTF8.self)) }
    guard let s = String(validating: bytes, as: UTF8.self), !s.unicodeScalars.contains("\u{FFFD}") else { return nil }
    return trimmed(s.precomposedStringWithCanonicalMapping)
}

private func trimmed(_ s: String) -> String {
    guard let first = s.utf8.first, let last = s.utf8.last else { return s }
    if !isTrimmable(first) && !isTrimmable(last) { return s }
    return s.trimmingCharacters(in: .whitespacesAndNewlines)
}

private func isTrimmable(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0xC2 || b == 0xA0 }
