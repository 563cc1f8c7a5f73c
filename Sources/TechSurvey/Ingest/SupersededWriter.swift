// Writes `superseded.csv` (SPEC §3.4) from positions: the stage file is read back in input order, and for
// each record a resubmission superseded, its key gives the final winner's file and row from the
// resubmission table. Millions of rows on a national rollup of repeated exports, so the rows are spelled
// by `SupersededRows` and go out in pieces of a few MiB.

import Foundation

extension IngestResult {
    /// Streams `superseded.csv` to `path`, in its published form (BOM, neutralised text) so the report
    /// copies it as is.
    func writeSuperseded(to path: String) throws {
        try writeSupersededUncommitted(to: path).commit()
    }

    /// The same, up to the last write: the caller commits the file (flush to disk, rename into place),
    /// which for hundreds of MiB can overlap other work.
    /// `reader` is the stage file's, when the caller opened it already (it may be renamed meanwhile).
    func writeSupersededUncommitted(to path: String, reader opened: PackedReturnsFile.Reader? = nil) throws -> AtomicFile.Stream {
        let file = try AtomicFile.Stream(path: path)
        var header = CSVWriter(byteOrderMark: true, neutralise: true)
        header.writeRow(StageRecords.supersededHeader)
        try file.write(header.bytes)
        if resubmissions.supersededCount > 0 {
            let reader = try opened ?? staged.reader()
            var rows = SupersededRows(strings: reader.strings, files: resubmissions.files)
            let out = ByteBuffer(capacity: PackedReturnsFile.pieceBytes + 65_536)
            let resubmissions = self.resubmissions, fileBase = reader.fileBase
            try reader.scan(only: { reader.losers.contains($0) }) { _, r, _ in
                guard let winner = resubmissions.winner(of: Resubmissions.key(unitID: r.unitID, surveyDate: r.surveyDate, field: r.field)) else {
                    throw TechSurveyError(.data, "internal error: a superseded record of \(reader.path) has no winner; please report this with the input")
                }
                rows.append(SupersededRow(file: Int(r.file - fileBase), row: r.row, line: r.line, unitID: r.unitID, surveyDate: r.surveyDate,
                                          field: r.field, submitted: r.submitted, winnerFile: winner.rank, winnerRow: winner.row), to: out)
                if out.count >= PackedReturnsFile.pieceBytes {
                    try file.write(out.bytes)
                    out.removeAll()
                }
            }
            try file.write(out.bytes)
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
