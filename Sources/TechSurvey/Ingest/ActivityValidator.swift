// Turns one record of an activity log into an `ActivityRecord` or a `Reject` (SPEC §3.2, §3.4).

/// Validates activity records of one file.
struct ActivityValidator {
    let columns: ColumnMap<ActivityColumn>
    let vocabularies: Vocabularies
    let file: String
    let delimiter: UInt8
    /// The decimal mark budgets are read with: `DECIMAL=` or the file's convention.
    let decimal: DecimalMark

    init(columns: ColumnMap<ActivityColumn>, vocabularies: Vocabularies, file: String, delimiter: UInt8, decimal: DecimalMark? = nil) {
        self.columns = columns
        self.vocabularies = vocabularies
        self.file = file
        self.delimiter = delimiter
        self.decimal = decimal ?? DecimalMark.convention(delimiter: delimiter)
    }

    enum Outcome {
        /// `ambiguousBudget`: the budget's text reads as another amount with the other decimal mark.
        case accepted(ActivityRecord, ambiguousBudget: String?)
        case rejected(Reject)
    }

    func validate(_ record: CSVRecord) -> Outcome {
        RecordCells.validate(record, columns: columns, file: file, delimiter: delimiter, rejected: Outcome.rejected) { cells throws(RecordCells<ActivityColumn>.Problem) in
            var ambiguous: String?
            let record = try build(cells, ambiguous: &ambiguous)
            return .accepted(record, ambiguousBudget: ambiguous)
        }
    }

    private func build(_ cells: borrowing RecordCells<ActivityColumn>, ambiguous: inout String?) throws(RecordCells<ActivityColumn>.Problem) -> ActivityRecord {
        try cells.checkShape()
        _ = try cells.required(.date)
        let kindLabel = try cells.required(.kind)
        let title = try cells.required(.title)
        guard let kind = vocabularies.activityKinds.match(kindLabel) else {
            let hint = vocabularies.activityKinds.suggestion(for: kindLabel).map { "; did you mean \($0)?" }
                ?? "; expected one of \(ActivityKind.allCases.map(\.rawValue).joined(separator: ", "))"
            throw .init(reason: .badField, detail: "kind \(quotedCell(kindLabel)) is not an activity kind\(hint)")
        }
        let fieldLabel = cells.text(.field)
        var field: Field?
        if !fieldLabel.isEmpty {
            guard let f = vocabularies.fields.match(fieldLabel) else {
                let hint = vocabularies.fields.suggestion(for: fieldLabel).map { "; did you mean \($0)?" } ?? ""
                throw .init(reason: .badField, detail: "\(quotedCell(fieldLabel)) is not a field\(hint)")
            }
            field = f
        }
        let date = try cells.date(.date)
        let budgetText = cells.text(.budget)
        var budget = Budget.zero
        if !budgetText.isEmpty {
            // A workbook's number cell is written with a dot, whatever the locale: it is never ambiguous.
            let isNumberCell = cells.kind(.budget) == .number
            switch parseBudget(budgetText, decimalMark: isNumberCell ? "." : decimal.character) {
            case .success(let b):
                budget = b
                if !isNumberCell, case .success(let other) = parseBudget(budgetText, decimalMark: decimal.other.character), other != b {
                    ambiguous = budgetText
                }
            case .failure(.negative):
                throw .init(reason: .negativeCount, detail: "budget_million_vnd is \(quotedCell(budgetText)); a budget cannot be negative")
            case .failure(.tooLarge):
                throw .init(reason: .badNumber, detail: "budget_million_vnd is \(quotedCell(budgetText)), too large: at most \(maxBudget.formatted(decimalMark: ".", groupSeparator: ",")) million VND in one cell; check the cell for a typing slip")
            case .failure(.notANumber):
                let example = decimal == .comma ? "5.132,5" : "5,132.5"
                throw .init(reason: .badNumber, detail: "budget_million_vnd is \(quotedCell(budgetText)), not an amount in this file's notation (e.g. \(example), at most 3 decimals; DECIMAL=\(decimal.other.rawValue) reads the other notation)")
            }
        }
        return ActivityRecord(
            source: cells.source,
            activityID: cells.text(.activityID),
            date: date,
            kind: kind,
            title: title,
            partner: cells.text(.partner),
            // A known country is kept as its ISO code, so every spelling of it is one row, named in the report's language.
            partnerCountry: vocabularies.countries.code(for: cells.text(.partnerCountry)) ?? cells.text(.partnerCountry),
            field: field,
            businesses: try cells.count(.businesses),
            visitors: try cells.count(.visitors),
            connections: try cells.count(.connections),
            budget: budget
        )
    }
}
