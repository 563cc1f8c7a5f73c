// The rows of superseded.csv, spelled fast: millions of rows on a national rollup of repeated exports
// (5.5 million for the 1 GB benchmark). Every cell that repeats (file, unit id, field, the winner's `file:`
// prefix) is encoded once, quoting, control-character escapes and formula guard included; a row is then
// copies and digits. It gives, byte for byte, what `CSVWriter` gives cell by cell (SupersededRowsTests).

/// One row of superseded.csv: where the superseded record stood, its key and submission time, and where
/// its final winner stands. Files are ranks, unit ids indices into the strings.
struct SupersededRow: Sendable, Equatable {
    var file: Int
    var row: Int32
    var line: Int32
    var unitID: Int32
    /// `CalendarDate.packed`.
    var surveyDate: Int32
    /// Index into `Field.allCases`.
    var field: UInt8
    /// `SubmissionTime.packed`, -1 when the record gave none.
    var submitted: Int64
    var winnerFile: Int
    var winnerRow: UInt32
}

/// Where an encoded cell lies in `SupersededRows.arena`.
private struct Span {
    var start: Int
    var count: Int
}

struct SupersededRows {
    private let strings: [String]
    /// Every encoded cell back to back.
    private var arena: [UInt8] = []
    /// Per file: its cell (no delimiter before it: it opens the row), and the winner cell's spelling
    /// around the row number, `,file:` and (when the file name needs quotes) the closing `"`.
    private var fileCells: [Span] = []
    private var winnerPrefixes: [Span] = []
    private var winnerSuffixes: [Span] = []
    /// Per field, and per string number (encoded the first time a row needs it): `,` and the cell.
    private var fieldCells: [Span] = []
    private var unitCells: [Span]
    private var fieldRoom = 0

    init(strings: [String], files: [String]) {
        self.strings = strings
        unitCells = [Span](repeating: Span(start: 0, count: -1), count: strings.count)
        fileCells = files.map { add(Self.cell($0).dropFirst()) }
        // Quoting and the formula guard depend on the file name alone (the row number adds only digits
        // at the end), so the cell of "file:1" shows the spelling for every row number.
        for file in files {
            let probe = Self.cell(file + ":1")
            let quoted = probe.last == 0x22
            winnerPrefixes.append(add(probe.dropLast(quoted ? 2 : 1)))
            winnerSuffixes.append(add(quoted ? [0x22] : []))
        }
        fieldCells = Field.allCases.map { add(Self.cell($0.rawValue)) }
        fieldRoom = fieldCells.map(\.count).max() ?? 0
    }

    /// `,` and the cell, as the published CSV spells it; control characters shown as visible escapes, as
    /// in rejects.csv: a published file carries none.
    private static func cell(_ text: String) -> [UInt8] {
        var w = CSVWriter(neutralise: true)
        w.text(ControlCharacters.visible(text, keepingLayout: false))
        return w.bytes
    }

    private mutating func add(_ bytes: some Collection<UInt8>) -> Span {
        let span = Span(start: arena.count, count: bytes.count)
        arena.append(contentsOf: bytes)
        return span
    }

    /// Asks for the cache lines a row of unit `unitID` reads, ahead of `append`: its cell's place, and
    /// (once that place is in) the cell. Both lie at random in tables of MiB: two waits a row otherwise.
    @inline(__always)
    func prefetch(unitID: Int32, cell: Bool) {
        let u = Int(unitID)
        guard u >= 0 && u < unitCells.count else { return }
        unitCells.withUnsafeBufferPointer { spans in
            guard let first = spans.baseAddress else { return }
            if !cell { TechSurvey.prefetch(first + u); return }
            let span = spans[u]
            guard span.count > 0 else { return }
            arena.withUnsafeBufferPointer { if let base = $0.baseAddress, span.start < $0.count { TechSurvey.prefetch(base + span.start) } }
        }
    }

    /// Appends `row`, CRLF-terminated, to `out`.
    mutating func append(_ row: SupersededRow, to out: ByteBuffer) {
        let u = Int(row.unitID)
        if unitCells[u].count < 0 { unitCells[u] = add(Self.cell(strings[u])) }
        let file = fileCells[row.file], unit = unitCells[u]
        let prefix = winnerPrefixes[row.winnerFile], suffix = winnerSuffixes[row.winnerFile]
        out.reserve(96 + fieldRoom + file.count + unit.count + prefix.count + suffix.count)
        arena.withUnsafeBufferPointer { arena in
            guard let cells = arena.baseAddress else { return }
            func put(_ span: Span) { out.append(UnsafeBufferPointer(start: cells + span.start, count: span.count)) }
            put(file)
            out.byte(0x2C)
            out.number(UInt64(UInt32(bitPattern: row.row)))
            out.byte(0x2C)
            out.number(UInt64(UInt32(bitPattern: row.line)))
            put(unit)
            out.byte(0x2C)
            let date = Int(row.surveyDate)
            out.fixed(date / 10_000, width: 4)
            out.byte(0x2D)
            out.fixed(date / 100 % 100, width: 2)
            out.byte(0x2D)
            out.fixed(date % 100, width: 2)
            put(fieldCells[Int(row.field)])
            out.byte(0x2C)
            if let time = SubmissionTime(packed: row.submitted) {
                out.fixed(time.date.year, width: 4)
                out.byte(0x2D)
                out.fixed(time.date.month, width: 2)
                out.byte(0x2D)
                out.fixed(time.date.day, width: 2)
                out.byte(0x20)
                out.fixed(time.seconds / 3600, width: 2)
                out.byte(0x3A)
                out.fixed(time.seconds / 60 % 60, width: 2)
                out.byte(0x3A)
                out.fixed(time.seconds % 60, width: 2)
            }
            put(prefix)
            out.number(UInt64(row.winnerRow))
            put(suffix)
            out.byte(0x0D)
            out.byte(0x0A)
        }
    }
}
