// Writes RFC 4180 CSV: the stage files between stages, and the published tables, whose text cells are
// neutralised so a spreadsheet never runs them as formulas (SPEC §4).

import Foundation

/// A cell to write: text is quoted when needed (and neutralised in published tables); numbers never are.
enum CSVCell: Sendable, Equatable {
    case text(String)
    case number(String)
}

/// Accumulates CSV as UTF-8 bytes in memory; the caller writes them out atomically.
struct CSVWriter: Sendable {
    private(set) var bytes: [UInt8] = []
    private let neutralise: Bool
    /// RFC 4180's CR LF for published files; LF for the stage's own files, which the reader takes as is.
    private let crlf: Bool

    /// Hands over the bytes written so far and starts empty again (for writing a large file in pieces).
    mutating func drain() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    /// The CSV written so far, as text.
    var output: String { String(decoding: bytes, as: UTF8.self) }

    /// - Parameters:
    ///   - byteOrderMark: start with U+FEFF so Excel on Vietnamese Windows shows diacritics.
    ///   - neutralise: prefix text cells that a spreadsheet would treat as a formula with `'`.
    ///   - crlf: end rows with CR LF (RFC 4180); false ends them with LF.
    init(byteOrderMark: Bool = false, neutralise: Bool = false, crlf: Bool = true) {
        self.neutralise = neutralise
        self.crlf = crlf
        if byteOrderMark { bytes = [0xEF, 0xBB, 0xBF] }
    }

    mutating func writeRow(_ cells: [CSVCell]) {
        var first = true
        for cell in cells {
            if !first { bytes.append(0x2C) }
            first = false
            switch cell {
            case .number(let n): bytes.append(contentsOf: n.utf8)
            case .text(let t): appendText(neutralise ? Self.neutralised(t) : t)
            }
        }
        endRow()
    }

    // Cell by cell, for the stage files' millions of rows: no array of cells, numbers and dates as bytes.

    /// Appends a text cell (quoted when needed, neutralised if this writer neutralises).
    mutating func text(_ value: String, first: Bool = false) {
        if !first { bytes.append(0x2C) }
        appendText(neutralise ? Self.neutralised(value) : value)
    }

    /// Appends a whole number cell.
    mutating func int(_ value: Int, first: Bool = false) {
        if !first { bytes.append(0x2C) }
        if value < 0 { bytes.append(0x2D) }
        appendNumber(value.magnitude)
    }

    /// Appends the digits of `n`, with no array in between: the stage writes millions of them.
    mutating func appendNumber(_ n: UInt) {
        var width = 1
        var rest = n
        while rest >= 10 {
            rest /= 10
            width += 1
        }
        bytes.append(contentsOf: repeatElement(0x30, count: width))
        var index = bytes.count - 1
        var magnitude = n
        repeat {
            bytes[index] = UInt8(magnitude % 10) + 0x30
            magnitude /= 10
            index -= 1
        } while magnitude > 0
    }

    /// Appends an ISO date cell, and a time of day when `seconds` is given.
    mutating func date(_ d: CalendarDate, seconds: Int? = nil) {
        bytes.append(0x2C)
        appendDigits(d.year, 4)
        bytes.append(0x2D)
        appendDigits(d.month, 2)
        bytes.append(0x2D)
        appendDigits(d.day, 2)
        if let seconds {
            bytes.append(0x20)
            appendDigits(seconds / 3600, 2)
            bytes.append(0x3A)
            appendDigits(seconds / 60 % 60, 2)
            bytes.append(0x3A)
            appendDigits(seconds % 60, 2)
        }
    }

    /// Appends an empty cell.
    mutating func empty() { bytes.append(0x2C) }

    /// Ends the row.
    mutating func endRow() {
        if crlf { bytes.append(0x0D) }
        bytes.append(0x0A)
    }

    private mutating func appendDigits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        if v >= divisor * 10 {
            bytes.append(contentsOf: String(v).utf8)
            return
        }
        while divisor > 0 {
            bytes.append(UInt8(v / divisor) + 0x30)
            v %= divisor
            divisor /= 10
        }
    }

    private mutating func appendText(_ text: String) {
        let utf8 = text.utf8
        guard Self.needsQuotes(utf8, delimiter: 0x2C) else {
            bytes.append(contentsOf: utf8)
            return
        }
        bytes.append(0x22)
        for b in utf8 {
            if b == 0x22 { bytes.append(0x22) }
            bytes.append(b)
        }
        bytes.append(0x22)
    }

    /// Writes a row of text cells.
    mutating func writeRow(_ texts: [String]) {
        writeRow(texts.map(CSVCell.text))
    }

    /// `'`-prefixes a cell a spreadsheet would run as a formula: one starting with = + - @ TAB CR or NUL.
    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        switch first {
        case "=", "+", "-", "@", "\t", "\r", "\0": return "'" + text
        default: return text
        }
    }

    /// Quotes `text` when it holds the delimiter, a quote, a line end, or leading/trailing spaces.
    static func quoteIfNeeded(_ text: String, delimiter: UInt8) -> String {
        guard needsQuotes(text.utf8, delimiter: delimiter) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func needsQuotes(_ utf8: String.UTF8View, delimiter: UInt8) -> Bool {
        for b in utf8 where b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D { return true }
        guard let first = utf8.first, let last = utf8.last else { return false }
        return first == 0x20 || last == 0x20 || first == 0x09 || last == 0x09
    }
}
