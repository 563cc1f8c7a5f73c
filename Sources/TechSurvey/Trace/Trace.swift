// Provenance for a published figure: the records behind one cell of a table, each as file:row with its
// value, and their sum, which equals the cell (SPEC §1: "where does 94 come from?").

import Foundation

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

extension TraceQuery {
    /// The row's key cells from the `--row` values. Several values are one key cell each, taken whole, so
    /// any label can be traced (`--row 2015-Q3 --row biotech`). One value is the row as its CSV line says it
    /// (`2015-Q3,biotech`; a cell with a comma or a quote in double quotes, quotes doubled: `"Lê Chân, Kiến
    /// An"`), read by the same CSV reader as every input; a table with one key column takes the value whole
    /// unless it reads as exactly one cell, so `--row Lê Chân, Kiến An` works unquoted too.
    public static func keyCells(_ values: [String], table: String) throws -> [String] {
        guard values.count == 1, let value = values.first else { return values.map(trimmed) }
        var records: [[String]] = []
        let reader = try CSVReader(delimiter: 0x2C)
        let collect = { (record: CSVRecord) in
            records.append((0..<record.count).map { record.text($0) ?? "" })
        }
        try reader.feed(Array(value.utf8), onRecord: collect)
        try reader.finish(onRecord: collect)
        // A value with a line end in it is not one CSV line: only a one-key table can take it, whole.
        let cells = records.count == 1 ? records[0] : []
        if cells.count == keyCount(table) { return cells.map(trimmed) }
        return keyCount(table) == 1 || cells.isEmpty ? [trimmed(value)] : cells.map(trimmed)
    }

    static func keyCount(_ table: String) -> Int {
        ["by_period", "activities_by_kind"].contains(table) ? 2 : 1
    }

    private static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }
}

/// A sum that is exact or refused: the same rule as the aggregate stage.
private func checkedSum<S: Sequence>(_ values: S) throws -> Int where S.Element == Int {
    var total = 0
    for v in values {
        let (sum, overflow) = total.addingReportingOverflow(v)
        if overflow { throw ExactSum.overflowError("values") }
        total = sum
    }
    return total
}

public let traceableTables = ["by_field", "by_period", "by_unit_type", "by_district", "activities_by_kind", "activities_by_country"]

/// Traces `query` over the stage folder's normalised records.
public func runTrace(stage: StageFolder, query: TraceQuery) throws -> TraceResult {
    let surveyTable = ["by_field", "by_period", "by_unit_type", "by_district"].contains(query.table)
    if surveyTable {
        return try traceReturns(try PackedReturnsFile.Reader(stage.returns).returnRecords(), query)
    }
    return try traceActivities(try StageRecords.readActivities(stage.activities), query)
}

func traceReturns(_ all: [ReturnRecord], _ query: TraceQuery) throws -> TraceResult {
    let returns = all.filter { query.period.contains($0.surveyDate) }
    let districts = FreeTextGroups(returns.map(\.district))
    let keyCount = TraceQuery.keyCount(query.table)
    guard query.row.count == keyCount else { throw rowError(query, expected: keyCount == 2 ? "QUARTER,FIELD (e.g. 2015-Q3,biotech)" : "one key") }
    let matches: (ReturnRecord) -> Bool
    let key = query.row[keyCount - 1]
    // Only the CSV code `total` is the total row; a label that reads like it is published as `'Total` and
    // matched below by its folded text like any other label.
    let isTotal = key == TotalMarker.code
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
    if query.table == "by_district" && !isTotal && chosen.isEmpty {
        throw rowError(query, expected: knownLabels(returns.map { districts.label(for: $0.district) }, what: "a district of the period"))
    }
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
        let rate = percentTenths(try checkedSum(chosen.map(\.proposed)), of: try checkedSum(chosen.map(\.found)))
        return TraceResult(lines: lines, total: rate.map { formatTenths($0) } ?? "")
    case "share_of_found_pct":
        // The share divides by all technologies found in the table (by_period: in the row's quarter).
        let quarter = keyCount == 2 ? Quarter(parsing: query.row[0]) : nil
        let base = try checkedSum(returns.filter { quarter == nil || $0.surveyDate.quarter == quarter }.map(\.found))
        let lines = chosen.map { TraceResult.Line(source: $0.source, value: String($0.found)) }
        let share = percentTenths(try checkedSum(chosen.map(\.found)), of: base)
        return TraceResult(lines: lines, total: share.map { formatTenths($0) } ?? "")
    default:
        throw TechSurveyError(.usage, "'\(query.measure)' is not a measure of \(query.table); use unit_visits, distinct_units, technologies_found, technologies_proposed, proposal_rate_pct or share_of_found_pct")
    }
    let lines = chosen.map { TraceResult.Line(source: $0.source, value: String(value($0))) }
    return TraceResult(lines: lines, total: String(try checkedSum(chosen.map(value))))
}

func traceActivities(_ all: [ActivityRecord], _ query: TraceQuery) throws -> TraceResult {
    let activities = all.filter { query.period.contains($0.date) }
    let matches: (ActivityRecord) -> Bool
    switch query.table {
    case "activities_by_kind":
        guard query.row.count == 2 else { throw rowError(query, expected: "KIND,YEAR (e.g. research_task,2014 or research_task,total)") }
        let kind = query.row[0], year = query.row[1]
        guard kind == TotalMarker.code || ActivityKind(rawValue: kind) != nil, year == TotalMarker.code || Int(year) != nil else {
            throw rowError(query, expected: "an activity kind code and a year (or total)")
        }
        matches = { a in (kind == TotalMarker.code || a.kind.rawValue == kind) && (year == TotalMarker.code || String(a.date.year) == year) }
    case "activities_by_country":
        guard query.row.count == 1 else { throw rowError(query, expected: "one country") }
        let countries = FreeTextGroups(activities.map(\.partnerCountry))
        let wanted = TextFold.key(query.row[0])
        matches = { a in query.row[0] == TotalMarker.code || TextFold.key(countries.label(for: a.partnerCountry)) == wanted }
    default:
        throw TechSurveyError(.usage, "'\(query.table)' is not a table; use one of \(traceableTables.joined(separator: ", "))")
    }
    let chosen = activities.filter(matches)
    if query.table == "activities_by_country" && query.row[0] != TotalMarker.code && chosen.isEmpty {
        let countries = FreeTextGroups(activities.map(\.partnerCountry))
        throw rowError(query, expected: knownLabels(activities.map { countries.label(for: $0.partnerCountry) }, what: "a country of the period"))
    }
    if query.measure == "budget_million_vnd" {
        let lines = chosen.map { TraceResult.Line(source: $0.source, value: $0.budget.description) }
        var sum = Budget.zero
        for a in chosen { sum = try sum.adding(a.budget) }
        return TraceResult(lines: lines, total: sum.description)
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
    return TraceResult(lines: lines, total: String(try checkedSum(chosen.map(value))))
}

/// A free-label table's rows, as a hint: a few of its labels, quoted and cut, and `total`. A label that is
/// not among them (a typo, another period's) would otherwise trace to "sum 0", a figure no table shows.
private func knownLabels(_ labels: [String], what: String) -> String {
    let distinct = Array(Set(labels)).sorted()
    let shown = distinct.prefix(5).map { quotedCell($0, limit: 40) }.joined(separator: ", ")
    let more = distinct.count > 5 ? " and \(distinct.count - 5) more (see the table's first column)" : ""
    return distinct.isEmpty ? "total (the period has no rows)" : "\(what) as the table names it (\(shown)\(more)) or total"
}

private func rowError(_ query: TraceQuery, expected: String) -> TechSurveyError {
    var line = CSVWriter(crlf: false)
    line.writeRow(query.row)
    return TechSurveyError(.usage, "row '\(line.output.dropLast())' does not name a row of \(query.table); expected \(expected)")
}
