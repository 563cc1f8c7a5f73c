// Writes `superseded.csv`, which lists every record a resubmission replaced: millions of rows on a national
// rollup. Runs of rows are formatted on every core and written out in order, a few runs at a time, so
// memory stays bounded and the file comes out exactly as one thread would write it.

import Foundation

extension IngestResult {
    /// Streams `superseded.csv` to `path`, in its published form (BOM, neutralised text) so the report
    /// copies it as is.
    public func writeSuperseded(to path: String, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let file = try AtomicFile.Stream(path: path)
        var header = CSVWriter(byteOrderMark: true, neutralise: true)
        header.writeRow(StageRecords.supersededHeader)
        try file.write(header.bytes)
        let list = resubmissions.superseded()
        let format = SupersededFormat(files: resubmissions.files, strings: strings)
        let runs = list.runs(of: 100_000)
        let lanes = max(1, threads)
        var next = 0
        while next < runs.count {
            let group = Array(runs[next..<min(next + lanes, runs.count)])
            let outputs = RunOutputs(count: group.count)
            DispatchQueue.concurrentPerform(iterations: group.count) { k in
                outputs.set(k, format.rows(of: group[k], in: list, winners: resubmissions))
            }
            for bytes in outputs.all { try file.write(bytes) }
            next += group.count
        }
        try file.commit()
    }
}

/// How each superseded row is spelled; the cells every row repeats are encoded once.
private struct SupersededFormat: Sendable {
    let files: [String]
    let strings: [String]
    /// Each file's cell, and the start of its `file:row` cell when that needs no quoting.
    let fileCells: [[UInt8]]
    let winnerPrefixes: [[UInt8]?]
    let fieldCells: [[UInt8]]

    init(files: [String], strings: [String]) {
        self.files = files
        self.strings = strings
        func cell(_ text: String) -> [UInt8] {
            var w = CSVWriter(neutralise: true)
            w.text(text)
            return w.bytes
        }
        fileCells = files.map(cell)
        // "file:" followed by digits is the same cell as the file's own when neither quoting nor the formula
        // guard is involved; otherwise that row's cell is written the general way.
        winnerPrefixes = files.map { file in
            let probe = cell(file + ":1")
            return probe == [0x2C] + Array((file + ":1").utf8) ? Array(probe.dropLast()) : nil
        }
        fieldCells = Field.allCases.map { cell($0.rawValue) }
    }

    func rows(of run: SupersededList.Run, in list: SupersededList, winners: Resubmissions) -> [UInt8] {
        var w = CSVWriter(neutralise: true)
        w.reserve(run.count * 96)
        list.forEach(in: run) { loser in
            let winner = winners.winner(loser.slot)
            w.appendRaw(fileCells[Int(loser.file)].dropFirst())
            w.int(Int(loser.row))
            w.int(Int(loser.line))
            w.text(strings[Int(winner.unitID)])
            w.date(winner.date)
            w.appendRaw(fieldCells[Int(winner.field)])
            if let t = SubmissionTime(packed: loser.submitted) { w.date(t.date, seconds: t.seconds) } else { w.empty() }
            if let prefix = winnerPrefixes[Int(winner.file)] {
                w.appendRaw(prefix[...])
                w.appendNumber(UInt(UInt32(bitPattern: winner.row)))
            } else {
                w.text(files[Int(winner.file)] + ":" + String(winner.row))
            }
            w.endRow()
        }
        return w.bytes
    }
}

/// One slot per concurrently formatted run; each slot is written by one iteration only.
private final class RunOutputs: @unchecked Sendable {
    private var slots: [[UInt8]]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ index: Int, _ bytes: [UInt8]) {
        lock.lock()
        slots[index] = bytes
        lock.unlock()
    }
    var all: [[UInt8]] { slots }
}
