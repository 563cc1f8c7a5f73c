// The work of a parsing thread behind `readTextInput`: one block of a text file parsed and validated with
// the thread's own parser and validator. `inOrder` (OrderedBatches.swift) hands the blocks out and takes
// the results back in file order, a few blocks in flight at most, so memory does not grow with the file.

import Foundation

/// A block of a text file, cut at a line end, as the parsing threads get it.
struct TextBlock: Sendable {
    var text: [UInt8]
    /// The file's last block: its parser is finished, flushing a last line without a line end.
    var isLast: Bool
}

/// One block parsed on the guess that it starts a record. Rows and lines count from the block's start.
struct BlockResult<V: RecordValidator>: @unchecked Sendable {
    // The parser is handed from its thread to the merge and never used by both: hence unchecked.
    var text: [UInt8]
    var isLast: Bool
    /// The parsing thread (numbered from 1), whose text numbers `accepted` uses.
    var worker: Int
    /// Texts that thread numbered for the first time in this block, in number order.
    var fresh: [ArraySlice<UInt8>] = []
    var accepted: [V.Value] = []
    var rejects: [Reject] = []
    var notes = V.Notes()
    var blankRows = 0
    var rows = 0
    var lines = 0
    /// The parser, when the block ended inside a record: the next block's guess was wrong.
    var openParser: CSVReader?
    var error: Error?
}

/// Parses one block with a parser of its own.
func parseBlock<V: RecordValidator>(_ block: TextBlock, worker: Int, validator: V, textIsClean: Bool) -> BlockResult<V> {
    let (text, isLast) = (block.text, block.isLast)
    var result = BlockResult<V>(text: text, isLast: isLast, worker: worker)
    result.accepted.reserveCapacity(text.count / 96)
    do {
        let reader = try CSVReader(delimiter: validator.delimiter, textIsClean: textIsClean)
        reader.recordCells = validator.columns.headerCount
        let handle = { (record: CSVRecord) in
            if record.isBlank {
                result.blankRows += 1
                return
            }
            switch validator.validate(record, notes: &result.notes) {
            case .accepted(let r):
                result.accepted.append(r)
            case .rejected(let r):
                result.rejects.append(r)
            }
        }
        try reader.feed(text, onRecord: handle)
        if isLast { try reader.finish(onRecord: handle) }
        result.rows = reader.rowsSeen
        result.lines = reader.linesSeen
        if !isLast && !reader.isBetweenRecords { result.openParser = reader }
    } catch {
        result.error = error
    }
    result.fresh = validator.number(&result.accepted)
    return result
}
