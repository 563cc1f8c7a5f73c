// The published tables (SPEC §4.1), named as their CSV files, in the report's order: their key columns
// and measures. What row a record falls in is `SurveyLayout` (returns) and `ActivityRows` (activities);
// what a measure adds and how it combines is `Measure`.

/// A table the report publishes, `tables/<rawValue>.csv`.
public enum TableID: String, CaseIterable, Sendable {
    case byField = "by_field"
    /// The by-field totals against earlier periods (`comparisonTable`): derived from two by-field tables.
    case comparison
    case byPeriod = "by_period"
    case byUnitType = "by_unit_type"
    case byDistrict = "by_district"
    case activitiesByKind = "activities_by_kind"
    case activitiesByCountry = "activities_by_country"

    /// The key columns: the row's group first where it has one (by_period: the quarter; activities_by_kind:
    /// the kind), the row's own key last.
    var keyColumns: [String] {
        switch self {
        case .byField: return ["field"]
        case .comparison: return ["field", "measure"]
        case .byPeriod: return ["period", "field"]
        case .byUnitType: return ["unit_type"]
        case .byDistrict: return ["district"]
        case .activitiesByKind: return ["kind", "year"]
        case .activitiesByCountry: return ["partner_country"]
        }
    }

    /// The measure columns, after the key columns (the comparison's are its own: `comparisonTable`).
    var measures: [Measure] {
        switch self {
        case .byField, .byPeriod, .byUnitType, .byDistrict: return Measure.survey
        case .activitiesByKind, .activitiesByCountry: return Measure.activity
        case .comparison: return []
        }
    }

    /// Whether its rows count activities rather than returns.
    var countsActivities: Bool { self == .activitiesByKind || self == .activitiesByCountry }

    /// The tables whose cells trace to records: every one but the comparison, a difference of two tables.
    public static let traceable = allCases.filter { $0 != .comparison }
}
