// What each published table is called: its heading in report.md and its (shorter) sheet name in
// report.xlsx, whose sheet names Excel limits to 31 characters without `/`.

/// The table's heading in `language`.
func tableTitle(_ id: TableID, _ language: Language) -> String {
    let names = tableNames(id)
    return language == .vi ? names.title.vi : names.title.en
}

/// The table's sheet name in `language` (before workbookSheetName makes it unique).
func tableSheetTitle(_ id: TableID, _ language: Language) -> String {
    let names = tableNames(id)
    return language == .vi ? names.sheet.vi : names.sheet.en
}

private func tableNames(_ id: TableID) -> (title: (vi: String, en: String), sheet: (vi: String, en: String)) {
    switch id {
    case .comparison: return (("So sánh với các kỳ trước", "Change against earlier periods"), ("So sánh", "Comparison"))
    case .byField: return (("Kết quả khảo sát theo lĩnh vực", "Survey results by field"), ("Theo lĩnh vực", "By field"))
    case .byPeriod: return (("Kết quả khảo sát theo quý và lĩnh vực", "Survey results by quarter and field"), ("Theo quý", "By quarter"))
    case .byUnitType: return (("Kết quả khảo sát theo loại hình đơn vị", "Survey results by unit type"), ("Theo loại hình", "By unit type"))
    case .byDistrict: return (("Kết quả khảo sát theo quận/huyện", "Survey results by district"), ("Theo quận huyện", "By district"))
    case .activitiesByKind: return (("Hoạt động hợp tác theo loại và năm", "Programme activities by kind and year"), ("Hoạt động theo loại", "Activities by kind"))
    case .activitiesByCountry:
        return (("Hoạt động hợp tác theo quốc gia đối tác", "Programme activities by partner country"), ("Hoạt động theo quốc gia", "Activities by country"))
    }
}
