// superseded.csv is written from positions: the stage file read back in input order, each loser's final
// winner looked up by key. Checked against a model that applies the winner rule to every pair of records
// of a key by brute force and writes each row with the general CSV writer: quoting, the formula guard,
// dates, empty submission times, the winner's file:row and the order of the rows.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct SupersededWriterTests {
    static let header = "return_id,unit_id,unit_name,unit_type,district,field,survey_date,technologies_found,technologies_proposed,submitted_at\n"
    static let units = ["hp-1", "-7", "\"A,B\"", "\"Q \"\"x\"\"\"", "@u"]
    static let fields = ["energy", "biotech", "Tự động hóa"]
    static let fieldCodes = ["energy", "biotech", "automation"]

    struct Row {
        var file: String
        var row: Int
        var unit: String
        var date: String
        var field: String
        var submitted: String
    }

    /// Two files, one named so its cells need quotes and the formula guard; unit ids that need quotes or
    /// the formula guard; resubmissions that lose on arrival (an earlier submission time) and that displace
    /// the winner; rows with no submission time.
    static func rows(file: String, seed: Int) -> [Row] {
        (0..<240).map { i in
            Row(file: file, row: i + 2, unit: units[(i * 7 + seed) % units.count], date: "2015-0\(i % 4 + 1)-0\(i % 2 + 1)",
                field: fields[i % 3], submitted: i % 5 == 0 ? "" : "2016-0\((i * 3 + seed) % 9 + 1)-1\(i % 10) 0\(i % 10):1\(i % 6):0\(i % 10)")
        }
    }

    static let files = [("returns/a.csv", rows(file: "returns/a.csv", seed: 1)), ("=b, \"c\".csv", rows(file: "=b, \"c\".csv", seed: 2))]

    static func result() throws -> IngestResult {
        try ingest(
            returnFiles: files.map { name, rows in
                let text = header + rows.enumerated().map { i, r in "R-\(i),\(r.unit),Đơn vị,Viện,Lê Chân,\(r.field),\(r.date),3,1,\(r.submitted)\n" }.joined()
                return InputFile(name: name, source: .bytes(Array(text.utf8)))
            },
            activityFiles: [], vocabularies: Vocabularies(), options: ReadOptions(), chunkSize: 1 << 20, threads: 1
        )
    }

    /// superseded.csv by brute force: a record is superseded when another of its key beats it, and lists
    /// the one that beats every other. Unit ids as ingest normalised them, taken from the winners.
    static func model(_ result: IngestResult) throws -> [UInt8] {
        let all = files.enumerated().flatMap { rank, file in file.1.map { (rank: rank, row: $0) } }
        func claim(_ r: (rank: Int, row: Row)) -> WinnerClaim {
            let parts = r.row.submitted.split(whereSeparator: { " -:".contains($0) }).compactMap { Int($0) }
            let time = parts.count == 6 ? CalendarDate(year: parts[0], month: parts[1], day: parts[2]).map {
                SubmissionTime(date: $0, seconds: parts[3] * 3600 + parts[4] * 60 + parts[5]).packed
            } : nil
            return WinnerClaim(submitted: time ?? -1, place: UInt64(r.rank) << 32 | UInt64(r.row.row))
        }
        func key(_ r: Row) -> String { "\(r.unit)|\(r.date)|\(fieldCodes[fields.firstIndex(of: r.field) ?? 0])" }
        var best: [String: (rank: Int, row: Row)] = [:]
        for r in all {
            if let b = best[key(r.row)], !WinnerRule.beats(claim(r), claim(b)) { continue }
            best[key(r.row)] = r
        }
        let winners = try result.returns
        var w = CSVWriter(byteOrderMark: true, neutralise: true)
        w.writeRow(StageRecords.supersededHeader)
        for r in all {
            guard let b = best[key(r.row)], (b.rank, b.row.row) != (r.rank, r.row.row) else { continue }
            let unit = winners.first { $0.source.file == b.row.file && $0.source.row == b.row.row }?.unitID ?? "?"
            w.text(r.row.file, first: true)
            w.int(r.row.row)
            w.int(r.row.row)
            w.text(unit)
            w.text(r.row.date)
            w.text(fieldCodes[fields.firstIndex(of: r.row.field) ?? 0])
            if r.row.submitted.isEmpty { w.empty() } else { w.text(r.row.submitted) }
            w.text("\(b.row.file):\(b.row.row)")
            w.endRow()
        }
        return w.bytes
    }

    /// On one thread in one batch, and on several threads in batches of a few rows (so batches finish out
    /// of order and each thread spells cells the others spelled too): the same rows, in the same order.
    @Test(arguments: [(1, 1 << 20), (2, 7), (3, 1), (4, 64)])
    func rowsMatchTheBruteForceModel(threads: Int, batchSize: Int) throws {
        let result = try Self.result()
        #expect(result.supersededCount > 300)
        let folder = scratchFolder("superseded")
        defer { removeFolder(folder) }
        try result.writeSupersededUncommitted(to: folder + "/superseded.csv", threads: threads, batchSize: batchSize).commit()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/superseded.csv")))
        let expected = try Self.model(result)
        #expect(written == expected, "written:\n\(String(decoding: written, as: UTF8.self))\nexpected:\n\(String(decoding: expected, as: UTF8.self))")
    }

    @Test func quotedAndGuardedCellsReadBack() throws {
        let result = try Self.result()
        let folder = scratchFolder()
        defer { removeFolder(folder) }
        try result.writeSuperseded(to: folder + "/superseded.csv")
        let rows = try readCSV(folder + "/superseded.csv").dropFirst()
        #expect(rows.count == result.supersededCount)
        #expect(rows.contains { $0[0] == "'=b, \"c\".csv" && $0[7].hasPrefix("'=b, \"c\".csv:") })
        #expect(rows.contains { $0[3] == "'-7" } && rows.contains { $0[3] == "A,B" } && rows.contains { $0[3].hasPrefix("Q \"") })
        #expect(rows.contains { $0[6].isEmpty })
        // Submission times as the files gave them.
        let given = Set(Self.files.flatMap { $0.1.map(\.submitted) })
        #expect(rows.contains { !$0[6].isEmpty } && rows.allSatisfy { given.contains($0[6]) })
    }
}
