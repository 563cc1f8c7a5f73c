// A text file cut into blocks and parsed on several threads must give exactly what one parser reading it
// whole gives: the same records with the same rows and lines, the same rejects, the same account, even
// when a cut falls inside a quoted field that holds a line end (the guess that a block starts a record is
// then wrong and the block is parsed again). Returns and activities go through the same pipeline.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct BlockParsingTests {
    struct Reading: Equatable {
        var returns: [ReturnRecord]
        var rejects: [Reject]
        var summary: IngestSummary
        var superseded: Int
    }

    static func read(_ bytes: [UInt8], chunkSize: Int, threads: Int) throws -> Reading {
        let result = try ingest(
            returnFiles: [InputFile(name: "returns/r.csv", source: .bytes(bytes))], activityFiles: [],
            vocabularies: Vocabularies(), options: ReadOptions(), chunkSize: chunkSize, threads: threads
        )
        return Reading(returns: try result.returns, rejects: result.rejects, summary: result.summary, superseded: result.supersededCount)
    }

    /// A header and `rows` records, with a blank line and a record of empty cells after every 23rd.
    static func file(header: String, rows: Int, record: (Int) -> String) -> [UInt8] {
        var text = header + "\n"
        for i in 0..<rows {
            text += record(i) + "\n"
            if i % 23 == 0 { text += "\n,,,,\n" }
        }
        return Array(text.utf8)
    }

    /// Quoted names with line ends, blank lines, resubmissions and bad rows, in a few hundred rows.
    static func sample(rows: Int) -> [UInt8] {
        file(header: "return_id,unit_id,unit_name,unit_type,district,field,survey_date,technologies_found,technologies_proposed,submitted_at", rows: rows) { i in
            let name = i % 7 == 0 ? "\"Viện \(i),\nchi nhánh \"\"Lê Chân\"\"\"" : (i % 5 == 0 ? "\"Công ty \(i), TNHH\"" : "Đơn vị \(i % 40)")
            let found = i % 31 == 0 ? "x" : String(i % 9)
            let unit = "hp-\(i % 60)"
            return "R\(i),\(unit),\(name),Viện,Lê Chân,energy,2015-0\(i % 9 + 1)-1\(i % 3),\(found),0,2015-10-0\(i % 9 + 1) 08:00"
        }
    }

    /// Expects `read(chunkSize, threads)` in blocks of `chunkSize` on 1, 2 and 3 threads to give `whole`.
    static func expectSameInBlocks<Reading: Equatable>(as whole: Reading, chunkSize: Int, _ read: (Int, Int) throws -> Reading) throws {
        for threads in [1, 2, 3] {
            let parallel = try read(chunkSize, threads)
            #expect(parallel == whole, "chunks of \(chunkSize) bytes on \(threads) threads")
        }
    }

    @Test(arguments: [7, 64, 100, 1000])
    func blocksOnThreadsReadLikeOneParser(chunkSize: Int) throws {
        let bytes = Self.sample(rows: 400)
        let whole = try Self.read(bytes, chunkSize: 1 << 20, threads: 1)
        #expect(whole.returns.count > 0 && whole.superseded > 0 && !whole.rejects.isEmpty)
        #expect(whole.returns.contains(where: { $0.source.line != $0.source.row }), "the sample must move lines away from rows")
        try Self.expectSameInBlocks(as: whole, chunkSize: chunkSize) { try Self.read(bytes, chunkSize: $0, threads: $1) }
    }

    @Test func damagedFilesReadLikeOneParser() throws {
        let original = Self.sample(rows: 120)
        var rng = SeededGenerator(state: 42)
        var compared = 0
        for _ in 0..<300 {
            let damaged = RobustnessTests.mutate(original, using: &rng)
            let whole = Result { try Self.read(damaged, chunkSize: 1 << 20, threads: 1) }
            let parallel = Result { try Self.read(damaged, chunkSize: 48, threads: 2) }
            switch (whole, parallel) {
            case (.success(let w), .success(let p)):
                compared += 1
                #expect(p == w)
                if p != w { return }
            case (.failure(let w), .failure(let p)):
                // A file one parser refuses, the other refuses with the same line.
                #expect("\(p)" == "\(w)")
            default:
                Issue.record("read whole: \(whole)\nin 48-byte blocks on 2 threads: \(parallel)")
                return
            }
        }
        // Most damage costs a record, not the file: the comparison above must have run.
        #expect(compared > 150, "only \(compared) of 300 damaged files were read")
    }

    /// The sample with stray quotes: one that a later one would close 150 rows on, one never closed.
    static func strayQuoteSample(rows: Int) -> [UInt8] {
        var lines = String(decoding: sample(rows: rows), as: UTF8.self).components(separatedBy: "\n")
        for i in [5, 160, lines.count - 30] where i < lines.count {
            lines[i] = lines[i].replacingOccurrences(of: "Lê Chân", with: "\"Lê Chân")
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    @Test(arguments: [7, 64, 100, 1000, 4096])
    func strayQuotesReadLikeOneParser(chunkSize: Int) throws {
        let bytes = Self.strayQuoteSample(rows: 400)
        let whole = try Self.read(bytes, chunkSize: 1 << 20, threads: 1)
        let unclosed = whole.rejects.filter { $0.reason == .wrongColumnCount && $0.detail.contains("unclosed quote") }
        #expect(unclosed.count == 3, "\(whole.rejects.map(\.detail))")
        // One stray quote costs one record, never the rows after it (resuming inside another record's
        // quoted cell, the rest of that cell is told by the whole records it would swallow).
        let clean = try Self.read(Self.sample(rows: 400), chunkSize: 1 << 20, threads: 1)
        #expect(whole.summary.totals.rowsAccepted + 6 >= clean.summary.totals.rowsAccepted)
        #expect(whole.summary.totals.rowsRejected > clean.summary.totals.rowsRejected)
        try Self.expectSameInBlocks(as: whole, chunkSize: chunkSize) { try Self.read(bytes, chunkSize: $0, threads: $1) }
    }

    /// The sample with stray quote pairs fewer than 100 lines apart, in one column and across columns, and
    /// on adjacent lines: each pair opens a "cell" holding whole records (issue 10 class 10).
    static func strayPairSample(rows: Int) -> [UInt8] {
        var lines = String(decoding: sample(rows: rows), as: UTF8.self).components(separatedBy: "\n")
        for (open, close) in [(12, 30), (101, 102), (200, 260)] where close < lines.count {
            lines[open] = lines[open].replacingOccurrences(of: "Lê Chân,", with: "\"Lê Chân,")
            lines[close] = lines[close].replacingOccurrences(of: ",energy", with: ",energy\"")
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    @Test(arguments: [7, 64, 100, 1000, 4096])
    func strayQuotePairsReadLikeOneParser(chunkSize: Int) throws {
        let bytes = Self.strayPairSample(rows: 400)
        let whole = try Self.read(bytes, chunkSize: 1 << 20, threads: 1)
        let clean = try Self.read(Self.sample(rows: 400), chunkSize: 1 << 20, threads: 1)
        #expect(whole.summary.totals.rowsRead >= clean.summary.totals.rowsRead, "\(whole.rejects.map(\.detail))")
        #expect(whole.summary.totals.rowsAccepted + 6 >= clean.summary.totals.rowsAccepted, "\(whole.rejects.map(\.detail))")
        #expect(!whole.returns.contains { $0.unitName.contains("energy") }, "a unit name holds whole rows")
        try Self.expectSameInBlocks(as: whole, chunkSize: chunkSize) { try Self.read(bytes, chunkSize: $0, threads: $1) }
    }

    struct ActivityReading: Equatable {
        var activities: [ActivityRecord]
        var superseded: [SupersededActivity]
        var rejects: [Reject]
        var summary: IngestSummary
    }

    static func readActivities(_ bytes: [UInt8], chunkSize: Int, threads: Int) throws -> ActivityReading {
        let result = try ingest(
            returnFiles: [], activityFiles: [InputFile(name: "activities/a.csv", source: .bytes(bytes))],
            vocabularies: Vocabularies(), options: ReadOptions(), chunkSize: chunkSize, threads: threads
        )
        return ActivityReading(activities: result.activities, superseded: result.supersededActivities, rejects: result.rejects, summary: result.summary)
    }

    /// An activity log with quoted titles holding line ends, blank lines, copies, bad kinds, and budgets
    /// the other decimal mark reads differently only from row 150 on (the warning names the first).
    static func activitySample(rows: Int) -> [UInt8] {
        file(header: "activity_id,date,kind,title,partner,budget_million_vnd", rows: rows) { i in
            let title = i % 7 == 0 ? "\"Hội thảo \(i),\nphần \"\"hai\"\"\"" : "Hội thảo \(i % 30)"
            let kind = i % 13 == 0 ? "x" : "training"
            let budget = i >= 150 && i % 4 == 0 ? "1.250" : String(i % 90)
            return "A\(i % 50),2015-0\(i % 9 + 1)-1\(i % 3),\(kind),\(title),Sở \(i % 4),\(budget)"
        }
    }

    @Test(arguments: [7, 64, 100, 1000])
    func activitiesInBlocksOnThreadsReadLikeOneParser(chunkSize: Int) throws {
        let bytes = Self.activitySample(rows: 300)
        let whole = try Self.readActivities(bytes, chunkSize: 1 << 20, threads: 1)
        #expect(!whole.activities.isEmpty && !whole.superseded.isEmpty && !whole.rejects.isEmpty)
        #expect(whole.activities.contains(where: { $0.source.line != $0.source.row }), "the sample must move lines away from rows")
        let warnings = whole.summary.files.flatMap(\.warnings)
        #expect(warnings.count == 1 && warnings.allSatisfy { $0.contains("at row 168 (and ") }, "\(warnings)")
        try Self.expectSameInBlocks(as: whole, chunkSize: chunkSize) { try Self.readActivities(bytes, chunkSize: $0, threads: $1) }
    }
}
