// Provenance for a published figure (SPEC §1: "where does 94 come from?"): the table counted as aggregate
// counts it (`Tables/`), listing the records of one row as file:row with what each brings, and the row's
// figure as the CSV prints it — the same computation, so a traced figure cannot differ from the published one.

import Foundation

/// One record behind a figure: where it is, and what it brings to the figure.
public struct TraceLine: Sendable, Equatable {
    public var source: SourceRef
    public var value: String
}

/// What a trace asks for: a table, the row's key cells, and a measure column.
public struct TraceQuery: Sendable {
    var table: TableID
    var row: [String]
    var measure: Measure
    var period: Period

    public init(table: TableID, row: [String], measure: Measure, period: Period) {
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
    public static func keyCells(_ values: [String], table: TableID) throws -> [String] {
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
        let keyCount = table.keyColumns.count
        if cells.count == keyCount { return cells.map(trimmed) }
        return keyCount == 1 || cells.isEmpty ? [trimmed(value)] : cells.map(trimmed)
    }

    private static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }
}

/// Traces `query` over the stage folder's records: calls `each` with every record of the row, in input
/// order, and returns the row's figure as its table's CSV cell.
public func runTrace(stage: StageFolder, query: TraceQuery, each: (TraceLine) throws -> Void) throws -> String {
    guard query.table.measures.contains(query.measure) else {
        let names = query.table.measures.map(\.rawValue)
        let list = names.dropLast().joined(separator: ", ") + (names.count > 1 ? " or " : "") + (names.last ?? "")
        throw TechSurveyError(.usage, "'\(query.measure.rawValue)' is not a measure of \(query.table.rawValue); use \(list)")
    }
    if query.table.countsActivities {
        return try traceActivities(StageActivities(path: stage.activities), query, each)
    }
    return try traceReturns(try PackedReturnsFile.Reader(stage.returns), query, each)
}

func traceReturns(_ stream: some ReturnStream, _ query: TraceQuery, _ each: (TraceLine) throws -> Void) throws -> String {
    let keys = try ReturnKeys(stream, period: query.period)
    let strings = stream.strings
    var counts = SurveyCounts(SurveyLayout(query.table, keys, strings: strings), units: keys.units.count)
    let target = try surveyRow(query, counts.layout)
    try count(stream, units: keys.units, into: &counts, listing: target) { r in
        let source = SourceRef(file: strings[Int(r.file)], row: Int(r.row), line: Int(r.line))
        try each(TraceLine(source: source, value: query.measure.traced(r, strings: strings)))
    }
    return query.measure.cell(counts.table(query.table).rows[target]).csvText
}

/// The index of the row `query` names in `layout`. Only the CSV code `total` is a total row; a label that
/// reads like it is published as `'Total` and matched by its folded text like any other free label.
private func surveyRow(_ query: TraceQuery, _ layout: SurveyLayout) throws -> Int {
    let keyCount = query.table.keyColumns.count
    guard query.row.count == keyCount else { throw rowError(query, expected: keyCount == 2 ? "QUARTER,FIELD (e.g. 2015-Q3,biotech)" : "one key") }
    var wanted = query.row
    if query.table == .byPeriod {
        guard let quarter = Quarter(parsing: wanted[0]) else { throw rowError(query, expected: "a quarter like 2015-Q3 first") }
        wanted[0] = quarter.description
    }
    let key = wanted[keyCount - 1], folded = TextFold.key(key)
    let freeLabel = query.table == .byDistrict
    let found = layout.keys.indices.first { i in
        let cells = layout.keys[i]
        guard cells.dropLast() == wanted.dropLast(), let own = cells.last else { return false }
        if layout.isTotal[i] || key == TotalMarker.code { return layout.isTotal[i] && key == TotalMarker.code }
        return freeLabel ? TextFold.key(own) == folded : own == key
    }
    if let found { return found }
    switch query.table {
    case .byDistrict:
        throw rowError(query, expected: knownLabels(layout.keys.indices.filter { !layout.isTotal[$0] }.map { layout.keys[$0][0] }, what: "a district of the period"))
    case .byUnitType: throw rowError(query, expected: "a unit type code or total")
    case .byPeriod where !layout.keys.contains(where: { $0[0] == wanted[0] }):
        let quarters = [layout.keys.first, layout.keys.last].compactMap { $0?.first }
        throw rowError(query, expected: quarters.isEmpty ? "total (the period has no rows)" : "a quarter of the table (\(quarters.joined(separator: " to "))) and a field code or total")
    default: throw rowError(query, expected: "a field code or total")
    }
}

func traceActivities(_ stream: some ActivityStream, _ query: TraceQuery, _ each: (TraceLine) throws -> Void) throws -> String {
    let counts = try ActivityCounts(stream, period: query.period)
    let table = try counts.table(query.table)
    let target = try activityRow(query, table)
    let countries = counts.countries
    try stream.forEachActivity { a in
        guard query.period.contains(a.date), ActivityCounts.rows(of: a, in: query.table, countries: countries).contains(target) else { return }
        try each(TraceLine(source: a.source, value: query.measure.traced(a)))
    }
    let row = table.rows.first { ActivityRowKey(keys: $0.keys, isTotal: $0.isTotal) == target }
    return query.measure.cell(row?.measures ?? ActivityMeasures()).csvText
}

/// The row `query` names in `table`: activities_by_kind by its codes, a country by its folded label.
private func activityRow(_ query: TraceQuery, _ table: ActivityTable) throws -> ActivityRowKey {
    let rows = table.rows.map { ActivityRowKey(keys: $0.keys, isTotal: $0.isTotal) }
    if query.table == .activitiesByKind {
        guard query.row.count == 2 else { throw rowError(query, expected: "KIND,YEAR (e.g. research_task,2014 or research_task,total)") }
        if let row = rows.first(where: { $0.keys == query.row }) { return row }
        throw rowError(query, expected: "an activity kind code and a year the table has (or total)")
    }
    guard query.row.count == 1, let key = query.row.first else { throw rowError(query, expected: "one country") }
    let folded = TextFold.key(key)
    let found = rows.first { row in
        row.isTotal || key == TotalMarker.code ? row.isTotal && key == TotalMarker.code : TextFold.key(row.keys[0]) == folded
    }
    if let found { return found }
    throw rowError(query, expected: knownLabels(rows.filter { !$0.isTotal }.map { $0.keys[0] }, what: "a country of the period"))
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
    return TechSurveyError(.usage, "row '\(line.output.dropLast())' does not name a row of \(query.table.rawValue); expected \(expected)")
}
