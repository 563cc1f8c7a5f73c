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

    /// The record's bytes in place for `body`, so the validators read cells without counting references
    /// to the record's storage once per cell.
    func withFields<R>(_ body: (RecordFields) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in
            try ends.withUnsafeBufferPointer { e in try body(RecordFields(bytes: b, ends: e)) }
        }
    }

    /// Field `index` as NFC text with surrounding white space trimmed, or nil when its bytes are not valid
    /// UTF-8 or hold U+FFFD (a character the input's encoding could not express).
    public func text(_ index: Int) -> String? {
        guard index < count else { return "" }
        return decodeCell(field(index))
    }

    /// True when every byte of the record is valid UTF-8 and none is U+FFFD, so `text(_:)` succeeds for
    /// every field. Checked once per record instead of once per cell.
    public var isValidText: Bool { isCleanUTF8(bytes[...]) }

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

/// A record's fields in place; valid only inside `CSVRecord.withFields`.
struct RecordFields {
    let bytes: UnsafeBufferPointer<UInt8>
    let ends: UnsafeBufferPointer<Int>

    var count: Int { ends.count }

    /// The raw bytes of field `index`.
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[index]])
    }
}

/// Decodes one cell: ASCII is taken as is; anything else is validated, and normalised to NFC unless it
/// can only hold characters that are already NFC.
func decodeCell(_ bytes: ArraySlice<UInt8>) -> String? {
    var ascii = true
    for b in bytes where b >= 0x80 { ascii = false; break }
    if ascii { return trimmed(String(decoding: bytes, as: UTF8.self)) }
    guard isCleanUTF8(bytes) else { return nil }
    let s = String(decoding: bytes, as: UTF8.self)
    return trimmed(mayNeedNFC(bytes) ? s.precomposedStringWithCanonicalMapping : s)
}

/// Valid UTF-8 holding no U+FFFD (what a decoder writes for a byte it could not map).
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
        // ASCII runs, most of a record, are skipped eight bytes at a time, also between letters.
        while i + 8 <= end, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
        guard i < end else { break }
        let b = p[i]
        if b < 0x80 {
            i += 1
            continue
        }
        guard let length = utf8SequenceLength(lead: b), i + length <= end else { return false }
        for k in 1..<length where p[i + k] & 0xC0 != 0x80 { return false }
        if length == 3 {
            let b1 = p[i + 1]
            if b == 0xE0 && b1 < 0xA0 { return false }
            if b == 0xED && b1 >= 0xA0 { return false }
            if b == 0xEF && b1 == 0xBF && p[i + 2] == 0xBD { return false }
        } else if length == 4 {
            let b1 = p[i + 1]
            if (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 >= 0x90) { return false }
        }
        i += length
    }
    return true
}

/// False when the bytes hold only Latin letters (U+0080–U+02FF), Vietnamese precomposed letters
/// (U+1E00–U+1EFF) and common punctuation (U+2000–U+20CF): text that NFC leaves as it is. Combining marks
/// (U+0300–U+036F, how NFD and Windows-1258 write Vietnamese tones) and anything else go through NFC.
func mayNeedNFC(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.withUnsafeBufferPointer { mayNeedNFC($0) }
}

func mayNeedNFC(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let end = p.count
    while i < end {
        let b = p[i]
        switch b {
        case 0..<0x80: i += 1
        case 0xC2...0xCB: i += 2
        case 0xE1 where i + 1 < end && (0xB8...0xBB).contains(p[i + 1]): i += 3
        case 0xE2 where i + 1 < end && (0x80...0x82).contains(p[i + 1]): i += 3
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
