// report.md and news.md as renderers show them (issue 11 classes 6 and 7): a folder whose labels, file names
// and headers carry links, images, HTML, control characters and 10 kB strings renders, in cmark-gfm's and
// pandoc's HTML alike, with no live link, image or script of its own and every table's columns intact; and
// report.md grows with the number of rows, not with the longest label.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct ReportDocumentTests {
    static let hostile = [
        "[click](javascript:alert(1))", "![x](http://host/pixel.png)", "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>", "<a href=\"http://evil.example\">y</a>", "www.evil.example", "http://evil.example/x",
        "<http://evil.example>", "mail a@evil.example", "&lt;script&gt;alert(1)&lt;/script&gt;", "<scr<b>ipt>alert(1)</script>",
        "[ref]: http://evil.example", "[x][ref]", "<!-- hidden -->", "a|b|c", "*em* __strong__ `code` ~~del~~",
        "# heading", "\u{1B}[31mred\u{1B}[0m\u{07}", "bi\u{202E}di\u{2066}x\u{2069}", "line\nbreak",
        "$x^2$ {.class} [^note]", "\\", "javascript:alert(1)", "<svg onload=alert(1)>",
        String(repeating: "[a](http://evil.example) ", count: 420),
    ]

    /// A folder whose every free-text field and one file name carry `hostile`.
    static func hostileFolder(_ dir: String) {
        func cell(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var returns = "unit_id,unit_name,district,field,survey_date,technologies_found,technologies_proposed,\(cell("[col](javascript:x) <b>"))\n"
        var activities = "date,kind,title,partner,partner_country,businesses\n"
        for (i, text) in hostile.enumerated() {
            returns += "U\(i),\(cell(text)),\(cell(text)),biotech,2015-0\(i % 9 + 1)-02,\(i + 1),1,\(cell(text))\n"
            activities += "2015-03-0\(i % 9 + 1),exhibition,\(cell(text)),\(cell(text)),\(cell(text)),\(i)\n"
        }
        writeFile(dir + "/in/returns/[f](javascript:x) <i>.csv", returns)
        writeFile(dir + "/in/activities/a.csv", activities)
    }

    /// Every tag of `html`, as written.
    static func tags(_ html: String) -> [String] {
        var out: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            out.append(String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    static let allowedTags: Set<String> = ["p", "h1", "h2", "ul", "li", "em", "strong", "table", "thead", "tbody", "tr", "th", "td",
                                           "a", "img", "blockquote", "colgroup", "col", "div", "figure", "figcaption"]
    static let ourLinks = try? NSRegularExpression(pattern: #"^(tables/[a-z_]+\.csv|rejects\.csv|superseded\.csv|charts/[a-z_]+\.svg)$"#)

    static func check(_ html: String, renderer: String) {
        for tag in tags(html) {
            if tag.hasPrefix("<!--") { continue }
            let name = String(tag.dropFirst().drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }).lowercased()
            #expect(allowedTags.contains(name), "\(renderer): unexpected tag \(tag)")
            let attributes = tag.dropFirst(name.count + 1).split(whereSeparator: \.isWhitespace)
            for attribute in attributes where attribute.hasPrefix("href=") || attribute.hasPrefix("src=") {
                let value = String(attribute.drop { $0 != "\"" }.dropFirst().prefix { $0 != "\"" })
                let ours = ourLinks?.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
                #expect(ours, "\(renderer): a link or image from input: \(tag)")
            }
            #expect(!attributes.contains { $0.lowercased().hasPrefix("on") || $0.lowercased().contains("javascript:") }, "\(renderer): \(tag)")
        }
        // Every row of every table has its header's number of cells.
        for table in html.components(separatedBy: "<table").dropFirst() {
            let body = table.components(separatedBy: "</table>")[0]
            let rows = body.components(separatedBy: "<tr").dropFirst().map { row in
                row.components(separatedBy: "<td").count + row.components(separatedBy: "<th").count - 2
            }
            #expect(Set(rows).count == 1, "\(renderer): rows with different cell counts \(rows) in\n<table\(body)")
        }
    }

    static func render(_ path: String) throws -> [(String, String)] {
        let renderers: [(String, [String])] = [
            ("cmark-gfm", ["cmark-gfm", "-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tagfilter", path]),
            ("cmark-gfm --unsafe", ["cmark-gfm", "--unsafe", "-e", "table", "-e", "autolink", "-e", "strikethrough", path]),
            ("pandoc gfm", ["pandoc", "-f", "gfm", "-t", "html", path]),
            ("pandoc markdown", ["pandoc", "-f", "markdown", "-t", "html", path]),
        ]
        return try renderers.map { name, command in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = command
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(name) is missing: `make test` installs cmark-gfm and pandoc")
            return (name, String(decoding: data, as: UTF8.self))
        }
    }

    @Test func hostileLabelsRenderAsTextInEveryRenderer() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        Self.hostileFolder(dir)
        let run = try runPipeline(input: dir + "/in", output: dir + "/out", stage: dir + "/stage")
        try #require(run.status == 0, "\(run.stderr)")
        for document in ["report.md", "news.md"] {
            let text = readText(dir + "/out/" + document)
            #expect(!text.unicodeScalars.contains { $0 != "\n" && ControlCharacters.isControl($0) }, "\(document) carries a control character")
            for (renderer, html) in try Self.render(dir + "/out/" + document) {
                #expect(!html.isEmpty)
                Self.check(html, renderer: "\(renderer) \(document)")
            }
        }
        let report = readText(dir + "/out/report.md")
        #expect(report.contains("\\[click\\]\\(javascript\\:alert\\(1\\)\\)"), "the text itself is kept, as text")
        for svg in try FileManager.default.contentsOfDirectory(atPath: dir + "/out/charts") {
            let text = readText(dir + "/out/charts/" + svg)
            #expect(!text.unicodeScalars.contains { $0 != "\n" && ControlCharacters.isControl($0) }, "\(svg)")
        }
        // The CSV keeps the whole label, without control characters; rejects.csv shows them as escapes.
        let districts = try readCSV(dir + "/out/tables/by_district.csv").map { $0[0] }
        let longest = (Self.hostile.last ?? "").trimmingCharacters(in: .whitespaces)
        #expect(districts.contains(longest), "the 10 kB label is in by_district.csv whole")
        #expect(districts.contains("[31mred[0m"))
        for name in try FileManager.default.subpathsOfDirectory(atPath: dir + "/out") where name.hasSuffix(".csv") || name.hasSuffix(".md") || name.hasSuffix(".svg") || name.hasSuffix(".json") {
            let bytes = try #require(FileManager.default.contents(atPath: dir + "/out/" + name))
            #expect(!bytes.contains(0) && !bytes.contains(0x1B), "\(name) carries a NUL or an ESC")
        }
    }

    /// One report with `n` districts named by 10 kB labels, and its report.md's size.
    static func reportSize(districts n: Int, _ dir: String) throws -> Int {
        var returns = "unit_id,district,field,survey_date,technologies_found,technologies_proposed\n"
        for i in 0..<n { returns += "U\(i),\(String(repeating: "Lê Chân ", count: 1250))\(i),energy,2015-01-02,1,1\n" }
        writeFile(dir + "/in\(n)/returns/r.csv", returns)
        let run = try runPipeline(input: dir + "/in\(n)", output: dir + "/out\(n)", stage: dir + "/stage\(n)")
        try #require(run.status == 0, "\(run.stderr)")
        let report = readText(dir + "/out\(n)/report.md")
        let longest = report.split(separator: "\n").map { MarkdownTable.displayWidth(String($0)) }.max() ?? 0
        #expect(longest < 400, "a table line is \(longest) columns wide")
        let csv = try readCSV(dir + "/out\(n)/tables/by_district.csv")
        #expect(csv.dropFirst().dropLast().allSatisfy { $0[0].count > 10_000 }, "the CSV keeps every label whole")
        return report.utf8.count
    }

    @Test func reportGrowsWithRowsNotWithTheLongestLabel() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let small = try Self.reportSize(districts: 100, dir), large = try Self.reportSize(districts: 200, dir)
        // 100 more rows of at most a few hundred bytes each; before the cut each row was 10 kB wide.
        #expect(large - small < 100 * 400, "report.md: \(small) bytes for 100 long labels, \(large) for 200")
    }
}
