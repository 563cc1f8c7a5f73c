// The label matchers one ingest run uses: built-in aliases plus the analyst's `aliases.csv`
// (`kind,alias,code`, SPEC §3), read through the same CSV reader as every other input.

/// Every matcher ingest needs, with analyst aliases applied.
public struct Vocabularies: Sendable {
    public var returnColumns = LabelMatcher(table: ReturnColumn.builtInAliases)
    public var activityColumns = LabelMatcher(table: ActivityColumn.builtInAliases)
    public var fields = LabelMatcher(table: Field.builtInAliases)
    public var unitTypes = LabelMatcher(table: UnitType.builtInAliases)
    public var activityKinds = LabelMatcher(table: ActivityKind.builtInAliases)

    public init() {}

    /// Built-in vocabularies plus the aliases in `path`. A line naming an unknown kind or code is an error
    /// the analyst must fix, since a silently ignored alias would move figures between rows.
    public static func load(aliasesFile path: String, displayName: String) throws -> Vocabularies {
        var vocabularies = Vocabularies()
        var header: [String]?
        var problems: [String] = []
        _ = try readDelimitedFile(path: path, displayName: displayName, options: ReadOptions()) { record, _ in
            guard !record.isBlank else { return }
            let cells = (0..<record.count).map { record.text($0) ?? "" }
            guard header != nil else {
                header = cells.map(TextFold.key)
                return
            }
            guard cells.count >= 3 else {
                problems.append("row \(record.row): expected kind,alias,code")
                return
            }
            if let problem = vocabularies.add(kind: cells[0], alias: cells[1], code: cells[2]) {
                problems.append("row \(record.row): \(problem)")
            }
        }
        if let header, header.prefix(3) != ["kind", "alias", "code"] {
            throw TechSurveyError(.data, "\(displayName): the header must be kind,alias,code (it is \(header.joined(separator: ",")))")
        }
        if let first = problems.first {
            let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
            throw TechSurveyError(.data, "\(displayName): \(first)\(more); fix the alias file and run again")
        }
        return vocabularies
    }

    /// Adds one alias; returns what is wrong with it, if anything.
    mutating func add(kind: String, alias: String, code: String) -> String? {
        guard !alias.isEmpty else { return "the alias is empty" }
        switch TextFold.key(kind) {
        case "column":
            if let c = ReturnColumn(rawValue: code) { returnColumns.add(alias: alias, for: c) }
            if let c = ActivityColumn(rawValue: code) { activityColumns.add(alias: alias, for: c) }
            if ReturnColumn(rawValue: code) == nil && ActivityColumn(rawValue: code) == nil {
                return "'\(code)' is not a column name"
            }
        case "field":
            guard let c = Field(rawValue: code) else { return "'\(code)' is not a field code (\(Field.allCases.map(\.rawValue).joined(separator: ", ")))" }
            fields.add(alias: alias, for: c)
        case "unittype":
            guard let c = UnitType(rawValue: code) else { return "'\(code)' is not a unit type code (\(UnitType.allCases.map(\.rawValue).joined(separator: ", ")))" }
            unitTypes.add(alias: alias, for: c)
        case "activitykind":
            guard let c = ActivityKind(rawValue: code) else { return "'\(code)' is not an activity kind (\(ActivityKind.allCases.map(\.rawValue).joined(separator: ", ")))" }
            activityKinds.add(alias: alias, for: c)
        default:
            return "'\(kind)' is not one of column, field, unit_type, activity_kind"
        }
        return nil
    }
}
