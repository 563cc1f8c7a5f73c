// Reads one text file (CSV, tab text) on every core. This thread cuts the text into blocks at line ends;
// parsing threads each run their own libcsv parser and validator over whole blocks (Fast/BlockParsing.swift,
// handed out and taken back in order by Fast/OrderedBatches.swift); this thread merges them in file order.
// A block is parsed on the guess that its first byte starts a record. The guess is checked when the block
// before it is merged: if that block's parser stopped inside a record (a quoted field holding a line end
// across the cut), the guessed work is thrown away and the block is parsed again by continuing that
// parser, so the records, rows and lines come out exactly as one parser would give.

import Foundation

/// Reads and validates the text file `input` for `readInput`, handing its records on in file order.
func readTextInput<Kind: InputKind>(
    _ input: InputFile, kind: Kind, options: ReadOptions, chunkSize: Int, threads: Int, strings: inout ByteInterner,
    accept: ([Kind.Validator.Value]) throws -> Void, reject: (Reject) -> Void
) throws -> FileSummary {
    let matcher = kind.matcher
    var blocks = try TextBlocks(input.source, displayName: input.name, options: options, chunkSize: chunkSize,
                                holdsHeader: { HeaderSearch.holdsHeader($0, matcher: matcher) })
    var merge = TextMerge(file: input.name, kind: kind, delimiter: blocks.facts.delimiter)

    // Title rows, the header, and anything before the first block that ends between records are read right here.
    let reader = try CSVReader(delimiter: blocks.facts.delimiter, textIsClean: blocks.facts.textIsClean)
    var text = try blocks.next()
    while let block = text {
        try reader.feed(block) {
            try merge.here($0, strings: &strings, accept: accept, reject: reject)
            if reader.recordCells == nil { reader.recordCells = merge.validator?.columns.headerCount }
        }
        text = try blocks.next()
        if merge.validator != nil && reader.isBetweenRecords { break }
    }
    if text == nil {
        try reader.finish { try merge.here($0, strings: &strings, accept: accept, reject: reject) }
        return try merge.summary(blocks.finish())
    }
    guard let validator = merge.validator else { try merge.header.fail(file: input.name, summary: &merge.summary) }
    merge.rowBase = reader.rowsSeen
    merge.lineBase = reader.linesSeen

    // The rest is parsed on the threads, the block just read first, and merged here in file order.
    let (columns, delimiter, name, textIsClean) = (validator.columns, validator.delimiter, input.name, blocks.facts.textIsClean)
    try inOrder(workers: max(1, threads), makeWorker: { number in
        let validator = kind.validator(columns: columns, source: name, delimiter: delimiter, isWorkbook: false)
        // Worker 0 is the merge's own validator (`RecordMerge`): the threads count from 1.
        return { (block: TextBlock) in parseBlock(block, worker: number + 1, validator: validator, textIsClean: textIsClean) }
    }, produce: { hand in
        var current = text ?? []
        while let following = try blocks.next() {
            try hand(TextBlock(text: current, isLast: false))
            current = following
        }
        try hand(TextBlock(text: current, isLast: true))
    }, take: { block in
        var block = block
        try merge.absorb(&block, strings: &strings, accept: accept, reject: reject)
    })
    return try merge.summary(blocks.finish())
}

/// The merge side of one text file: its header search, the running row and line offsets, and the parser
/// carried over when a block ended inside a record.
private struct TextMerge<Kind: InputKind> {
    typealias V = Kind.Validator
    let file: String
    let kind: Kind
    let delimiter: UInt8
    var summary: FileSummary
    /// The validator of this thread, for the header phase and re-parsed blocks; nil until the header.
    var validator: V?
    /// Title rows above the header (SPEC §3.6), until the header is found.
    var header: HeaderSearch<V.Column>
    var records = RecordMerge<V>()
    /// Rows and lines before the text the next block's parser started on.
    var rowBase = 0
    var lineBase = 0
    /// A parser that stopped inside a record at the end of its block, and the offsets it counts from.
    var carried: CSVReader?
    var carriedRowBase = 0
    var carriedLineBase = 0

    init(file: String, kind: Kind, delimiter: UInt8) {
        self.file = file
        self.kind = kind
        self.delimiter = delimiter
        header = HeaderSearch(matcher: kind.matcher)
        summary = FileSummary(file: file, kind: kind.name, sha256: "", bytes: 0, encoding: "", encodingSource: "", delimiter: "")
    }

    /// A record read on this thread (header phase, re-parsed blocks); its row and line count from
    /// `rowBase`/`lineBase`.
    mutating func here(_ record: CSVRecord, rowBase: Int = 0, lineBase: Int = 0, strings: inout ByteInterner,
                       accept: ([V.Value]) throws -> Void, reject: (Reject) -> Void) throws {
        guard let validator else {
            // Title rows and the header come before any block is handed to the parallel part.
            if let columns = try header.offer(record, file: file, summary: &summary) {
                validator = kind.validator(columns: columns, source: file, delimiter: delimiter, isWorkbook: false)
            }
            return
        }
        try records.validate(record, by: validator, rowBase: rowBase, lineBase: lineBase, strings: &strings, accept: accept, reject: reject)
    }

    /// Takes the next block of the file, in order.
    mutating func absorb(_ block: inout BlockResult<V>, strings: inout ByteInterner,
                         accept: ([V.Value]) throws -> Void, reject: (Reject) -> Void) throws {
        // The thread's new strings are registered even when its guess was wrong: its later blocks use them.
        records.register(block.fresh, worker: block.worker, strings: &strings)
        if let carried {
            // The guess was wrong: continue the parser that stopped inside a record.
            let (rows, lines) = (carriedRowBase, carriedLineBase)
            try carried.feed(block.text) {
                try here($0, rowBase: rows, lineBase: lines, strings: &strings, accept: accept, reject: reject)
            }
            if block.isLast {
                try carried.finish { try here($0, rowBase: rows, lineBase: lines, strings: &strings, accept: accept, reject: reject) }
            }
            if carried.isBetweenRecords || block.isLast {
                rowBase = rows + carried.rowsSeen
                lineBase = lines + carried.linesSeen
                self.carried = nil
            }
            return
        }
        if let error = block.error { throw error }
        try records.hand(&block.accepted, rejects: block.rejects, blank: block.blankRows, notes: block.notes, worker: block.worker,
                         rowBase: rowBase, lineBase: lineBase, accept: accept, reject: reject)
        if let open = block.openParser {
            carried = open
            carriedRowBase = rowBase
            carriedLineBase = lineBase
        } else {
            rowBase += block.rows
            lineBase += block.lines
        }
    }

    func summary(_ facts: FileFacts) throws -> FileSummary {
        guard let validator else {
            var scratch = summary
            try header.fail(file: file, summary: &scratch)
        }
        var done = summary
        done.add(records.counts)
        if done.rowsRead == 0 {
            throw TechSurveyError(.data, "\(file): the file has a header but no records; add the records or remove the file")
        }
        done.sha256 = facts.sha256
        done.bytes = facts.bytes
        done.encoding = facts.encoding.rawValue
        done.encodingSource = facts.encodingSource.rawValue
        done.delimiter = delimiterName(facts.delimiter)
        done.warnings.append(contentsOf: kind.warnings(records.notes, validator: validator, isWorkbook: false))
        return done
    }
}
