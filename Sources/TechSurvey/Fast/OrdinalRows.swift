// The spreadsheet row of every accepted record, by ordinal, kept as runs of consecutive rows: a file's
// accepted records mostly stand on consecutive rows, so a run starts only after a rejected or blank row,
// or at a new file or sheet, and memory follows those, not records. superseded.csv names each loser's
// winner by row; keeping the row in the resubmission table cost 4 of its bytes for every distinct key.

struct OrdinalRows: Sendable {
    /// Each run's first ordinal and that record's row.
    private var firstOrdinals: [UInt32] = []
    private var firstRows: [UInt32] = []
    /// The ordinal and row that would continue the last run.
    private var next: (ordinal: UInt32, row: UInt32)?

    /// Records that the record `ordinal` (the one after the last appended) stands on `row`.
    mutating func append(ordinal: UInt32, row: UInt32) {
        if let next, next.ordinal == ordinal, next.row == row {} else {
            firstOrdinals.append(ordinal)
            firstRows.append(row)
        }
        next = (ordinal &+ 1, row &+ 1)
    }

    /// The row of record `ordinal` (one appended).
    func row(of ordinal: UInt32) -> UInt32 {
        // The last run starting at or before `ordinal`.
        var low = 0, high = firstOrdinals.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if firstOrdinals[mid] <= ordinal { low = mid } else { high = mid }
        }
        guard low < firstOrdinals.count else { return 0 }
        return firstRows[low] &+ (ordinal &- firstOrdinals[low])
    }

    /// Runs held, for the memory figures.
    var runs: Int { firstOrdinals.count }
}
