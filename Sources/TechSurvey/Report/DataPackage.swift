// `tables/datapackage.json` (SPEC §4.4): a Frictionless Tabular Data Package describing every tables/*.csv
// the report publishes — built from the same PublishedTable values as the CSVs, so a table or column
// cannot be published without being described — with each column's type and meaning, and how total rows
// are marked, so that a `df.sum()` does not count every figure twice.

/// The descriptor's JSON objects, Codable so JSONFile writes them sorted and pretty.
struct DataPackage: Encodable {
    let profile = "tabular-data-package"
    let name = "techsurvey-report"
    let title: String
    let description: String
    let created: String
    let period: String
    let language: String
    let resources: [Resource]

    struct Resource: Encodable {
        let profile = "tabular-data-resource"
        let name: String
        let path: String
        let title: String
        let description: String
        let format = "csv"
        let mediatype = "text/csv"
        // The files start with a byte order mark (for Excel); frictionless and pandas' utf-8-sig skip it.
        let encoding = "utf-8"
        let dialect = Dialect()
        let schema: Schema
        /// Column → the value that marks a total row there; empty when the table has no total rows.
        let totalRows: [String: String]
    }

    struct Dialect: Encodable {
        let delimiter = ","
        let quoteChar = "\""
        let doubleQuote = true
        let lineTerminator = "\r\n"
        let header = true
    }

    struct Schema: Encodable {
        let fields: [Field]
        let primaryKey: [String]
        let missingValues = [""]
    }

    struct Field: Encodable {
        let name: String
        let type: String
        let title: String
        let description: String
    }
}

/// The descriptor for `tables`, in `language`.
func dataPackage(tables: [PublishedTable], language: Language, period: Period, generatedAt: String) -> DataPackage {
    let vi = language == .vi
    let description = vi
        ? "Các bảng số liệu của báo cáo khảo sát, tìm kiếm công nghệ (techsurvey \(TechSurveyVersion.current)). Mỗi bảng có các dòng tổng: lọc bỏ chúng (xem totalRows của từng bảng) trước khi cộng. Ô văn bản bắt đầu bằng = + - @ được thêm dấu ' ở đầu để bảng tính không chạy chúng như công thức."
        : "The tables of the technology survey report (techsurvey \(TechSurveyVersion.current)). Every table holds total rows: filter them out (see each table's totalRows) before summing. Text cells that begin with = + - @ carry a leading ' so that a spreadsheet never runs them as formulas."
    return DataPackage(
        title: vi ? "Báo cáo khảo sát, tìm kiếm công nghệ" : "Technology survey report",
        description: description, created: generatedAt, period: period.description, language: language.rawValue,
        resources: tables.map { dataPackageResource($0, language) })
}

func dataPackageResource(_ table: PublishedTable, _ language: Language) -> DataPackage.Resource {
    let vi = language == .vi
    let keyColumns = table.columns.indices.filter { column in
        table.rows.contains { row in column < row.count && row[column].csvKey != nil }
    }.map { table.columns[$0] }
    let markers = totalMarkers(table)
    let fields = table.columns.enumerated().map { index, column -> DataPackage.Field in
        var meaning = columnMeaning(column, language)?.description ?? ""
        if let marker = markers[column] {
            meaning += vi
                ? " Giá trị \"\(marker)\" đánh dấu dòng tổng (tổng của các dòng khác trong nhóm): bỏ các dòng này trước khi cộng một cột."
                : " The value \"\(marker)\" marks a total row (the total of the other rows of its group): drop those rows before summing a column."
        }
        return DataPackage.Field(name: column, type: columnType(index, of: table), title: language.heading(column), description: meaning)
    }
    let totalsNote: String
    if markers.isEmpty {
        totalsNote = ""
    } else {
        let where_ = markers.sorted { $0.key < $1.key }.map { "\($0.key) = \"\($0.value)\"" }.joined(separator: vi ? " hoặc " : " or ")
        totalsNote = vi ? " Dòng tổng: \(where_)." : " Total rows: \(where_)."
    }
    return DataPackage.Resource(
        name: table.name, path: table.name + ".csv", title: tableTitle(table.id, language),
        description: tableTitle(table.id, language) + "." + totalsNote,
        schema: DataPackage.Schema(fields: fields, primaryKey: keyColumns), totalRows: markers)
}

/// The column and value that tell total rows from the others: a key column where every total row holds
/// the same value and no other row holds it (the last such column, the most specific one).
func totalMarkers(_ table: PublishedTable) -> [String: String] {
    guard !table.totalRows.isEmpty else { return [:] }
    for column in table.columns.indices.reversed() {
        let values = table.rows.indices.map { index -> String? in
            guard column < table.rows[index].count else { return nil }
            return table.rows[index][column].csvKey
        }
        let totals = Set(table.totalRows.map { values[$0] })
        guard totals.count == 1, let marker = totals.first ?? nil else { continue }
        let others = table.rows.indices.filter { !table.totalRows.contains($0) }.map { values[$0] }
        if !others.contains(marker) { return [table.columns[column]: marker] }
    }
    return [:]
}

/// The Table Schema type of a column: from its declared meaning, else from its values.
private func columnType(_ index: Int, of table: PublishedTable) -> String {
    if let declared = columnMeaning(table.columns[index], .en)?.type { return declared }
    for row in table.rows where index < row.count {
        switch row[index] {
        case .key, .total: return "string"
        case .count: return "integer"
        case .percent, .budget: return "number"
        case .missing: continue
        }
    }
    return "string"
}

/// What a column of the published tables holds.
struct ColumnMeaning {
    let type: String
    let description: String
}

func columnMeaning(_ column: String, _ language: Language) -> ColumnMeaning? {
    if let measure = Measure(rawValue: column) { return measure.meaning(language) }
    let vi = language == .vi
    func m(_ type: String, _ viText: String, _ enText: String) -> ColumnMeaning { ColumnMeaning(type: type, description: vi ? viText : enText) }
    switch column {
    case "field": return m("string", "Mã lĩnh vực công nghệ: biotech, environment, energy, automation, materials.",
                           "Technology field code: biotech, environment, energy, automation, materials.")
    case "period": return m("string", "Quý khảo sát, dạng 2015-Q3.", "Quarter of the survey date, as 2015-Q3.")
    case "unit_type": return m("string", "Mã loại hình đơn vị: enterprise, institute, university, agency, other.",
                               "Unit type code: enterprise, institute, university, agency, other.")
    case "district": return m("string", "Quận/huyện của đơn vị như ghi trong phiếu; \"unknown\" khi phiếu không ghi.",
                              "The unit's district as the returns name it; \"unknown\" where a return names none.")
    case "kind": return m("string", "Mã loại hoạt động: agreement, exhibition, connection_session, research_task, delegation, training, consulting, other.",
                          "Activity kind code: agreement, exhibition, connection_session, research_task, delegation, training, consulting, other.")
    case "year": return m("string", "Năm của hoạt động.", "Year of the activity.")
    case "partner_country": return m("string", "Quốc gia đối tác như ghi trong nhật ký; \"unknown\" khi không ghi.",
                                     "Partner country as the log names it; \"unknown\" where none is named.")
    case "measure": return m("string", "Chỉ tiêu được so sánh: unit_visits, technologies_found, technologies_proposed.",
                             "The measure compared: unit_visits, technologies_found, technologies_proposed.")
    case "current": return m("integer", "Giá trị của kỳ báo cáo.", "The value in the report's period.")
    case "previous_period": return m("integer", "Giá trị của kỳ liền trước; trống khi không so sánh.", "The value in the previous period; empty when not compared.")
    case "change_vs_previous": return m("integer", "Kỳ này trừ kỳ trước.", "This period minus the previous one.")
    case "change_pct_vs_previous": return m("number", "Thay đổi so với kỳ trước, %, một chữ số thập phân; trống khi kỳ trước bằng 0.",
                                            "Change on the previous period in percent, one decimal; empty when that was 0.")
    case "year_earlier": return m("integer", "Giá trị của cùng kỳ năm trước; trống khi không so sánh.", "The value in the same period a year earlier; empty when not compared.")
    case "change_vs_year_earlier": return m("integer", "Kỳ này trừ cùng kỳ năm trước.", "This period minus the same period a year earlier.")
    case "change_pct_vs_year_earlier": return m("number", "Thay đổi so với cùng kỳ năm trước, %, một chữ số thập phân; trống khi giá trị đó bằng 0.",
                                                "Change on a year earlier in percent, one decimal; empty when that was 0.")
    default: return nil
    }
}
