// The stage's binary returns as the CSV they were before returns.bin, for analysts who want to open them in
// a spreadsheet or check them with other tools: the same header, columns and row form as returns.csv had.

public enum StageReturnsCSV {
    /// `packed` as CSV, header first, handed to `emit` in pieces of a few MiB so millions of rows never
    /// sit in memory as text.
    public static func write(_ packed: PackedReturns, _ emit: ([UInt8]) throws -> Void) rethrows {
        var w = CSVWriter(crlf: false)
        w.writeRow(StageRecords.returnsHeader)
        for i in packed.records.indices {
            StageRecords.writeReturn(packed.record(i), to: &w)
            if w.bytes.count >= 1 << 22 { try emit(w.drain()) }
        }
        try emit(w.drain())
    }

    /// The stage folder's returns as CSV, in pieces (see `write`).
    public static func write(stage: StageFolder, _ emit: ([UInt8]) throws -> Void) throws {
        try write(try PackedReturnsFile.read(stage.returns), emit)
    }
}
