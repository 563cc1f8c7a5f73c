// report.docx (SPEC §4.3): pandoc's document opens in LibreOffice and holds the numbered tables with their
// unit and source lines, the figures and the PNG charts, in Times New Roman.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct WordDocumentTests {
    @Test(arguments: [("", "vi"), ("2015-Q2", "vi")])
    func theWordDocumentOpensAndHoldsTablesFiguresAndCharts(_ period: String, _ language: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try reportRun(dir, period: period, language: language).status == 0)
        let out = dir + "/out-\(period.isEmpty ? "all" : period)-\(language)"
        let docx = out + "/report.docx"
        let convert = try runProgram("soffice", ["-env:UserInstallation=file://\(dir)/profile", "--headless", "--convert-to", "pdf",
                                                 "--outdir", dir + "/pdf", docx], environment: ["HOME": dir, "LC_ALL": "C.UTF-8"])
        try #require(convert.status == 0 && FileManager.default.fileExists(atPath: dir + "/pdf/report.pdf"),
                     "soffice (libreoffice-writer-nogui, installed by make test) failed: \(convert.stdout) \(convert.stderr)")
        let text = try runProgram("pdftotext", [dir + "/pdf/report.pdf", "-"])
        try #require(text.status == 0, "pdftotext failed: \(text.stderr)")
        // Table cells wrap, so words are compared with line breaks as spaces.
        let flat = text.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for expected in ["Bảng 1.", "Bảng 2.", "Đơn vị tính", "Nguồn", "Công nghệ sinh học", period.isEmpty ? "209" : "27", "Biểu đồ 1."] {
            #expect(flat.contains(expected), "the PDF of report.docx lacks \(expected): \(flat)")
        }
        let images = try runProgram("pdfimages", ["-list", dir + "/pdf/report.pdf"])
        let charts = try FileManager.default.contentsOfDirectory(atPath: out + "/charts").filter { $0.hasSuffix(".png") }
        #expect(images.stdout.split(separator: "\n").count - 2 == charts.count, "\(images.stdout)")
        let styles = try runProgram("python3", ["-c", "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('word/styles.xml').decode())", docx])
        #expect(styles.stdout.contains("Times New Roman") && styles.stdout.contains("<w:sz w:val=\"28\""), "the body is Times New Roman 14 pt")
    }

    @Test func theReferenceScriptRejectsADocumentWithoutThemeFonts() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let emptyZip = Data([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18))
        #expect(throws: TechSurveyError.self) {
            try ExternalTool.run("python3", ["-c", WordDocument.referenceScript, dir + "/ref.docx"], input: emptyZip, package: "python3", making: "report.docx")
        }
    }

    @Test func theReferenceDocumentIsKeptForThisPandoc() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try WordDocument.writeReference(to: dir + "/direct.docx", cache: nil)
        let cache = ContentCache(folder: dir + "/cache")
        try WordDocument.writeReference(to: dir + "/first.docx", cache: cache)
        let styles = { (path: String) throws -> String in
            try runProgram("python3", ["-c", "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('word/styles.xml').decode())", path]).stdout
        }
        #expect(try styles(dir + "/first.docx") == styles(dir + "/direct.docx"))
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.folder)
        try #require(names.count == 1, "one entry: \(names)")
        cache.store(Array("from the cache".utf8), key: String(names[0].prefix(64)), kind: "reference-docx")
        try WordDocument.writeReference(to: dir + "/second.docx", cache: cache)
        #expect(readText(dir + "/second.docx") == "from the cache")
    }

    @Test func aMissingToolIsNamedWithItsPackage() {
        do {
            try ExternalTool.run("techsurvey-no-such-tool", [], package: "some-package", making: "report.docx")
            Issue.record("a missing tool did not throw")
        } catch {
            #expect("\(error)".contains("some-package") || (error as? TechSurveyError)?.message.contains("some-package") == true)
        }
    }
}
