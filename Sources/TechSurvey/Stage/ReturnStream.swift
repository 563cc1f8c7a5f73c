// The accepted returns as aggregate and trace read them: in input order, a chunk at a time, with the table
// of distinct strings their text cells point at. Stages see only this, never the whole file in memory
// (SPEC §7): the stage file's reader provides it (and, in the tests, records packed in memory).

/// Accepted returns (after resubmissions) in input order, handed out in chunks.
protocol ReturnStream {
    /// The distinct strings the records' text cells are indices into. `returnID` is -1 in the stage file's
    /// chunks: return ids are one per record, so they stay on disk (`PackedReturnsFile.Reader.scan` gives them).
    var strings: [String] { get }
    /// Calls `body` with consecutive chunks of records, in input order; each chunk is valid only during the call.
    /// May be called more than once; every call sees the same records.
    func forEachChunk(_ body: (UnsafeBufferPointer<PackedReturn>) throws -> Void) throws
    /// The same records in chunks handed to up to `threads` threads at once, in no particular order: `body`
    /// gets the thread's number (0 ..< threads) and never runs twice at once for one number, so each
    /// number can count into its own tallies, merged afterwards. Throws as `forEachChunk` does.
    func forEachChunk(threads: Int, _ body: (Int, UnsafeBufferPointer<PackedReturn>) throws -> Void) throws
}

extension ReturnStream {
    /// Streams kept in memory (the tests') hand every chunk to thread 0, in order.
    func forEachChunk(threads: Int, _ body: (Int, UnsafeBufferPointer<PackedReturn>) throws -> Void) throws {
        try forEachChunk { try body(0, $0) }
    }
}
