// What each published table is called: its heading in report.md and its (shorter) sheet name in
// report.xlsx, whose sheet names Excel limits to 31 characters without `/`.

/// The table's heading in `language`.
func tableTitle(_ name: String, _ language: Language) -> String {
    let titles: [String: (vi: String, en: String)] = [
        "comparison": ("So sánh với các kỳ trước", "Change against earlier periods"),
        "by_field": ("Kết quả khảo sát theo lĩnh vực", "Survey results by field"),
        "by_period": ("Kết quả khảo sát theo quý và lĩnh vực", "Survey results by quarter and field"),
        "by_unit_type": ("Kết quả khảo sát theo loại hình đơn vị", "Survey results by unit type"),
        "by_district": ("Kết quả khảo sát theo quận/huyện", "Survey results by district"),
        "activities_by_kind": ("Hoạt động hợp tác theo loại và năm", "Programme activities by kind and year"),
        "activities_by_country": ("Hoạt động hợp tác theo quốc gia đối tác", "Programme activities by partner country"),
    ]
    return titles[name].map { language == .vi ? $0.vi : $0.en } ?? name
}

/// The table's sheet name in `language` (before workbookSheetName makes it unique).
func tableSheetTitle(_ name: String, _ language: Language) -> String {
    let titles: [String: (vi: String, en: String)] = [
        "comparison": ("So sánh", "Comparison"),
        "by_field": ("Theo lĩnh vực", "By field"),
        "by_period": ("Theo quý", "By quarter"),
        "by_unit_type": ("Theo loại hình", "By unit type"),
        "by_district": ("Theo quận huyện", "By district"),
        "activities_by_kind": ("Hoạt động theo loại", "Activities by kind"),
        "activities_by_country": ("Hoạt động theo quốc gia", "Activities by country"),
    ]
    return titles[name].map { language == .vi ? $0.vi : $0.en } ?? name
}
