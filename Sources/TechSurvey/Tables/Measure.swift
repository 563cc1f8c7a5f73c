// The measure columns of the published tables (SPEC §4.1): what one record adds to its row, and how a row's
// records make its figure. `SurveyTally.add` and `ActivityMeasures.add` are the additions; `cell` is the
// only place a rate or a share is taken, for the CSV, the report, the workbook and trace alike.

/// A measure column, named as in the CSV header.
public enum Measure: String, CaseIterable, Sendable {
    /// Each return adds 1: how many unit-visits the row holds.
    case unitVisits = "unit_visits"
    /// How many distinct unit ids the row's returns carry: a set, not a sum, so rows do not add up to the total.
    case distinctUnits = "distinct_units"
    /// Each return adds its technologies found.
    case technologiesFound = "technologies_found"
    /// Each return adds its technologies proposed.
    case technologiesProposed = "technologies_proposed"
    /// The rate of the row's sums: proposed / found × 100 (`percentTenths`), empty when found is 0.
    case proposalRatePct = "proposal_rate_pct"
    /// The row's found over the found of its group's total row (the table's; by_period: its quarter's) × 100.
    case shareOfFoundPct = "share_of_found_pct"
    /// Each activity adds 1.
    case activities
    /// Each activity adds its businesses, visitors, connections, budget (exact thousandths of a million VND).
    case businesses, visitors, connections
    case budgetMillionVND = "budget_million_vnd"

    /// The survey tables' measures, in column order.
    static let survey: [Measure] = [.unitVisits, .distinctUnits, .technologiesFound, .technologiesProposed, .proposalRatePct, .shareOfFoundPct]
    /// The activity tables' measures, in column order.
    static let activity: [Measure] = [.activities, .businesses, .visitors, .connections, .budgetMillionVND]

    /// The cell of a survey row: sums and the distinct count as they are, the rate and the share of the sums.
    func cell(_ row: SurveyRow) -> TableValue {
        let m = row.measures
        switch self {
        case .proposalRatePct: return .percent(percentTenths(m.technologiesProposed, of: m.technologiesFound))
        case .shareOfFoundPct: return .percent(percentTenths(m.technologiesFound, of: row.shareBase))
        default: return count(m).map { .count($0) } ?? .missing
        }
    }

    /// A survey row's count measure; nil for the rate, the share and the activity measures.
    func count(_ m: SurveyMeasures) -> Int? {
        switch self {
        case .unitVisits: return m.unitVisits
        case .distinctUnits: return m.distinctUnits
        case .technologiesFound: return m.technologiesFound
        case .technologiesProposed: return m.technologiesProposed
        default: return nil
        }
    }

    /// The cell of an activity row.
    func cell(_ m: ActivityMeasures) -> TableValue {
        switch self {
        case .activities: return .count(m.activities)
        case .businesses: return .count(m.businesses)
        case .visitors: return .count(m.visitors)
        case .connections: return .count(m.connections)
        case .budgetMillionVND: return .budget(m.budget)
        default: return .missing
        }
    }

    /// What one return brings to the figure, as trace lists it: its value, its unit id for the distinct
    /// count, proposed/found for the rate, found for the share.
    func traced(_ r: PackedReturn, strings: [String]) -> String {
        switch self {
        case .unitVisits: return "1"
        case .distinctUnits: return strings[Int(r.unitID)]
        case .technologiesFound, .shareOfFoundPct: return String(r.found)
        case .technologiesProposed: return String(r.proposed)
        case .proposalRatePct: return "\(r.proposed)/\(r.found)"
        default: return ""
        }
    }

    /// What one activity brings to the figure, as trace lists it.
    func traced(_ a: ActivityRecord) -> String {
        switch self {
        case .activities: return "1"
        case .businesses: return String(a.businesses)
        case .visitors: return String(a.visitors)
        case .connections: return String(a.connections)
        case .budgetMillionVND: return a.budget.description
        default: return ""
        }
    }

    /// The word trace prints before the figure: what kind of combination of the listed values it is.
    public var combination: String {
        switch self {
        case .distinctUnits: return "distinct"
        case .proposalRatePct: return "rate"
        case .shareOfFoundPct: return "share"
        default: return "sum"
        }
    }

    /// What the column holds, for tables/datapackage.json (SPEC §4.4): its Table Schema type and meaning.
    func meaning(_ language: Language) -> ColumnMeaning {
        func m(_ type: String, _ vi: String, _ en: String) -> ColumnMeaning { ColumnMeaning(type: type, description: language == .vi ? vi : en) }
        switch self {
        case .unitVisits: return m("integer", "Số lượt đơn vị được khảo sát (một đơn vị trong một lần khảo sát, một lĩnh vực), sau khi bỏ phiếu bị thay thế.",
                    "Unit-visits surveyed (one unit on one visit, in one field), after resubmissions are resolved.")
        case .distinctUnits: return m("integer", "Số đơn vị khác nhau (theo mã đơn vị); không cộng được qua các dòng vì một đơn vị có thể xuất hiện ở nhiều dòng.",
                    "Distinct units (by unit id); does not add up across rows, as one unit can appear in several.")
        case .technologiesFound: return m("integer", "Số công nghệ/tiến bộ kỹ thuật khảo sát, tìm kiếm được.",
                    "Technologies / technical advances found.")
        case .technologiesProposed: return m("integer", "Số công nghệ đề xuất chuyển giao, ứng dụng.",
                    "Technologies proposed for transfer and application.")
        case .proposalRatePct: return m("number", "Tỷ lệ đề xuất = đề xuất / tìm kiếm × 100, làm tròn một chữ số thập phân; trống khi không có công nghệ tìm kiếm.",
                    "Proposed / found × 100, rounded half away from zero to one decimal; empty when none were found.")
        case .shareOfFoundPct: return m("number", "Tỷ trọng = tìm kiếm của dòng / tổng tìm kiếm (của bảng hoặc của quý) × 100, làm tròn một chữ số thập phân; trống khi tổng bằng 0.",
                    "Found in the row / total found (of the table, or of the quarter) × 100, rounded to one decimal; empty when the total is 0.")
        case .activities: return m("integer", "Số hoạt động hợp tác.",
                    "Programme activities.")
        case .businesses: return m("integer", "Số doanh nghiệp tham gia.",
                    "Businesses taking part.")
        case .visitors: return m("integer", "Số lượt khách tham quan.",
                    "Visitors.")
        case .connections: return m("integer", "Số cuộc kết nối cung cầu.",
                    "Business-matching meetings.")
        case .budgetMillionVND: return m("number", "Kinh phí, triệu đồng (dấu chấm thập phân).",
                    "Budget in million VND (dot decimal).")
        }
    }

    /// The column's heading in the report, the workbook and the data package.
    func heading(_ language: Language) -> String {
        let (vi, en): (String, String)
        switch self {
        case .unitVisits: (vi, en) = ("Lượt đơn vị", "Unit-visits")
        case .distinctUnits: (vi, en) = ("Số đơn vị", "Distinct units")
        case .technologiesFound: (vi, en) = ("Công nghệ tìm kiếm", "Technologies found")
        case .technologiesProposed: (vi, en) = ("Công nghệ đề xuất", "Technologies proposed")
        case .proposalRatePct: (vi, en) = ("Tỷ lệ đề xuất", "Proposal rate")
        case .shareOfFoundPct: (vi, en) = ("Tỷ trọng tìm kiếm", "Share of found")
        case .activities: (vi, en) = ("Số hoạt động", "Activities")
        case .businesses: (vi, en) = ("Doanh nghiệp", "Businesses")
        case .visitors: (vi, en) = ("Lượt khách", "Visitors")
        case .connections: (vi, en) = ("Cuộc kết nối", "Matching meetings")
        case .budgetMillionVND: (vi, en) = ("Kinh phí (triệu đồng)", "Budget (million VND)")
        }
        return language == .vi ? vi : en
    }
}
