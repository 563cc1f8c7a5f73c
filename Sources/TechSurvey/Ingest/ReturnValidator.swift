// Turns one record of a returns file into a `ReturnRecord` or a `Reject` with its reason code (SPEC §3.4).

/// Validates returns records of one file.
struct ReturnValidator {
    let columns: ColumnMap<ReturnColumn>
    let vocabularies: Vocabularies
    let file: String
    let delimiter: UInt8
    static let requiredColumns = ReturnColumn.allCases.filter(\.isRequired)
    let fieldCache = LabelCache<Field>()
    let unitTypeCache = LabelCache<UnitType>()

    enum Outcome {
        case accepted(ReturnRecord, unknownUnitType: String?)
        case rejected(Reject)
    }

    func validate(_ record: CSVRecord) -> Outcome {
        let cells = RecordCells(record: record, columns: columns, source: SourceRef(file: file, row: record.row, line: record.line), delimiter: delimiter)
        do {
            return try build(cells)
        } catch {
            return .rejected(cells.reject(error))
        }
    }

    private func build(_ cells: RecordCells<ReturnColumn>) throws(RecordCells<ReturnColumn>.Problem) -> Outcome {
        try cells.checkShape()
        for column in Self.requiredColumns { try cells.requirePresent(column) }
        guard let field = cells.label(.field, fieldCache, vocabularies.fields) else {
            let fieldLabel = cells.text(.field)
            let hint = vocabularies.fields.suggestion(for: fieldLabel).map { "; did you mean \($0)?" }
                ?? "; expected one of \(Field.allCases.map(\.rawValue).joined(separator: ", ")) or their Vietnamese names"
            throw .init(reason: .badField, detail: "'\(fieldLabel)' is not a field\(hint)")
        }
        let surveyDate = try cells.date(.surveyDate)
        var submittedAt: SubmissionTime?
        if let (date, seconds) = CalendarDate.parseDateTime(bytes: cells.bytes(.submittedAt)) {
            submittedAt = SubmissionTime(date: date, seconds: seconds)
        } else {
            // Not the common form: read the trimmed text (a tab or no-break space around it is fine).
            let submittedText = cells.text(.submittedAt)
            if !submittedText.isEmpty {
                guard let time = SubmissionTime(parsing: submittedText) else {
                    throw .init(reason: .badDate, detail: "submitted_at is '\(submittedText)', not a date or date-time; write yyyy-mm-dd hh:mm or dd/mm/yyyy hh:mm")
                }
                submittedAt = time
            }
        }
        let found = try cells.count(.technologiesFound)
        let proposed = try cells.count(.technologiesProposed)
        guard proposed <= found else {
            throw .init(reason: .proposedExceedsFound, detail: "technologies_proposed is \(proposed) but technologies_found is \(found); proposed cannot exceed found")
        }

        let typeIsBlank = cells.bytes(.unitType).allSatisfy { $0 == 0x20 || $0 == 0x09 }
        var unitType = typeIsBlank ? UnitType.other : cells.label(.unitType, unitTypeCache, vocabularies.unitTypes)
        if unitType == nil && cells.text(.unitType).isEmpty { unitType = .other }
        let record = ReturnRecord(
            source: cells.source,
            returnID: cells.text(.returnID),
            unitID: canonicalUnitID(cells.text(.unitID)),
            unitName: cells.text(.unitName),
            unitType: unitType ?? .other,
            district: cells.text(.district),
            field: field,
            surveyDate: surveyDate,
            found: found,
            proposed: proposed,
            submittedAt: submittedAt
        )
        return .accepted(record, unknownUnitType: unitType == nil ? cells.text(.unitType) : nil)
    }
}

/// Upper-cases a unit id and collapses its inner white space, so typing differences do not split a unit.
func canonicalUnitID(_ text: String) -> String {
    let clean = text.utf8.allSatisfy { $0 < 0x80 && $0 != 0x20 && $0 != 0x09 && !(0x61...0x7A).contains($0) }
    if clean { return text }
    return text.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
}
