// The one way an input file is read. Every file — returns or activities, CSV, tab text or workbook — comes
// through `readInput` as one stream of records in file order, each validated by its kind's validator
// (Ingest/InputKinds.swift) and placed at its file (or sheet), row and line; the file's summary comes back
// at the end. Text files are parsed on every core behind it (TextInput.swift, Fast/BlockParsing.swift),
// workbooks sheet by sheet (WorkbookInput.swift); both hand records on through `RecordMerge`.

/// What one record came to.
enum RecordOutcome<Value> {
    case accepted(Value)
    case rejected(Reject)
}

/// Validates the records of one file or sheet, on one thread: a text file read on several threads has a
/// validator per thread (so its type goes to those threads: `SendableMetatype`).
protocol RecordValidator: SendableMetatype {
    associatedtype Column: CanonicalColumn
    /// An accepted record as its thread hands it over: row and line counted from where the thread's parser
    /// started, text cells (for a kind that numbers any) in the thread's own numbers.
    associatedtype Value
    /// What the records tell about their file beyond themselves (unknown unit types, ambiguous budgets).
    associatedtype Notes: RecordNotes

    var columns: ColumnMap<Column> { get }
    var delimiter: UInt8 { get }
    func validate(_ record: CSVRecord, notes: inout Notes) -> RecordOutcome<Value>
    /// Gives `accepted`, the records validated since the last call, the thread's numbers for their text
    /// cells; returns the texts the thread numbered for the first time, in number order.
    func number(_ accepted: inout [Value]) -> [ArraySlice<UInt8>]
    /// `value` as its file places it: row and line counted from the top of the file, text cells numbered
    /// in the run's table (`strings` maps the thread's numbers onto it).
    static func place(_ value: inout Value, rowBase: Int, lineBase: Int, strings: [Int32])
}

/// A file's notes, tallied in file order from the notes of its parts.
protocol RecordNotes {
    init()
    /// Adds the notes of records that come after these, whose rows count from `rowBase`.
    mutating func append(_ later: Self, rowBase: Int)
}

/// A kind of input file: its columns, a validator for each file or sheet, and the warnings its notes give.
protocol InputKind: Sendable {
    associatedtype Validator: RecordValidator
    /// The kind as the file summary names it.
    var name: String { get }
    var matcher: LabelMatcher<Validator.Column> { get }
    /// A validator of the records of `source`, a file or a workbook's sheet; asked once per parsing thread.
    func validator(columns: ColumnMap<Validator.Column>, source: String, delimiter: UInt8, isWorkbook: Bool) -> Validator
    /// The warnings of a file or sheet once its records are read.
    func warnings(_ notes: Validator.Notes, validator: Validator, isWorkbook: Bool) -> [String]
}

/// Reads `input`, a file of `kind`, and hands its records on in file order: `startSource` names each part
/// with a ranking of its own (the file, or each sheet read) before its records, `accept` takes accepted
/// records in batches, their text cells numbered in `strings` (shared across files), and `reject` the
/// rejects. Returns the file's summary, before resubmissions.
func readInput<Kind: InputKind>(
    _ input: InputFile, kind: Kind, options: ReadOptions, chunkSize: Int, threads: Int, strings: inout ByteInterner,
    startSource: (String) -> Void, accept: ([Kind.Validator.Value]) throws -> Void, reject: (Reject) -> Void
) throws -> FileSummary {
    if isWorkbook(input.name) {
        return try readWorkbookInput(input, kind: kind, cache: options.workbookCache, strings: &strings,
                                     startSource: startSource, accept: accept, reject: reject)
    }
    startSource(input.name)
    return try readTextInput(input, kind: kind, options: options, chunkSize: chunkSize, threads: threads,
                             strings: &strings, accept: accept, reject: reject)
}

/// How the records of a file or sheet came out.
struct RowCounts {
    var read = 0
    var accepted = 0
    var rejected = 0
    var blank = 0
}

/// The merging side of one file or sheet: every record passes here in file order, whether this thread
/// validated it or a parsing thread did. It is the one place where a thread's text numbers are mapped onto
/// the run's table and a record is placed in its file.
struct RecordMerge<V: RecordValidator> {
    /// The merging thread's own validator is worker 0; parsing threads count from 1.
    static var ownWorker: Int { 0 }
    private(set) var counts = RowCounts()
    private(set) var notes = V.Notes()
    /// Per worker: its text numbers → numbers in the run's table.
    private var maps: [[Int32]] = []

    /// Validates `record` on this thread with `validator` (worker 0) and hands it on; its row and line count
    /// from `rowBase` and `lineBase`.
    mutating func validate(_ record: CSVRecord, by validator: V, rowBase: Int = 0, lineBase: Int = 0, strings: inout ByteInterner,
                           accept: ([V.Value]) throws -> Void, reject: (Reject) -> Void) throws {
        if record.isBlank {
            counts.blank += 1
            return
        }
        var recordNotes = V.Notes()
        var accepted: [V.Value] = []
        var rejected: Reject?
        switch validator.validate(record, notes: &recordNotes) {
        case .accepted(let value): accepted.append(value)
        case .rejected(let r): rejected = r
        }
        register(validator.number(&accepted), worker: Self.ownWorker, strings: &strings)
        try hand(&accepted, rejects: rejected.map { [$0] } ?? [], notes: recordNotes, worker: Self.ownWorker,
                 rowBase: rowBase, lineBase: lineBase, accept: accept, reject: reject)
    }

    /// Numbers in the run's table the texts `worker` numbered for the first time (`fresh`, in its number order).
    mutating func register(_ fresh: [ArraySlice<UInt8>], worker: Int, strings: inout ByteInterner) {
        while maps.count <= worker { maps.append([]) }
        for s in fresh { maps[worker].append(strings.id(s)) }
    }

    /// Places a run of records `worker` validated, their rows and lines counted from `rowBase` and
    /// `lineBase`, and hands it on: the accepted ones, the rejects, how many were blank and their notes.
    mutating func hand(_ accepted: inout [V.Value], rejects: [Reject], blank: Int = 0, notes more: V.Notes? = nil, worker: Int,
                       rowBase: Int, lineBase: Int, accept: ([V.Value]) throws -> Void, reject: (Reject) -> Void) throws {
        if let more { notes.append(more, rowBase: rowBase) }
        let map = worker < maps.count ? maps[worker] : []
        for i in accepted.indices { V.place(&accepted[i], rowBase: rowBase, lineBase: lineBase, strings: map) }
        if !accepted.isEmpty { try accept(accepted) }
        for r in rejects { reject(r.placed(rowBase: rowBase, lineBase: lineBase)) }
        counts.blank += blank
        counts.read += accepted.count + rejects.count
        counts.accepted += accepted.count
        counts.rejected += rejects.count
    }
}

extension Reject {
    /// The reject with its row and line counted from the top of the file.
    func placed(rowBase: Int, lineBase: Int) -> Reject {
        var r = self
        r.source.row += rowBase
        r.source.line += lineBase
        return r
    }
}
