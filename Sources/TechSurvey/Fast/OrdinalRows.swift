// The spreadsheet row of every accepted record, by ordinal, kept as runs of rows a constant step apart: a
// file's accepted records mostly stand on consecutive rows (step 1), or each one row after a blank or
// rejected one (step 2, as in a sheet that leaves a line between records), so a run starts only where the
// step changes, or at a new file or sheet, and memory follows those, not records. superseded.csv names
// each loser's winner by row; keeping the row in the resubmission table cost 4 of its bytes for every
// distinct key.

struct OrdinalRows: Sendable {
    /// Each run's first ordinal and that record's row.
    private var firstOrdinals: [UInt32] = []
    private var firstRows: [UInt32] = []
    /// Each run's step from one record's row to the next's: 1 to 255 (a wider gap starts a run); 1 while
    /// the run holds one record, whose second record then sets it.
    private var steps: [UInt8] = []
    /// The last record appended, and whether its run's step is set (the run has two records or more).
    private var last: (ordinal: UInt32, row: UInt32, stepped: Bool)?

    /// Records that the record `ordinal` (the one after the last appended) stands on `row`.
    mutating func append(ordinal: UInt32, row: UInt32) {
        // Greedy: a run takes every record it can; since any tail of a run is a run, no cutting into runs
        // has fewer, and none has more than runs of consecutive rows alone had.
        if let last, ordinal == last.ordinal &+ 1, row > last.row, let step = UInt8(exactly: row - last.row),
           let run = steps.indices.last, !last.stepped || steps[run] == step {
            steps[run] = step
            self.last = (ordinal, row, true)
            return
        }
        firstOrdinals.append(ordinal)
        firstRows.append(row)
        steps.append(1)
        last = (ordinal, row, false)
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
        return firstRows[low] &+ (ordinal &- firstOrdinals[low]) &* UInt32(steps[low])
    }

    /// Runs held, for the memory figures.
    var runs: Int { firstOrdinals.count }
}
