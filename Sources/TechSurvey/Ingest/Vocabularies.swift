// The label matchers one ingest run uses: built-in aliases plus the analyst's `aliases.csv`
// (`kind,alias,code`, SPEC §3), read through the same CSV reader as every other input.

/// Every matcher ingest needs, with analyst aliases applied.
struct Vocabularies: Sendable {
    var returnColumns = LabelMatcher(table: ReturnColumn.builtInAliases)
    var activityColumns = LabelMatcher(table: ActivityColumn.builtInAliases)
    var fields = LabelMatcher(table: Field.builtInAliases)
    var unitTypes = LabelMatcher(table: UnitType.builtInAliases)
    var activityKinds = LabelMatcher(table: ActivityKind.builtInAliases)
    var countries = CountryCatalogue.system

    init() {}

    /// Built-in vocabularies plus the aliases in `path`. A line naming an unknown kind or code, an alias that
    /// folds to nothing (punctuation only: it would match every punctuation-only label), or one that would
    /// give a built-in label or code (or an earlier line's alias) another meaning is an error the analyst
    /// must fix: a silently ignored or silently redefining alias would move figures between rows.
    static func load(aliasesFile path: String, displayName: String) throws -> Vocabularies {
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
                problems.append("line \(record.line): expected kind,alias,code")
                return
            }
            if let problem = vocabularies.add(kind: cells[0], alias: cells[1], code: cells[2]) {
                problems.append("line \(record.line): \(problem)")
            }
        }
        if let header, header.prefix(3) != ["kind", "alias", "code"] {
            throw TechSurveyError(.data, "\(displayName): the first row must be the header kind,alias,code; add it, or check that the file is the alias list")
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
        guard !TextFold.key(alias).isEmpty else {
            return "the alias \(quotedCell(alias)) has no letter or digit, so it would match every label made only of punctuation; write the label's letters"
        }
        switch TextFold.key(kind) {
        case "column":
            let returnColumn = ReturnColumn(rawValue: code), activityColumn = ActivityColumn(rawValue: code)
            if returnColumn == nil && activityColumn == nil { return "\(quotedCell(code)) is not a column name" }
            if let c = returnColumn, let problem = Self.conflict(alias, c, in: returnColumns) { return problem }
            if let c = activityColumn, let problem = Self.conflict(alias, c, in: activityColumns) { return problem }
            if let c = returnColumn { returnColumns.add(alias: alias, for: c) }
            if let c = activityColumn { activityColumns.add(alias: alias, for: c) }
        case "field":
            guard let c = Field(rawValue: code) else { return "\(quotedCell(code)) is not a field code (\(Field.allCases.map(\.rawValue).joined(separator: ", ")))" }
            if let problem = Self.conflict(alias, c, in: fields) { return problem }
            fields.add(alias: alias, for: c)
        case "unittype":
            guard let c = UnitType(rawValue: code) else { return "\(quotedCell(code)) is not a unit type code (\(UnitType.allCases.map(\.rawValue).joined(separator: ", ")))" }
            if let problem = Self.conflict(alias, c, in: unitTypes) { return problem }
            unitTypes.add(alias: alias, for: c)
        case "activitykind":
            guard let c = ActivityKind(rawValue: code) else { return "\(quotedCell(code)) is not an activity kind (\(ActivityKind.allCases.map(\.rawValue).joined(separator: ", ")))" }
            if let problem = Self.conflict(alias, c, in: activityKinds) { return problem }
            activityKinds.add(alias: alias, for: c)
        case "country":
            if let problem = countries.add(alias: alias, code: code) { return problem }
        default:
            return "\(quotedCell(kind)) is not one of column, field, unit_type, activity_kind, country"
        }
        return nil
    }

    /// What is wrong with adding `alias` for `code` to `matcher`: the alias already means another code,
    /// built in or from an earlier line. Naming the same code again is harmless.
    private static func conflict<Code: RawRepresentable & Hashable & Sendable>(_ alias: String, _ code: Code, in matcher: LabelMatcher<Code>) -> String?
    where Code.RawValue == String {
        guard let existing = matcher.match(alias), existing != code else { return nil }
        let origin = matcher.isBuiltIn(alias) ? "a built-in label" : "an earlier line's alias"
        return "\(quotedCell(alias)) is \(origin) for \(existing.rawValue); an alias cannot move it to \(code.rawValue) (remove the line, or use a label of your own)"
    }
}
