// `news.md`: the figures as sentences a journalist can paste, in the style of the published review quoted
// in SPEC §1. Every number is read from the same aggregates as the tables.

/// Builds the news text for `language`.
func newsText(_ aggregates: Aggregates, language: Language, periodLabel: String) -> String {
    var out = language == .vi ? "# Số liệu để đưa tin\n\n" : "# Figures for the press\n\n"
    out += "_\(periodLabel)_\n\n"
    out += surveyParagraph(aggregates.byField, language) + "\n\n"
    if let comparison = comparisonParagraph(aggregates, language) {
        out += comparison + "\n\n"
    }
    if let programme = programmeParagraph(aggregates.activitiesByKind, language) {
        out += programme + "\n"
    }
    return out
}

private func surveyParagraph(_ table: SurveyTable, _ language: Language) -> String {
    let fields = table.rows.compactMap { row -> (Field, SurveyMeasures)? in
        guard !row.isTotal, let key = row.keys.last, let field = Field(rawValue: key) else { return nil }
        return (field, row.measures)
    }
    let total = table.rows.first(where: \.isTotal)?.measures ?? SurveyMeasures()
    let n = language.number
    let rate = language.percent(percentTenths(total.technologiesProposed, of: total.technologiesFound))
    let found = fields.map { "\(language.field($0)): \(n($1.technologiesFound))" }.joined(separator: "; ")
    let proposed = fields.map { "\(language.field($0)): \(n($1.technologiesProposed))" }.joined(separator: "; ")
    switch language {
    case .vi:
        let visits = fields.map { "\(n($1.unitVisits)) đơn vị thuộc lĩnh vực \(language.field($0))" }.joined(separator: ", ")
        return "Khảo sát tổng số tại \(n(total.unitVisits)) lượt đơn vị. Trong đó, có \(visits). "
            + "Khảo sát, tìm kiếm \(n(total.technologiesFound)) công nghệ/tiến bộ kỹ thuật (\(found)). "
            + "Đề xuất chuyển giao, ứng dụng \(n(total.technologiesProposed)) công nghệ/tiến bộ kỹ thuật (\(proposed)), "
            + "đạt tỷ lệ \(rate) số công nghệ tìm kiếm."
    case .en:
        let visits = fields.map { "\(n($1.unitVisits)) in \(language.field($0))" }.joined(separator: ", ")
        return "The survey covered \(n(total.unitVisits)) unit-visits in total: \(visits). "
            + "It found \(n(total.technologiesFound)) technologies and technical advances (\(found)). "
            + "Of these, \(n(total.technologiesProposed)) were proposed for transfer and application (\(proposed)), "
            + "a proposal rate of \(rate)."
    }
}

private func programmeParagraph(_ table: ActivityTable, _ language: Language) -> String? {
    let kinds = table.rows.compactMap { row -> (ActivityKind, ActivityMeasures)? in
        guard row.isTotal, row.keys.count == 2, let kind = ActivityKind(rawValue: row.keys[0]) else { return nil }
        return (kind, row.measures)
    }
    guard !kinds.isEmpty else { return nil }
    let n = language.number
    let parts = kinds.map { kind, m -> String in
        var details: [String] = []
        switch language {
        case .vi:
            if m.businesses > 0 { details.append("\(n(m.businesses)) doanh nghiệp") }
            if m.visitors > 0 { details.append("\(n(m.visitors)) lượt khách") }
            if m.connections > 0 { details.append("\(n(m.connections)) cuộc kết nối") }
            if m.budget > .zero { details.append("tổng kinh phí \(language.budget(m.budget)) triệu đồng") }
        case .en:
            if m.businesses > 0 { details.append("\(n(m.businesses)) \(m.businesses == 1 ? "business" : "businesses")") }
            if m.visitors > 0 { details.append("\(n(m.visitors)) \(m.visitors == 1 ? "visitor" : "visitors")") }
            if m.connections > 0 { details.append("\(n(m.connections)) business-matching \(m.connections == 1 ? "meeting" : "meetings")") }
            if m.budget > .zero { details.append("total budget \(language.budget(m.budget)) million VND") }
        }
        let head = "\(n(m.activities)) \(activityNoun(kind, count: m.activities, language))"
        return details.isEmpty ? head : head + " (" + details.joined(separator: ", ") + ")"
    }
    switch language {
    case .vi: return "Về hoạt động hợp tác, chương trình ghi nhận " + parts.joined(separator: "; ") + "."
    case .en: return "The cooperation programme recorded " + parts.joined(separator: "; ") + "."
    }
}

private func activityNoun(_ kind: ActivityKind, count: Int, _ language: Language) -> String {
    switch language {
    case .vi:
        switch kind {
        case .agreement: return "thỏa thuận hợp tác được ký kết"
        case .exhibition: return "triển lãm"
        case .connectionSession: return "phiên kết nối cung cầu công nghệ"
        case .researchTask: return "nhiệm vụ KH&CN"
        case .delegation: return "đoàn công tác"
        case .training: return "lớp đào tạo, tập huấn"
        case .consulting: return "hoạt động tư vấn"
        case .other: return "hoạt động khác"
        }
    case .en:
        let one = count == 1
        switch kind {
        case .agreement: return one ? "cooperation agreement signed" : "cooperation agreements signed"
        case .exhibition: return one ? "exhibition" : "exhibitions"
        case .connectionSession: return one ? "technology supply–demand connection session" : "technology supply–demand connection sessions"
        case .researchTask: return one ? "research task" : "research tasks"
        case .delegation: return one ? "delegation" : "delegations"
        case .training: return one ? "training course" : "training courses"
        case .consulting: return one ? "consulting activity" : "consulting activities"
        case .other: return one ? "other activity" : "other activities"
        }
    }
}
