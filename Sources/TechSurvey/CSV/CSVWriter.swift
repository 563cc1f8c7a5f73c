// Writes RFC 4180 CSV: the stage files between stages, and the published tables, whose text cells are
// neutralised so a spreadsheet never runs them as formulas (SPEC §4).

import Foundation

/// A cell to write: text is quoted when needed (and neutralised in published tables); numbers never are.
public enum CSVCell: Sendable, Equatable {
    case text(String)
    case number(String)
}

/// Accumulates CSV text in memory; the caller writes it out atomically.
public struct CSVWriter: Sendable {
    public private(set) var output = ""
    private let neutralise: Bool

    /// - Parameters:
    ///   - byteOrderMark: start with U+FEFF so Excel on Vietnamese Windows shows diacritics.
    ///   - neutralise: prefix text cells that a spreadsheet would treat as a formula with `'`.
    public init(byteOrderMark: Bool = false, neutralise: Bool = false) {
        self.neutralise = neutralise
        if byteOrderMark { output = "\u{FEFF}" }
    }

    public mutating func writeRow(_ cells: [CSVCell]) {
        var first = true
        for cell in cells {
            if !first { output += "," }
            first = false
            switch cell {
            case .number(let n): output += n
            case .text(let t): output += Self.quoteIfNeeded(neutralise ? Self.neutralised(t) : t, delimiter: 0x2C)
            }
        }
        output += "\r\n"
    }

    /// Writes a row of text cells.
    public mutating func writeRow(_ texts: [String]) {
        writeRow(texts.map(CSVCell.text))
    }

    /// `'`-prefixes a cell a spreadsheet would run as a formula: one starting with = + - @ TAB CR or NUL.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        switch first {
        case "=", "+", "-", "@", "\t", "\r", "\0": return "'" + text
        default: return text
        }
    }

    /// Quotes `text` when it holds the delimiter, a quote, a line end, or leading/trailing spaces.
    public static func quoteIfNeeded(_ text: String, delimiter: UInt8) -> String {
        var needs = false
        for b in text.utf8 where b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D {
            needs = true
            break
        }
        if !needs, let first = text.utf8.first, let last = text.utf8.last {
            needs = first == 0x20 || last == 0x20 || first == 0x09 || last == 0x09
        }
        guard needs else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
