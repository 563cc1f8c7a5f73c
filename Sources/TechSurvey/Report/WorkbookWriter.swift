// Writes a WorkbookDocument to an .xlsx file with libxlsxwriter: the only file that imports it. Every
// call's result is checked and a failure becomes one TechSurveyError line. Text goes through
// worksheet_write_string only (never write_formula), with Excel's text format, so no cell is a formula.
// Nothing here calls setlocale: under a comma-decimal locale libxlsxwriter would write `0,532` into the XML.

import CXLSXWriter
import Foundation

enum WorkbookWriter {
    /// Excel's sheet size (rows and columns from 0).
    static let maximumRow = 1_048_575, maximumColumn = 16_383

    /// Writes `document` to `path` (a new file; libxlsxwriter's temporary files go beside it).
    static func write(_ document: WorkbookDocument, to path: String) throws(TechSurveyError) {
        let display = (path as NSString).lastPathComponent
        let folder = (path as NSString).deletingLastPathComponent
        let tmpdir = strdup(folder.isEmpty ? "." : folder)
        defer { free(tmpdir) }
        var options = lxw_workbook_options(constant_memory: 0, tmpdir: tmpdir, use_zip64: 0)
        guard let workbook = workbook_new_opt(path, &options) else {
            throw TechSurveyError(.cannotCreate, "cannot create \(display) in \(folder) (out of memory); run again")
        }
        var open = true
        // A workbook given up half way is closed without raising a second error.
        defer { if open { _ = workbook_close(workbook) } }
        var formats = FormatCache(workbook: workbook)

        try setProperties(workbook, document, display)
        for sheet in document.sheets {
            try writeSheet(sheet, into: workbook, formats: &formats, display: display)
        }
        open = false
        let result = workbook_close(workbook)
        guard result == LXW_NO_ERROR else {
            let kind: TechSurveyError.Kind = result == LXW_ERROR_CREATING_XLSX_FILE || result == LXW_ERROR_CREATING_TMPFILE ? .cannotCreate : .ioError
            throw TechSurveyError(kind, "cannot write \(display) in \(folder) (\(reason(result)), \(String(cString: strerror(errno)))); check the output folder's permissions and free space")
        }
    }

    private static func setProperties(_ workbook: UnsafeMutablePointer<lxw_workbook>, _ document: WorkbookDocument, _ display: String) throws(TechSurveyError) {
        let title = strdup(document.title), subject = strdup(document.subject), author = strdup("techsurvey")
        let comments = strdup("techsurvey \(TechSurveyVersion.current)"), keywords = strdup(document.period)
        defer { for text in [title, subject, author, comments, keywords] { free(text) } }
        var properties = lxw_doc_properties()
        properties.title = title
        properties.subject = subject
        properties.author = author
        properties.comments = comments
        properties.keywords = keywords
        // The generation time (SOURCE_DATE_EPOCH when set), so the same report gives the same workbook.
        properties.created = time_t(document.created.timeIntervalSince1970)
        try check(workbook_set_properties(workbook, &properties), "set the document properties of \(display)")
        try check(workbook_set_custom_property_string(workbook, "period", document.period), "set the period property of \(display)")
    }

    private static func writeSheet(_ sheet: WorkbookSheet, into workbook: UnsafeMutablePointer<lxw_workbook>, formats: inout FormatCache, display: String) throws(TechSurveyError) {
        try check(workbook_validate_sheet_name(workbook, sheet.name), "name a sheet '\(sheet.name)' in \(display)")
        guard let worksheet = workbook_add_worksheet(workbook, sheet.name) else {
            throw TechSurveyError(.ioError, "cannot add the sheet '\(sheet.name)' to \(display); run again")
        }
        guard sheet.rows.count - 1 <= maximumRow, (sheet.rows.map(\.count).max() ?? 0) - 1 <= maximumColumn else {
            throw TechSurveyError(.ioError, "the sheet '\(sheet.name)' has \(sheet.rows.count) rows, more than an Excel sheet holds; use the CSV tables instead")
        }
        for (row, cells) in sheet.rows.enumerated() {
            let bold = sheet.boldRows.contains(row)
            for (column, cell) in cells.enumerated() {
                let r = lxw_row_t(row), c = lxw_col_t(column)
                let result: lxw_error
                switch cell {
                case .empty: continue
                case .text(let text):
                    result = worksheet_write_string(worksheet, r, c, text, try formats.format(bold: bold, .text))
                case .number(let value, let format):
                    result = worksheet_write_number(worksheet, r, c, value, try formats.format(bold: bold, format))
                case .blank(let format):
                    result = worksheet_write_blank(worksheet, r, c, try formats.format(bold: bold, format))
                }
                try check(result, "write row \(row + 1) of the sheet '\(sheet.name)' in \(display)")
            }
        }
        for (column, width) in sheet.columnWidths.enumerated() {
            try check(worksheet_set_column(worksheet, lxw_col_t(column), lxw_col_t(column), width, nil), "size the columns of '\(sheet.name)' in \(display)")
        }
        // Labels such as a year are text on purpose; Excel's green "number stored as text" marks would say otherwise.
        try check(worksheet_ignore_errors(worksheet, UInt8(LXW_IGNORE_NUMBER_STORED_AS_TEXT.rawValue), "A1:XFD1048576"), "set up '\(sheet.name)' in \(display)")
        // Printed (or converted to PDF) on A4 landscape, one page wide, the header on every page.
        worksheet_set_landscape(worksheet)
        worksheet_set_paper(worksheet, 9)
        worksheet_fit_to_pages(worksheet, 1, 0)
        if let table = sheet.table {
            worksheet_freeze_panes(worksheet, 1, 0)
            try check(worksheet_repeat_rows(worksheet, 0, 0), "set up printing of '\(sheet.name)' in \(display)")
            try check(worksheet_autofilter(worksheet, lxw_row_t(table.firstRow), lxw_col_t(table.firstColumn), lxw_row_t(table.lastRow), lxw_col_t(table.lastColumn)),
                      "add the filter to '\(sheet.name)' in \(display)")
        }
        for chart in sheet.charts {
            try insert(chart, sheet: sheet.name, worksheet: worksheet, workbook: workbook, display: display)
        }
    }

    private static func insert(_ chart: WorkbookChart, sheet: String, worksheet: UnsafeMutablePointer<lxw_worksheet>,
                               workbook: UnsafeMutablePointer<lxw_workbook>, display: String) throws(TechSurveyError) {
        let type = chart.kind == .bar ? LXW_CHART_BAR : LXW_CHART_LINE
        guard let native = workbook_add_chart(workbook, UInt8(type.rawValue)) else {
            throw TechSurveyError(.ioError, "cannot add the chart '\(chart.title)' to \(display); run again")
        }
        for series in chart.series {
            guard let s = chart_add_series(native, nil, nil) else {
                throw TechSurveyError(.ioError, "cannot add the series '\(series.name)' to the chart '\(chart.title)' in \(display); run again")
            }
            let c = chart.categories, v = series.values
            chart_series_set_categories(s, sheet, lxw_row_t(c.firstRow), lxw_col_t(c.firstColumn), lxw_row_t(c.lastRow), lxw_col_t(c.lastColumn))
            chart_series_set_values(s, sheet, lxw_row_t(v.firstRow), lxw_col_t(v.firstColumn), lxw_row_t(v.lastRow), lxw_col_t(v.lastColumn))
            chart_series_set_name(s, series.name)
            if chart.kind == .line { chart_series_set_marker_type(s, UInt8(LXW_CHART_MARKER_CIRCLE.rawValue)) }
        }
        chart_title_set_name(native, chart.title)
        // In a bar chart libxlsxwriter's y axis is the category axis, drawn bottom up: reversed, the rows
        // read top down as in the table.
        if chart.kind == .bar {
            chart_axis_set_name(native.pointee.x_axis, chart.valueAxisTitle)
            chart_axis_set_name(native.pointee.y_axis, chart.categoryAxisTitle)
            chart_axis_set_reverse(native.pointee.y_axis)
        } else {
            chart_axis_set_name(native.pointee.y_axis, chart.valueAxisTitle)
            chart_axis_set_name(native.pointee.x_axis, chart.categoryAxisTitle)
        }
        chart_legend_set_position(native, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
        // Filtering the table hides rows; the chart still shows every category.
        chart_show_hidden_data(native)
        var options = lxw_chart_options()
        options.x_scale = 1.3
        options.y_scale = 1.3
        try check(worksheet_insert_chart_opt(worksheet, lxw_row_t(chart.row), lxw_col_t(chart.column), native, &options),
                  "place the chart '\(chart.title)' in \(display)")
    }

    private static func check(_ result: lxw_error, _ what: String) throws(TechSurveyError) {
        guard result != LXW_NO_ERROR else { return }
        throw TechSurveyError(.ioError, "cannot \(what) (\(reason(result))); run again, and report it if it persists")
    }

    private static func reason(_ result: lxw_error) -> String {
        lxw_strerror(result).map { String(cString: $0) } ?? "libxlsxwriter error \(result.rawValue)"
    }
}

/// One libxlsxwriter format per (bold, number format), created on first use; the workbook owns them.
private struct FormatCache {
    let workbook: UnsafeMutablePointer<lxw_workbook>
    private var formats: [String: UnsafeMutablePointer<lxw_format>] = [:]

    init(workbook: UnsafeMutablePointer<lxw_workbook>) { self.workbook = workbook }

    mutating func format(bold: Bool, _ number: WorkbookNumberFormat) throws(TechSurveyError) -> UnsafeMutablePointer<lxw_format> {
        let key = (bold ? "b " : "  ") + number.pattern
        if let format = formats[key] { return format }
        guard let format = workbook_add_format(workbook) else {
            throw TechSurveyError(.ioError, "cannot add a cell format to the workbook (out of memory); run again")
        }
        if bold { format_set_bold(format) }
        format_set_num_format(format, number.pattern)
        formats[key] = format
        return format
    }
}
