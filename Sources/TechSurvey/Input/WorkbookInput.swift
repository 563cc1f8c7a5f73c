// Ingest of one .xlsx workbook (SPEC §3.5): which sheets are read, each sheet's header (after its title
// rows, §3.6), and its rows handed on as records through the same validators and merge as a text file's.
// A read sheet is named `file#sheet` in rejects, superseded rows and trace; the sheets not read are named
// in the file's summary and its warnings with the reason.

import Foundation

/// True for a file ingest reads as a workbook.
func isWorkbook(_ name: String) -> Bool {
    (name as NSString).pathExtension.lowercased() == "xlsx"
}

/// The name a read sheet goes by in rejects, superseded rows and trace.
func sheetSourceName(file: String, sheet: String) -> String { file + "#" + sheet }

/// Reads the workbook `input` for `readInput`: every visible sheet whose header holds the required columns,
/// in workbook order, its cells from `cache` when the workbook is unchanged, each read sheet a source of its
/// own (`startSource`) with a validator of its own. A workbook with no readable sheet fails whole, naming
/// its sheets and the missing columns.
func readWorkbookInput<Kind: InputKind>(
    _ input: InputFile, kind: Kind, cache: ContentCache?, strings: inout ByteInterner,
    startSource: (String) -> Void, accept: ([Kind.Validator.Value]) throws -> Void, reject: (Reject) -> Void
) throws -> FileSummary {
    let file = input.name
    let matcher = kind.matcher
    guard case .file(let path) = input.source else {
        throw TechSurveyError(.noInput, "\(file): a workbook is read from a file only")
    }
    var summary = FileSummary(file: file, kind: kind.name, sha256: "", bytes: 0, encoding: "xlsx", encodingSource: "workbook", delimiter: "")
    var sheets: [SheetSummary] = []

    // The sheet being read: its header search until the header is found, then its validator.
    var current: SheetSummary?
    var search = HeaderSearch(matcher: matcher)
    var validator: Kind.Validator?
    var records = RecordMerge<Kind.Validator>()
    var width = 0
    var lastRow = 0

    func close() {
        guard var sheet = current else { return }
        current = nil
        if let validator {
            sheet.add(records.counts)
            for warning in kind.warnings(records.notes, validator: validator, isWorkbook: true) {
                summary.warnings.append("sheet \(quotedCell(sheet.name, limit: 60)): \(warning)")
            }
        } else {
            sheet.read = false
            sheet.reason = noHeaderReason(search)
            summary.warnings.append("sheet \(quotedCell(sheet.name, limit: 60)) is not read: \(sheet.reason ?? "")")
        }
        sheets.append(sheet)
        validator = nil
    }

    let facts = try readXlsx(path: path, displayName: file, cache: cache) { event in
        switch event {
        case .sheet(let sheet):
            close()
            if sheet.isChart {
                let reason = "it is a chart sheet, which holds no rows"
                sheets.append(SheetSummary(name: sheet.name, state: sheet.state, read: false, reason: reason))
                summary.warnings.append("sheet \(quotedCell(sheet.name, limit: 60)) is not read: \(reason)")
            } else if !sheet.isVisible {
                let reason = "it is hidden; unhide it in Excel (right-click a sheet tab > Unhide) if its rows belong in the report"
                sheets.append(SheetSummary(name: sheet.name, state: sheet.state, read: false, reason: reason))
                summary.warnings.append("sheet \(quotedCell(sheet.name, limit: 60)) is not read: \(reason)")
            } else {
                current = SheetSummary(name: sheet.name, state: sheet.state, read: true)
                search = HeaderSearch(matcher: matcher)
                lastRow = 0
            }
        case .row(let number, let cells):
            guard current != nil else { return }
            if let validator {
                let record = CSVRecord(workbookRow: number, cells: cells, width: width)
                // Rows the reader skipped were empty: they advance the row number and are no records.
                current?.blankRows += max(0, number - lastRow - 1)
                lastRow = number
                try records.validate(record, by: validator, strings: &strings, accept: accept, reject: reject)
                return
            }
            let record = CSVRecord(workbookRow: number, cells: cells, width: 0)
            switch search.consider(record) {
            case .title, .tooFar:
                return
            case .header(let names):
                guard let sheetName = current?.name else { return }
                var scratch = FileSummary(file: file, kind: kind.name, sha256: "", bytes: 0, encoding: "", encodingSource: "", delimiter: "")
                // The header holds every required column, so the map cannot fail; its warnings are kept.
                let header = CSVRecord(fields: names, row: number, line: number)
                let columns = try columnMap(header: header, matcher: matcher, file: file, summary: &scratch)
                for extra in scratch.extraColumns where !summary.extraColumns.contains(extra) { summary.extraColumns.append(extra) }
                for warning in scratch.warnings { summary.warnings.append("sheet \(quotedCell(sheetName, limit: 60)): \(warning)") }
                current?.titleRows = search.titleRows
                width = names.count
                lastRow = number
                let source = sheetSourceName(file: file, sheet: sheetName)
                startSource(source)
                validator = kind.validator(columns: columns, source: source, delimiter: 0x2C, isWorkbook: true)
                records = RecordMerge()
            }
        }
    }
    close()

    summary.sheets = sheets
    summary.sha256 = facts.sha256
    summary.bytes = facts.bytes
    summary.encoding = "xlsx"
    summary.encodingSource = "workbook, \(facts.dateSystem) date system"
    // Before resubmissions: no sheet has a superseded row yet.
    for sheet in sheets where sheet.read { summary.add(sheet) }
    guard sheets.contains(where: \.read) else {
        let required = Kind.Validator.Column.allCases.filter(\.isRequired).map(\.rawValue).joined(separator: ", ")
        let listed = sheets.map { "\(quotedCell($0.name, limit: 40)) (\($0.reason ?? ""))" }.joined(separator: "; ")
        let what = sheets.isEmpty ? "it has no sheets" : "its sheets: \(listed)"
        throw TechSurveyError(.data, "\(file): no sheet of this workbook can be read, because none is a visible sheet with a header row holding the required columns \(required) within its first \(titleRowLimit) rows; \(what)")
    }
    if summary.rowsRead == 0 {
        throw TechSurveyError(.data, "\(file): the workbook has a header but no records; add the records or remove the file")
    }
    return summary
}

/// Why a visible sheet has no header: empty, or the required columns its closest row lacks.
private func noHeaderReason<Column: CanonicalColumn>(_ search: HeaderSearch<Column>) -> String {
    guard let closest = search.closest else { return "the sheet is empty" }
    let missing = search.missingColumns.map(\.rawValue).joined(separator: ", ")
    return "no row among its first \(titleRowLimit) holds the required columns (the closest, row \(closest.row), lacks \(missing))"
}
