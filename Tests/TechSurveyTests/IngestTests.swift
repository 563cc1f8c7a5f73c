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
        let accepted = try PackedReturnsFile.read(dir + "/returns.bin").returnRecords
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
        #expect(try PackedReturnsFile.read(dir + "/stage/returns.bin").returnRecords.first?.unitType == .other)
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
        let record = try #require(try PackedReturnsFile.read(dir + "/stage/returns.bin").returnRecords.first)
        #expect(record.field == .automation)
        #expect(record.unitType == .enterprise)
        #expect(record.found == 3)
    }
}
