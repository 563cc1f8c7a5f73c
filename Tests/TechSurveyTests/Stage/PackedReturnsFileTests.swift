// returns.bin: what is written reads back the same, winners only, in pieces of any size; and a truncated,
// damaged, older or missing file gives one analyst's error — never a crash, never figures from damaged bytes.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct PackedReturnsFileTests {
    static func sample() -> [ReturnRecord] {
        let day = { (text: String) in CalendarDate(parsing: text) ?? CalendarDate.packingFallback }
        return [
            ReturnRecord(source: SourceRef(file: "returns/2015.csv", row: 2, line: 2), returnID: "P-01", unitID: "HP-DN-07",
                         unitName: "Công ty TNHH Đơn vị 07, \"Hải Phòng\"", unitType: .enterprise, district: "Lê Chân",
                         field: .biotech, surveyDate: day("2015-03-31"), found: 12, proposed: 5,
                         submittedAt: SubmissionTime(date: day("2015-04-02"), seconds: 3_723)),
            ReturnRecord(source: SourceRef(file: "returns/2015.csv", row: 3, line: 4), returnID: "", unitID: "HP-VI-01",
                         unitName: "Viện\nmột", unitType: .other, district: "", field: .materials, surveyDate: day("2016-02-29"),
                         found: 0, proposed: 0, submittedAt: nil),
            ReturnRecord(source: SourceRef(file: "returns/2014.csv", row: 1_048_576, line: 2_000_000), returnID: "P-03", unitID: "HP-DN-07",
                         unitName: "", unitType: .agency, district: "LÊ CHÂN", field: .automation, surveyDate: day("2013-12-01"),
                         found: 9_000_000_000, proposed: 8_999_999_999, submittedAt: SubmissionTime(date: day("2014-01-01"), seconds: 86_399)),
        ]
    }

    /// What ingest hands the writer for `records`: text cells numbered in `strings`, files by rank.
    struct Staged {
        var records: [(ParsedReturn, rank: Int32)] = []
        var strings = StringTable()
        var files: [String] = []

        init(_ returns: [ReturnRecord]) {
            for r in returns {
                if files.last != r.source.file { files.append(r.source.file) }
                records.append((ParsedReturn(packed: PackedReturn(
                    file: 0, row: Int32(r.source.row), line: Int32(r.source.line), returnID: -1, unitID: strings.index(r.unitID),
                    unitName: strings.index(r.unitName), district: strings.index(r.district), unitType: UInt8(r.unitType.order),
                    field: UInt8(r.field.order), surveyDate: r.surveyDate.packed, found: Int64(r.found), proposed: Int64(r.proposed),
                    submitted: r.submittedAt?.packed ?? -1
                ), returnID: ReturnIDText(r.returnID)), Int32(files.count - 1)))
            }
        }
    }

    /// Writes `staged` as returns.bin in `dir`, the records at `losers` marked superseded.
    static func written(_ staged: Staged, losers: [UInt32] = [], in dir: String) throws -> String {
        let path = dir + "/returns.bin"
        let writer = try PackedReturnsFile.Writer(path: path)
        for (r, rank) in staged.records { try writer.append(r, file: rank) }
        var bits = OrdinalBits()
        for l in losers { bits.insert(l) }
        var texts = ByteInterner()
        for text in staged.strings.strings { _ = texts.id(ArraySlice(text.utf8)) }
        try writer.finish(strings: texts, files: staged.files, losers: bits)
        try writer.commit()
        return path
    }

    static func written(_ returns: [ReturnRecord], in dir: String) throws -> String {
        try written(Staged(returns), in: dir)
    }

    static func bytes(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
    }

    /// Every winner `forEachChunk` hands out, chunk by chunk.
    static func chunks(_ reader: PackedReturnsFile.Reader) throws -> [[PackedReturn]] {
        var chunks: [[PackedReturn]] = []
        try reader.forEachChunk { chunks.append(Array($0)) }
        return chunks
    }

    /// The error opening and streaming `bytes` as returns.bin gives, or nil when it reads. The threaded
    /// reader, in pieces small enough that every sample is several, must refuse the same bytes alike.
    static func failure(reading bytes: [UInt8], in dir: String) -> TechSurveyError? {
        let path = dir + "/returns.bin"
        writeFile(path, bytes: bytes)
        let scanned = failure { try PackedReturnsFile.Reader(path).scan { _, _, _ in } }
        let threaded = failure { try PackedReturnsFile.Reader(path, pieceBytes: 97).forEachChunk(threads: 2) { _, _ in } }
        #expect(threaded == scanned, "threaded: \(String(describing: threaded)), scan: \(String(describing: scanned))")
        return scanned
    }

    static func failure(_ body: () throws -> Void) -> TechSurveyError? {
        do {
            try body()
            return nil
        } catch let error as TechSurveyError {
            return error
        } catch {
            return TechSurveyError(.usage, "not a TechSurveyError: \(error)")
        }
    }

    /// Every winner `forEachChunk(threads:)` hands out, with the thread numbers that got any.
    static func threadedWinners(_ reader: PackedReturnsFile.Reader, threads: Int) throws -> (records: [PackedReturn], threads: Set<Int>) {
        let lock = NSLock()
        var records: [PackedReturn] = [], numbers = Set<Int>()
        try reader.forEachChunk(threads: threads) { t, chunk in
            lock.lock()
            records += chunk
            numbers.insert(t)
            lock.unlock()
        }
        return (records, numbers)
    }

    @Test func whatIsWrittenReadsBackTheSame() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let reader = try PackedReturnsFile.Reader(try Self.written(Self.sample(), in: dir))
        #expect(try reader.returnRecords() == Self.sample())
        #expect(reader.recordCount == 3 && reader.winnerCount == 3)
    }

    /// Superseded records stay in the file, and every way of reading it skips them.
    @Test(arguments: [[UInt32](), [0], [1], [2], [0, 2], [0, 1, 2]])
    func losersAreSkipped(_ losers: [UInt32]) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let reader = try PackedReturnsFile.Reader(try Self.written(Staged(Self.sample()), losers: losers, in: dir))
        let winners = Self.sample().enumerated().filter { !losers.contains(UInt32($0.offset)) }.map(\.element)
        #expect(try reader.returnRecords() == winners)
        #expect(try Self.chunks(reader).joined().map(\.found) == winners.map { Int64($0.found) })
        #expect(reader.loserCount == losers.count && reader.winnerCount == winners.count)
        var visited: [UInt32] = []
        try reader.scan { ordinal, _, _ in visited.append(ordinal) }
        #expect(visited == [0, 1, 2])
    }

    @Test func noRecordsReadsBackEmpty() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let reader = try PackedReturnsFile.Reader(try Self.written([], in: dir))
        #expect(reader.strings.isEmpty)
        #expect(try Self.chunks(reader).isEmpty)
    }

    /// More records and bytes than one piece or chunk holds, and one return id longer than a piece, so
    /// writes and reads cross piece boundaries, records are cut by them, and chunks are full but the last.
    @Test func manyPiecesReadBackTheSame() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let count = PackedReturnsFile.chunkRecords * 3 + 1_234
        let day = CalendarDate(year: 2015, month: 1, day: 1) ?? CalendarDate.packingFallback
        let records = (0..<count).map { i in
            ReturnRecord(source: SourceRef(file: "returns/big.csv", row: i + 2, line: i + 2),
                         returnID: i == 7 ? String(repeating: "x", count: PackedReturnsFile.pieceBytes + 5) : "P-\(i)-" + String(repeating: "ă", count: i % 97),
                         unitID: "HP-DN-\(i % 1000)", unitName: "", unitType: .agency, district: "", field: Field.allCases[i % 5],
                         surveyDate: day, found: i, proposed: 0, submittedAt: nil)
        }
        let path = try Self.written(records, in: dir)
        #expect(Self.bytes(path).count > 2 * PackedReturnsFile.pieceBytes)
        let reader = try PackedReturnsFile.Reader(path)
        #expect(try reader.returnRecords() == records)
        let chunks = try Self.chunks(reader)
        #expect(chunks.dropLast().allSatisfy { $0.count == PackedReturnsFile.chunkRecords } && chunks.map(\.count).reduce(0, +) == count)
        #expect(chunks.joined().map(\.found) == (0..<count).map(Int64.init))
    }

    /// The threaded reader hands out exactly the winners `forEachChunk` does, each once, whatever the piece
    /// size (a return_id longer than a piece included) and however many threads; chunks come in no order.
    @Test(arguments: [97, 4_096, PackedReturnsFile.parallelPieceBytes], [1, 2, 3])
    func threadedChunksHoldTheSameWinners(_ pieceBytes: Int, threads: Int) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let day = CalendarDate(year: 2015, month: 1, day: 1) ?? CalendarDate.packingFallback
        let records = (0..<30_000).map { i in
            ReturnRecord(source: SourceRef(file: "returns/big.csv", row: i + 2, line: i + 2),
                         returnID: i == 7 ? String(repeating: "x", count: 9_000) : "P-\(i)-" + String(repeating: "ă", count: i % 97),
                         unitID: "HP-DN-\(i % 1000)", unitName: "", unitType: .agency, district: "", field: Field.allCases[i % 5],
                         surveyDate: day, found: i, proposed: 0, submittedAt: nil)
        }
        let losers = stride(from: 5, to: records.count, by: 11).map { UInt32($0) }
        let path = try Self.written(Staged(records), losers: losers, in: dir)
        let reader = try PackedReturnsFile.Reader(path, pieceBytes: pieceBytes)
        let expected = try Self.chunks(reader).joined()
        let got = try Self.threadedWinners(reader, threads: threads)
        #expect(got.records.sorted { $0.row < $1.row } == Array(expected))
        // Which threads got pieces is the scheduler's choice (on a loaded machine one may take them all).
        #expect(got.threads.isSubset(of: Set(0..<threads)))
    }

    @Test func threadedDamageAfterTheFirstPieceThrowsAtTheEnd() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let path = try Self.damagedInItsLastRecord(in: dir)
        let reader = try PackedReturnsFile.Reader(path, pieceBytes: 4_096)
        let seen = NSLock()
        var count = 0
        #expect(throws: TechSurveyError(.data, "\(path) is damaged; run `make clean report` to rebuild the stage folder")) {
            try reader.forEachChunk(threads: 2) { _, chunk in
                seen.lock()
                count += chunk.count
                seen.unlock()
            }
        }
        #expect(count > 0)
    }

    @Test func everyTruncationIsReportedAsDamage() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let whole = Self.bytes(try Self.written(Self.sample(), in: dir))
        for length in 0..<whole.count {
            let error = Self.failure(reading: Array(whole.prefix(length)), in: dir)
            #expect(error?.kind == .data, "cut at \(length) of \(whole.count)")
            #expect(error?.message.hasSuffix("returns.bin is damaged; run `make clean report` to rebuild the stage folder") == true, "\(String(describing: error))")
        }
        #expect(Self.failure(reading: whole + [0], in: dir)?.kind == .data, "a byte too many")
    }

    @Test func everyDamagedByteIsReported() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let whole = Self.bytes(try Self.written(Staged(Self.sample()), losers: [1], in: dir))
        for i in whole.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = whole
                damaged[i] ^= flip
                let error = Self.failure(reading: damaged, in: dir)
                #expect(error?.kind == .data, "byte \(i) ^ \(flip)")
                #expect(error?.message.contains("run `make clean report`") == true)
            }
        }
    }

    /// returns.bin of two chunks' worth of records, the last one's `found` flipped by one bit: still a
    /// valid count, so only the checksum can tell, after every earlier chunk was handed out.
    static func damagedInItsLastRecord(in dir: String) throws -> String {
        let count = PackedReturnsFile.chunkRecords * 2
        let day = CalendarDate(year: 2015, month: 1, day: 1) ?? CalendarDate.packingFallback
        let records = (0..<count).map { i in
            ReturnRecord(source: SourceRef(file: "returns/big.csv", row: i + 2, line: i + 2), returnID: "P", unitID: "HP", unitName: "",
                         unitType: .agency, district: "", field: .energy, surveyDate: day, found: i, proposed: 0, submittedAt: nil)
        }
        let path = try written(records, in: dir)
        var bytes = Self.bytes(path)
        bytes[PackedReturnsFile.headerSize + (count - 1) * (PackedReturnsFile.recordSize + 1) + PackedReturnsFile.Layout.found] ^= 0x01
        writeFile(path, bytes: bytes)
        return path
    }

    /// A damaged record found mid-stream throws after earlier chunks were handed out: the caller must
    /// publish nothing before `forEachChunk` returns (AggregateStageTests checks aggregate does not).
    @Test func damageAfterTheFirstChunkThrowsAtTheEnd() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let path = try Self.damagedInItsLastRecord(in: dir)
        let reader = try PackedReturnsFile.Reader(path)
        var seen = 0
        #expect(throws: TechSurveyError(.data, "\(path) is damaged; run `make clean report` to rebuild the stage folder")) {
            try reader.forEachChunk { seen += $0.count }
        }
        #expect(seen > 0)
    }

    /// Read back from its temporary file before it is published (ingest writes superseded.csv from it),
    /// the file is named in messages by the path it is published at: the temporary name means nothing to
    /// an analyst and is gone by the time they look.
    @Test func aFileReadUnderAnotherNameIsNamedByIt() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let path = try Self.damagedInItsLastRecord(in: dir)
        let shown = dir + "/stage/returns.bin"
        let reader = try PackedReturnsFile.Reader(path, shownAs: shown)
        #expect(reader.shownPath == shown)
        #expect(throws: TechSurveyError(.data, "\(shown) is damaged; run `make clean report` to rebuild the stage folder")) {
            try reader.forEachChunk { _ in }
        }
        // A temporary file that went missing mid-run is no stage to build first: the message says what happened.
        let gone = dir + "/.returns.bin.tmp-gone"
        #expect(throws: TechSurveyError(.ioError, "cannot read \(shown) back while writing it (No such file or directory): its temporary file \(gone) was removed or replaced during the run; run again, with no other program writing to the stage folder")) {
            _ = try PackedReturnsFile.Reader(gone, shownAs: shown)
        }
    }

    /// The same damage under the aggregate stage: it stops with the one line, and no aggregates.json
    /// (not even a partial one) is written: the path checked is the one the stage writes, StageFolder.aggregates.
    @Test func aggregateWritesNothingFromADamagedFile() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let path = try Self.damagedInItsLastRecord(in: dir)
        writeFile(dir + "/activities.csv", String(decoding: StageRecords.activitiesCSV([]), as: UTF8.self))
        #expect(throws: TechSurveyError(.data, "\(path) is damaged; run `make clean report` to rebuild the stage folder")) {
            try runAggregate(stage: StageFolder(dir), period: .all)
        }
        #expect(!FileManager.default.fileExists(atPath: StageFolder(dir).aggregates(.all)))
    }

    /// A flipped high byte in a record's return_id length, in the first of several pieces: the reader used
    /// to grow its buffer to the length claimed (2 GiB here, 400 s and 2.1 GB of memory on a 20 MB stage)
    /// before the checksum said "damaged"; under an address-space limit the aggregate stage then died on
    /// the allocation (exit 134). A length past the bytes left is damage at once.
    @Test func aLengthPastTheFileIsDamageNotAnAllocation() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let day = CalendarDate(year: 2015, month: 1, day: 1) ?? CalendarDate.packingFallback
        let count = PackedReturnsFile.pieceBytes / PackedReturnsFile.recordSize + 1_000
        let records = (0..<count).map { i in
            ReturnRecord(source: SourceRef(file: "returns/big.csv", row: i + 2, line: i + 2), returnID: "P", unitID: "HP", unitName: "",
                         unitType: .agency, district: "", field: .energy, surveyDate: day, found: i, proposed: 0, submittedAt: nil)
        }
        let path = try Self.written(records, in: dir)
        var bytes = Self.bytes(path)
        bytes[PackedReturnsFile.headerSize + PackedReturnsFile.Layout.returnID + 3] = 0x7F
        writeFile(path, bytes: bytes)
        writeFile(dir + "/activities.csv", String(decoding: StageRecords.activitiesCSV([]), as: UTF8.self))
        #expect(Self.failure(reading: bytes, in: dir)?.message == "\(path) is damaged; run `make clean report` to rebuild the stage folder")
        let run = try runProgram("sh", ["-c", "ulimit -v 1000000 && exec \"$0\" --stage \"$1\"", TestPaths.binaries + "/techsurvey-aggregate", dir])
        #expect(run.status == 65, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(run.stderr == "techsurvey-aggregate: \(path) is damaged; run `make clean report` to rebuild the stage folder\n", "stderr: \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: StageFolder(dir).aggregates(.all)))
    }

    /// Values a damaged writer could produce with a checksum that matches: each is caught on its own.
    @Test(arguments: [
        "string index past the table", "negative string index", "unit type code", "field code", "impossible date",
        "negative found", "negative proposed", "negative row", "submission time", "file rank",
    ])
    func outOfRangeValuesAreReportedAsDamage(_ what: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        var staged = Staged(Self.sample())
        switch what {
        case "string index past the table": staged.records[1].0.packed.district = Int32(staged.strings.strings.count)
        case "negative string index": staged.records[0].0.packed.unitName = -1
        case "unit type code": staged.records[2].0.packed.unitType = UInt8(UnitType.allCases.count)
        case "field code": staged.records[0].0.packed.field = 200
        case "impossible date": staged.records[1].0.packed.surveyDate = 2015_02_29
        case "negative found": staged.records[0].0.packed.found = -1
        case "negative proposed": staged.records[0].0.packed.proposed = -3
        case "negative row": staged.records[2].0.packed.row = -2
        case "file rank": staged.records[2].rank = 2
        default: staged.records[0].0.packed.submitted = 5
        }
        let path = try Self.written(staged, in: dir)
        #expect(throws: TechSurveyError(.data, "\(path) is damaged; run `make clean report` to rebuild the stage folder")) {
            try PackedReturnsFile.Reader(path).scan { _, _, _ in }
        }
    }

    @Test func anotherVersionAsksForACleanRebuild() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        var bytes = Self.bytes(try Self.written(Self.sample(), in: dir))
        bytes[8] = 0
        let error = Self.failure(reading: bytes, in: dir)
        #expect(error == TechSurveyError(.data, "\(dir)/returns.bin was written by another version of techsurvey; run `make clean report` to rebuild the stage folder"))
    }

    @Test func aStageOfTheCSVEraAsksForACleanRebuild() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/returns.csv", "file,row,line\n")
        #expect(throws: TechSurveyError(.data, "\(dir) was written by an older version of techsurvey (returns.csv, no returns.bin); run `make clean report` to rebuild the stage folder")) {
            try PackedReturnsFile.Reader(dir + "/returns.bin")
        }
    }

    @Test func aMissingFileIsMissingInput() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        do {
            _ = try PackedReturnsFile.Reader(dir + "/nowhere/returns.bin")
            Issue.record("read a file that is not there")
        } catch {
            #expect(error.kind == .noInput)
            #expect(error.message.contains("run the ingest stage first"))
        }
    }
}
