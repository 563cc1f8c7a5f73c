// GitHub-flavoured Markdown tables whose columns line up in a text editor: cells (escaped and cut by
// `MarkdownText`) padded by display width, where Vietnamese combining marks take no space.

import Foundation

enum MarkdownTable {
    /// Columns in a monospace editor: combining marks 0, East Asian wide characters 2, others 1.
    static func displayWidth(_ text: String) -> Int {
        // ASCII (every figure) is one column a byte and its own NFC: Foundation's normalisation is not needed.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.count }
        var width = 0
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: continue
            default:
                let v = scalar.value
                let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                    || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFF60).contains(v) || (0x1F300...0x1FAFF).contains(v)
                width += wide ? 2 : 1
            }
        }
        return width
    }

    /// Renders already-escaped cells. With `wrapHeaders` (the copy pandoc turns into report.docx) the rule
    /// under the header is as wide as the column's cells and its longest header word, since pandoc sizes
    /// columns by the rule's dashes: a long header then wraps instead of squeezing the figures.
    static func render(header: [String], rows: [[String]], rightAligned: [Bool], wrapHeaders: Bool = false) -> String {
        var widths = header.map { max(3, displayWidth($0)) }
        var ruleWidths = header.map { max(3, $0.split(separator: " ").map { displayWidth(String($0)) }.max() ?? 0) }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], displayWidth(cell))
                ruleWidths[i] = max(ruleWidths[i], displayWidth(cell))
            }
        }
        // Label columns wrap between words too, so they give room to the figures beside them.
        if wrapHeaders {
            for i in ruleWidths.indices where !(i < rightAligned.count && rightAligned[i]) { ruleWidths[i] = min(ruleWidths[i], 14) }
        } else {
            ruleWidths = widths
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, cell -> String in
                let fill = String(repeating: " ", count: max(0, widths[i] - displayWidth(cell)))
                return i < rightAligned.count && rightAligned[i] ? fill + cell : cell + fill
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = "|" + ruleWidths.enumerated().map { i, w in
            i < rightAligned.count && rightAligned[i] ? " " + String(repeating: "-", count: w - 1) + ": " : " " + String(repeating: "-", count: w) + " "
        }.joined(separator: "|") + "|"
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}
