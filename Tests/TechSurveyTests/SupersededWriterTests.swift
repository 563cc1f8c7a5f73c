// superseded.csv is written by a fast path that encodes each repeating cell once and formats runs of rows
// on several threads. It must give, byte for byte, what the general CSV writer gives row by row: quoting,
// the formula guard, dates, empty submission times, and the order of the rows.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct SupersededWriterTests {
    static let header = "return_id,unit_id,unit_name,unit_type,district,field,survey_date,technologies_found,technologies_proposed,submitted_at\n"

    /// Two files, one named so its cells need quotes and the formula guard; unit ids that need quotes or the formula guard; resubmissions that lose on arrival
    /// (an earlier submission time) and that displace the winner; rows with no submission time.
    static func result() throws -> IngestResult {
        let units = ["hp-1", "-7", "\"A,B\"", "\"Q \"\"x\"\"\"", "@u"]
        func rows(_ seed: Int) -> String {
            var text = header
            for i in 0..<240 {
                let unit = units[(i * 7 + seed) % units.count]
                let submitted = i % 5 == 0 ? "" : "2016-0\((i * 3 + seed) % 9 + 1)-1\(i % 10) 0\(i % 10):1\(i % 6):0\(i % 10)"
                text += "R\(seed)-\(i),\(unit),Đơn vị,Viện,Lê Chân,\(["energy", "biotech", "Tự động hóa"][i % 3]),2015-0\(i % 4 + 1)-0\(i % 2 + 1),3,1,\(submitted)\n"
            }
            return text
        }
        return try ingest(
            returnFiles: [
                InputFile(name: "returns/a.csv", source: .bytes(Array(rows(1).utf8))),
                InputFile(name: "=b, \"c\".csv", source: .bytes(Array(rows(2).utf8))),
            ],
            activityFiles: [], vocabularies: Vocabularies(), options: ReadOptions(), chunkSize: 1 << 20, threads: 1
        )
    }

    /// What the general writer gives for the same losers, in the same order.
    static func reference(_ result: IngestResult) -> [UInt8] {
        var w = CSVWriter(byteOrderMark: true, neutralise: true)
        w.writeRow(StageRecords.supersededHeader)
        let resubmissions = result.resubmissions
        let list = resubmissions.superseded()
        list.forEach(in: SupersededList.Run(arrival: 0, displaced: 0, count: list.count)) { loser in
            let winner = resubmissions.winner(loser.slot)
            // One cell at a time through the general writer, as superseded.csv was written before the fast path.
            w.text(resubmissions.files[Int(loser.file)], first: true)
            w.int(Int(loser.row))
            w.int(Int(loser.line))
            w.text(result.strings[Int(winner.unitID)])
            w.date(winner.date)
            w.text(Field.allCases[Int(winner.field)].rawValue)
            if let t = SubmissionTime(packed: loser.submitted) { w.date(t.date, seconds: t.seconds) } else { w.empty() }
            w.text(SourceRef(file: resubmissions.files[Int(winner.file)], row: Int(winner.row), line: 0).description)
            w.endRow()
        }
        return w.bytes
    }

    @Test(arguments: [1, 2, 3])
    func fastRowsMatchTheGeneralWriter(threads: Int) throws {
        let result = try Self.result()
        #expect(result.supersededCount > 300)
        let expected = Self.reference(result)
        let folder = scratchFolder("superseded-\(threads)")
        defer { removeFolder(folder) }
        for runSize in [1, 7, 100_000] {
            let path = folder + "/superseded-\(runSize).csv"
            try result.writeSuperseded(to: path, threads: threads, runSize: runSize)
            let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(written == expected, "runs of \(runSize) on \(threads) threads")
        }
    }

    @Test func quotedAndGuardedCellsReadBack() throws {
        let result = try Self.result()
        let folder = scratchFolder()
        defer { removeFolder(folder) }
        try result.writeSuperseded(to: folder + "/superseded.csv", threads: 2, runSize: 5)
        let rows = try readCSV(folder + "/superseded.csv").dropFirst()
        #expect(rows.count == result.supersededCount)
        #expect(rows.contains { $0[0] == "'=b, \"c\".csv" && $0[7].hasPrefix("'=b, \"c\".csv:") })
        #expect(rows.contains { $0[3] == "'-7" } && rows.contains { $0[3] == "A,B" } && rows.contains { $0[3] == "Q \"X\"" })
        #expect(rows.contains { $0[6].isEmpty } && rows.contains { $0[6] == "2016-01-10 00:10:00" || $0[6].count == 19 })
    }
}

@Suite struct LoserOrderTests {
    /// The radix sort behind superseded.csv's order gives what a comparison sort gives, with several
    /// files, rows far apart and rows that share low bytes.
    @Test func radixOrderMatchesComparisonSort() {
        var rng = SeededGenerator(state: 3)
        for size in [0, 1, 2, 255, 256, 1000, 70_000] {
            let losers = (0..<size).map { i in
                Resubmissions.Loser(
                    slot: Int32(i), file: Int32.random(in: 0..<3, using: &rng),
                    row: Int32.random(in: 0..<(i % 2 == 0 ? 300 : 9_000_000), using: &rng), line: 0, submitted: -1
                )
            }
            let expected = losers.sorted { ($0.position, $0.slot) < ($1.position, $1.slot) }
            #expect(sortedByPosition(losers).map(\.slot) == expected.map(\.slot), "\(size) losers")
        }
    }
}
