// The winner of a resubmitted return (SPEC §3.4) is one total order — submitted_at (a record without one
// ranks below every record with one), then the later file, then the later row — so the same records give
// the same winner however their rows and files are ordered.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct ResubmissionsTests {
    static let header = "return_id,unit_id,field,survey_date,technologies_found,technologies_proposed,submitted_at\n"
    /// Three returns of one key: submitted 10/01, without a time, submitted 05/01.
    static let rows = [
        "R-10,HP-01,biotech,2015-01-02,10,1,10/01/2015\n",
        "R-none,HP-01,biotech,2015-01-02,20,2,\n",
        "R-05,HP-01,biotech,2015-01-02,5,0,05/01/2015 08:30\n",
    ]

    static func permutations<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { i -> [[T]] in
            var rest = items
            let head = rest.remove(at: i)
            return permutations(rest).map { [head] + $0 }
        }
    }

    static func winner(_ files: [(name: String, rows: [String])]) throws -> (id: String, superseded: Int, result: IngestResult) {
        let inputs = files.map { InputFile(name: $0.name, source: .bytes(Array((header + $0.rows.joined()).utf8))) }
        let result = try ingest(returnFiles: inputs, activityFiles: [], vocabularies: Vocabularies(), options: ReadOptions())
        #expect(result.summary.files.allSatisfy { $0.reconciles })
        return (try result.returns.map(\.returnID).joined(separator: "+"), result.supersededCount, result)
    }

    @Test func everyOrderOfRowsInOneFileGivesTheSameWinner() throws {
        for order in Self.permutations(Self.rows) {
            let (id, superseded, _) = try Self.winner([("returns/r.csv", order)])
            #expect(id == "R-10", "rows in order \(order.map { $0.prefix(6) })")
            #expect(superseded == 2)
        }
    }

    @Test func everyOrderOfFilesGivesTheSameWinner() throws {
        for order in Self.permutations(Self.rows) {
            let files = order.enumerated().map { (name: "returns/f\($0.offset).csv", rows: [$0.element]) }
            let (id, superseded, _) = try Self.winner(files)
            #expect(id == "R-10", "files in order \(order.map { $0.prefix(6) })")
            #expect(superseded == 2)
        }
        // Two in one file, one in another, every way round.
        for order in Self.permutations(Self.rows) {
            let (id, _, _) = try Self.winner([("returns/a.csv", Array(order.prefix(2))), ("returns/b.csv", [order[2]])])
            #expect(id == "R-10", "split \(order.map { $0.prefix(6) })")
        }
    }

    @Test func withoutAnyTimeTheLaterFileThenTheLaterRowWins() throws {
        let a = "A,HP-01,biotech,2015-01-02,1,0,\n", b = "B,HP-01,biotech,2015-01-02,2,0,\n", c = "C,HP-01,biotech,2015-01-02,3,0,\n"
        #expect(try Self.winner([("returns/a.csv", [a, b]), ("returns/b.csv", [c])]).id == "C")
        #expect(try Self.winner([("returns/a.csv", [c]), ("returns/b.csv", [b, a])]).id == "A")
    }

    @Test func aTimeOutranksNoTimeWhereverItStands() throws {
        let timed = "T,HP-01,biotech,2015-01-02,1,0,2015-01-01\n", untimed = "U,HP-01,biotech,2015-01-02,2,0,\n"
        #expect(try Self.winner([("returns/a.csv", [timed]), ("returns/b.csv", [untimed])]).id == "T")
        #expect(try Self.winner([("returns/a.csv", [untimed]), ("returns/b.csv", [timed])]).id == "T")
    }

    /// superseded.csv names the winner by the row its file gives it, with rejected and blank rows before
    /// it, in a later file and on one thread or two (rows are kept as runs of consecutive rows).
    @Test(arguments: [1, 2])
    func theWinnersRowCountsRejectedAndBlankRows(threads: Int) throws {
        let first = "A,HP-01,biotech,2015-01-02,1,0,2015-01-03\nX,HP-01,biotech,not a date,1,0,\n\nB,HP-02,energy,2015-01-02,1,0,\n"
            + "C,HP-01,biotech,2015-01-02,2,0,2015-01-05\nD,HP-02,energy,2015-01-02,1,0,\n"
        let second = "Y,HP-03,energy,bad,1,0,\nE,HP-03,energy,2015-01-02,1,0,\nF,HP-03,energy,2015-01-02,1,0,\n"
        let inputs = [("returns/a.csv", first), ("returns/b.csv", second)].map { InputFile(name: $0.0, source: .bytes(Array((Self.header + $0.1).utf8))) }
        let result = try ingest(returnFiles: inputs, activityFiles: [], vocabularies: Vocabularies(), options: ReadOptions(), chunkSize: 64, threads: threads)
        let winners = try result.returns
        #expect(winners.map(\.returnID) == ["C", "D", "F"])
        let path = NSTemporaryDirectory() + "/techsurvey-resubmissions-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try result.writeSuperseded(to: path)
        let cells = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\r\n").dropFirst().map { $0.split(separator: ",").last.map(String.init) ?? "" }
        #expect(cells == winners.map { "\($0.source.file):\($0.source.row)" }, "A, B and E lose to C, D and F")
    }
}
