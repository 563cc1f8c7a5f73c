// The one record stream: every input file comes through `readInput` in file order, each part named before
// its records, and `RecordMerge` maps every thread's own text numbers onto the run's table and places each
// record at its row and line in the file.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct RecordStreamTests {
    static let header = ["unit_id", "field", "survey_date", "technologies_found", "technologies_proposed"]

    static func record(_ unit: String, found: String = "3", row: Int) -> CSVRecord {
        CSVRecord(fields: [unit, "energy", "2015-01-01", found, "1"], row: row, line: row)
    }

    /// Validates `units` on `validator` as a parsing thread does a block: rows from 1, numbers its own.
    static func block(_ validator: ReturnValidator, _ units: [String], bad: Set<Int> = []) -> (accepted: [ParsedReturn], rejects: [Reject], fresh: [ArraySlice<UInt8>]) {
        var notes = UnknownUnitTypes()
        var accepted: [ParsedReturn] = []
        var rejects: [Reject] = []
        for (i, unit) in units.enumerated() {
            switch validator.validate(record(unit, found: bad.contains(i) ? "x" : "3", row: i + 1), notes: &notes) {
            case .accepted(let r): accepted.append(r)
            case .rejected(let r): rejects.append(r)
            }
        }
        let fresh = validator.number(&accepted)
        return (accepted, rejects, fresh)
    }

    @Test func eachThreadsTextNumbersComeOutInTheRunsTableAtTheRecordsPlace() throws {
        let kind = ReturnInput(vocabularies: Vocabularies())
        let columns = ColumnMap(header: Self.header, matcher: kind.matcher)
        let one = kind.validator(columns: columns, source: "returns/r.csv", delimiter: 0x2C, isWorkbook: false)
        let two = kind.validator(columns: columns, source: "returns/r.csv", delimiter: 0x2C, isWorkbook: false)
        var strings = ByteInterner()
        // The run's table already holds texts of earlier files: no thread's numbers are the run's.
        for earlier in ["EARLIER", "U3"] { _ = strings.id(ArraySlice(earlier.utf8)) }
        var merge = RecordMerge<ReturnValidator>()
        var got: [ParsedReturn] = []
        var rejected: [Reject] = []
        for (validator, worker, units, rowBase, bad) in [(one, 1, ["U1", "U2"], 10, Set<Int>()), (two, 2, ["U2", "U3", "U4", "U1"], 30, [2])] {
            var (accepted, rejects, fresh) = Self.block(validator, units, bad: bad)
            merge.register(fresh, worker: worker, strings: &strings)
            try merge.hand(&accepted, rejects: rejects, blank: 1, worker: worker, rowBase: rowBase, lineBase: rowBase + 100,
                           accept: { got += $0 }, reject: { rejected.append($0) })
        }
        // A later block of worker 1 names a text it numbered in its first block.
        var (later, _, fresh) = Self.block(one, ["U2", "U5"])
        merge.register(fresh, worker: 1, strings: &strings)
        try merge.hand(&later, rejects: [], worker: 1, rowBase: 50, lineBase: 150, accept: { got += $0 }, reject: { rejected.append($0) })

        #expect(got.map { strings.string(Int($0.packed.unitID)) } == ["U1", "U2", "U2", "U3", "U1", "U2", "U5"])
        #expect(got.map(\.packed.row) == [11, 12, 31, 32, 34, 51, 52])
        #expect(got.map(\.packed.line) == [111, 112, 131, 132, 134, 151, 152])
        #expect(rejected.map(\.source) == [SourceRef(file: "returns/r.csv", row: 33, line: 133)])
        // Each distinct text once (the file has no unit_name or district: both are empty); U4's record was
        // rejected before its cells were numbered.
        #expect(strings.strings == ["EARLIER", "U3", "U1", "", "U2", "U5"])
        #expect(merge.counts.read == 8 && merge.counts.accepted == 7 && merge.counts.rejected == 1 && merge.counts.blank == 2)
    }

    @Test func aRecordValidatedOnTheMergingThreadIsPlacedLikeABlocks() throws {
        let kind = ReturnInput(vocabularies: Vocabularies())
        let validator = kind.validator(columns: ColumnMap(header: Self.header, matcher: kind.matcher), source: "returns/r.csv", delimiter: 0x2C, isWorkbook: false)
        var strings = ByteInterner()
        _ = strings.id(ArraySlice("EARLIER".utf8))
        var merge = RecordMerge<ReturnValidator>()
        var got: [ParsedReturn] = []
        var rejected: [Reject] = []
        for (i, unit) in ["U1", "", "U1", "U2"].enumerated() {
            let record = unit.isEmpty ? CSVRecord(fields: [""], row: i + 1, line: i + 1) : Self.record(unit, found: i == 2 ? "-1" : "3", row: i + 1)
            try merge.validate(record, by: validator, rowBase: 4, lineBase: 6, strings: &strings, accept: { got += $0 }, reject: { rejected.append($0) })
        }
        #expect(got.map { strings.string(Int($0.packed.unitID)) } == ["U1", "U2"])
        #expect(got.map(\.packed.row) == [5, 8] && got.map(\.packed.line) == [7, 10])
        #expect(rejected.map(\.source.row) == [7] && rejected.map(\.reason) == [.negativeCount])
        #expect(merge.counts.read == 3 && merge.counts.accepted == 2 && merge.counts.rejected == 1 && merge.counts.blank == 1)
    }

    @Test(arguments: [1, 3])
    func aTextFileIsOneSourceHandedOnInFileOrder(threads: Int) throws {
        var text = Self.header.joined(separator: ",") + "\n"
        for i in 0..<200 { text += "U\(i % 17),energy,2015-01-01,\(i % 11 == 0 ? "x" : "3"),1\n" }
        var strings = ByteInterner()
        var events: [String] = []
        var rows: [Int] = []
        let summary = try readInput(
            InputFile(name: "returns/r.csv", source: .bytes(Array(text.utf8))), kind: ReturnInput(vocabularies: Vocabularies()),
            options: ReadOptions(), chunkSize: 97, threads: threads, strings: &strings,
            startSource: { events.append("start \($0)") },
            accept: { batch in rows += batch.map { Int($0.packed.row) }; if events.last != "accept" { events.append("accept") } },
            reject: { rows.append($0.source.row); #expect($0.source.file == "returns/r.csv") }
        )
        #expect(events.first == "start returns/r.csv" && events.filter { $0.hasPrefix("start") }.count == 1)
        // Rejects go their own way: within the accepted ones and within the rejects, file order.
        let rejectRows = Set((0..<200).filter { $0 % 11 == 0 }.map { $0 + 2 })
        #expect(rows.filter { !rejectRows.contains($0) } == (2...201).filter { !rejectRows.contains($0) })
        #expect(rows.filter { rejectRows.contains($0) } == rejectRows.sorted())
        #expect(summary.kind == "returns" && summary.rowsRead == 200 && summary.rowsRejected == rejectRows.count)
        #expect(strings.count == 18, "17 unit ids and the empty name and district")
    }
}
