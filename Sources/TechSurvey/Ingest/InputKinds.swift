// The two kinds of input file `readInput` reads: returns (SPEC §3.1) and activities (§3.2). Each names its
// validator, which the stream runs on every parsing thread, and the warnings a file's records add up to.

/// Returns files: records become `ParsedReturn`s, their unit ids, names and districts numbered in the
/// run's table; an unknown unit type is counted as other, with a warning per file.
struct ReturnInput: InputKind {
    let vocabularies: Vocabularies

    var name: String { "returns" }
    var matcher: LabelMatcher<ReturnColumn> { vocabularies.returnColumns }

    func validator(columns: ColumnMap<ReturnColumn>, source: String, delimiter: UInt8, isWorkbook: Bool) -> ReturnValidator {
        ReturnValidator(columns: columns, vocabularies: vocabularies, file: source, delimiter: delimiter)
    }

    func warnings(_ notes: UnknownUnitTypes, validator: ReturnValidator, isWorkbook: Bool) -> [String] {
        unknownTypeWarnings(notes.counts, vocabularies: vocabularies)
    }
}

/// Activity logs: a budget typed as text in a workbook is read the Vietnamese way unless DECIMAL= says
/// otherwise (number cells are numbers); in a text file, by the file's own convention.
struct ActivityInput: InputKind {
    let vocabularies: Vocabularies
    /// DECIMAL=, when set.
    let decimal: DecimalMark?

    var name: String { "activities" }
    var matcher: LabelMatcher<ActivityColumn> { vocabularies.activityColumns }

    func validator(columns: ColumnMap<ActivityColumn>, source: String, delimiter: UInt8, isWorkbook: Bool) -> ActivityValidator {
        ActivityValidator(columns: columns, vocabularies: vocabularies, file: source, delimiter: delimiter,
                          decimal: isWorkbook ? decimal ?? .comma : decimal)
    }

    func warnings(_ notes: AmbiguousBudgets, validator: ActivityValidator, isWorkbook: Bool) -> [String] {
        guard let first = notes.first else { return [] }
        return [ambiguousBudgetWarning(first.text, row: first.row, count: notes.count, decimal: validator.decimal,
                                       forced: decimal != nil, workbook: isWorkbook)]
    }
}

/// The unit types a file's records named that no vocabulary knows, with how many records named each.
struct UnknownUnitTypes: RecordNotes {
    var counts: [String: Int] = [:]

    mutating func append(_ later: UnknownUnitTypes, rowBase: Int) {
        for (label, n) in later.counts { counts[label, default: 0] += n }
    }
}

/// The budgets of a file the other decimal mark would read as another amount: the first, and how many.
struct AmbiguousBudgets: RecordNotes {
    var first: (text: String, row: Int)?
    var count = 0

    mutating func append(_ later: AmbiguousBudgets, rowBase: Int) {
        if first == nil, let theirs = later.first { first = (theirs.text, theirs.row + rowBase) }
        count += later.count
    }
}

extension ReturnValidator: RecordValidator {
    func validate(_ record: CSVRecord, notes: inout UnknownUnitTypes) -> RecordOutcome<ParsedReturn> {
        switch validate(record) {
        case .accepted(let r, let unknownType):
            if let unknownType { notes.counts[unknownType, default: 0] += 1 }
            return .accepted(r)
        case .rejected(let reject):
            return .rejected(reject)
        }
    }

    func number(_ accepted: inout [ParsedReturn]) -> [ArraySlice<UInt8>] {
        let numbers = strings.numberQueued()
        for i in accepted.indices { accepted[i].number(numbers) }
        return strings.takeFresh()
    }

    static func place(_ r: inout ParsedReturn, rowBase: Int, lineBase: Int, strings map: [Int32]) {
        r.packed.row = Int32(clamping: Int(r.packed.row) + rowBase)
        r.packed.line = Int32(clamping: Int(r.packed.line) + lineBase)
        r.packed.unitID = map[Int(r.packed.unitID)]
        r.packed.unitName = map[Int(r.packed.unitName)]
        r.packed.district = map[Int(r.packed.district)]
    }
}

extension ActivityValidator: RecordValidator {
    func validate(_ record: CSVRecord, notes: inout AmbiguousBudgets) -> RecordOutcome<ActivityRecord> {
        switch validate(record) {
        case .accepted(let a, let ambiguousBudget):
            if let text = ambiguousBudget {
                if notes.first == nil { notes.first = (text, a.source.row) }
                notes.count += 1
            }
            return .accepted(a)
        case .rejected(let reject):
            return .rejected(reject)
        }
    }

    /// An activity's text cells are its own Strings: nothing to number.
    func number(_ accepted: inout [ActivityRecord]) -> [ArraySlice<UInt8>] { [] }

    static func place(_ a: inout ActivityRecord, rowBase: Int, lineBase: Int, strings _: [Int32]) {
        a.source.row += rowBase
        a.source.line += lineBase
    }
}

/// One warning per unknown unit type, with how many records it was counted as other in.
func unknownTypeWarnings(_ unknownTypes: [String: Int], vocabularies: Vocabularies) -> [String] {
    unknownTypes.sorted(by: { $0.key < $1.key }).map { label, count in
        let hint = vocabularies.unitTypes.suggestion(for: label).map { " (did you mean \($0)?)" } ?? ""
        return "unit_type \(quotedCell(label)) is not known\(hint): counted as other in \(count) record(s); add it to aliases.csv to classify it"
    }
}

/// The warning that names, once per file, a budget the other decimal convention would read differently.
func ambiguousBudgetWarning(_ text: String, row: Int, count: Int, decimal: DecimalMark, forced: Bool, workbook: Bool = false) -> String {
    let mark = decimal.character, otherMark = decimal.other.character
    let read = (try? parseBudget(text, decimalMark: mark).get())?.description ?? text
    let otherRead = (try? parseBudget(text, decimalMark: otherMark).get())?.description ?? text
    let why = forced ? "DECIMAL=\(decimal.rawValue) is set" : workbook ? "it is a text cell of a workbook, read the Vietnamese way" : (decimal == .comma ? "this file is ';'-delimited or tab-separated, as Excel writes on Vietnamese Windows" : "this file is ','-delimited")
    let others = count > 1 ? " (and \(count - 1) more budget(s) in this file)" : ""
    return "budget_million_vnd \(quotedCell(text)) at row \(row)\(others) is read as \(read) with '\(mark)' as the decimal mark because \(why); with '\(otherMark)' as the decimal mark it would be \(otherRead); if that is what the file means, run with DECIMAL=\(decimal.other.rawValue)"
}
