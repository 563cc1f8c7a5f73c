// What report.xlsx holds (SPEC §4.2), as plain values: sheets of typed cells, their widths, frozen header,
// autofilter and charts. Built from the same PublishedTable values as the CSV and Markdown renderers, so
// the three can never disagree; WorkbookWriter turns it into a file with libxlsxwriter.

import Foundation

/// A number format of the workbook, in Excel's locale-independent notation: Excel shows `#,##0` as
/// `5.132` on Vietnamese Windows and `5,132` on English Windows.
struct WorkbookNumberFormat: Hashable {
    let pattern: String

    static let count = WorkbookNumberFormat(pattern: "#,##0")
    static let percent = WorkbookNumberFormat(pattern: "0.0%")
    /// Excel's text format: a cell that has it stays text when it is edited (`=1+1` is not run).
    static let text = WorkbookNumberFormat(pattern: "@")

    /// Grouped thousands and exactly `decimals` decimals (0–3: budgets are kept in thousandths).
    static func budget(decimals: Int) -> WorkbookNumberFormat {
        decimals <= 0 ? .count : WorkbookNumberFormat(pattern: "#,##0." + String(repeating: "0", count: min(decimals, 3)))
    }
}

/// One cell: text is always a text cell, never a formula.
enum WorkbookCell: Equatable {
    case empty
    case text(String)
    case number(Double, WorkbookNumberFormat)
    /// A number column without a value (a rate whose divisor is 0): blank, but formatted like its column.
    case blank(WorkbookNumberFormat)
}

/// Rows and columns from 0, both ends included.
struct WorkbookRange: Equatable {
    let firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int
}

/// A native Excel chart over cells of its own sheet.
struct WorkbookChart {
    enum Kind { case bar, line }

    struct Series {
        let name: String
        let values: WorkbookRange
    }

    let kind: Kind
    let title: String
    let valueAxisTitle: String
    let categoryAxisTitle: String
    let categories: WorkbookRange
    let series: [Series]
    /// The top-left cell the chart is placed at.
    let row: Int, column: Int
}

struct WorkbookSheet {
    let name: String
    var rows: [[WorkbookCell]]
    /// Rows written bold: the header and the totals.
    var boldRows: Set<Int>
    /// The table with its header at row 0: header frozen, autofilter over it. Nil for the sources sheet.
    var table: WorkbookRange?
    var charts: [WorkbookChart] = []
    /// Rows of one long text (a title, a note) that runs on over the empty cells to its right, so it does
    /// not widen its column.
    var overflowRows: Set<Int> = []

    /// Column widths in Excel's character units: the longest displayed cell, plus room for the filter
    /// button in a header, capped so a long label does not push the next column off screen.
    var columnWidths: [Double] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Double](repeating: 0, count: columns)
        for (index, row) in rows.enumerated() where !overflowRows.contains(index) {
            for (column, cell) in row.enumerated() {
                var width = Double(displayedWidth(cell))
                if width == 0 { continue }
                if boldRows.contains(index) { width += 1 }
                if index == 0, table != nil { width += 3 }
                widths[column] = max(widths[column], width)
            }
        }
        return widths.map { $0 == 0 ? 3 : min($0 + 2, Self.maximumWidth) }
    }

    static let maximumWidth = 70.0

    private func displayedWidth(_ cell: WorkbookCell) -> Int {
        switch cell {
        case .empty, .blank: return 0
        case .text(let text):
            return text.split(separator: "\n", omittingEmptySubsequences: false).map { MarkdownTable.displayWidth(String($0)) }.max() ?? 0
        case .number(let value, let format):
            // What Excel shows, near enough: digits, group marks, decimals, the % sign.
            let whole = String(Int(abs(format == .percent ? value * 100 : value).rounded(.down)))
            let groups = (whole.count - 1) / 3
            let decimals = format.pattern.split(separator: ".").dropFirst().first.map { $0.filter { $0 == "0" }.count } ?? 0
            return whole.count + groups + (decimals > 0 ? decimals + 1 : 0) + (format == .percent ? 1 : 0) + (value < 0 ? 1 : 0)
        }
    }
}

/// The whole workbook with its document properties.
struct WorkbookDocument {
    let title: String
    let subject: String
    /// The period as the manifest writes it (`2015-Q2`, `all`), a custom document property.
    let period: String
    let created: Date
    let sheets: [WorkbookSheet]
}

/// Cell text as a workbook can hold it: NFC, control characters shown as visible escapes as in rejects.csv
/// (`\0`, `\x07`: a C string stops at a NUL, and XML cannot carry the others), line ends as LF, cut to
/// Excel's 32,767-character cell limit. Excel reads `_x0041_` in a cell's XML as the escape of "A", so text
/// that looks like such an escape has its underscore escaped (`_x005F_`) and shows as typed.
func workbookText(_ text: String) -> String {
    var out = ""
    let lines = text.precomposedStringWithCanonicalMapping.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    // As rejects.csv's raw cell shows them; TAB and LF stay.
    for scalar in ControlCharacters.visible(lines, keepingLayout: true).unicodeScalars {
        switch scalar.value {
        case 0xFFFE, 0xFFFF: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    out = out.replacingOccurrences(of: "_x([0-9A-Fa-f]{4})_", with: "_x005F_x$1_", options: .regularExpression)
    let limit = spreadsheetCellLimit
    guard out.utf16.count > limit else { return out }
    let note = " […]"
    var cut = ""
    var units = 0
    for character in out {
        let size = character.utf16.count
        if units + size > limit - note.utf16.count { break }
        cut.append(character)
        units += size
    }
    return cut + note
}

/// A sheet name Excel accepts: no `[]:*?/\`, not starting or ending with `'`, at most 31 characters,
/// unique (case-insensitively, as Excel compares them) among `taken`.
func workbookSheetName(_ wanted: String, taken: [String]) -> String {
    let forbidden = Set("[]:*?/\\")
    var base = String(workbookText(wanted).map { forbidden.contains($0) || $0.isNewline || $0 == "\t" ? " " : $0 })
    while base.contains("  ") { base = base.replacingOccurrences(of: "  ", with: " ") }
    base = base.trimmingCharacters(in: .whitespaces)
    while base.hasPrefix("'") { base.removeFirst() }
    while base.hasSuffix("'") { base.removeLast() }
    if base.isEmpty { base = "Sheet" }
    let used = Set(taken.map { $0.lowercased() })
    var number = 1
    while true {
        let suffix = number == 1 ? "" : " (\(number))"
        var name = base
        // Excel counts UTF-16 units.
        while name.utf16.count + suffix.utf16.count > 31 { name.removeLast() }
        name += suffix
        if !used.contains(name.lowercased()) { return name }
        number += 1
    }
}
