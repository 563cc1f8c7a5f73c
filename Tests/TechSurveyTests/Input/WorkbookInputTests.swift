// Workbooks through the whole pipeline (SPEC §3.5, issue 12 acceptance lines 1, 2 and 5): a workbook gives
// the same tables as the same records in CSV, its rejects and superseded rows name `file#sheet` and the
// Excel row, and the manifest names every sheet not read with the reason.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct WorkbookInputTests {
    static var fixtures: String { TestPaths.fixtures + "/workbooks" }
    static let tables = ["by_field.csv", "by_period.csv", "by_unit_type.csv", "by_district.csv", "activities_by_kind.csv", "activities_by_country.csv"]

    /// An input folder holding `returns` (fixture names → names in returns/), run through the pipeline.
    static func report(_ dir: String, _ name: String, returns: [(String, String)]) throws -> String {
        let input = dir + "/" + name
        try FileManager.default.createDirectory(atPath: input + "/returns", withIntermediateDirectories: true)
        for (from, to) in returns {
            try FileManager.default.copyItem(atPath: from, toPath: input + "/returns/" + to)
        }
        let run = try runPipeline(input: input, output: dir + "/out-" + name, stage: dir + "/stage-" + name)
        #expect(run.status == 0, "\(run.stderr)")
        return dir + "/out-" + name
    }

    static func sameTables(_ a: String, _ b: String) {
        for table in tables {
            let x = readText(a + "/tables/" + table), y = readText(b + "/tables/" + table)
            #expect(!x.isEmpty)
            #expect(x == y, "\(table) differs:\n\(x)\n---\n\(y)")
        }
    }

    @Test(arguments: ["acceptance.xlsx", "acceptance-1904.xlsx"])
    func aWorkbookGivesTheSameTablesAsTheSameRecordsInCSV(_ workbook: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let fromWorkbook = try Self.report(dir, "xlsx", returns: [(Self.fixtures + "/" + workbook, "2015.xlsx")])
        let fromCSV = try Self.report(dir, "csv", returns: [(Self.fixtures + "/acceptance.csv", "2015.csv")])
        Self.sameTables(fromWorkbook, fromCSV)

        // Rejects: the same reasons, at the Excel rows, naming the workbook and the sheet.
        let rejects = try readCSV(fromWorkbook + "/rejects.csv").dropFirst().map { [$0[0], $0[1], $0[2], $0[3]] }
        let sheet = "returns/2015.xlsx#Phiếu 2015"
        #expect(rejects == [
            [sheet, "10", "10", "bad_number"],
            [sheet, "11", "11", "missing_value"],
            [sheet, "12", "12", "bad_number"],
            [sheet, "14", "14", "missing_value"],
        ], "\(rejects)")
        let csvReasons = try readCSV(fromCSV + "/rejects.csv").dropFirst().map { [$0[1], $0[3]] }
        #expect(csvReasons == rejects.map { [$0[1], $0[3]] }, "the CSV twin keeps the sheet's rows")
        let details = try readCSV(fromWorkbook + "/rejects.csv").dropFirst().map { $0[4] }
        #expect(details[0].contains("#N/A") && details[0].contains("H10"), "\(details[0])")
        #expect(details[1].contains("not recalculated") && details[1].contains("open and save it in Excel"), "\(details[1])")
        #expect(details[2].contains("2.5") && details[2].contains("whole number"), "\(details[2])")

        // The resubmission on the second sheet supersedes the first sheet's row 5.
        let superseded = try readCSV(fromWorkbook + "/superseded.csv").dropFirst()
        #expect(superseded.map { [$0[0], $0[1], $0[7]] } == [[sheet, "5", "returns/2015.xlsx#Phiếu bổ sung:2"]], "\(Array(superseded))")

        // The manifest: the workbook's fingerprint, its sheets in order, and why the others were not read.
        let manifest = try JSONDecoder().decode(Manifest.self, from: FileManager.default.contents(atPath: fromWorkbook + "/manifest.json") ?? Data())
        let file = try #require(manifest.files.first)
        #expect(file.file == "returns/2015.xlsx")
        var hasher = SHA256Hasher()
        hasher.update(Array(FileManager.default.contents(atPath: Self.fixtures + "/" + workbook) ?? Data()))
        #expect(file.sha256 == hasher.finalizeHex())
        #expect(file.titleRows == 3)
        #expect(file.rowsRead == 12 && file.rowsRejected == 4 && file.rowsSuperseded == 1 && file.rowsAccepted == 7, "\(file)")
        let sheets = try #require(file.sheets)
        #expect(sheets.map(\.name) == ["Hướng dẫn", "Phiếu 2015", "Ẩn", "Phiếu bổ sung", "Danh mục"])
        #expect(sheets.map(\.read) == [false, true, false, true, false])
        #expect(sheets[2].reason?.contains("hidden") == true)
        #expect(sheets[0].reason?.contains("required columns") == true)
        #expect(sheets[4].reason?.contains("required columns") == true)
        #expect(sheets[1].rowsRead == 10 && sheets[1].blankRows == 1 && sheets[1].titleRows == 3)
        #expect(sheets[3].rowsRead == 2 && sheets[3].titleRows == 0)
        for name in ["Hướng dẫn", "Ẩn", "Danh mục"] {
            #expect(file.warnings.contains { $0.contains("'\(name)' is not read") }, "\(file.warnings)")
        }
        #expect(readText(fromWorkbook + "/report.md").contains("'Ẩn' is not read"))
        #expect(manifest.reconciles)
    }

    @Test func traceNamesTheWorkbookTheSheetAndTheExcelRow() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        _ = try Self.report(dir, "xlsx", returns: [(Self.fixtures + "/acceptance.xlsx", "2015.xlsx")])
        let run = try runTool("techsurvey-trace", ["--stage", dir + "/stage-xlsx", "--table", "by_field", "--row", "biotech",
                                                   "--measure", "technologies_found", "--period", ""])
        #expect(run.status == 0, "\(run.stderr)")
        // Biotech: P-01b on the second sheet (it superseded row 5 of the first) and P-10 on row 15.
        #expect(run.stdout.contains("returns/2015.xlsx#Phiếu bổ sung:2"), "\(run.stdout)")
        #expect(run.stdout.contains("returns/2015.xlsx#Phiếu 2015:15"), "\(run.stdout)")
        #expect(!run.stdout.contains("Phiếu 2015:5\t"), "\(run.stdout)")
    }

    @Test func theSameReturnsExportedByLibreOfficeReadTheSame() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let fromWorkbook = try Self.report(dir, "xlsx", returns: [(Self.fixtures + "/libreoffice.xlsx", "2015.xlsx")])
        let fromCSV = try Self.report(dir, "csv", returns: [(TestPaths.fixtures + "/bundled/returns-2015.csv", "2015.csv")])
        Self.sameTables(fromWorkbook, fromCSV)
        let manifest = try JSONDecoder().decode(Manifest.self, from: FileManager.default.contents(atPath: fromWorkbook + "/manifest.json") ?? Data())
        #expect(manifest.rowsAccepted == 24 && manifest.rowsRejected == 0, "\(manifest.files)")
    }

    @Test func theBundledWorkbookGivesTheTablesOfTheCSVItWasMadeFrom() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let bundled = TestPaths.bundledInput + "/returns/"
        let older = [(bundled + "returns-2013.csv", "returns-2013.csv"), (bundled + "returns-2014.csv", "returns-2014.csv")]
        let fromWorkbook = try Self.report(dir, "xlsx", returns: older + [(bundled + "returns-2015.xlsx", "returns-2015.xlsx")])
        let fromCSV = try Self.report(dir, "csv", returns: older + [(TestPaths.fixtures + "/bundled/returns-2015.csv", "returns-2015.csv")])
        Self.sameTables(fromWorkbook, fromCSV)
        #expect(readText(fromWorkbook + "/tables/by_field.csv").contains("total,66,45,209,126,"))
    }

    @Test func aWorkbookWithNoReadableSheetStopsTheRunNamingItsSheets() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = dir + "/in"
        try FileManager.default.createDirectory(atPath: input + "/returns", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixtures + "/no-readable-sheet.xlsx", toPath: input + "/returns/x.xlsx")
        let run = try runTool("techsurvey-ingest", ["--input", input, "--stage", dir + "/stage"])
        #expect(run.status == 65)
        let line = run.stderr.trimmingCharacters(in: .newlines)
        #expect(!line.contains("\n"), "\(line)")
        for part in ["returns/x.xlsx", "'Hướng dẫn'", "'Phiếu'", "hidden", "'Tiêu đề dài'", "technologies_found", "first 20 rows"] {
            #expect(line.contains(part), "\(part) in: \(line)")
        }
    }

    @Test(arguments: ["corrupt.xlsx", "encrypted.xlsx", "old-format.xlsx"])
    func anUnreadableWorkbookStopsTheRunWithOneLine(_ name: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in/returns", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixtures + "/" + name, toPath: dir + "/in/returns/" + name)
        let run = try runTool("techsurvey-ingest", ["--input", dir + "/in", "--stage", dir + "/stage"])
        #expect(run.status == 65, "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("returns/" + name))
    }

    @Test func aWorkbookNamedCSVIsToldToBeNamedXlsx() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in/returns", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixtures + "/acceptance.xlsx", toPath: dir + "/in/returns/2015.csv")
        let run = try runTool("techsurvey-ingest", ["--input", dir + "/in", "--stage", dir + "/stage"])
        #expect(run.status == 65)
        #expect(run.stderr.contains("returns/2015.csv") && run.stderr.contains("name it .xlsx"), "\(run.stderr)")
    }

    @Test func activityWorkbooksReadNumberCellsAsNumbersAndTextTheVietnameseWay() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let result = try ingest(
            returnFiles: [InputFile(name: "returns/r.csv", source: .bytes(Array("unit_id,field,survey_date,technologies_found,technologies_proposed\nU1,biotech,2015-01-01,1,1\n".utf8)))],
            activityFiles: [InputFile(name: "activities/a.xlsx", source: .file(Self.fixtures + "/activities.xlsx"))],
            vocabularies: Vocabularies(), options: ReadOptions()
        )
        #expect(result.activities.map(\.source.row) == [4, 5])
        #expect(result.activities.map { $0.budget.description } == ["5132.5", "5132"])
        #expect(result.activities.map(\.businesses) == [3, 2])
        let reject = try #require(result.rejects.first)
        #expect(reject.source.file == "activities/a.xlsx#Hoạt động" && reject.source.row == 6 && reject.reason == .badNumber, "\(reject)")
        let summary = try #require(result.summary.files.last)
        #expect(summary.titleRows == 2)
        #expect(summary.warnings.contains { $0.contains("5.132") }, "text budget read the Vietnamese way, and said so: \(summary.warnings)")
    }

    @Test func aValueInAColumnWithoutHeaderRejectsItsRow() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let header = ["unit_id", "field", "survey_date", "technologies_found", "technologies_proposed"]
        let record = CSVRecord(workbookRow: 7, cells: [
            XlsxCell(column: 0, kind: .text, text: "U1"), XlsxCell(column: 1, kind: .text, text: "biotech"),
            XlsxCell(column: 2, kind: .date, text: "2015-01-01"), XlsxCell(column: 3, kind: .number, text: "3"),
            XlsxCell(column: 4, kind: .number, text: "1"), XlsxCell(column: 6, kind: .text, text: "ghi chú"),
        ], width: header.count)
        let columns = ColumnMap(header: header, matcher: Vocabularies().returnColumns)
        let validator = ReturnValidator(columns: columns, vocabularies: Vocabularies(), file: "returns/a.xlsx#S", delimiter: 0x2C)
        guard case .rejected(let reject) = validator.validate(record) else {
            Issue.record("accepted a row with a value past the header")
            return
        }
        #expect(reject.reason == .wrongColumnCount && reject.detail.contains("G7"), "\(reject)")
    }

    @Test(arguments: [
        (CellKind.number, "1.234", RejectReason.badNumber),
        (CellKind.number, "-3", RejectReason.negativeCount),
        (CellKind.bool, "TRUE", RejectReason.badNumber),
        (CellKind.date, "2015-01-01", RejectReason.badNumber),
        (CellKind.error, "#VALUE!", RejectReason.badNumber),
        (CellKind.uncalculated, "", RejectReason.missingValue),
    ])
    func aCountCellMustBeAWholeNumber(_ kind: CellKind, _ text: String, _ reason: RejectReason) throws {
        let header = ["unit_id", "field", "survey_date", "technologies_found", "technologies_proposed"]
        let record = CSVRecord(workbookRow: 3, cells: [
            XlsxCell(column: 0, kind: .text, text: "U1"), XlsxCell(column: 1, kind: .text, text: "biotech"),
            XlsxCell(column: 2, kind: .date, text: "2015-01-01"), XlsxCell(column: 3, kind: kind, text: text),
            XlsxCell(column: 4, kind: .number, text: "0"),
        ], width: header.count)
        let validator = ReturnValidator(columns: ColumnMap(header: header, matcher: Vocabularies().returnColumns),
                                        vocabularies: Vocabularies(), file: "returns/a.xlsx#S", delimiter: 0x2C)
        guard case .rejected(let reject) = validator.validate(record) else {
            Issue.record("\(kind) \(text) accepted as a count")
            return
        }
        #expect(reject.reason == reason, "\(reject)")
        // The same text typed into a text cell is read by §3.3's rules: "1.234" is 1234.
        if text == "1.234" {
            let typed = CSVRecord(workbookRow: 3, cells: [
                XlsxCell(column: 0, kind: .text, text: "U1"), XlsxCell(column: 1, kind: .text, text: "biotech"),
                XlsxCell(column: 2, kind: .date, text: "2015-01-01"), XlsxCell(column: 3, kind: .text, text: text),
                XlsxCell(column: 4, kind: .number, text: "0"),
            ], width: header.count)
            guard case .accepted(let r, _) = validator.validate(typed) else {
                Issue.record("text '1.234' rejected")
                return
            }
            #expect(r.packed.found == 1234)
        }
    }
}
