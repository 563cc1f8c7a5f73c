// Provenance for a published figure: the records behind one cell of a table, each as file:row with its
// value, and their sum, which equals the cell (SPEC §1: "where does 94 come from?").

/// The records behind one cell.
public struct TraceResult: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var source: SourceRef
        public var value: String
    }

    public var lines: [Line]
    /// The sum of the values, as the table prints it; for distinct_units, the number of distinct unit ids.
    public var total: String
}

/// What a trace asks for: `table` (by_field, by_period, …), the row's key cells, and a measure column.
public struct TraceQuery: Sendable {
    public var table: String
    public var row: [String]
    public var measure: String
    public var period: Period

    public init(table: String, row: [String], measure: String, period: Period) {
        self.table = table
        self.row = row
        self.measure = measure
        self.period = period
    }
}

public let traceableTables = ["by_field", "by_period", "by_unit_type", "by_district", "activities_by_kind", "activities_by_country"]

/// Traces `query` over the stage folder's normalised records.
public func runTrace(stage: StageFolder, query: TraceQuery) throws -> TraceResult {
    let surveyTable = ["by_field", "by_period", "by_unit_type", "by_district"].contains(query.table)
    if surveyTable {
        return try traceReturns(try PackedReturnsFile.read(stage.returns).returnRecords, query)
    }
    return try traceActivities(try StageRecords.readActivities(stage.activities), query)
}

func traceReturns(_ all: [ReturnRecord], _ query: TraceQuery) throws -> TraceResult {
    let returns = all.filter { query.period.contains($0.surveyDate) }
    let districts = FreeTextGroups(returns.map(\.district))
    let keyCount = query.table == "by_period" ? 2 : 1
    guard query.row.count == keyCount else { throw rowError(query, expected: keyCount == 2 ? "QUARTER,FIELD (e.g. 2015-Q3,biotech)" : "one key") }
    let matches: (ReturnRecord) -> Bool
    let key = query.row[keyCount - 1]
    let isTotal = key == "total"
    switch query.table {
    case "by_field", "by_period":
        guard isTotal || Field(rawValue: key) != nil else { throw rowError(query, expected: "a field code or total") }
        let quarter = keyCount == 2 ? Quarter(parsing: query.row[0]) : nil
        if keyCount == 2 && quarter == nil { throw rowError(query, expected: "a quarter like 2015-Q3 first") }
        matches = { r in (isTotal || r.field.rawValue == key) && (quarter == nil || r.surveyDate.quarter == quarter) }
    case "by_unit_type":
        guard isTotal || UnitType(rawValue: key) != nil else { throw rowError(query, expected: "a unit type code or total") }
        matches = { r in isTotal || r.unitType.rawValue == key }
    default:
        let wanted = TextFold.key(key)
        matches = { r in isTotal || TextFold.key(districts.label(for: r.district)) == wanted }
    }
    let chosen = returns.filter(matches)
    let value: (ReturnRecord) -> Int
    switch query.measure {
    case "unit_visits": value = { _ in 1 }
    case "technologies_found": value = { $0.found }
    case "technologies_proposed": value = { $0.proposed }
    case "distinct_units":
        let lines = chosen.map { TraceResult.Line(source: $0.source, value: $0.unitID) }
        return TraceResult(lines: lines, total: String(Set(chosen.map(\.unitID)).count))
    case "proposal_rate_pct":
        // Each record shows proposed/found; the rate is taken of the sums, as the table does.
        let lines = chosen.map { TraceResult.Line(source: $0.source, value: "\($0.proposed)/\($0.found)") }
        let rate = percentTenths(chosen.map(\.proposed).reduce(0, +), of: chosen.map(\.found).reduce(0, +))
        return TraceResult(lines: lines, total: rate.map { formatTenths($0) } ?? "")
    case "share_of_found_pct":
        // The share divides by all technologies found in the table (by_period: in the row's quarter).
        let quarter = keyCount == 2 ? Quarter(parsing: query.row[0]) : nil
        let base = returns.filter { quarter == nil || $0.surveyDate.quarter == quarter }.map(\.found).reduce(0, +)
        let lines = chosen.map { TraceResult.Line(source: $0.source, value: String($0.found)) }
        let share = percentTenths(chosen.map(\.found).reduce(0, +), of: base)
        return TraceResult(lines: lines, total: share.map { formatTenths($0) } ?? "")
    default:
        throw TechSurveyError(.usage, "'\(query.measure)' is not a measure of \(query.table); use unit_visits, distinct_units, technologies_found, technologies_proposed, proposal_rate_pct or share_of_found_pct")
    }
    let lines = chosen.map { TraceResult.Line(source: $0.source, value: String(value($0))) }
    return TraceResult(lines: lines, total: String(chosen.map(value).reduce(0, +)))
}

func traceActivities(_ all: [ActivityRecord], _ query: TraceQuery) throws -> TraceResult {
    let activities = all.filter { query.period.contains($0.date) }
    let matches: (ActivityRecord) -> Bool
    switch query.table {
    case "activities_by_kind":
        guard query.row.count == 2 else { throw rowError(query, expected: "KIND,YEAR (e.g. research_task,2014 or research_task,total)") }
        let kind = query.row[0], year = query.row[1]
        guard kind == "total" || ActivityKind(rawValue: kind) != nil, year == "total" || Int(year) != nil else {
            throw rowError(query, expected: "an activity kind code and a year (or total)")
        }
        matches = { a in (kind == "total" || a.kind.rawValue == kind) && (year == "total" || String(a.date.year) == year) }
    case "activities_by_country":
        guard query.row.count == 1 else { throw rowError(query, expected: "one country") }
        let countries = FreeTextGroups(activities.map(\.partnerCountry))
        let wanted = TextFold.key(query.row[0])
        matches = { a in query.row[0] == "total" || TextFold.key(countries.label(for: a.partnerCountry)) == wanted }
    default:
        throw TechSurveyError(.usage, "'\(query.table)' is not a table; use one of \(traceableTables.joined(separator: ", "))")
    }
    let chosen = activities.filter(matches)
    if query.measure == "budget_million_vnd" {
        let lines = chosen.map { TraceResult.Line(source: $0.source, value: $0.budget.description) }
        return TraceResult(lines: lines, total: chosen.map(\.budget).reduce(.zero, +).description)
    }
    let value: (ActivityRecord) -> Int
    switch query.measure {
    case "activities": value = { _ in 1 }
    case "businesses": value = { $0.businesses }
    case "visitors": value = { $0.visitors }
    case "connections": value = { $0.connections }
    default:
        throw TechSurveyError(.usage, "'\(query.measure)' is not a measure of \(query.table); use activities, businesses, visitors, connections or budget_million_vnd")
    }
    let lines = chosen.map { TraceResult.Line(source: $0.source, value: String(value($0))) }
    return TraceResult(lines: lines, total: String(chosen.map(value).reduce(0, +)))
}

private func rowError(_ query: TraceQuery, expected: String) -> TechSurveyError {
    TechSurveyError(.usage, "row '\(query.row.joined(separator: ","))' does not name a row of \(query.table); expected \(expected)")
}
