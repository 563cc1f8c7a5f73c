// The report's workbook (SPEC §4.2): one sheet per published table, in the report's order and language,
// the charts beside the field table and the quarterly trend, and the "Nguồn"/"Sources" sheet.
//
// Rates and shares are written as the published rounded percentage divided by 100 (53.2% is the number
// 0.532), so what Excel shows, sorts and sums is exactly the figure of the CSV and the report; an analyst
// who needs more precision recomputes it from the count columns beside it.

import Foundation

/// The workbook of one report.
func reportWorkbook(tables: [PublishedTable], aggregates: Aggregates, summary: IngestSummary, language: Language,
                    periodLabel: String, generatedAt: String, created: Date) -> WorkbookDocument {
    var sheets: [WorkbookSheet] = []
    for table in tables {
        let name = workbookSheetName(tableSheetTitle(table.id, language), taken: sheets.map(\.name))
        sheets.append(tableSheet(table, name: name, language: language, periodLabel: periodLabel))
    }
    let sourcesName = workbookSheetName(language == .vi ? "Nguồn" : "Sources", taken: sheets.map(\.name))
    sheets.append(sourcesSheet(name: sourcesName, summary: summary, aggregates: aggregates, language: language,
                               periodLabel: periodLabel, generatedAt: generatedAt))
    let title = language == .vi ? "Báo cáo khảo sát, tìm kiếm công nghệ" : "Technology survey report"
    return WorkbookDocument(title: title, subject: periodLabel, period: aggregates.period.description, created: created, sheets: sheets)
}

/// The cell of a table value, as the CSV holds it but typed: labels as text, numbers as numbers.
func workbookCell(_ value: TableValue, column: String, budgetFormat: WorkbookNumberFormat, _ language: Language) -> WorkbookCell {
    switch value {
    case .key(let key): return .text(workbookText(language.keyLabel(key, column: column)))
    case .total: return .text(workbookText(language.totalLabel))
    case .count(let n): return .number(Double(n), .count)
    case .percent(let tenths?): return .number(Double(tenths) / 1000, .percent)
    case .percent(nil): return .blank(.percent)
    // A comparison the period does not have: empty, formatted like the column should a value be typed in.
    case .missing: return .blank(column.contains("_pct") ? .percent : .count)
    case .budget(let b): return .number(Double(b.thousandths) / 1000, budgetFormat)
    }
}

/// A table's sheet: the header row, then its rows; totals bold. Its chart's title names `periodLabel`.
func tableSheet(_ table: PublishedTable, name: String, language: Language, periodLabel: String) -> WorkbookSheet {
    // As many decimals as the column's budgets need, the same for every row so they line up.
    let decimals = table.rows.joined().map { value -> Int in
        guard case .budget(let b) = value else { return 0 }
        var fraction = Int(b.thousandths.magnitude % 1000), digits = fraction == 0 ? 0 : 3
        while digits > 0, fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        return digits
    }.max() ?? 0
    let budgetFormat = WorkbookNumberFormat.budget(decimals: decimals)
    var rows: [[WorkbookCell]] = [table.columns.map { .text(workbookText(language.heading($0))) }]
    for row in table.rows {
        rows.append(row.enumerated().map { column, value in
            let columnName = column < table.columns.count ? table.columns[column] : ""
            return workbookCell(value, column: columnName, budgetFormat: budgetFormat, language)
        })
    }
    var sheet = WorkbookSheet(
        name: name, rows: rows, boldRows: Set([0] + table.totalRows.map { $0 + 1 }),
        table: WorkbookRange(firstRow: 0, firstColumn: 0, lastRow: table.rows.count, lastColumn: max(table.columns.count - 1, 0)))
    switch table.name {
    case "by_field": addFieldChart(&sheet, table, language, periodLabel)
    case "by_period": addTrendChart(&sheet, table, language, periodLabel)
    default: break
    }
    return sheet
}

private func chartNames(_ language: Language) -> (found: String, proposed: String, axis: String) {
    language == .vi
        ? ("Công nghệ tìm kiếm", "Công nghệ đề xuất", "Số công nghệ/tiến bộ kỹ thuật")
        : ("Technologies found", "Technologies proposed", "Technologies")
}

/// Found and proposed per field, as horizontal bars (the field names are long), beside the table.
private func addFieldChart(_ sheet: inout WorkbookSheet, _ table: PublishedTable, _ language: Language, _ periodLabel: String) {
    guard let found = table.columns.firstIndex(of: "technologies_found"),
          let proposed = table.columns.firstIndex(of: "technologies_proposed") else { return }
    // The chart covers the field rows, which come before the total.
    let fieldRows = table.rows.indices.prefix { !table.totalRows.contains($0) }
    guard let last = fieldRows.last else { return }
    let names = chartNames(language)
    let column = { (c: Int) in WorkbookRange(firstRow: 1, firstColumn: c, lastRow: last + 1, lastColumn: c) }
    sheet.charts.append(WorkbookChart(
        kind: .bar,
        title: (language == .vi ? "Công nghệ tìm kiếm và đề xuất theo lĩnh vực" : "Technologies found and proposed by field") + "\n" + periodLabel,
        valueAxisTitle: names.axis, categoryAxisTitle: language.heading("field"), categories: column(0),
        series: [.init(name: names.found, values: column(found)), .init(name: names.proposed, values: column(proposed))],
        row: 0, column: table.columns.count + 1))
}

/// The quarterly totals, which the table interleaves with the field rows, copied into a small block right
/// of the table (a chart plots one range per series), and a line chart of them beside it.
private func addTrendChart(_ sheet: inout WorkbookSheet, _ table: PublishedTable, _ language: Language, _ periodLabel: String) {
    guard let found = table.columns.firstIndex(of: "technologies_found"),
          let proposed = table.columns.firstIndex(of: "technologies_proposed"),
          let period = table.columns.firstIndex(of: "period") else { return }
    let totals = table.totalRows.sorted().map { table.rows[$0] }
    guard !totals.isEmpty else { return }
    let names = chartNames(language)
    let first = table.columns.count + 1
    var block: [[WorkbookCell]] = [[.text(workbookText(language.heading("period"))), .text(names.found), .text(names.proposed)]]
    for row in totals {
        block.append([period, found, proposed].map { workbookCell(row[$0], column: table.columns[$0], budgetFormat: .count, language) })
    }
    while sheet.rows.count < block.count { sheet.rows.append([]) }
    for (index, cells) in block.enumerated() {
        while sheet.rows[index].count < first { sheet.rows[index].append(.empty) }
        sheet.rows[index] += cells
    }
    let column = { (c: Int) in WorkbookRange(firstRow: 1, firstColumn: first + c, lastRow: totals.count, lastColumn: first + c) }
    sheet.charts.append(WorkbookChart(
        kind: .line, title: (language == .vi ? "Xu hướng theo quý" : "Trend by quarter") + "\n" + periodLabel,
        valueAxisTitle: names.axis, categoryAxisTitle: language.heading("period"),
        categories: column(0),
        series: [.init(name: names.found, values: column(1)), .init(name: names.proposed, values: column(2))],
        row: 0, column: first + 4))
}

/// Period, generation time, tool version, every input file with its SHA-256 and row account, and the
/// reconciliation.
func sourcesSheet(name: String, summary: IngestSummary, aggregates: Aggregates, language: Language, periodLabel: String, generatedAt: String) -> WorkbookSheet {
    let vi = language == .vi
    func text(_ s: String) -> WorkbookCell { .text(workbookText(s)) }
    func count(_ n: Int) -> WorkbookCell { .number(Double(n), .count) }
    var rows: [[WorkbookCell]] = [
        [text(vi ? "Báo cáo khảo sát, tìm kiếm công nghệ" : "Technology survey report")],
        [text(vi ? "Kỳ báo cáo" : "Period"), text(periodLabel)],
        [text(vi ? "Thời điểm lập" : "Generated"), text(generatedAt)],
        [text(vi ? "Phiên bản công cụ" : "Tool version"), text("techsurvey \(TechSurveyVersion.current)")],
        [],
    ]
    var bold: Set<Int> = [0]
    // The title and the period, time and version run on over the empty cells to their right.
    var overflow: Set<Int> = [0, 1, 2, 3]
    bold.insert(rows.count)
    rows.append((vi
        ? ["Tệp", "Loại dữ liệu", "SHA-256", "Mã hóa", "Dấu phân cách", "Đọc", "Nhận", "Loại", "Bị thay thế", "Dòng trống", "Khớp"]
        : ["File", "Kind", "SHA-256", "Encoding", "Delimiter", "Read", "Accepted", "Rejected", "Superseded", "Blank rows", "Reconciles"]).map(text))
    let yes = vi ? "có" : "yes", no = vi ? "không" : "no"
    for f in summary.files {
        rows.append([text(f.file), text(f.kind), text(f.sha256), text(f.encoding), text(f.delimiter),
                     count(f.rowsRead), count(f.rowsAccepted), count(f.rowsRejected), count(f.rowsSuperseded), count(f.blankRows),
                     text(f.reconciles ? yes : no)])
    }
    let t = summary.totals
    bold.insert(rows.count)
    rows.append([text(vi ? "Tổng" : "Total"), .empty, .empty, .empty, .empty, count(t.rowsRead), count(t.rowsAccepted),
                 count(t.rowsRejected), count(t.rowsSuperseded), count(t.blankRows), text(t.reconciles ? yes : no)])
    rows.append([])
    overflow.insert(rows.count)
    rows.append([text(vi ? "Đọc = Nhận + Loại + Bị thay thế; bản ghi bị loại ở rejects.csv, bản ghi bị thay thế ở superseded.csv."
                         : "Read = accepted + rejected + superseded; rejected records are in rejects.csv, replaced ones in superseded.csv.")])
    rows.append([text(vi ? "Ngoài kỳ báo cáo (không tính), lượt khảo sát" : "Outside the period (not counted), unit-visits"), count(aggregates.returnsOutOfPeriod)])
    rows.append([text(vi ? "Ngoài kỳ báo cáo (không tính), hoạt động" : "Outside the period (not counted), activities"), count(aggregates.activitiesOutOfPeriod)])
    let warnings = summary.files.flatMap { f in f.warnings.map { "\(f.file): \($0)" } }
        + summary.files.filter { !$0.extraColumns.isEmpty }.map { f in
            "\(f.file): " + (vi ? "bỏ qua các cột " : "ignored columns ") + f.extraColumns.joined(separator: ", ")
        }
    if !warnings.isEmpty {
        rows.append([])
        bold.insert(rows.count)
        rows.append([text(vi ? "Cảnh báo" : "Warnings")])
        for warning in warnings {
            overflow.insert(rows.count)
            rows.append([text(warning)])
        }
    }
    return WorkbookSheet(name: name, rows: rows, boldRows: bold, table: nil, overflowRows: overflow)
}
