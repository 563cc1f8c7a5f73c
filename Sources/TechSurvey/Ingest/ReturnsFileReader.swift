// Reads one returns file on every core. A reader thread cuts the text into blocks at line ends; parsing
// threads each run their own libcsv parser and validator over whole blocks; this thread merges the
// blocks in file order. A block is parsed on the guess that its first byte starts a record. The guess is
// checked when the block before it is merged: if that block's parser stopped inside a record (a quoted
// field holding a line end across the cut), the guessed work is thrown away and the block is parsed again
// by continuing that parser, so the records, rows and lines come out exactly as one parser would give.

import Foundation

/// What the merge hands on, accepted records in file order: text cells numbered in `strings`, row and
/// line counted from the top of the file.
typealias AcceptReturn = ([ParsedReturn]) throws -> Void

/// Reads and validates `input`, calling `accept` and `reject` in file order, and returns the file's summary
/// (before resubmissions). Unit ids, names and districts are numbered in `strings`, shared across files.
func readReturnsFile(
    _ input: InputFile, vocabularies: Vocabularies, options: ReadOptions, chunkSize: Int, threads: Int,
    strings: inout ByteInterner, accept: AcceptReturn, reject: (Reject) -> Void
) throws -> FileSummary {
    let matcher = vocabularies.returnColumns
    var blocks = try TextBlocks(input.source, displayName: input.name, options: options, chunkSize: chunkSize,
                                holdsHeader: { HeaderSearch.holdsHeader($0, matcher: matcher) })
    var merge = ReturnsMerge(file: input.name, facts: blocks.facts, matcher: vocabularies.returnColumns)

    // The header, and anything before the first block that ends between records, is read right here.
    let reader = try CSVReader(delimiter: blocks.facts.delimiter, textIsClean: blocks.facts.textIsClean)
    var text = try blocks.next()
    while let block = text {
        try reader.feed(block) {
            try merge.sequential($0, vocabularies: vocabularies, strings: &strings, accept: accept, reject: reject)
            if reader.recordCells == nil { reader.recordCells = merge.validator?.columns.headerCount }
        }
        text = try blocks.next()
        if merge.validator != nil && reader.isBetweenRecords { break }
    }
    if text == nil {
        try reader.finish { try merge.sequential($0, vocabularies: vocabularies, strings: &strings, accept: accept, reject: reject) }
        return try merge.summary(blocks.finish(), vocabularies: vocabularies)
    }
    guard let validator = merge.validator else { try merge.header.fail(file: input.name, summary: &merge.summary) }
    merge.rowBase = reader.rowsSeen
    merge.lineBase = reader.linesSeen

    // The rest goes through the pipeline, the block just read first.
    let (columns, delimiter, name) = (validator.columns, validator.delimiter, input.name)
    let pipeline = BlockPipeline(
        blocks: blocks, first: text ?? [], workers: max(1, threads),
        makeValidator: { ReturnValidator(columns: columns, vocabularies: vocabularies, file: name, delimiter: delimiter) }
    )
    defer { pipeline.cancel() }
    while var result = try pipeline.next() {
        try merge.absorb(&result, vocabularies: vocabularies, strings: &strings, accept: accept, reject: reject)
    }
    return try merge.summary(pipeline.facts(), vocabularies: vocabularies)
}

/// The merge side of one file: the running row and line offsets, the summary, and the parser carried over
/// when a block ended inside a record.
private struct ReturnsMerge {
    let file: String
    let facts: FileFacts
    var summary = FileSummary(file: "", kind: "returns", sha256: "", bytes: 0, encoding: "", encodingSource: "", delimiter: "")
    /// The validator of this thread, used for the header phase and for re-parsed blocks.
    var validator: ReturnValidator?
    /// Title rows above the header (SPEC §3.6), until the header is found.
    var header: HeaderSearch<ReturnColumn>
    /// Rows and lines before the text the next block's parser started on.
    var rowBase = 0
    var lineBase = 0
    /// Per parsing thread: its string numbers → numbers in the shared table; `ownMap` for this thread.
    var maps: [[Int32]] = []
    var ownMap: [Int32] = []
    var unknownTypes: [String: Int] = [:]
    /// A parser that stopped inside a record at the end of its block, and the offsets it counts from.
    var carried: CSVReader?
    var carriedRowBase = 0
    var carriedLineBase = 0

    init(file: String, facts: FileFacts, matcher: LabelMatcher<ReturnColumn>) {
        self.file = file
        header = HeaderSearch(matcher: matcher)
        self.facts = facts
        summary.file = file
    }

    /// A record read on this thread (header phase, re-parsed blocks); its row and line count from
    /// `rowBase`/`lineBase`.
    mutating func sequential(_ record: CSVRecord, vocabularies: Vocabularies, strings: inout ByteInterner,
                             accept: AcceptReturn, reject: (Reject) -> Void, rowBase: Int = 0, lineBase: Int = 0) throws {
        guard let validator else {
            // Title rows and the header come before any block is handed to the parallel part.
            if let columns = try header.offer(record, file: file, summary: &summary) {
                validator = ReturnValidator(columns: columns, vocabularies: vocabularies, file: file, delimiter: facts.delimiter)
            }
            return
        }
        if record.isBlank {
            summary.blankRows += 1
            return
        }
        summary.rowsRead += 1
        let outcome = validator.validate(record)
        let numbers = validator.strings.numberQueued()
        for s in validator.strings.takeFresh() { ownMap.append(strings.id(s)) }
        switch outcome {
        case .accepted(let queued, let unknownType):
            summary.rowsAccepted += 1
            if let unknownType { unknownTypes[unknownType, default: 0] += 1 }
            try accept([queued.numbered(numbers).placed(rowBase: rowBase, lineBase: lineBase, strings: ownMap)])
        case .rejected(let r):
            summary.rowsRejected += 1
            reject(r.placed(rowBase: rowBase, lineBase: lineBase))
        }
    }

    /// Takes the next block of the file, in order.
    mutating func absorb(_ block: inout BlockResult, vocabularies: Vocabularies, strings: inout ByteInterner,
                         accept: AcceptReturn, reject: (Reject) -> Void) throws {
        // The thread's new strings are registered even when its guess was wrong: its later blocks use them.
        while maps.count <= block.worker { maps.append([]) }
        for s in block.fresh { maps[block.worker].append(strings.id(s)) }
        if let carried {
            // The guess was wrong: continue the parser that stopped inside a record.
            let (rows, lines) = (carriedRowBase, carriedLineBase)
            try carried.feed(block.text) {
                try sequential($0, vocabularies: vocabularies, strings: &strings, accept: accept, reject: reject, rowBase: rows, lineBase: lines)
            }
            if block.isLast {
                try carried.finish {
                    try sequential($0, vocabularies: vocabularies, strings: &strings, accept: accept, reject: reject, rowBase: rows, lineBase: lines)
                }
            }
            if carried.isBetweenRecords || block.isLast {
                rowBase = rows + carried.rowsSeen
                lineBase = lines + carried.linesSeen
                self.carried = nil
            }
            return
        }
        if let error = block.error { throw error }
        summary.blankRows += block.blankRows
        for (label, n) in block.unknownTypes { unknownTypes[label, default: 0] += n }
        let map = maps[block.worker]
        var accepted = block.accepted
        block.accepted = []
        for i in accepted.indices { accepted[i] = accepted[i].placed(rowBase: rowBase, lineBase: lineBase, strings: map) }
        try accept(accepted)
        for r in block.rejects { reject(r.placed(rowBase: rowBase, lineBase: lineBase)) }
        summary.rowsRead += accepted.count + block.rejects.count
        summary.rowsAccepted += accepted.count
        summary.rowsRejected += block.rejects.count
        if let open = block.openParser {
            carried = open
            carriedRowBase = rowBase
            carriedLineBase = lineBase
        } else {
            rowBase += block.rows
            lineBase += block.lines
        }
    }

    func summary(_ facts: FileFacts, vocabularies: Vocabularies) throws -> FileSummary {
        if validator == nil {
            var scratch = summary
            try header.fail(file: file, summary: &scratch)
        }
        if summary.rowsRead == 0 {
            throw TechSurveyError(.data, "\(file): the file has a header but no records; add the records or remove the file")
        }
        var done = summary
        done.sha256 = facts.sha256
        done.bytes = facts.bytes
        done.encoding = facts.encoding.rawValue
        done.encodingSource = facts.encodingSource.rawValue
        done.delimiter = delimiterName(facts.delimiter)
        done.warnings.append(contentsOf: unknownTypeWarnings(unknownTypes, vocabularies: vocabularies))
        return done
    }
}

/// One warning per unknown unit type, with how many records it was counted as other in.
func unknownTypeWarnings(_ unknownTypes: [String: Int], vocabularies: Vocabularies) -> [String] {
    unknownTypes.sorted(by: { $0.key < $1.key }).map { label, count in
        let hint = vocabularies.unitTypes.suggestion(for: label).map { " (did you mean \($0)?)" } ?? ""
        return "unit_type \(quotedCell(label)) is not known\(hint): counted as other in \(count) record(s); add it to aliases.csv to classify it"
    }
}

/// Validates the records of one workbook sheet, on this thread, numbering their text cells in `strings`:
/// the workbook side of what `ReturnsMerge.sequential` does for a text file's header phase.
final class SheetReturns {
    let validator: ReturnValidator
    /// The validator's string numbers → numbers in the shared table.
    private var map: [Int32] = []
    private(set) var unknownTypes: [String: Int] = [:]

    init(validator: ReturnValidator) {
        self.validator = validator
    }

    /// The accepted return, or nil when `record` was rejected (handed to `reject`).
    func validate(_ record: CSVRecord, strings: inout ByteInterner, reject: (Reject) -> Void) -> ParsedReturn? {
        let outcome = validator.validate(record)
        let numbers = validator.strings.numberQueued()
        for s in validator.strings.takeFresh() { map.append(strings.id(s)) }
        switch outcome {
        case .accepted(let queued, let unknownType):
            if let unknownType { unknownTypes[unknownType, default: 0] += 1 }
            return queued.numbered(numbers).placed(rowBase: 0, lineBase: 0, strings: map)
        case .rejected(let r):
            reject(r)
            return nil
        }
    }
}

extension ParsedReturn {
    /// The record as its file places it: row and line counted from the top of the file rather than from
    /// where its parser started, text cells numbered in the run's table (`strings` maps the parsing
    /// thread's numbers onto it).
    func placed(rowBase: Int, lineBase: Int, strings map: [Int32]) -> ParsedReturn {
        var r = self
        r.row = Int32(clamping: Int(row) + rowBase)
        r.line = Int32(clamping: Int(line) + lineBase)
        r.unitID = map[Int(unitID)]
        r.unitName = map[Int(unitName)]
        r.district = map[Int(district)]
        return r
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
