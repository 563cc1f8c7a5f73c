// The aggregate stage's product: every grouping the report needs, totals included, as raw integer
// measures. Rates and shares are derived in the report, from these, with one rounding rule.

/// Survey measures of one group of unit-visits.
public struct SurveyMeasures: Codable, Sendable, Equatable {
    public var unitVisits = 0
    var distinctUnits = 0
    var technologiesFound = 0
    var technologiesProposed = 0

    public init(unitVisits: Int = 0, distinctUnits: Int = 0, technologiesFound: Int = 0, technologiesProposed: Int = 0) {
        self.unitVisits = unitVisits
        self.distinctUnits = distinctUnits
        self.technologiesFound = technologiesFound
        self.technologiesProposed = technologiesProposed
    }

    enum CodingKeys: String, CodingKey {
        case unitVisits = "unit_visits"
        case distinctUnits = "distinct_units"
        case technologiesFound = "technologies_found"
        case technologiesProposed = "technologies_proposed"
    }
}

/// One row of a survey table: its key cells, measures, and the found total its share is taken of.
public struct SurveyRow: Codable, Sendable, Equatable {
    var keys: [String]
    public var measures: SurveyMeasures
    /// Total technologies found of the table (or of the row's quarter) that `share_of_found_pct` divides by.
    var shareBase: Int
    var isTotal: Bool

    enum CodingKeys: String, CodingKey {
        case keys, measures
        case shareBase = "share_base"
        case isTotal = "is_total"
    }
}

/// A table of the aggregates file: key column names, then rows in publication order.
public struct CountTable<Row: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    var keyColumns: [String]
    public var rows: [Row]

    enum CodingKeys: String, CodingKey {
        case keyColumns = "key_columns"
        case rows
    }
}

public typealias SurveyTable = CountTable<SurveyRow>
typealias ActivityTable = CountTable<ActivityRow>

/// Programme activity measures of one group.
struct ActivityMeasures: Codable, Sendable, Equatable {
    var activities = 0
    var businesses = 0
    var visitors = 0
    var connections = 0
    var budget = Budget.zero

    init() {}

    /// Adds `a`: one activity, its businesses, visitors, connections and budget, every sum checked (SPEC §6:
    /// exact or refused with exit 65).
    mutating func add(_ a: ActivityRecord) throws(TechSurveyError) {
        var one = ActivityMeasures()
        one.activities = 1
        one.businesses = a.businesses
        one.visitors = a.visitors
        one.connections = a.connections
        one.budget = a.budget
        try merge(one)
    }

    /// Adds the measures of other activities of the same row, every sum checked.
    mutating func merge(_ other: ActivityMeasures) throws(TechSurveyError) {
        var overflow = false
        ExactSum.add(&activities, other.activities, overflow: &overflow)
        ExactSum.add(&businesses, other.businesses, overflow: &overflow)
        ExactSum.add(&visitors, other.visitors, overflow: &overflow)
        ExactSum.add(&connections, other.connections, overflow: &overflow)
        if overflow { throw ExactSum.overflowError("businesses, visitors or connections") }
        budget = try budget.adding(other.budget)
    }

    enum CodingKeys: String, CodingKey {
        case activities, businesses, visitors, connections
        case budget = "budget_thousandths_million_vnd"
    }
}

struct ActivityRow: Codable, Sendable, Equatable {
    var keys: [String]
    var measures: ActivityMeasures
    var isTotal: Bool

    enum CodingKeys: String, CodingKey {
        case keys, measures
        case isTotal = "is_total"
    }
}

/// The by-field table of a period the report compares with (SPEC §2: the previous quarter, and the same
/// quarter a year before).
struct Comparison: Codable, Sendable, Equatable {
    enum Basis: String, Codable, Sendable {
        case previousPeriod = "previous_period"
        case yearEarlier = "year_earlier"
    }

    var basis: Basis
    var period: Period
    var byField: SurveyTable

    /// Whether the period compared with has any unit-visit; a comparison with an empty period (or one before
    /// the first record) is never printed (SPEC §4.5).
    var hasData: Bool { (byField.rows.last?.measures.unitVisits ?? 0) > 0 }

    enum CodingKeys: String, CodingKey {
        case basis, period
        case byField = "by_field"
    }
}

/// One quarter of the trend chart: the quarter's totals.
struct TrendPoint: Codable, Sendable, Equatable {
    var quarter: Quarter
    var measures: SurveyMeasures
}

/// Everything the report renders.
public struct Aggregates: Codable, Sendable, Equatable {
    public var period: Period
    /// First and last survey date counted, ISO; nil when no record is in the period.
    var firstSurveyDate: String?
    var lastSurveyDate: String?
    public var byField: SurveyTable
    var byPeriod: SurveyTable
    var byUnitType: SurveyTable
    var byDistrict: SurveyTable
    var activitiesByKind: ActivityTable
    var activitiesByCountry: ActivityTable
    public var returnsOutOfPeriod: Int
    var activitiesOutOfPeriod: Int
    /// Empty unless the period is bounded.
    var comparisons: [Comparison]
    /// First and last date of the activities counted, ISO; nil when none is in the period.
    var firstActivityDate: String? = nil
    var lastActivityDate: String? = nil
    /// Quarterly totals up to the period's last quarter: for all data every quarter with data, for a bounded
    /// period the period's quarters and up to eight before it, never before the first return.
    var trend: [TrendPoint] = []

    enum CodingKeys: String, CodingKey {
        case period
        case firstSurveyDate = "first_survey_date"
        case lastSurveyDate = "last_survey_date"
        case byField = "by_field"
        case byPeriod = "by_period"
        case byUnitType = "by_unit_type"
        case byDistrict = "by_district"
        case activitiesByKind = "activities_by_kind"
        case activitiesByCountry = "activities_by_country"
        case returnsOutOfPeriod = "returns_out_of_period"
        case activitiesOutOfPeriod = "activities_out_of_period"
        case comparisons
        case firstActivityDate = "first_activity_date"
        case lastActivityDate = "last_activity_date"
        case trend
    }
}
