// The threads behind `readTextInput`: one reads and cuts the file into blocks, the parsing threads each
// parse and validate whole blocks with a validator of their own, and the caller takes the results back in
// file order. At most a few blocks are in flight, so memory does not grow with the file.

import Foundation

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

/// Blocks of one file, parsed on `workers` threads, handed back in order by `next()`.
final class BlockPipeline<V: RecordValidator>: @unchecked Sendable {
    // Every stored property below is touched only with `condition` locked: that makes it Sendable.
    private let condition = NSCondition()
    private var queue: [(index: Int, text: [UInt8], isLast: Bool)] = []
    private var results: [Int: BlockResult<V>] = [:]
    private var blockCount: Int?
    private var readFailure: Error?
    private var fileFacts: FileFacts?
    private var cancelled = false
    private var nextToMerge = 0
    private let inFlightLimit: Int

    init(blocks: TextBlocks, first: [UInt8], workers: Int, makeValidator: @escaping @Sendable () -> V) {
        inFlightLimit = workers * 2 + 2
        let source = SendableBox(blocks)
        let textIsClean = blocks.facts.textIsClean
        let reader = Thread { [self] in read(source, first: first) }
        reader.stackSize = 1 << 20
        reader.start()
        // Worker 0 is the merging thread's own validator (`RecordMerge`).
        for worker in 1...max(1, workers) {
            let thread = Thread { [self] in parse(worker: worker, validator: makeValidator(), textIsClean: textIsClean) }
            // libcsv and the validators get a roomy stack all the same.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The next block in file order; nil after the last. Throws what reading the file threw.
    func next() throws -> BlockResult<V>? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result = results.removeValue(forKey: nextToMerge) {
                nextToMerge += 1
                condition.broadcast()
                return result
            }
            if let readFailure { throw readFailure }
            if cancelled { return nil }
            if let blockCount, nextToMerge >= blockCount { return nil }
            condition.wait()
        }
    }

    /// The file's facts (fingerprint, size) once every block was read.
    func facts() throws -> FileFacts {
        condition.lock()
        defer { condition.unlock() }
        while fileFacts == nil && readFailure == nil && !cancelled { condition.wait() }
        if let readFailure { throw readFailure }
        guard let fileFacts else { throw TechSurveyError(.ioError, "reading was cancelled before the end of the file") }
        return fileFacts
    }

    /// Stops every thread at its next block; safe to call more than once.
    func cancel() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    private func read(_ source: SendableBox<TextBlocks>, first: [UInt8]) {
        var blocks = source.value
        var current = first
        var index = 0
        do {
            while true {
                let following = try blocks.next()
                condition.lock()
                while !cancelled && index - nextToMerge >= inFlightLimit { condition.wait() }
                if cancelled {
                    condition.unlock()
                    return
                }
                queue.append((index, current, following == nil))
                condition.broadcast()
                condition.unlock()
                guard let following else { break }
                current = following
                index += 1
            }
            let facts = blocks.finish()
            condition.lock()
            fileFacts = facts
            blockCount = index + 1
            condition.broadcast()
            condition.unlock()
        } catch {
            condition.lock()
            readFailure = error
            condition.broadcast()
            condition.unlock()
        }
    }

    private func parse(worker: Int, validator: V, textIsClean: Bool) {
        while true {
            condition.lock()
            while queue.isEmpty && blockCount == nil && readFailure == nil && !cancelled { condition.wait() }
            if cancelled || queue.isEmpty {
                condition.unlock()
                return
            }
            let job = queue.removeFirst()
            condition.unlock()
            let result = parseBlock(job.text, isLast: job.isLast, worker: worker, validator: validator, textIsClean: textIsClean)
            condition.lock()
            results[job.index] = result
            condition.broadcast()
            condition.unlock()
        }
    }
}

/// Parses one block with a parser of its own.
private func parseBlock<V: RecordValidator>(_ text: [UInt8], isLast: Bool, worker: Int, validator: V, textIsClean: Bool) -> BlockResult<V> {
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

/// Moves a value to another thread that alone uses it from then on.
struct SendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
