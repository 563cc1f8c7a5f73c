// Turns one record of a returns file into a `ParsedReturn` or a `Reject` with its reason code (SPEC §3.4).
// It runs on every parsing thread at once, so it builds no String for a cell it can read from the bytes.

/// An accepted return as a parsing thread hands it over: the record as the stage file packs it (`file` is
/// given when it is written, `returnID` is -1), with its return id's text beside it. Text cells are numbers
/// in that thread's `CellStrings` (places in its queue until `numbered(_:)`), row and line count from where
/// the thread's parser started.
struct ParsedReturn {
    var packed: PackedReturn
    var returnID: ReturnIDText

    init(packed: PackedReturn, returnID: ReturnIDText) {
        self.packed = packed
        self.returnID = returnID
    }

    /// Replaces the record's queued cells by their numbers, in place (a copy of a record with a long id
    /// would count its String once more).
    mutating func number(_ numbers: [Int32]) {
        packed.unitID = numbers[Int(packed.unitID)]
        packed.unitName = numbers[Int(packed.unitName)]
        packed.district = numbers[Int(packed.district)]
    }
}

/// A return id's UTF-8 text, as the stage file stores it. Up to 24 bytes (every id a survey form prints)
/// are held in place: a String built for each return, then counted on each copy on its way to the
/// stage file, cost a parsing thread more than reading the id's cell.
struct ReturnIDText: Equatable, CustomStringConvertible {
    private var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private var count = 0
    /// A longer id, as text.
    private var long: String?

    static let inlineCapacity = 24

    /// The id whose UTF-8 is `bytes` (valid UTF-8, as a cell that passed the encoding check is).
    init(bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        guard bytes.count <= Self.inlineCapacity else {
            long = String(decoding: bytes, as: UTF8.self)
            return
        }
        count = bytes.count
        withUnsafeMutableBytes(of: &words) { $0.baseAddress?.copyMemory(from: base, byteCount: bytes.count) }
    }

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { ReturnIDText(bytes: $0) }
    }

    /// Calls `body` with the id's UTF-8.
    func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if var long { return try long.withUTF8(body) }
        return try withUnsafeBytes(of: words) { raw in
            try raw.withMemoryRebound(to: UInt8.self) { try body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    var description: String { withUTF8 { String(decoding: $0, as: UTF8.self) } }

    static func == (a: ReturnIDText, b: ReturnIDText) -> Bool {
        a.withUTF8 { x in b.withUTF8 { y in x.elementsEqual(y) } }
    }
}

/// Validates returns records of one file, on one thread. A class: handing `build` to `RecordCells` for
/// each record copied a struct's eight references (a retain and a release each, 8 % of ingest's CPU).
final class ReturnValidator {
    let columns: ColumnMap<ReturnColumn>
    let vocabularies: Vocabularies
    let file: String
    let delimiter: UInt8
    let strings: CellStrings
    let requiredColumns: [ReturnColumn]
    let fieldCache = LabelCache<Field>()
    let unitTypeCache = LabelCache<UnitType>()

    init(columns: ColumnMap<ReturnColumn>, vocabularies: Vocabularies, file: String, delimiter: UInt8, strings: CellStrings = CellStrings()) {
        // Each parsing thread gets storage of its own: the reference counts of arrays and strings shared
        // between threads would bounce between cores on every record.
        self.columns = columns.privateCopy()
        self.vocabularies = vocabularies
        self.file = String(decoding: Array(file.utf8), as: UTF8.self)
        self.delimiter = delimiter
        self.strings = strings
        requiredColumns = ReturnColumn.allCases.filter(\.isRequired)
    }

    enum Outcome {
        case accepted(ParsedReturn, unknownUnitType: String?)
        case rejected(Reject)
    }

    func validate(_ record: CSVRecord) -> Outcome {
        RecordCells.validate(record, columns: columns, file: file, delimiter: delimiter, rejected: Outcome.rejected) { cells throws(RecordCells<ReturnColumn>.Problem) in try build(cells) }
    }

    private func build(_ cells: borrowing RecordCells<ReturnColumn>) throws(RecordCells<ReturnColumn>.Problem) -> Outcome {
        try cells.checkShape()
        for column in requiredColumns { try cells.requirePresent(column) }
        guard let field = cells.label(.field, fieldCache, vocabularies.fields) else {
            let fieldLabel = cells.text(.field)
            let hint = vocabularies.fields.suggestion(for: fieldLabel).map { "; did you mean \($0)?" }
                ?? "; expected one of \(Field.allCases.map(\.rawValue).joined(separator: ", ")) or their Vietnamese names"
            throw .init(reason: .badField, detail: "\(quotedCell(fieldLabel)) is not a field\(hint)")
        }
        let surveyDate = try cells.date(.surveyDate)
        var submitted: Int64 = -1
        if let (date, seconds) = CalendarDate.parseDateTime(bytes: cells.bytes(.submittedAt)) {
            submitted = SubmissionTime(date: date, seconds: seconds).packed
        } else {
            // Not the common form: read the trimmed text (a tab or no-break space around it is fine).
            let submittedText = cells.text(.submittedAt)
            if !submittedText.isEmpty {
                guard let time = SubmissionTime(parsing: submittedText) else {
                    throw .init(reason: .badDate, detail: "submitted_at is \(quotedCell(submittedText)), not a date or date-time; write yyyy-mm-dd hh:mm or dd/mm/yyyy hh:mm")
                }
                submitted = time.packed
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
        let packed = PackedReturn(
            file: 0,
            row: Int32(clamping: cells.row),
            line: Int32(clamping: cells.line),
            returnID: -1,
            unitID: internUnitID(cells),
            unitName: intern(.unitName, cells),
            district: intern(.district, cells),
            unitType: UInt8((unitType ?? .other).order),
            field: UInt8(field.order),
            surveyDate: surveyDate.packed,
            found: Int64(found),
            proposed: Int64(proposed),
            submitted: submitted
        )
        let record = ParsedReturn(packed: packed, returnID: plainText(.returnID, cells))
        return .accepted(record, unknownUnitType: unitType == nil ? cells.text(.unitType) : nil)
    }

    private func intern(_ column: ReturnColumn, _ cells: borrowing RecordCells<ReturnColumn>) -> Int32 {
        let bytes = cells.bytes(column)
        if isCanonicalText(bytes) { return strings.queue(canonical: bytes) }
        return strings.queue(text: cells.text(column))
    }

    private func internUnitID(_ cells: borrowing RecordCells<ReturnColumn>) -> Int32 {
        let bytes = cells.bytes(.unitID)
        if isCanonicalUnitID(bytes) { return strings.queue(canonical: bytes) }
        return strings.queue(text: canonicalUnitID(cells.text(.unitID)))
    }

    /// A cell's text, taken straight from its bytes when they need no trimming or normalising.
    private func plainText(_ column: ReturnColumn, _ cells: borrowing RecordCells<ReturnColumn>) -> ReturnIDText {
        let bytes = cells.bytes(column)
        return isCanonicalText(bytes) ? ReturnIDText(bytes: bytes) : ReturnIDText(cells.text(column))
    }
}

/// Upper-cases a unit id and collapses its inner white space, so typing differences do not split a unit.
func canonicalUnitID(_ text: String) -> String {
    let clean = text.utf8.allSatisfy { $0 < 0x80 && $0 != 0x20 && $0 != 0x09 && !(0x61...0x7A).contains($0) }
    if clean { return text }
    return text.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
}
