// The stage's binary returns as the CSV they were before returns.bin, for analysts who want to open them in
// a spreadsheet or check them with other tools: the same header, columns and row form as returns.csv had,
// with text that a spreadsheet would run as a formula prefixed with ' as in the published tables.

public enum StageReturnsCSV {
    /// The stage folder's returns as CSV, header first, read from returns.bin as it streams and handed to
    /// `emit` in pieces of a few MiB, so millions of rows never sit in memory as text. A damaged file throws,
    /// at the latest after the last piece.
    public static func write(stage: StageFolder, _ emit: ([UInt8]) throws -> Void) throws {
        let reader = try PackedReturnsFile.Reader(stage.returns)
        let strings = reader.strings
        // Opened in spreadsheets like tables/*.csv, so formula-looking text is neutralised as there (SPEC §4).
        var w = CSVWriter(neutralise: true, crlf: false)
        w.writeRow(StageRecords.returnsHeader)
        try reader.scan(only: { !reader.losers.contains($0) }) { _, p, id in
            let r = ReturnRecord(
                source: SourceRef(file: strings[Int(p.file)], row: Int(p.row), line: Int(p.line)),
                returnID: String(decoding: id, as: UTF8.self), unitID: strings[Int(p.unitID)], unitName: strings[Int(p.unitName)],
                unitType: p.unitTypeCode, district: strings[Int(p.district)], field: p.fieldCode, surveyDate: p.date,
                found: Int(p.found), proposed: Int(p.proposed), submittedAt: SubmissionTime(packed: p.submitted)
            )
            StageRecords.writeReturn(r, to: &w)
            if w.bytes.count >= 1 << 22 { try emit(w.drain()) }
        }
        try emit(w.drain())
    }
}
