// Ingest on fixture folders: every reject reason with its spreadsheet row and physical line, resubmissions,
// and the account read = accepted + rejected + superseded.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct IngestTests {
    struct ExpectedReject: Sendable, CustomTestStringConvertible {
        let reason: RejectReason
        let row: Int
        let line: Int
        let detailContains: String
        var testDescription: String { "\(reason.rawValue) at row \(row)" }
    }

    /// The fixture's first record spans two physical lines and a blank line follows its fourth row, so
    /// `line` runs one ahead of `row`.
    static let rejectsFixture: [ExpectedReject] = [
        ExpectedReject(reason: .wrongColumnCount, row: 3, line: 4, detailContains: "found 11 cells, expected 10"),
        ExpectedReject(reason: .missingValue, row: 4, line: 5, detailContains: "unit_id is empty"),
        ExpectedReject(reason: .badField, row: 6, line: 7, detailContains: "did you mean biotech?"),
        ExpectedReject(reason: .badNumber, row: 7, line: 8, detailContains: "'12a'"),
        ExpectedReject(reason: .negativeCount, row: 8, line: 9, detailContains: "'-3'"),
        ExpectedReject(reason: .proposedExceedsFound, row: 9, line: 10, detailContains: "7 but technologies_found is 5"),
        ExpectedReject(reason: .badDate, row: 10, line: 11, detailContains: "'31/02/2015'"),
        ExpectedReject(reason: .badEncoding, row: 11, line: 12, detailContains: "unit_name (column 3)"),
    ]

    @Test(arguments: rejectsFixture)
    func eachReasonIsReportedAtItsRowAndLine(_ expected: ExpectedReject) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let summary = try runIngest(IngestRequest(inputDirectory: TestPaths.fixtures + "/rejects/input", stage: StageFolder(dir)))
        let rows = try readCSV(dir + "/rejects.csv")
        #expect(rows.first == ["file", "row", "line", "reason", "detail", "raw"])
        let match = rows.dropFirst().filter { $0[3] == expected.reason.rawValue }
        #expect(match.count == 1, "one \(expected.reason.rawValue) expected; rejects.csv:\n\(rows)")
        if let row = match.first {
            #expect(row[0] == "returns/returns.csv")
            #expect(row[1] == String(expected.row), "row of \(expected.reason.rawValue)")
            #expect(row[2] == String(expected.line), "line of \(expected.reason.rawValue)")
            #expect(row[4].contains(expected.detailContains), "detail: \(row[4])")
        }
        let file = try #require(summary.files.first)
        #expect(file.rowsRead == 10)
        #expect(file.rowsAccepted == 2)
        #expect(file.rowsRejected == 8)
        #expect(file.blankRows == 1)
        #expect(file.reconciles)
    }

    /// A run whose superseded.csv cannot be written (a folder stands at its name) fails, and publishes no
    /// returns.bin beside the previous run's other stage files: returns.bin is renamed in only once
    /// superseded.csv is whole too (the review: it was renamed in while superseded.csv was being spelled).
    @Test func aSupersededFileThatCannotBeWrittenPublishesNoReturns() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let stage = StageFolder(dir)
        _ = try runIngest(IngestRequest(inputDirectory: TestPaths.bundledInput, stage: stage))
        let before = FileManager.default.contents(atPath: stage.returns)
        try FileManager.default.removeItem(atPath: stage.superseded)
        try FileManager.default.createDirectory(atPath: stage.superseded, withIntermediateDirectories: false)
        // Another input, so a returns.bin published by the failed run would differ.
        #expect(throws: TechSurveyError.self) {
            try runIngest(IngestRequest(inputDirectory: TestPaths.fixtures + "/resubmission/input", stage: stage))
        }
        #expect(before != nil && FileManager.default.contents(atPath: stage.returns) == before)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(AtomicFile.temporaryMarker) }
        #expect(left.isEmpty, "\(left)")
    }

    @Test func laterSubmissionWinsAndTheLoserNamesIt() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let summary = try runIngest(IngestRequest(inputDirectory: TestPaths.fixtures + "/resubmission/input", stage: StageFolder(dir)))
        let superseded = try readCSV(dir + "/superseded.csv").dropFirst()
        let pairs: Set<String> = Set(superseded.map { (row: [String]) -> String in row[0] + ":" + row[1] + " -> " + row[7] })
        let expected: Set<String> = [
            "returns/a-first.csv:2 -> returns/a-first.csv:4",
            "returns/b-second.csv:2 -> returns/a-first.csv:3",
            "returns/a-first.csv:5 -> returns/b-second.csv:3",
        ]
        #expect(pairs == expected)
        let accepted = try PackedReturnsFile.Reader(dir + "/returns.bin").returnRecords()
        #expect(accepted.count == 3)
        let foundTotal = accepted.map(\.found).reduce(0, +)
        #expect(foundTotal == 14, "each return counted once, with the winner's figures (6 + 3 + 5)")
        #expect(summary.totals.rowsRead == 6)
        #expect(summary.totals.rowsSuperseded == 3)
        #expect(summary.files.allSatisfy { $0.reconciles })
    }

    @Test func aFileWithoutARequiredColumnIsRefusedWhole() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/returns/r.csv", "unit_id,field,survey_date,technologies_fund,technologies_proposed\nU1,biotech,2015-01-01,3,1\n")
        #expect {
            try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        } throws: { error in
            guard let e = error as? TechSurveyError else { return false }
            return e.kind == .data && e.message.contains("technologies_found is missing") && e.message.contains("'technologies_fund'")
        }
    }

    @Test func emptyAndHeaderOnlyFilesGetAClearMessage() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/a/returns/r.csv", "")
        writeFile(dir + "/b/returns/r.csv", "unit_id,field,survey_date,technologies_found,technologies_proposed\n")
        writeFile(dir + "/c/returns/r.csv", bytes: [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00])
        for (sub, phrase) in [("a", "empty"), ("b", "header but no records"), ("c", "not a text file")] {
            #expect {
                try runIngest(IngestRequest(inputDirectory: dir + "/" + sub, stage: StageFolder(dir + "/stage")))
            } throws: { error in
                (error as? TechSurveyError)?.message.contains(phrase) == true
            }
        }
    }

    @Test func strictFailsOnAnyRejectAndKeepsTheReasons() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let stage = StageFolder(dir)
        #expect(throws: TechSurveyError.self) {
            try runIngest(IngestRequest(inputDirectory: TestPaths.fixtures + "/rejects/input", stage: stage, strict: true))
        }
        #expect(try readCSV(stage.failedRunRejects).count == 9)
        #expect(!FileManager.default.fileExists(atPath: stage.returns))
    }

    @Test func unknownUnitTypeBecomesOtherWithAWarning() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/returns/r.csv", "unit_id,unit_type,field,survey_date,technologies_found,technologies_proposed\nU1,Hợp tác xã,biotech,2015-01-01,3,1\n")
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        #expect(summary.files[0].warnings.count == 1)
        #expect(summary.files[0].warnings[0].contains("Hợp tác xã"))
        #expect(try PackedReturnsFile.Reader(dir + "/stage/returns.bin").returnRecords().first?.unitType == .other)
    }

    @Test func aNearMissColumnNameIsIgnoredWithADidYouMean() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/returns/r.csv", "unit_id,field,survey_date,technologies_found,technologies_proposed,Ten don vj,Ghi chú\nU1,biotech,2015-01-01,3,1,abc,x\n")
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        let file = try #require(summary.files.first)
        #expect(file.extraColumns == ["Ten don vj", "Ghi chú"])
        #expect(file.warnings == ["column 'Ten don vj' is ignored; did you mean unit_name? Rename it, or add it to aliases.csv as column,Ten don vj,unit_name"])
        #expect(file.rowsAccepted == 1)
    }

    @Test func analystAliasesExtendTheBuiltInOnes() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/aliases.csv", "kind,alias,code\ncolumn,Số CN tìm được,technologies_found\nfield,Công nghệ thông minh,automation\nunit_type,Hợp tác xã,enterprise\n")
        writeFile(dir + "/in/returns/r.csv", "Mã đơn vị,Loại hình,Lĩnh vực,Ngày khảo sát,Số CN tìm được,Số công nghệ đề xuất\nU1,Hợp tác xã,Công nghệ thông minh,2015-01-01,3,1\n")
        _ = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        let record = try #require(try PackedReturnsFile.Reader(dir + "/stage/returns.bin").returnRecords().first)
        #expect(record.field == .automation)
        #expect(record.unitType == .enterprise)
        #expect(record.found == 3)
    }

    // MARK: invisible characters (SPEC §3.3)

    @Test func invisibleCharactersNeverSplitAUnitOrSpoilADateCountOrLabel() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let header = "return_id,unit_id,district,field,survey_date,technologies_found,technologies_proposed,submitted_at\n"
        let rows = [
            "A,HP-01,Lê Chân,biotech,2015-01-02,3,1,2015-02-01\n",
            // The same unit, date and field, written with a zero-width space, a BOM, a no-break space and tabs.
            "B,HP-01\u{200B},Lê\u{00A0}Chân\u{2060},biotech\u{FEFF},2015-01-02\u{00A0},4,\u{200D}2,\t2015-03-01\u{202F}\n",
            "C,\u{FEFF}hp-01 ,Lê Chân\u{200C},Công nghệ\u{00A0}sinh học,\u{200B}02/01/2015,5\u{200B},1,2015-04-01\n",
            "D,HP-02,Lê Chân,energy,2015-01-02,1\u{00A0}234,0,\n",
        ]
        writeFile(dir + "/in/returns/r.csv", header + rows.joined())
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        let records = try PackedReturnsFile.Reader(dir + "/stage/returns.bin").returnRecords()
        let rejects = try readCSV(dir + "/stage/rejects.csv")
        #expect(summary.totals.rowsRejected == 0, "\(rejects)")
        #expect(records.map(\.returnID) == ["C", "D"], "B and C are resubmissions of A: \(records)")
        #expect(records.map(\.unitID) == ["HP-01", "HP-02"])
        #expect(Set(records.map(\.district)) == ["Lê Chân"])
        #expect(records.first?.found == 5)
        #expect(records.last?.found == 1234)
        #expect(summary.totals.rowsSuperseded == 2)
    }

    // MARK: counts too large for a cell (issue 11)

    @Test func aThirteenDigitCountIsTooLargeNotGarbage() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/returns/r.csv", "unit_id,field,survey_date,technologies_found,technologies_proposed\nU1,biotech,2015-01-01,3,1\nU2,biotech,2015-01-01,9999999999999,1\nU3,biotech,2015-01-01,1000000000,1\n")
        _ = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        let rejects = try readCSV(dir + "/stage/rejects.csv").dropFirst()
        #expect(rejects.count == 2)
        for reject in rejects {
            #expect(reject[3] == "bad_number")
            #expect(reject[4].contains("too large: at most 999,999,999"), "\(reject[4])")
            #expect(!reject[4].contains("not a whole number"))
        }
    }

    // MARK: messages (issue 11)

    @Test func noUsableRecordCountsReturnsNotActivities() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/returns/r.csv", "unit_id,field,survey_date,technologies_found,technologies_proposed\nU1,nonsense,2015-01-01,3,1\nU2,biotech,2015-01-01,x,1\n")
        try FileManager.default.copyItem(atPath: TestPaths.bundledInput + "/activities", toPath: dir + "/in/activities")
        #expect {
            try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        } throws: { error in
            let message = (error as? TechSurveyError)?.message ?? ""
            return message.contains("all 2 records were rejected") && message.contains("returns/r.csv row 2")
        }
    }

    @Test func aNamedEncodingLeavesTheValidUTF8FilesAlone() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        // Returns in Windows-1258 ("Lê Chân": 0xEA is "ê", 0xC2 "Â"), activities in UTF-8 with Vietnamese text.
        let returns = Array("unit_id,district,field,survey_date,technologies_found,technologies_proposed\nU1,L".utf8) + [0xEA, 0x20, 0x43, 0x68, 0xE2, 0x6E] + Array(",biotech,2015-01-01,3,1\n".utf8)
        writeFile(dir + "/in/returns/r.csv", bytes: returns)
        writeFile(dir + "/in/activities/a.csv", "date,kind,title,partner\n2015-01-01,Triển lãm,Triển lãm công nghệ,Viện Hàn lâm\n")
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage"), readOptions: ReadOptions(encoding: .windows1258)))
        let returnsFile = try #require(summary.files.first { $0.kind == "returns" })
        let activitiesFile = try #require(summary.files.first { $0.kind == "activities" })
        #expect(returnsFile.encoding == "windows-1258" && returnsFile.encodingSource == "option")
        #expect(activitiesFile.encoding == "utf-8" && activitiesFile.encodingSource == "detected, option not applied")
        let activities = try StageRecords.readActivities(dir + "/stage/activities.csv")
        #expect(activities.first?.title == "Triển lãm công nghệ")
        #expect(try PackedReturnsFile.Reader(dir + "/stage/returns.bin").returnRecords().first?.district == "Lê Chân")
    }

    @Test(arguments: [true, false])
    func utf16WithoutAByteOrderMarkGetsAHint(littleEndian: Bool) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let text = "unit_id\tfield\tsurvey_date\ttechnologies_found\ttechnologies_proposed\nU1\tbiotech\t2015-01-01\t3\t1\n"
        let bytes = text.utf16.flatMap { littleEndian ? [UInt8($0 & 0xFF), UInt8($0 >> 8)] : [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        writeFile(dir + "/in/returns/r.txt", bytes: bytes)
        let expected = littleEndian ? "ENCODING=utf-16le" : "ENCODING=utf-16be"
        #expect {
            try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        } throws: { error in
            let message = (error as? TechSurveyError)?.message ?? ""
            return message.contains("UTF-16") && message.contains(expected) && !message.contains("not a text file")
        }
        // And named, it reads.
        let encoding: TextEncoding = littleEndian ? .utf16LE : .utf16BE
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage"), readOptions: ReadOptions(encoding: encoding)))
        #expect(summary.totals.rowsAccepted == 1)
    }

    // MARK: the whole file decides (SPEC §3.3)

    /// A header, `asciiRows` plain rows (well over a MiB), then `tail`.
    static func longFile(asciiRows: Int, tail: [UInt8]) -> [UInt8] {
        var text = "unit_id,district,field,survey_date,technologies_found,technologies_proposed\n"
        for i in 0..<asciiRows { text += "U\(i),Le Chan,biotech,2015-01-01,1,0\n" }
        return Array(text.utf8) + tail
    }

    @Test func aWindows1258FileWhoseFirstMiBIsASCIIKeepsItsLaterVietnameseRows() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        // "Lê Chân" and "Hải An" in Windows-1258, after 1.3 MiB of ASCII.
        var tail: [UInt8] = []
        for i in 0..<50 {
            tail += Array("V\(i),L".utf8) + [0xEA, 0x20, 0x43, 0x68, 0xE2, 0x6E] + Array(",biotech,2015-01-01,1,0\n".utf8)
            tail += Array("W\(i),Ha".utf8) + [0xD2, 0x69, 0x20, 0x41, 0x6E] + Array(",energy,2015-01-01,1,0\n".utf8)
        }
        let bytes = Self.longFile(asciiRows: 40_000, tail: tail)
        #expect(bytes.count > 1 << 20 + 200_000)
        writeFile(dir + "/in/returns/r.csv", bytes: bytes)
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        #expect(summary.files[0].encoding == "windows-1258")
        #expect(summary.totals.rowsRejected == 0)
        #expect(summary.totals.rowsAccepted == 40_100)
        let districts = Set(try PackedReturnsFile.Reader(dir + "/stage/returns.bin").returnRecords().map(\.district))
        #expect(districts == ["Le Chan", "Lê Chân", "Hải An"])
    }

    /// A file that is valid UTF-8 but for a U+FFFD and an overlong form in one cell each: its records skip
    /// the per-record check only when the whole file is clean, so these two are still caught.
    @Test func aReplacementCharacterOrOverlongFormInValidUTF8IsBadEncoding() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        var tail = Array("X1,Lê \u{FFFD}Chân,biotech,2015-01-01,1,0\nX2,Le ".utf8)
        tail += [0xE0, 0x80, 0xAF] + Array("Chan,biotech,2015-01-01,1,0\nX3,Hải An,biotech,2015-01-01,1,0\n".utf8)
        writeFile(dir + "/in/returns/r.csv", bytes: Self.longFile(asciiRows: 40_000, tail: tail))
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        #expect(summary.files[0].encoding == "utf-8")
        #expect(summary.totals.rowsAccepted == 40_001)
        let rejects = try readCSV(dir + "/stage/rejects.csv").dropFirst()
        #expect(rejects.map { [$0[1], $0[3]] } == [["40002", "bad_encoding"], ["40003", "bad_encoding"]], "\(rejects)")
    }

    @Test func aNULAnywhereMakesItsRecordBadEncoding() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let tail = Array("X1,Le\u{0}Chan,biotech,2015-01-01,1,0\nX2,Le Chan,biotech,2015-01-01,1,0\n".utf8)
        writeFile(dir + "/in/returns/r.csv", bytes: Self.longFile(asciiRows: 40_000, tail: tail))
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        #expect(summary.totals.rowsAccepted == 40_001)
        let rejects = try readCSV(dir + "/stage/rejects.csv").dropFirst()
        #expect(rejects.count == 1)
        let reject = try #require(rejects.first)
        #expect(reject[1] == "40002")
        #expect(reject[3] == "bad_encoding")
        #expect(reject[4].contains("district (column 2)") && reject[4].contains("NUL"), "\(reject[4])")
        #expect(reject[5] == "X1,Le\\0Chan,biotech,2015-01-01,1,0", "\(reject[5])")
        let stageBytes = try #require(FileManager.default.contents(atPath: dir + "/stage/rejects.csv"))
        #expect(!stageBytes.contains(0))
    }
}
