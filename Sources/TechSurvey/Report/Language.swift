// Everything the report says in words, in Vietnamese (default) and English, and how each writes numbers
// (vi `5.132` and `53,2%`; en `5,132` and `53.2%`).

import Foundation

/// The language of `report.md` and `news.md`.
public enum Language: String, CaseIterable, Sendable, Codable {
    case vi, en

    var groupSeparator: String { self == .vi ? "." : "," }
    var decimalMark: String { self == .vi ? "," : "." }

    /// A whole number with thousands grouped.
    func number(_ n: Int) -> String {
        let digits = group(String(n.magnitude), groupSeparator)
        return n < 0 ? "-" + digits : digits
    }

    func percent(_ tenths: Int?) -> String {
        guard let tenths else { return "–" }
        return formatTenths(tenths, decimalMark: decimalMark) + "%"
    }

    func budget(_ b: Budget) -> String { b.formatted(decimalMark: decimalMark, groupSeparator: groupSeparator) }

    /// A date as the reader of this language writes it.
    func date(_ iso: String) -> String {
        guard let d = CalendarDate(parsing: iso) else { return iso }
        return self == .vi ? pad(d.day, 2) + "/" + pad(d.month, 2) + "/" + String(d.year) : d.description
    }

    func field(_ f: Field) -> String {
        switch (self, f) {
        case (.vi, .biotech): return "Công nghệ sinh học"
        case (.vi, .environment): return "Công nghệ môi trường"
        case (.vi, .energy): return "Công nghệ năng lượng mới"
        case (.vi, .automation): return "Công nghệ tự động hóa"
        case (.vi, .materials): return "Công nghệ vật liệu mới"
        case (.en, .biotech): return "Biotechnology"
        case (.en, .environment): return "Environmental technology"
        case (.en, .energy): return "New energy technology"
        case (.en, .automation): return "Automation technology"
        case (.en, .materials): return "New materials technology"
        }
    }

    /// A field's name inside a sentence: English prose writes it in lower case ("in biotechnology").
    func fieldInProse(_ f: Field) -> String { self == .vi ? field(f) : field(f).lowercased() }

    func unitType(_ t: UnitType) -> String {
        switch (self, t) {
        case (.vi, .enterprise): return "Doanh nghiệp"
        case (.vi, .institute): return "Viện nghiên cứu"
        case (.vi, .university): return "Trường đại học, cao đẳng"
        case (.vi, .agency): return "Cơ quan nhà nước"
        case (.vi, .other): return "Khác"
        case (.en, .enterprise): return "Enterprise"
        case (.en, .institute): return "Research institute"
        case (.en, .university): return "University or college"
        case (.en, .agency): return "Government agency"
        case (.en, .other): return "Other"
        }
    }

    func activityKind(_ k: ActivityKind) -> String {
        switch (self, k) {
        case (.vi, .agreement): return "Thỏa thuận hợp tác"
        case (.vi, .exhibition): return "Triển lãm"
        case (.vi, .connectionSession): return "Kết nối cung cầu"
        case (.vi, .researchTask): return "Nhiệm vụ KH&CN"
        case (.vi, .delegation): return "Đoàn công tác"
        case (.vi, .training): return "Đào tạo, tập huấn"
        case (.vi, .consulting): return "Tư vấn"
        case (.vi, .other): return "Hoạt động khác"
        case (.en, .agreement): return "Cooperation agreement"
        case (.en, .exhibition): return "Exhibition"
        case (.en, .connectionSession): return "Supply–demand connection session"
        case (.en, .researchTask): return "Research task"
        case (.en, .delegation): return "Delegation"
        case (.en, .training): return "Training"
        case (.en, .consulting): return "Consulting"
        case (.en, .other): return "Other activity"
        }
    }

    /// The key cell of a total row.
    var totalLabel: String { self == .vi ? "Tổng" : "Total" }

    /// The display text of a table key cell (a code, a quarter, a year, free text or a total).
    func keyLabel(_ key: String, column: String) -> String {
        if key == unknownGroupKey && (column == "district" || column == "partner_country") {
            return self == .vi ? "(chưa rõ)" : "(unknown)"
        }
        switch column {
        case "field": return Field(rawValue: key).map(field) ?? key
        case "unit_type": return UnitType(rawValue: key).map(unitType) ?? key
        case "kind": return ActivityKind(rawValue: key).map(activityKind) ?? key
        case "period": return Quarter(parsing: key).map { sentence(quarter($0)) } ?? key
        case "measure": return heading(key)
        case "partner_country": return CountryCatalogue.system.name(key, vietnamese: self == .vi) ?? TotalMarker.label(key)
        default: return TotalMarker.label(key)
        }
    }

    /// The heading of a table column: a measure's from the spec (`Measure.heading`), the others' here.
    func heading(_ column: String) -> String {
        if let measure = Measure(rawValue: column) { return measure.heading(self) }
        let vi: [String: String] = [
            "field": "Lĩnh vực", "period": "Quý", "unit_type": "Loại hình đơn vị", "district": "Quận/Huyện", "kind": "Loại hoạt động",
            "year": "Năm", "partner_country": "Quốc gia đối tác",
            "measure": "Chỉ tiêu", "current": "Kỳ này", "previous_period": "Kỳ trước", "change_vs_previous": "Tăng/giảm so với kỳ trước",
            "change_pct_vs_previous": "Tăng/giảm so với kỳ trước (%)", "year_earlier": "Cùng kỳ năm trước",
            "change_vs_year_earlier": "Tăng/giảm so với cùng kỳ năm trước", "change_pct_vs_year_earlier": "Tăng/giảm so với cùng kỳ năm trước (%)",
        ]
        let en: [String: String] = [
            "field": "Field", "period": "Quarter", "unit_type": "Unit type", "district": "District", "kind": "Activity", "year": "Year",
            "partner_country": "Partner country",
            "measure": "Measure", "current": "This period", "previous_period": "Previous period", "change_vs_previous": "Change on previous",
            "change_pct_vs_previous": "Change on previous (%)", "year_earlier": "A year earlier", "change_vs_year_earlier": "Change on a year earlier",
            "change_pct_vs_year_earlier": "Change on a year earlier (%)",
        ]
        return (self == .vi ? vi : en)[column] ?? column
    }
}
