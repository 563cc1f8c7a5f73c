// The report stage end to end (SPEC §4.5): the period printed covering every record counted, an empty
// period's sentence, warning and STRICT=1 exit, and every table's column count as cmark-gfm renders it. The
// golden report.md and news.md of Tests/Fixtures/report/<case>/ are checked by GoldenStageTests.

import Foundation
import Testing
@testable import TechSurvey

/// The bundled input through ingest and aggregate for `period`, then the report in `language`.
func reportRun(_ dir: String, period: String, language: String, strict: Bool = false) throws -> RunResult {
    let stage = dir + "/stage"
    if !FileManager.default.fileExists(atPath: stage + "/ingest.json") {
        let ingest = try runTool("techsurvey-ingest", ["--input", TestPaths.bundledInput, "--stage", stage])
        guard ingest.status == 0 else { return ingest }
    }
    let slug = period.isEmpty ? "all" : period
    let aggregates = stage + "/aggregates-\(slug).json"
    let aggregate = try runTool("techsurvey-aggregate", ["--stage", stage, "--period", period, "--output", aggregates])
    guard aggregate.status == 0 else { return aggregate }
    return try runTool("techsurvey-report", ["--stage", stage, "--aggregates", aggregates, "--output", dir + "/out-\(slug)-\(language)", "--lang", language]
                       + (strict ? ["--strict"] : []), environment: ["SOURCE_DATE_EPOCH": "1796181300"])
}

@Suite(.serialized) struct ReportStageTests {
    /// SPEC §4.5: for all data the span printed runs from the first to the last dated record, activities
    /// included (the agreement of 14/01/2016); a period prints its own bounds, not its records' dates.
    @Test(arguments: [("", "vi", "toàn bộ dữ liệu, từ 02/01/2013 đến 14/01/2016"), ("2015-Q2", "vi", "quý II/2015 (từ 01/04/2015 đến 30/06/2015)"),
                      ("2014", "vi", "năm 2014 (từ 01/01/2014 đến 31/12/2014)"), ("", "en", "all data, 2 January 2013 to 14 January 2016")])
    func thePeriodPrintedHoldsEveryRecordCounted(_ period: String, _ language: String, _ printed: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try reportRun(dir, period: period, language: language).status == 0)
        let out = dir + "/out-\(period.isEmpty ? "all" : period)-\(language)"
        #expect(readText(out + "/report.md").contains(printed), "\(readText(out + "/report.md").prefix(300))")
        let manifest = readText(out + "/manifest.json")
        if period.isEmpty { #expect(manifest.contains("2016-01-14") || readText(out + "/tables/activities_by_kind.csv").contains("2016")) }
    }

    /// An empty period: one sentence in the news, a warning on stderr, and with --strict exit 65 leaving the
    /// published report as it was.
    @Test func anEmptyPeriodIsSaidOnceWarnedAndFailsUnderStrict() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let run = try reportRun(dir, period: "2020", language: "vi")
        try #require(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning") && run.stderr.contains("PERIOD=2020"), "\(run.stderr)")
        let news = readText(dir + "/out-2020-vi/news.md")
        #expect(news.contains("Trong năm 2020 chưa có lượt khảo sát nào và chưa ghi nhận hoạt động hợp tác nào."))
        for banned in ["0 đơn vị", "–", "so với"] { #expect(!news.contains(banned), "news.md says \(banned): \(news)") }

        let before = readText(dir + "/out-2020-vi/report.md")
        let strict = try reportRun(dir, period: "2020", language: "vi", strict: true)
        #expect(strict.status == 65, "\(strict.stderr)")
        #expect(strict.stderr.split(separator: "\n").count == 1 && strict.stderr.contains("STRICT=1"), "\(strict.stderr)")
        #expect(readText(dir + "/out-2020-vi/report.md") == before)
    }

    /// SPEC §4.5: the first quarter of the data is compared with nothing (2012 has no record).
    @Test func theFirstQuarterIsComparedWithNothingBeforeTheData() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try reportRun(dir, period: "2013-Q1", language: "vi").status == 0)
        let news = readText(dir + "/out-2013-Q1-vi/news.md")
        for banned in ["0 đơn vị", "–", "so với", "2012"] { #expect(!news.contains(banned), "news.md says \(banned): \(news)") }
        #expect(news.contains("chưa có lượt khảo sát nào trong lĩnh vực Công nghệ năng lượng mới và Công nghệ tự động hóa"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out-2013-Q1-vi/tables/comparison.csv"))
    }

    /// Every table of report.md, rendered by cmark-gfm as GitHub does, has as many cells in each row as in its
    /// header; and every chart link resolves to an SVG beside a PNG.
    @Test(arguments: [("", "vi"), ("2015-Q2", "en"), ("2020", "vi")])
    func everyTableRendersWithItsColumns(_ period: String, _ language: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try reportRun(dir, period: period, language: language).status == 0)
        let out = dir + "/out-\(period.isEmpty ? "all" : period)-\(language)"
        let html = try runProgram("cmark-gfm", ["--extension", "table", out + "/report.md"])
        try #require(html.status == 0, "cmark-gfm (installed by make test): \(html.stderr)")
        let tables = html.stdout.components(separatedBy: "<table>").dropFirst()
        #expect(tables.count >= 7, "report.md renders \(tables.count) tables")
        for table in tables {
            let body = table.components(separatedBy: "</table>")[0]
            let rows = body.components(separatedBy: "<tr>").dropFirst()
            let header = rows.first.map { $0.components(separatedBy: "<th").count - 1 } ?? 0
            #expect(header > 1)
            for row in rows.dropFirst() {
                #expect(row.components(separatedBy: "<td").count - 1 == header, "a row has other than \(header) cells: \(row)")
            }
        }
        let charts = try FileManager.default.contentsOfDirectory(atPath: out + "/charts")
        for svg in charts where svg.hasSuffix(".svg") {
            #expect(charts.contains(svg.replacingOccurrences(of: ".svg", with: ".png")), "\(svg) has no PNG")
            #expect(readText(out + "/report.md").contains("charts/\(svg)"))
        }
    }
}
