// returns.bin: what is written reads back the same, and a truncated, damaged, older or missing file gives
// one analyst's error — never a crash, never figures from damaged bytes.

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

    static func written(_ packed: PackedReturns, in dir: String) throws -> String {
        let path = dir + "/returns.bin"
        try PackedReturnsFile.write(packed, to: path)
        return path
    }

    static func bytes(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
    }

    /// The error reading `bytes` as returns.bin gives, or nil when it reads.
    static func failure(reading bytes: [UInt8], in dir: String) -> TechSurveyError? {
        let path = dir + "/returns.bin"
        writeFile(path, bytes: bytes)
        do {
            _ = try PackedReturnsFile.read(path)
            return nil
        } catch {
            return error
        }
    }

    @Test func whatIsWrittenReadsBackTheSame() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let packed = PackedReturns(Self.sample())
        let read = try PackedReturnsFile.read(try Self.written(packed, in: dir))
        #expect(read.strings == packed.strings)
        #expect(read.records == packed.records)
        #expect(read.returnRecords == Self.sample())
    }

    @Test func noRecordsReadsBackEmpty() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let read = try PackedReturnsFile.read(try Self.written(PackedReturns([]), in: dir))
        #expect(read.strings.isEmpty)
        #expect(read.records.isEmpty)
    }

    /// More records and string bytes than one piece holds, so writes and reads cross piece boundaries.
    @Test func manyPiecesReadBackTheSame() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let count = PackedReturnsFile.recordsPerPiece + 1_234
        let strings = ["returns/big.csv", ""] + (0..<count).map { "HP-DN-\($0)-" + String(repeating: "ă", count: 32) }
        let records = (0..<count).map { (i: Int) -> PackedReturn in
            let n = Int32(i)
            let code = UInt8(i % 5)
            return PackedReturn(file: 0, row: n + 2, line: n + 2, returnID: 1, unitID: n + 2, unitName: 1, district: 1,
                                unitType: code, field: code, surveyDate: 2015_01_01 + n % 28, found: Int64(i), proposed: 0, submitted: -1)
        }
        let packed = PackedReturns(strings: strings, records: records)
        let path = try Self.written(packed, in: dir)
        #expect(Self.bytes(path).count > PackedReturnsFile.pieceBytes + PackedReturnsFile.recordsPerPiece * PackedReturnsFile.recordSize)
        let read = try PackedReturnsFile.read(path)
        #expect(read.strings == strings)
        #expect(read.records == records)
    }

    @Test func everyTruncationIsReportedAsDamage() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let whole = Self.bytes(try Self.written(PackedReturns(Self.sample()), in: dir))
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
        let whole = Self.bytes(try Self.written(PackedReturns(Self.sample()), in: dir))
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

    /// Values a damaged writer could produce with a checksum that matches: each is caught on its own.
    @Test(arguments: [
        "string index past the table", "negative string index", "unit type code", "field code", "impossible date",
        "negative found", "negative proposed", "negative row", "submission time",
    ])
    func outOfRangeValuesAreReportedAsDamage(_ what: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        var packed = PackedReturns(Self.sample())
        switch what {
        case "string index past the table": packed.records[1].district = Int32(packed.strings.count)
        case "negative string index": packed.records[0].unitName = -1
        case "unit type code": packed.records[2].unitType = UInt8(UnitType.allCases.count)
        case "field code": packed.records[0].field = 200
        case "impossible date": packed.records[1].surveyDate = 2015_02_29
        case "negative found": packed.records[0].found = -1
        case "negative proposed": packed.records[0].proposed = -3
        case "negative row": packed.records[2].row = -2
        default: packed.records[0].submitted = 5
        }
        let path = try Self.written(packed, in: dir)
        #expect(throws: TechSurveyError(.data, "\(path) is damaged; run `make clean report` to rebuild the stage folder")) {
            try PackedReturnsFile.read(path)
        }
    }

    @Test func anotherVersionAsksForACleanRebuild() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        var bytes = Self.bytes(try Self.written(PackedReturns(Self.sample()), in: dir))
        bytes[8] = 0
        let error = Self.failure(reading: bytes, in: dir)
        #expect(error == TechSurveyError(.data, "\(dir)/returns.bin was written by another version of techsurvey; run `make clean report` to rebuild the stage folder"))
    }

    @Test func aStageOfTheCSVEraAsksForACleanRebuild() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/returns.csv", "file,row,line\n")
        #expect(throws: TechSurveyError(.data, "\(dir) was written by an older version of techsurvey (returns.csv, no returns.bin); run `make clean report` to rebuild the stage folder")) {
            try PackedReturnsFile.read(dir + "/returns.bin")
        }
    }

    @Test func aMissingFileIsMissingInput() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        do {
            _ = try PackedReturnsFile.read(dir + "/nowhere/returns.bin")
            Issue.record("read a file that is not there")
        } catch {
            #expect(error.kind == .noInput)
            #expect(error.message.contains("run the ingest stage first"))
        }
    }

    @Test func theChecksumDoesNotDependOnHowBytesArrive() {
        let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        var whole = StageChecksum()
        whole.add(bytes)
        for piece in [1, 3, 7, 8, 9, 64, 999] {
            var pieces = StageChecksum()
            var start = 0
            while start < bytes.count {
                pieces.add(Array(bytes[start..<min(start + piece, bytes.count)]))
                start += piece
            }
            #expect(pieces.value == whole.value, "pieces of \(piece)")
        }
        var shorter = StageChecksum()
        shorter.add(Array(bytes.dropLast()) + [0])
        #expect(shorter.value != whole.value)
    }
}
