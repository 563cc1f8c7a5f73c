// Writes `superseded.csv`, which lists every record a resubmission replaced: millions of rows on a national
// rollup (5.5 million for the 1 GB benchmark). Runs of rows are formatted on every core while this thread
// writes finished runs out in order, a few runs ahead at most, so memory stays bounded and the file comes
// out exactly as one thread would write it. Every cell that repeats (file, unit id, field, the winner's
// `file:` prefix) is encoded once, quoting and formula guard included; a row is then copies and digits.

import Foundation

extension IngestResult {
    /// Streams `superseded.csv` to `path`, in its published form (BOM, neutralised text) so the report
    /// copies it as is.
    public func writeSuperseded(to path: String, threads: Int = ProcessInfo.processInfo.activeProcessorCount, runSize: Int = 50_000) throws {
        try writeSupersededUncommitted(to: path, threads: threads, runSize: runSize).commit()
    }

    /// The same, up to the last write: the caller commits the file (flush to disk, rename into place),
    /// which for hundreds of MiB can overlap other work.
    func writeSupersededUncommitted(to path: String, threads: Int = ProcessInfo.processInfo.activeProcessorCount, runSize: Int = 50_000) throws -> AtomicFile.Stream {
        let file = try AtomicFile.Stream(path: path)
        var header = CSVWriter(byteOrderMark: true, neutralise: true)
        header.writeRow(StageRecords.supersededHeader)
        try file.write(header.bytes)
        let list = resubmissions.superseded()
        let format = SupersededFormat(strings: strings, resubmissions: resubmissions)
        let runs = list.runs(of: max(1, runSize))
        let outputs = OrderedOutputs(count: runs.count, ahead: max(2, threads * 2))
        let formatting = DispatchGroup()
        DispatchQueue.global().async(group: formatting) {
            DispatchQueue.concurrentPerform(iterations: runs.count) { k in
                guard outputs.waitForTurn(k) else { return }
                outputs.put(k, format.rows(of: runs[k], in: list))
            }
        }
        defer {
            outputs.cancel()
            formatting.wait()
        }
        for k in runs.indices {
            guard let run = outputs.take(k) else { break }
            try file.write(run.bytes)
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

/// Where an encoded cell lies in `SupersededFormat.arena`.
private struct Span {
    var start: Int
    var count: Int
}

/// How each superseded row is spelled.
private struct SupersededFormat: Sendable {
    private let resubmissions: Resubmissions
    /// Every encoded cell back to back.
    private let arena: [UInt8]
    /// Per file: its cell (no delimiter before it: it opens the row), and the winner cell's spelling
    /// around the row number, `,file:` and (when the file name needs quotes) the closing `"`.
    private let fileCells: [Span]
    private let winnerPrefixes: [Span]
    private let winnerSuffixes: [Span]
    /// Per field, and per string number (only unit ids that some winner has): `,` and the cell.
    private let fieldCells: [Span]
    private let unitCells: [Span]
    /// Room for everything in a row but its file, unit id and winner cells.
    private let fixedRoom: Int

    init(strings: [String], resubmissions: Resubmissions) {
        self.resubmissions = resubmissions
        let files = resubmissions.files
        var arena: [UInt8] = []
        func add(_ bytes: some Collection<UInt8>) -> Span {
            let span = Span(start: arena.count, count: bytes.count)
            arena.append(contentsOf: bytes)
            return span
        }
        // Control characters shown as visible escapes, as in rejects.csv: a published file carries none.
        func cell(_ text: String) -> [UInt8] {
            var w = CSVWriter(neutralise: true)
            w.text(ControlCharacters.visible(text, keepingLayout: false))
            return w.bytes
        }
        fileCells = files.map { add(cell($0).dropFirst()) }
        // Quoting and the formula guard depend on the file name alone (the row number adds only digits
        // at the end), so the cell of "file:1" shows the spelling for every row number.
        var prefixes: [Span] = [], suffixes: [Span] = []
        for file in files {
            let probe = cell(file + ":1")
            let quoted = probe.last == 0x22
            prefixes.append(add(probe.dropLast(quoted ? 2 : 1)))
            suffixes.append(add(quoted ? [0x22] : []))
        }
        winnerPrefixes = prefixes
        winnerSuffixes = suffixes
        fieldCells = Field.allCases.map { add(cell($0.rawValue)) }
        var units = [Span](repeating: Span(start: 0, count: 0), count: strings.count)
        resubmissions.withWinners { winners in
            for w in winners where units[Int(w.unitID)].count == 0 {
                units[Int(w.unitID)] = add(cell(strings[Int(w.unitID)]))
            }
        }
        unitCells = units
        fixedRoom = 96 + (fieldCells.map(\.count).max() ?? 0)
        self.arena = arena
    }

    func rows(of run: SupersededList.Run, in list: SupersededList) -> ByteBuffer {
        let out = ByteBuffer(capacity: run.count * 128)
        var losers: [Resubmissions.Loser] = []
        losers.reserveCapacity(run.count)
        list.forEach(in: run) { losers.append($0) }
        arena.withUnsafeBufferPointer { arena in
            resubmissions.withWinners { winners in
                unitCells.withUnsafeBufferPointer { unitSpans in
                    format(losers, winners: winners, unitSpans: unitSpans, cells: arena, into: out)
                }
            }
        }
        return out
    }

    private func format(_ losers: [Resubmissions.Loser], winners: UnsafeBufferPointer<PackedReturn>,
                        unitSpans: UnsafeBufferPointer<Span>, cells arena: UnsafeBufferPointer<UInt8>, into out: ByteBuffer) {
        guard let cells = arena.baseAddress, let firstWinner = winners.baseAddress, let firstSpan = unitSpans.baseAddress else { return }
        func put(_ span: Span) { out.append(UnsafeBufferPointer(start: cells + span.start, count: span.count)) }
        for (i, loser) in losers.enumerated() {
            // Winners lie at random across a hundred MiB and unit id cells across a few: ask for the winners
            // of the rows twelve ahead, their unit id spans six ahead, and the cells three ahead.
            if i + 12 < losers.count { prefetch(firstWinner + Int(losers[i + 12].slot)) }
            if i + 6 < losers.count { prefetch(firstSpan + Int(winners[Int(losers[i + 6].slot)].unitID)) }
            if i + 3 < losers.count { prefetch(cells + unitSpans[Int(winners[Int(losers[i + 3].slot)].unitID)].start) }
            let winner = winners[Int(loser.slot)]
            let file = fileCells[Int(loser.file)], unit = unitSpans[Int(winner.unitID)]
            let prefix = winnerPrefixes[Int(winner.file)], suffix = winnerSuffixes[Int(winner.file)]
            out.reserve(fixedRoom + file.count + unit.count + prefix.count + suffix.count)
            put(file)
            out.byte(0x2C)
            out.number(UInt64(UInt32(bitPattern: loser.row)))
            out.byte(0x2C)
            out.number(UInt64(UInt32(bitPattern: loser.line)))
            put(unit)
            out.byte(0x2C)
            let date = Int(winner.surveyDate)
            out.fixed(date / 10_000, width: 4)
            out.byte(0x2D)
            out.fixed(date / 100 % 100, width: 2)
            out.byte(0x2D)
            out.fixed(date % 100, width: 2)
            put(fieldCells[Int(winner.field)])
            out.byte(0x2C)
            if let time = SubmissionTime(packed: loser.submitted) {
                out.fixed(time.date.year, width: 4)
                out.byte(0x2D)
                out.fixed(time.date.month, width: 2)
                out.byte(0x2D)
                out.fixed(time.date.day, width: 2)
                out.byte(0x20)
                out.fixed(time.seconds / 3600, width: 2)
                out.byte(0x3A)
                out.fixed(time.seconds / 60 % 60, width: 2)
                out.byte(0x3A)
                out.fixed(time.seconds % 60, width: 2)
            }
            put(prefix)
            out.number(UInt64(UInt32(bitPattern: winner.row)))
            put(suffix)
            out.byte(0x0D)
            out.byte(0x0A)
        }
    }
}

/// Formatted runs handed from the formatting threads to the writing thread in order. A formatting thread
/// waits before a run more than `ahead` runs past the one being written, so memory stays bounded.
private final class OrderedOutputs: @unchecked Sendable {
    // Every stored property is touched only with `condition` locked: that makes it Sendable.
    private let condition = NSCondition()
    private var slots: [ByteBuffer?]
    private var nextToWrite = 0
    private var cancelled = false
    private let ahead: Int

    init(count: Int, ahead: Int) {
        slots = Array(repeating: nil, count: count)
        self.ahead = ahead
    }

    /// Waits until run `k` may be formatted; false when writing stopped.
    func waitForTurn(_ k: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && k - nextToWrite >= ahead { condition.wait() }
        return !cancelled
    }

    func put(_ k: Int, _ bytes: ByteBuffer) {
        condition.lock()
        if !cancelled { slots[k] = bytes }
        condition.broadcast()
        condition.unlock()
    }

    /// Run `k` once formatted; nil when writing stopped.
    func take(_ k: Int) -> ByteBuffer? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && slots[k] == nil { condition.wait() }
        if cancelled { return nil }
        let bytes = slots[k]
        slots[k] = nil
        nextToWrite = k + 1
        condition.broadcast()
        return bytes
    }

    func cancel() {
        condition.lock()
        cancelled = true
        slots.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
