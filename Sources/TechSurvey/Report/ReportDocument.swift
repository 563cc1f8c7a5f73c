// `report.md`: the analyst's report — period, every table with labels and localized numbers, share
// footnotes, and the reconciliation footer (read / accepted / rejected / superseded, per file).

/// The report's sections, always in this order (the tables' own), so "mục 3" means the same in every report.
let reportSections = TableID.allCases

/// Renders the report for `language`. `chartExtension` is "svg" for report.md and "png" for the Word copy,
/// whose tables are laid out for pandoc (`MarkdownTable.render(wrapHeaders:)`).
func reportDocument(tables: [PublishedTable], charts: [Chart], aggregates: Aggregates, summary: IngestSummary, language: Language, periodLabel: String, generatedAt: String, chartExtension: String = "svg") -> String {
    let vi = language == .vi
    var out = vi ? "# Báo cáo khảo sát, tìm kiếm công nghệ\n\n" : "# Technology survey report\n\n"
    out += "- \(vi ? "Kỳ báo cáo" : "Period"): \(periodLabel)\n"
    out += "- \(vi ? "Thời điểm lập" : "Generated"): \(generatedAt)\n"
    out += "- \(vi ? "Phiên bản công cụ" : "Tool version"): techsurvey \(TechSurveyVersion.current)\n\n"

    let period = language.periodName(aggregates.period) ?? (vi ? "toàn bộ dữ liệu" : "all data")
    var tableNumber = 0
    for (index, id) in reportSections.enumerated() {
        let name = id.rawValue
        out += "## \(index + 1). \(tableTitle(id, language))\n\n"
        guard let table = tables.first(where: { $0.id == id }) else {
            out += noComparisonSentence(aggregates, language) + "\n\n"
            continue
        }
        tableNumber += 1
        out += "**\(vi ? "Bảng" : "Table") \(tableNumber). \(tableTitle(id, language)), \(period)**\n\n"
        out += "_\(unitLine(name, language))_\n\n"
        out += table.markdown(language, wrapHeaders: chartExtension == "png") + "\n"
        out += sourceLine(name, summary, language, escape: MarkdownText.escape) + " "
        out += "\(vi ? "Bảng dữ liệu" : "Data"): [tables/\(table.name).csv](tables/\(table.name).csv)\n\n"
        if !table.shareMismatches.isEmpty {
            let groups = table.shareMismatches.map { $0.isEmpty ? (vi ? "toàn bảng" : "the table") : language.keyLabel($0, column: "period") }.joined(separator: ", ")
            out += vi
                ? "> Ghi chú: tỷ trọng được làm tròn riêng từng dòng nên tổng không đúng 100,0% (\(MarkdownText.escape(groups))).\n\n"
                : "> Note: shares are rounded one by one, so they do not add up to exactly 100.0% (\(MarkdownText.escape(groups))).\n\n"
        }
    }
    out += "## \(reportSections.count + 1). \(vi ? "Biểu đồ" : "Charts")\n\n"
    for (number, chart) in charts.enumerated() {
        out += "![\(vi ? "Biểu đồ" : "Chart") \(number + 1). \(MarkdownText.escape(chart.title))](charts/\(chart.name).\(chartExtension))\n\n"
    }
    out += reconciliationFooter(summary: summary, aggregates: aggregates, language: language, section: reportSections.count + 2, table: tableNumber + 1)
    return out
}

/// Why the comparison section has no table.
private func noComparisonSentence(_ a: Aggregates, _ language: Language) -> String {
    let vi = language == .vi
    if a.period.isAll {
        return vi ? "Báo cáo toàn bộ dữ liệu không so sánh với kỳ khác." : "A report on all data is not compared with other periods."
    }
    let hasData = (a.byField.rows.last?.measures.unitVisits ?? 0) > 0
    if !hasData { return vi ? "Kỳ báo cáo chưa có lượt khảo sát nào nên không so sánh." : "The period has no unit-visit, so it is not compared." }
    return vi ? "Các kỳ so sánh (kỳ trước, cùng kỳ năm trước) chưa có số liệu nên không so sánh." : "The periods it would be compared with (the previous period, a year earlier) have no data."
}

/// The table's "Đơn vị tính" line (SPEC §4.3).
func unitLine(_ name: String, _ language: Language) -> String {
    let vi = language == .vi
    switch name {
    case "activities_by_kind", "activities_by_country":
        return vi ? "Đơn vị tính: hoạt động, doanh nghiệp, lượt khách, cuộc kết nối; kinh phí: triệu đồng" : "Unit: activities, businesses, visitors, meetings; budget: million VND"
    case "comparison":
        return vi ? "Đơn vị tính: lượt đơn vị, công nghệ/tiến bộ kỹ thuật; tăng/giảm: %" : "Unit: unit-visits, technologies; change: %"
    case "reconciliation":
        return vi ? "Đơn vị tính: bản ghi" : "Unit: records"
    default:
        return vi ? "Đơn vị tính: lượt đơn vị, đơn vị, công nghệ/tiến bộ kỹ thuật; tỷ lệ, tỷ trọng: %" : "Unit: unit-visits, units, technologies; rates and shares: %"
    }
}

/// The table's "Nguồn" line: the input files its rows come from, each passed through `escape` (the escaper
/// of the medium the line goes to).
func sourceLine(_ name: String, _ summary: IngestSummary, _ language: Language, escape: (String) -> String) -> String {
    let vi = language == .vi
    let activities = name.hasPrefix("activities")
    let files = summary.files.filter { name == "reconciliation" || ($0.kind == "activities") == activities }.map { escape($0.file) }
    let list = files.count <= 6 ? files.joined(separator: ", ") : "\(files.count) \(vi ? "tệp" : "files")"
    let what: String
    switch (vi, name == "reconciliation", activities) {
    case (true, true, _): what = "các tệp đầu vào"
    case (true, false, true): what = "nhật ký hoạt động của chương trình hợp tác"
    case (true, false, false): what = "phiếu khảo sát công nghệ"
    case (false, true, _): what = "the input files"
    case (false, false, true): what = "the cooperation programme's activity log"
    case (false, false, false): what = "technology survey returns"
    }
    let tool = "techsurvey \(TechSurveyVersion.current)"
    return vi ? "Nguồn: \(what) (\(list)), tổng hợp bằng \(tool)." : "Source: \(what) (\(list)), compiled with \(tool)."
}

private func reconciliationFooter(summary: IngestSummary, aggregates: Aggregates, language: Language, section: Int, table: Int) -> String {
    let vi = language == .vi
    let title = vi ? "Đối soát dữ liệu" : "Reconciliation"
    var out = "## \(section). \(title)\n\n"
    out += "**\(vi ? "Bảng" : "Table") \(table). \(title)**\n\n_\(unitLine("reconciliation", language))_\n\n"
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
    out += sourceLine("reconciliation", summary, language, escape: MarkdownText.escape) + "\n\n"
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
