// WorkbookWriter.swift: report.xlsx read back as an analyst's tools see it — openpyxl for cells, formats,
// frozen header, filter, charts and properties; LibreOffice for opening and drawing it (SPEC §4.2).

import Foundation
import Testing
@testable import TechSurvey

/// One sheet as Tests/Fixtures/workbook/read_workbook.py reports it.
private struct ReadSheet {
    let name: String
    let freeze: String?
    let autofilter: String?
    let charts: [String]
    /// (row, column) from 1 → (openpyxl data type, value, number format, bold).
    let cells: [Cell]

    struct Cell {
        let row: Int, column: Int
        let type: String
        let value: Any?
        let format: String
        let bold: Bool
    }

    func cell(_ row: Int, _ column: Int) -> Cell? { cells.first { $0.row == row && $0.column == column } }
}

private struct ReadWorkbook {
    let properties: [String: Any]
    let custom: [String: Any]
    let formulaElements: Int
    let sheets: [ReadSheet]
}

private func readWorkbook(_ path: String) throws -> ReadWorkbook {
    let script = TestPaths.fixtures + "/workbook/read_workbook.py"
    let result = try runProgram(try testPython(), [script, path])
    try #require(result.status == 0, "read_workbook.py failed: \(result.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let sheets = (json["sheets"] as? [[String: Any]] ?? []).map { sheet in
        ReadSheet(
            name: sheet["name"] as? String ?? "", freeze: sheet["freeze"] as? String, autofilter: sheet["autofilter"] as? String,
            charts: sheet["charts"] as? [String] ?? [],
            cells: (sheet["cells"] as? [[Any]] ?? []).map { c in
                ReadSheet.Cell(row: c[0] as? Int ?? 0, column: c[1] as? Int ?? 0, type: c[2] as? String ?? "",
                               value: c[3] is NSNull ? nil : c[3], format: c[4] as? String ?? "", bold: c[5] as? Bool ?? false)
            })
    }
    return ReadWorkbook(properties: json["properties"] as? [String: Any] ?? [:], custom: json["custom"] as? [String: Any] ?? [:],
                        formulaElements: json["formula_elements"] as? Int ?? -1, sheets: sheets)
}

/// Excel's name of a column from 1: A, …, Z, AA.
private func columnLetter(_ column: Int) -> String {
    var n = column, letters = ""
    while n > 0 {
        let r = (n - 1) % 26
        letters = String(UnicodeScalar(UInt8(65 + r))) + letters
        n = (n - 1) / 26
    }
    return letters
}

@Suite struct WorkbookWriterTests {
    /// Every table's sheet holds the CSV's figures as number cells: counts equal, rates the CSV's rounded
    /// percentage as a fraction with a % format, empty where the CSV is empty; labels are text; totals bold.
    private func expectSheetsMatchCSVs(_ workbook: ReadWorkbook, output: String) throws {
        let manifest = try JSONDecoder().decode(Manifest.self, from: try #require(FileManager.default.contents(atPath: output + "/manifest.json")))
        let tables = manifest.outputs.filter { $0.hasPrefix("tables/") && $0.hasSuffix(".csv") }
        #expect(tables.count >= 6)
        try #require(workbook.sheets.count == tables.count + 1, "sheets \(workbook.sheets.map(\.name)), tables \(tables)")
        for (sheet, table) in zip(workbook.sheets, tables) {
            let csv = try readCSV(output + "/" + table)
            let header = try #require(csv.first)
            #expect(sheet.freeze == "A2", "\(sheet.name): frozen at \(sheet.freeze ?? "nothing")")
            #expect(sheet.autofilter == "A1:\(columnLetter(header.count))\(csv.count)", "\(sheet.name): filter \(sheet.autofilter ?? "none")")
            // Label columns: those with a cell that is not a number ("total" in a year column).
            let labelColumns = Set(header.indices.filter { c in csv.dropFirst().contains { c < $0.count && !$0[c].isEmpty && Double($0[c]) == nil } })
            for (r, row) in csv.enumerated() {
                let isTotal = r > 0 && row.contains("total")
                for (c, text) in row.enumerated() {
                    let where_ = "\(sheet.name)!\(columnLetter(c + 1))\(r + 1) (\(table): \(text))"
                    let cell = sheet.cell(r + 1, c + 1)
                    if r == 0 || labelColumns.contains(c) {
                        #expect(cell?.type == "s", "\(where_) is not a text cell: \(String(describing: cell))")
                        #expect(cell?.format == "@", "\(where_) lacks the text format")
                        continue
                    }
                    if text.isEmpty {
                        #expect(cell?.value == nil, "\(where_) should be empty, holds \(String(describing: cell?.value))")
                        continue
                    }
                    let number = try #require(Double(text))
                    try #require(cell?.type == "n", "\(where_) is not a number cell: \(String(describing: cell))")
                    let value = try #require((cell?.value as? NSNumber)?.doubleValue, "\(where_) has no number")
                    if header[c].contains("_pct") {
                        #expect(cell?.format.hasSuffix("%") == true, "\(where_) format \(cell?.format ?? "")")
                        #expect(String(format: "%.1f", value * 100) == text, "\(where_) holds \(value)")
                    } else {
                        #expect(value == number, "\(where_) holds \(value)")
                        #expect(cell?.format.hasPrefix("#,##0") == true, "\(where_) format \(cell?.format ?? "")")
                    }
                    #expect(cell?.bold == isTotal, "\(where_): bold \(cell?.bold ?? false), total \(isTotal)")
                }
            }
        }
        #expect(workbook.formulaElements == 0)
        #expect(workbook.sheets.allSatisfy { $0.cells.allSatisfy { $0.type != "f" } })
    }

    @Test func bundledReportWorkbookHoldsTheCSVFiguresAsNumberCells() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let result = try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage")
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let workbook = try readWorkbook(dir + "/out/report.xlsx")
        try expectSheetsMatchCSVs(workbook, output: dir + "/out")

        #expect(workbook.sheets.map(\.name) == ["Theo lĩnh vực", "Theo quý", "Theo loại hình", "Theo quận huyện", "Hoạt động theo loại",
                                                "Hoạt động theo quốc gia", "Nguồn"])
        let byField = workbook.sheets[0]
        #expect(byField.cell(1, 1)?.value as? String == "Lĩnh vực")
        #expect(byField.cell(2, 1)?.value as? String == "Công nghệ sinh học")
        #expect(byField.cell(7, 1)?.value as? String == "Tổng")
        #expect((byField.cell(7, 4)?.value as? NSNumber)?.intValue == 209)
        // Each chart's title names the period on its second line.
        let period = try #require(workbook.properties["subject"] as? String)
        #expect(byField.charts == ["Công nghệ tìm kiếm và đề xuất theo lĩnh vực\n" + period])
        #expect(workbook.sheets[1].charts == ["Xu hướng theo quý\n" + period])
        #expect(workbook.sheets.dropFirst(2).allSatisfy { $0.charts.isEmpty })

        let sources = workbook.sheets[6]
        let texts = sources.cells.compactMap { $0.value as? String }
        let manifest = try JSONDecoder().decode(Manifest.self, from: try #require(FileManager.default.contents(atPath: dir + "/out/manifest.json")))
        for file in manifest.files {
            #expect(texts.contains(file.sha256), "the sources sheet lacks \(file.file)'s SHA-256")
            let row = try #require(sources.cells.first { $0.value as? String == file.file }?.row)
            #expect((sources.cell(row, 6)?.value as? NSNumber)?.intValue == file.rowsRead)
            #expect((sources.cell(row, 7)?.value as? NSNumber)?.intValue == file.rowsAccepted)
        }
        // The sheet prints the time the Vietnamese way (SPEC §4.5); the manifest keeps ISO 8601.
        let generated = try #require(ISO8601DateFormatter().date(from: manifest.generatedAt))
        #expect(texts.contains(Language.vi.printedTime(generated)), "\(texts)")
        #expect(texts.contains("techsurvey \(TechSurveyVersion.current)"))

        #expect(workbook.properties["title"] as? String == "Báo cáo khảo sát, tìm kiếm công nghệ")
        #expect((workbook.properties["subject"] as? String)?.hasPrefix("toàn bộ dữ liệu") == true)
        #expect(workbook.custom["period"] as? String == "all")
    }

    @Test func aPeriodReportInEnglishHasTheComparisonSheet() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let result = try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage", period: "2015-Q2", language: "en")
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let workbook = try readWorkbook(dir + "/out/report.xlsx")
        try expectSheetsMatchCSVs(workbook, output: dir + "/out")
        #expect(workbook.sheets.map(\.name) == ["By field", "Comparison", "By quarter", "By unit type", "By district", "Activities by kind",
                                                "Activities by country", "Sources"])
        #expect(workbook.sheets[0].cell(1, 1)?.value as? String == "Field")
        #expect(workbook.custom["period"] as? String == "2015-Q2")
    }

    /// Text that a spreadsheet would run — a formula, a link, a sign, an at-sign — arrives as the literal
    /// text, in a text cell with the text format, so editing it keeps it text.
    @Test func formulaLookingLabelsAreTextCells() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = dir + "/input"
        try FileManager.default.copyItem(atPath: TestPaths.bundledInput, toPath: input)
        let labels = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2", "@SUM(A1)", "_x0041_ B"]
        writeDistrictLabels(labels, in: input)
        let result = try runPipeline(input: input, output: dir + "/out", stage: dir + "/stage")
        try #require(result.status == 0, "stderr: \(result.stderr)")

        let workbook = try readWorkbook(dir + "/out/report.xlsx")
        let districts = try #require(workbook.sheets.first { $0.name == "Theo quận huyện" })
        for label in labels {
            let cell = districts.cells.first { $0.value as? String == label }
            #expect(cell?.type == "s", "\(label): \(String(describing: cell))")
            #expect(cell?.format == "@", "\(label) lacks the text format")
            #expect(cell?.column == 1)
        }
        #expect(workbook.formulaElements == 0)
        try expectSheetsMatchCSVs(workbook, output: dir + "/out")
        // Excel reads `_x0041_` in the XML as "A": the label's underscore is escaped so Excel shows it as typed.
        let strings = try runProgram(try testPython(), ["-c", "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('xl/sharedStrings.xml').decode())",
                                                        dir + "/out/report.xlsx"])
        #expect(strings.stdout.contains("<t>_x005F_x0041_ B</t>"), "\(strings.stdout) \(strings.stderr)")
    }

    /// LibreOffice opens the workbook and draws it: the PDF it prints carries the tables and both charts.
    @Test func libreOfficeOpensTheWorkbookAndDrawsTheCharts() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage").status == 0)
        // Its own profile folder, so that concurrent test runs never share LibreOffice's lock.
        let convert = try runProgram("soffice", ["-env:UserInstallation=file://\(dir)/profile", "--headless", "--convert-to", "pdf",
                                                 "--outdir", dir + "/pdf", dir + "/out/report.xlsx"], environment: ["HOME": dir, "LC_ALL": "C.UTF-8"])
        try #require(convert.status == 0, "soffice (installed by make test) failed: \(convert.stdout) \(convert.stderr)")
        let text = try runProgram("pdftotext", ["-layout", dir + "/pdf/report.pdf", "-"])
        try #require(text.status == 0, "pdftotext failed: \(text.stderr)")
        for expected in ["Công nghệ tìm kiếm và đề xuất theo lĩnh vực", "Xu hướng theo quý", "Số công nghệ/tiến bộ kỹ thuật", "Công nghệ sinh học", "209", "53.2%"] {
            #expect(text.stdout.contains(expected), "the PDF lacks \(expected)")
        }
    }

    /// The same report at the same SOURCE_DATE_EPOCH is the same file, byte for byte (zip times included).
    @Test func theSameReportGivesTheSameWorkbook() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try runPipeline(input: TestPaths.bundledInput, output: dir + "/a", stage: dir + "/stage").status == 0)
        var bytes: [Data] = []
        for output in ["a", "b"] {
            let result = try runTool("techsurvey-report", ["--stage", dir + "/stage", "--output", dir + "/" + output], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
            try #require(result.status == 0, "stderr: \(result.stderr)")
            bytes.append(try #require(FileManager.default.contents(atPath: dir + "/\(output)/report.xlsx")))
            sleep(1)
        }
        #expect(bytes[0] == bytes[1])
    }

    @Test func aWorkbookThatCannotBeWrittenIsOneErrorLine() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let document = WorkbookDocument(title: "t", subject: "s", period: "all", created: Date(timeIntervalSince1970: 0), sheets: [
            WorkbookSheet(name: "a", rows: [[.text("x")]], boldRows: [], table: nil),
        ])
        // A folder that does not exist: libxlsxwriter cannot create the file when it closes the workbook.
        do {
            try WorkbookWriter.write(document, to: dir + "/missing/report.xlsx")
            Issue.record("writing into a missing folder succeeded")
        } catch {
            #expect(error.kind == .cannotCreate, "\(error)")
            #expect(error.message.contains("report.xlsx"))
            #expect(!error.message.contains("\n"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/missing"))
    }
}
