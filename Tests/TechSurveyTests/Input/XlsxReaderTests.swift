// The workbook reader (SPEC §3.5): the cells openpyxl hands over with their Excel rows and kinds, both
// date systems, and one clear line for each file that is not a readable workbook. The workbooks are made
// by Tests/Fixtures/workbooks/make_workbooks.py and make_libreoffice.sh.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct XlsxReaderTests {
    static var folder: String { TestPaths.fixtures + "/workbooks" }

    /// The sheets and rows of a workbook fixture, as the reader streams them.
    static func read(_ name: String) throws -> (sheets: [XlsxSheet], rows: [String: [(Int, [XlsxCell])]], facts: XlsxFacts) {
        var sheets: [XlsxSheet] = []
        var rows: [String: [(Int, [XlsxCell])]] = [:]
        let facts = try readXlsx(path: folder + "/" + name, displayName: name) { event in
            switch event {
            case .sheet(let s): sheets.append(s)
            case .row(let n, let cells): rows[sheets.last?.name ?? "", default: []].append((n, cells))
            }
        }
        return (sheets, rows, facts)
    }

    @Test func everyKindOfCellComesWithItsRowAndKind() throws {
        let (sheets, rows, facts) = try Self.read("cells.xlsx")
        #expect(sheets.map(\.name) == ["Ô", "Hidden", "Very hidden", "Biểu đồ"])
        #expect(sheets.map(\.state) == ["visible", "hidden", "veryHidden", "visible"])
        #expect(sheets.map(\.isChart) == [false, false, false, true])
        #expect(rows["Hidden"] == nil && rows["Very hidden"] == nil, "the cells of hidden sheets are not sent")
        #expect(facts.dateSystem == 1900)
        #expect(facts.sha256.count == 64)
        let byLabel = Dictionary((rows["Ô"] ?? []).compactMap { row -> (String, (Int, XlsxCell?))? in
            guard let label = row.1.first(where: { $0.column == 0 })?.text else { return nil }
            return (label, (row.0, row.1.first { $0.column == 1 }))
        }, uniquingKeysWith: { a, _ in a })
        let expected: [(String, Int, CellKind?, String?)] = [
            ("text", 1, .text, "Công nghệ sinh học"),
            ("int", 2, .number, "42"),
            ("float", 3, .number, "2.5"),
            ("date", 4, .date, "2015-03-02"),
            ("datetime", 5, .dateTime, "2015-03-02 14:30:59"),
            ("bool", 6, .bool, "TRUE"),
            ("error", 7, .error, "#VALUE!"),
            ("formula saved", 8, .number, "84"),
            ("formula unsaved", 9, .uncalculated, ""),
            // A formula whose saved value is empty text is an empty cell, not a missing value.
            ("formula empty text", 10, nil, nil),
            ("merged", 11, .text, "top-left"),
            // Empty rows are not sent: the next row keeps its number.
            ("after a gap", 14, nil, nil),
            ("tiny", 15, .number, "0.3"),
            ("big", 16, .number, "12345678901234600000"),
        ]
        for (label, row, kind, text) in expected {
            let got = byLabel[label]
            #expect(got?.0 == row, "row of \(label): \(String(describing: got))")
            #expect(got?.1?.kind == kind, "kind of \(label): \(String(describing: got))")
            #expect(got?.1?.text == text, "text of \(label): \(String(describing: got))")
        }
        // The merged block B11:C12 holds its value in B11 only.
        let merged = try #require(rows["Ô"]?.first { $0.0 == 11 })
        #expect(merged.1.count == 2)
        #expect(rows["Ô"]?.contains { $0.0 == 12 } == false)
    }

    @Test func bothDateSystemsGiveTheSameDates() throws {
        let a = try Self.read("acceptance.xlsx")
        let b = try Self.read("acceptance-1904.xlsx")
        #expect(a.facts.dateSystem == 1900)
        #expect(b.facts.dateSystem == 1904)
        let datesA = (a.rows["Phiếu 2015"] ?? []).flatMap { $0.1.filter { $0.kind == .date || $0.kind == .dateTime } }
        let datesB = (b.rows["Phiếu 2015"] ?? []).flatMap { $0.1.filter { $0.kind == .date || $0.kind == .dateTime } }
        #expect(!datesA.isEmpty)
        #expect(datesA == datesB, "1900: \(datesA)\n1904: \(datesB)")
        #expect(datesA.first?.text == "2015-03-02")
    }

    static let refusals: [(file: String, kind: TechSurveyError.Kind, phrase: String)] = [
        ("corrupt.xlsx", .data, "damaged"),
        ("encrypted.xlsx", .data, "protected with a password"),
        ("old-format.xlsx", .data, "save it as .xlsx"),
    ]

    @Test(arguments: 0..<3)
    func aFileThatIsNotAReadableWorkbookStopsWithOneLine(_ index: Int) throws {
        let case_ = Self.refusals[index]
        #expect {
            _ = try Self.read(case_.file)
        } throws: { error in
            guard let e = error as? TechSurveyError else { return false }
            let oneLine = !e.message.contains("\n")
            return e.kind == case_.kind && e.message.contains(case_.phrase) && e.message.hasPrefix(case_.file) && oneLine
        }
    }

    @Test(arguments: [
        ("empty.xlsx", [UInt8](), "empty"),
        ("text.xlsx", Array("unit_id,field\nU1,biotech\n".utf8), "name it .csv"),
    ])
    func anEmptyOrTextFileNamedXlsxIsRefusedBeforeTheReaderRuns(_ name: String, _ bytes: [UInt8], _ phrase: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/" + name, bytes: bytes)
        #expect {
            _ = try readXlsx(path: dir + "/" + name, displayName: name) { _ in }
        } throws: { error in
            (error as? TechSurveyError)?.message.contains(phrase) == true && (error as? TechSurveyError)?.kind == .data
        }
    }

    @Test func aPythonWithoutOpenpyxlSaysWhatToInstall() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        // Python without its site folder: openpyxl cannot be imported.
        writeFile(dir + "/python", "#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n")
        chmod(dir + "/python", 0o755)
        try FileManager.default.createDirectory(atPath: dir + "/in/returns", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.folder + "/acceptance.xlsx", toPath: dir + "/in/returns/a.xlsx")
        let run = try runTool("techsurvey-ingest", ["--input", dir + "/in", "--stage", dir + "/stage"], environment: ["TECHSURVEY_PYTHON": dir + "/python"])
        #expect(run.status == 66, "\(run.stderr)")
        #expect(run.stderr.contains("python3-openpyxl") && run.stderr.contains("make deps"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    }

    @Test func columnLettersAreExcels() {
        #expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetters) == ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"])
    }
}
