// `news.md`: the figures as sentences a journalist can paste, in the style of the published review quoted
// in SPEC §1. Every number is read from the same aggregates as the tables.

/// Builds the news text for `language`. A period without any record gets one sentence saying so; a field
/// without returns is named as such; a comparison with an empty period is left out (SPEC §4.5).
func newsText(_ aggregates: Aggregates, language: Language, periodLabel: String) -> String {
    var out = language == .vi ? "# Số liệu để đưa tin\n\n" : "# Figures for the press\n\n"
    out += "_\(periodLabel)_\n\n"
    let total = aggregates.byField.rows.first(where: \.isTotal)?.measures ?? SurveyMeasures()
    let hasActivities = aggregates.activitiesByKind.rows.contains { $0.isTotal && $0.measures.activities > 0 }
    let within = language.periodName(aggregates.period)
    if total.unitVisits == 0 && !hasActivities {
        return out + emptyPeriodSentence(within, language) + "\n"
    }
    out += surveyParagraph(aggregates.byField, within: within, language) + "\n\n"
    if let comparison = comparisonParagraph(aggregates, language) {
        out += comparison + "\n\n"
    }
    if let programme = programmeParagraph(aggregates.activitiesByKind, within: within, language) {
        out += programme + "\n"
    }
    return out
}

/// The one sentence of a period without data.
func emptyPeriodSentence(_ within: String?, _ language: Language) -> String {
    switch (language, within) {
    case (.vi, let name?): return "Trong \(name) chưa có lượt khảo sát nào và chưa ghi nhận hoạt động hợp tác nào."
    case (.vi, nil): return "Chưa có lượt khảo sát nào và chưa ghi nhận hoạt động hợp tác nào."
    case (.en, let name?): return "No unit was surveyed and no programme activity was recorded in \(name)."
    case (.en, nil): return "No unit has been surveyed and no programme activity recorded yet."
    }
}

/// Capitalises the first letter of a sentence.
func sentence(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

private func surveyParagraph(_ table: SurveyTable, within: String?, _ language: Language) -> String {
    let fields = table.rows.compactMap { row -> (Field, SurveyMeasures)? in
        guard !row.isTotal, let key = row.keys.last, let field = Field(rawValue: key) else { return nil }
        return (field, row.measures)
    }
    let total = table.rows.first(where: \.isTotal)?.measures ?? SurveyMeasures()
    let surveyed = fields.filter { $0.1.unitVisits > 0 }
    let unsurveyed = fields.filter { $0.1.unitVisits == 0 }.map { $0.0 }
    let n = language.number, p = language.prose
    let rate = percentTenths(total.technologiesProposed, of: total.technologiesFound).map(language.percent)
    switch language {
    case .vi:
        let prefix = within.map { "Trong \($0), k" } ?? "K"
        guard total.unitVisits > 0 else { return "\(within.map { "Trong \($0) c" } ?? "C")hưa có lượt khảo sát nào." }
        var out = "\(prefix)hảo sát tổng số tại \(n(total.unitVisits)) lượt đơn vị."
        let visits = surveyed.map { "\(n($1.unitVisits)) lượt đơn vị thuộc lĩnh vực \(language.field($0))" }.joined(separator: ", ")
        let none = unsurveyed.isEmpty ? "" : "; chưa có lượt khảo sát nào trong lĩnh vực " + viList(unsurveyed.map(language.field))
        out += " Trong đó, có \(visits)\(none)."
        guard total.technologiesFound > 0 else { return out + " Chưa tìm kiếm được công nghệ/tiến bộ kỹ thuật nào." }
        let found = surveyed.filter { $1.technologiesFound > 0 }.map { "\(language.field($0)): \(n($1.technologiesFound))" }.joined(separator: "; ")
        out += " Khảo sát, tìm kiếm \(n(total.technologiesFound)) công nghệ/tiến bộ kỹ thuật (\(found))."
        guard total.technologiesProposed > 0, let rate else { return out + " Chưa có công nghệ/tiến bộ kỹ thuật nào được đề xuất chuyển giao, ứng dụng." }
        let proposed = surveyed.filter { $1.technologiesProposed > 0 }.map { "\(language.field($0)): \(n($1.technologiesProposed))" }.joined(separator: "; ")
        return out + " Đề xuất chuyển giao, ứng dụng \(n(total.technologiesProposed)) công nghệ/tiến bộ kỹ thuật (\(proposed)), đạt tỷ lệ \(rate) số công nghệ tìm kiếm."
    case .en:
        let lead = within.map { "In \($0), the survey" } ?? "The survey"
        guard total.unitVisits > 0 else { return within.map { "No unit was surveyed in \($0)." } ?? "No unit has been surveyed yet." }
        let visits = enList(surveyed.map { "\(p($1.unitVisits)) in \(language.fieldInProse($0))" })
        var out = "\(lead) covered \(p(total.unitVisits)) \(total.unitVisits == 1 ? "unit-visit" : "unit-visits"): \(visits)"
        out += unsurveyed.isEmpty ? "." : "; no unit was surveyed in " + enList(unsurveyed.map(language.fieldInProse), or: true) + "."
        guard total.technologiesFound > 0 else { return out + " No technology or technical advance was found." }
        let found = enList(surveyed.filter { $1.technologiesFound > 0 }.map { "\(p($1.technologiesFound)) in \(language.fieldInProse($0))" })
        out += " Survey teams found \(p(total.technologiesFound)) \(total.technologiesFound == 1 ? "technology or technical advance" : "technologies and technical advances") (\(found))."
        guard total.technologiesProposed > 0, let rate else { return out + " None was proposed for transfer and application." }
        let proposed = enList(surveyed.filter { $1.technologiesProposed > 0 }.map { "\(p($1.technologiesProposed)) in \(language.fieldInProse($0))" })
        return out + " Of these, \(p(total.technologiesProposed)) \(total.technologiesProposed == 1 ? "was" : "were") proposed for transfer and application (\(proposed)), a proposal rate of \(rate)."
    }
}

/// "a, b và c".
func viList(_ items: [String]) -> String {
    items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " và " + (items.last ?? "")
}

/// "a, b and c" (or "a, b or c").
func enList(_ items: [String], or: Bool = false) -> String {
    items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + (or ? " or " : " and ") + (items.last ?? "")
}

private func programmeParagraph(_ table: ActivityTable, within: String?, _ language: Language) -> String? {
    let kinds = table.rows.compactMap { row -> (ActivityKind, ActivityMeasures)? in
        guard row.isTotal, row.keys.count == 2, let kind = ActivityKind(rawValue: row.keys[0]) else { return nil }
        return (kind, row.measures)
    }
    guard !kinds.isEmpty else { return nil }
    let n = language.prose
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
            if m.budget > .zero {
                let whole: Int? = m.budget.thousandths % 1000 == 0 ? Int(m.budget.thousandths / 1000) : nil
                details.append("a total budget of \(whole.map(n) ?? language.budget(m.budget)) million VND")
            }
        }
        let head = "\(n(m.activities)) \(activityNoun(kind, count: m.activities, language))"
        return details.isEmpty ? head : head + " (" + (language == .vi ? details.joined(separator: ", ") : enList(details)) + ")"
    }
    switch language {
    case .vi: return "Về hoạt động hợp tác, " + (within.map { "trong \($0) " } ?? "") + "chương trình ghi nhận " + parts.joined(separator: "; ") + "."
    case .en: return "The cooperation programme recorded " + enList(parts) + (within.map { " in \($0)" } ?? "") + "."
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
