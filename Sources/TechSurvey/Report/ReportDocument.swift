// `report.md`: the analyst's report — period, every table with labels and localized numbers, share
// footnotes, and the reconciliation footer (read / accepted / rejected / superseded, per file).

/// Renders the report for `language`.
func reportDocument(tables: [PublishedTable], charts: [Chart], aggregates: Aggregates, summary: IngestSummary, language: Language, periodLabel: String, generatedAt: String) -> String {
    let vi = language == .vi
    var out = vi ? "# Báo cáo khảo sát, tìm kiếm công nghệ\n\n" : "# Technology survey report\n\n"
    out += "- \(vi ? "Kỳ báo cáo" : "Period"): \(periodLabel)\n"
    out += "- \(vi ? "Thời điểm lập" : "Generated"): \(generatedAt)\n"
    out += "- \(vi ? "Phiên bản công cụ" : "Tool version"): techsurvey \(TechSurveyVersion.current)\n\n"

    for (number, table) in tables.enumerated() {
        let title = tableTitle(table.name, language)
        out += "## \(number + 1). \(title)\n\n"
        out += table.markdown(language) + "\n"
        out += "_\(vi ? "Bảng dữ liệu" : "Data"): [tables/\(table.name).csv](tables/\(table.name).csv)_\n\n"
        if !table.shareMismatches.isEmpty {
            let groups = table.shareMismatches.map { $0.isEmpty ? (vi ? "toàn bảng" : "the table") : $0 }.joined(separator: ", ")
            out += vi
                ? "> Ghi chú: tỷ trọng được làm tròn riêng từng dòng nên tổng không đúng 100,0% (\(groups)).\n\n"
                : "> Note: shares are rounded one by one, so they do not add up to exactly 100.0% (\(groups)).\n\n"
        }
    }
    if !charts.isEmpty {
        out += vi ? "## Biểu đồ\n\n" : "## Charts\n\n"
        for chart in charts { out += "![\(MarkdownText.escape(chart.title))](charts/\(chart.name).svg)\n\n" }
    }
    out += reconciliationFooter(summary: summary, aggregates: aggregates, language: language)
    return out
}

private func reconciliationFooter(summary: IngestSummary, aggregates: Aggregates, language: Language) -> String {
    let vi = language == .vi
    var out = vi ? "## Đối soát dữ liệu\n\n" : "## Reconciliation\n\n"
    let header = vi
        ? ["Tệp", "Đọc", "Nhận", "Loại", "Bị thay thế", "Dòng trống", "Khớp"]
        : ["File", "Read", "Accepted", "Rejected", "Superseded", "Blank rows", "Reconciles"]
    var rows: [[String]] = summary.files.map { f in
        [MarkdownText.cell(f.file), language.number(f.rowsRead), language.number(f.rowsAccepted), language.number(f.rowsRejected),
         language.number(f.rowsSuperseded), language.number(f.blankRows), f.reconciles ? "✓" : "✗"]
    }
    let t = summary.totals
    rows.append(["**\(vi ? "Tổng" : "Total")**", "**\(language.number(t.rowsRead))**", "**\(language.number(t.rowsAccepted))**",
                 "**\(language.number(t.rowsRejected))**", "**\(language.number(t.rowsSuperseded))**", "**\(language.number(t.blankRows))**",
                 t.reconciles ? "✓" : "✗"])
    out += MarkdownTable.render(header: header, rows: rows, rightAligned: [false, true, true, true, true, true, false]) + "\n"
    out += vi
        ? "Đọc = Nhận + Loại + Bị thay thế. Bản ghi bị loại: [rejects.csv](rejects.csv); bản ghi bị thay thế bởi phiếu nộp lại: [superseded.csv](superseded.csv).\n"
        : "Read = accepted + rejected + superseded. Rejected records: [rejects.csv](rejects.csv); records replaced by a resubmission: [superseded.csv](superseded.csv).\n"
    if aggregates.returnsOutOfPeriod + aggregates.activitiesOutOfPeriod > 0 {
        out += vi
            ? "Ngoài kỳ báo cáo (không tính): \(language.number(aggregates.returnsOutOfPeriod)) lượt khảo sát, \(language.number(aggregates.activitiesOutOfPeriod)) hoạt động.\n"
            : "Outside the period (not counted): \(language.number(aggregates.returnsOutOfPeriod)) unit-visits, \(language.number(aggregates.activitiesOutOfPeriod)) activities.\n"
    }
    let warnings = summary.files.flatMap { f in f.warnings.map { "\(f.file): \($0)" } }
        + summary.files.filter { !$0.extraColumns.isEmpty }.map { f in
            "\(f.file): " + (vi ? "bỏ qua các cột " : "ignored columns ") + f.extraColumns.joined(separator: ", ")
        }
    if !warnings.isEmpty {
        out += "\n" + (vi ? "Cảnh báo:\n\n" : "Warnings:\n\n") + warnings.map { "- " + MarkdownText.escape($0) }.joined(separator: "\n") + "\n"
    }
    return out
}
