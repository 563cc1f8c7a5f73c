// Writes `superseded.csv` (SPEC §3.4) from positions: the stage file is read back in input order, and for
// each record a resubmission superseded, its key gives the final winner's file and row from the
// resubmission table. Millions of rows on a national rollup of repeated exports, so the rows are spelled
// by `SupersededRows` a batch at a time on every core (Fast/OrderedBatches.swift) and go out in order.

import Foundation

extension IngestResult {
    /// Streams `superseded.csv` to `path`, in its published form (BOM, neutralised text) so the report
    /// copies it as is.
    func writeSuperseded(to path: String) throws {
        try writeSupersededUncommitted(to: path).commit()
    }

    /// The same, up to the last write: the caller commits the file (flush to disk, rename into place),
    /// which for hundreds of MiB can overlap other work. The rows are spelled a batch of `batchSize` at a
    /// time on `threads` threads and written in order. Each thread keeps its own spelled unit cells (16
    /// bytes per text and the cells): beyond four, the one thread reading returns.bin back is the limit,
    /// so more would only cost memory.
    func writeSupersededUncommitted(to path: String, threads: Int = min(4, ProcessInfo.processInfo.activeProcessorCount),
                                    batchSize: Int = 4096) throws -> AtomicFile.Stream {
        let file = try AtomicFile.Stream(path: path)
        var header = CSVWriter(byteOrderMark: true, neutralise: true)
        header.writeRow(StageRecords.supersededHeader)
        try file.write(header.bytes)
        if resubmissions.supersededCount > 0 {
            let reader = try staged.reader()
            let strings = reader.strings, files = resubmissions.files, fileBase = reader.fileBase, stagePath = reader.shownPath
            // Only read on the spelling threads, never changed while they run.
            let table = SendableBox(resubmissions)
            try inOrder(workers: threads, makeWorker: { _ in
                var rows = SupersededRows(strings: strings, files: files)
                let resubmissions = table.value
                return { (batch: [PackedReturn]) -> Result<ByteBuffer, TechSurveyError> in
                    let out = ByteBuffer(capacity: batch.count * 160 + 4096)
                    for i in batch.indices {
                        // Each loser's winner lies at random in a table of tens of MiB: the one eight ahead
                        // is asked for early (one by one, the lookups were a third of the work).
                        if i + 8 < batch.count {
                            resubmissions.prefetchWinner(of: Resubmissions.key(batch[i + 8]))
                            rows.prefetch(unitID: batch[i + 8].unitID, cell: true)
                        }
                        if i + 16 < batch.count { rows.prefetch(unitID: batch[i + 16].unitID, cell: false) }
                        let r = batch[i]
                        guard let winner = resubmissions.winner(of: Resubmissions.key(r)) else {
                            return .failure(TechSurveyError(.data, "internal error: a superseded record of \(stagePath) has no winner; please report this with the input"))
                        }
                        rows.append(SupersededRow(file: Int(r.file - fileBase), row: r.row, line: r.line, unitID: r.unitID, surveyDate: r.surveyDate,
                                                  field: r.field, submitted: r.submitted, winnerFile: winner.rank, winnerRow: winner.row), to: out)
                    }
                    return .success(out)
                }
            }, produce: { hand in
                var batch: [PackedReturn] = []
                batch.reserveCapacity(batchSize)
                try reader.scan(only: { reader.losers.contains($0) }) { _, r, _ in
                    batch.append(r)
                    if batch.count >= batchSize {
                        try hand(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try hand(batch) }
            }, take: { spelled in try file.write(spelled.get().bytes) })
        }
        // Activities come after the returns, as their files do in the input; a handful, written simply.
        // Their rows use the same columns: unit_id holds the activity_id, survey_date the activity's date.
        var activities = CSVWriter(neutralise: true)
        for loser in supersededActivities {
            let a = loser.record
            activities.writeRow(StageRecords.sourceCells(a.source) + [
                .text(a.activityID), .text(a.date.description), .text(a.field?.rawValue ?? ""), .text(""), .text(loser.winner.description),
            ])
        }
        try file.write(activities.bytes)
        return file
    }
}
