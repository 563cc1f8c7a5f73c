// report.docx (SPEC §4.3): pandoc's document opens in LibreOffice and holds the numbered tables with their
// unit and source lines, the figures, the generation time and the PNG charts, in Times New Roman. With a
// content cache, pandoc's conversion of the same text, charts and reference document is kept and the
// generation time put in afterwards.

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
        let timeLine = try #require(readText(out + "/report.md").split(separator: "\n").first { $0.hasPrefix("- Thời điểm lập: ") })
        let time = String(timeLine.dropFirst("- Thời điểm lập: ".count))
        try #require(!time.isEmpty)
        for expected in ["Bảng 1.", "Bảng 2.", "Đơn vị tính", "Nguồn", "Công nghệ sinh học", period.isEmpty ? "209" : "27", "Biểu đồ 1.", "Thời điểm lập: \(time)"] {
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
        try WordDocument(cache: nil).writeReference(to: dir + "/direct.docx")
        let cache = ContentCache(folder: dir + "/cache")
        try WordDocument(cache: cache).writeReference(to: dir + "/first.docx")
        let styles = { (path: String) throws -> String in
            try runProgram("python3", ["-c", "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('word/styles.xml').decode())", path]).stdout
        }
        #expect(try styles(dir + "/first.docx") == styles(dir + "/direct.docx"))
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.folder)
        try #require(names.count == 1, "one entry: \(names)")
        cache.store(Array("from the cache".utf8), key: String(names[0].prefix(64)), kind: "reference-docx")
        try WordDocument(cache: cache).writeReference(to: dir + "/second.docx")
        #expect(readText(dir + "/second.docx") == "from the cache")
    }

    /// A part of the Word document at `path`, as text.
    static func part(_ path: String, _ name: String) throws -> String {
        let read = try runProgram("python3", ["-c", "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())", path, name])
        try #require(read.status == 0, "\(path) is not a Word document holding \(name): \(read.stderr)")
        return read.stdout
    }

    /// `write` with a one-chart text, the chart `chart` and a reference document made in `dir`.
    static func write(_ dir: String, cache: ContentCache?, heading: String = "Báo cáo", time: String, created: Date, chart: String, to name: String) throws {
        let word = WordDocument(cache: cache)
        try FileManager.default.createDirectory(atPath: dir + "/res/charts", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/scratch", withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: dir + "/reference.docx") { try word.writeReference(to: dir + "/reference.docx") }
        try FileManager.default.copyItem(atPath: chart, toPath: dir + "/res/charts/a.png")
        defer { unlink(dir + "/res/charts/a.png") }
        try word.write(text: { "# \(heading)\n\n- Thời điểm lập: \($0)\n\n![Biểu đồ 1.](charts/a.png)\n" }, time: time, created: created,
                       images: [dir + "/res/charts/a.png"], resources: dir + "/res/", reference: dir + "/reference.docx", scratch: dir + "/scratch/", to: dir + "/" + name)
    }

    /// Two PNG charts, drawn by rsvg-convert.
    static func charts(_ dir: String) throws -> (String, String) {
        for (name, text) in [("one", "Bảng"), ("two", "Biểu đồ")] {
            writeFile(dir + "/\(name).svg", ChartImagesTests.svg.replacingOccurrences(of: "Bảng", with: text))
            try ChartImages(cache: nil).render(svg: dir + "/\(name).svg", content: readText(dir + "/\(name).svg"), to: dir + "/\(name).png", name: name)
        }
        return (dir + "/one.png", dir + "/two.png")
    }

    @Test func aConvertedDocumentIsKeptAndGetsEachRunsTime() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let (one, two) = try Self.charts(dir)
        let cache = ContentCache(folder: dir + "/cache")
        let first = Date(timeIntervalSince1970: 1_796_181_300), second = Date(timeIntervalSince1970: 1_796_184_900)
        try Self.write(dir, cache: cache, time: "02/12/2026 13:15", created: first, chart: one, to: "first.docx")
        let body = try Self.part(dir + "/first.docx", "word/document.xml")
        #expect(body.contains("Thời điểm lập: 02/12/2026 13:15") && !body.contains(WordDocument.timePlaceholder), "\(body)")
        #expect(try Self.part(dir + "/first.docx", "docProps/core.xml").contains(">2026-12-02T03:15:00Z</dcterms:created>"))
        let entries = { try FileManager.default.contentsOfDirectory(atPath: cache.folder).filter { $0.hasSuffix(".report-docx") } }
        let kept = try #require(try entries().first, "pandoc's conversion is kept")

        // The kept conversion, made to say so, is what the next run with the same text uses.
        let entry = try #require(cache.entry(String(kept.prefix(64)), kind: "report-docx"))
        writeFile(dir + "/kept.docx", bytes: [UInt8](entry))
        let edit = try runProgram("python3", ["-c", """
            import sys, zipfile
            source = zipfile.ZipFile(sys.argv[1])
            with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as out:
                for item in source.infolist():
                    out.writestr(item, source.read(item.filename).replace("Báo cáo".encode(), b"FROM THE CACHE"))
            """, dir + "/kept.docx", dir + "/edited.docx"])
        try #require(edit.status == 0, "\(edit.stderr)")
        cache.store([UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/edited.docx"))), key: String(kept.prefix(64)), kind: "report-docx")
        try Self.write(dir, cache: cache, time: "02/12/2026 14:15", created: second, chart: one, to: "second.docx")
        let again = try Self.part(dir + "/second.docx", "word/document.xml")
        #expect(again.contains("FROM THE CACHE") && again.contains("Thời điểm lập: 02/12/2026 14:15"), "\(again)")
        #expect(try Self.part(dir + "/second.docx", "docProps/core.xml").contains(">2026-12-02T04:15:00Z</dcterms:modified>"))

        // Another chart is another conversion.
        try Self.write(dir, cache: cache, time: "02/12/2026 14:15", created: second, chart: two, to: "third.docx")
        #expect(!(try Self.part(dir + "/third.docx", "word/document.xml")).contains("FROM THE CACHE"))
        #expect(try entries().count == 2)
    }

    @Test func aTextHoldingThePlaceholderIsConvertedWithItsTimeAndNotKept() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let (one, _) = try Self.charts(dir)
        let cache = ContentCache(folder: dir + "/cache")
        try Self.write(dir, cache: cache, heading: "Tệp \(WordDocument.timePlaceholder).csv", time: "02/12/2026 13:15", created: Date(), chart: one, to: "out.docx")
        let body = try Self.part(dir + "/out.docx", "word/document.xml")
        #expect(body.contains("Thời điểm lập: 02/12/2026 13:15") && body.contains("Tệp \(WordDocument.timePlaceholder).csv"), "\(body)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.folder).allSatisfy { !$0.hasSuffix(".report-docx") })
    }

    @Test func withoutACacheTheDocumentStillGetsItsTime() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let (one, _) = try Self.charts(dir)
        try Self.write(dir, cache: nil, time: "2 December 2026, 13:15", created: Date(timeIntervalSince1970: 1_796_181_300), chart: one, to: "out.docx")
        #expect(try Self.part(dir + "/out.docx", "word/document.xml").contains("Thời điểm lập: 2 December 2026, 13:15"))
        #expect(try Self.part(dir + "/out.docx", "docProps/core.xml").contains(">2026-12-02T03:15:00Z</dcterms:created>"))
    }

    /// The time goes into pandoc's document by rewriting its archive: every part kept, the placeholder
    /// replaced (escaped as XML text), both dates and every part's date set; a document whose placeholder
    /// pandoc did not keep in one piece, or that is no archive, is refused, never published half-stamped.
    @Test func theTimeIsPutIntoTheArchiveOnceOrTheDocumentIsRefused() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let make = { (name: String, body: String) throws -> [UInt8] in
            let made = try runProgram("python3", ["-c", """
                import sys, zipfile
                with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as out:
                    out.writestr("word/document.xml", sys.argv[2])
                    out.writestr("docProps/core.xml", '<cp:coreProperties><dcterms:created xsi:type="dcterms:W3CDTF">1970-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">x</dcterms:modified></cp:coreProperties>')
                    out.writestr("word/media/rId1.png", bytes(range(256)) * 40)
                """, dir + "/" + name, body])
            try #require(made.status == 0, "\(made.stderr)")
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
        }
        let created = Date(timeIntervalSince1970: 1_796_181_300)
        let good = try make("good.docx", "<w:t>Thời điểm lập: \(WordDocument.timePlaceholder)</w:t>")
        writeFile(dir + "/out.docx", bytes: try WordDocument.stamped(good, time: "02/12/2026 <13:15> & co", date: created))
        #expect(try Self.part(dir + "/out.docx", "word/document.xml") == "<w:t>Thời điểm lập: 02/12/2026 &lt;13:15&gt; &amp; co</w:t>\n")
        #expect(try Self.part(dir + "/out.docx", "docProps/core.xml").contains(">2026-12-02T03:15:00Z</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">2026-12-02T03:15:00Z</dcterms:modified>"))
        let check = try runProgram("python3", ["-c", """
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            assert z.read("word/media/rId1.png") == bytes(range(256)) * 40
            print(sorted({i.date_time for i in z.infolist()}))
            """, dir + "/out.docx"])
        #expect(check.status == 0 && check.stdout == "[(2026, 12, 2, 3, 15, 0)]\n", "\(check.stdout)\(check.stderr)")

        let split = try make("split.docx", "<w:t>TECHSURVEY</w:t><w:t>GENERATIONTIME</w:t>")
        #expect(throws: TechSurveyError(.cannotCreate, "cannot make report.docx: pandoc's document holds the generation time's placeholder 0 times, not once; run again, and report it with the input if it happens again")) {
            _ = try WordDocument.stamped(split, time: "13:15", date: created)
        }
        #expect(throws: TechSurveyError(.cannotCreate, "cannot make report.docx: pandoc's document is no zip archive; run again, and report it with the input if it happens again")) {
            _ = try WordDocument.stamped(Array("not a zip".utf8), time: "13:15", date: created)
        }
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
