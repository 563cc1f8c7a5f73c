// PERIOD (SPEC §5): every table counts exactly the records in the period; the rest are counted as out of
// period in the manifest. A single quarter is compared with the previous quarter and a year earlier.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct PeriodReportTests {
    @Test(arguments: ["2014", "2013-Q3..2014-Q2", "2015-Q4", "2013..2015"])
    func tablesCountExactlyThePeriod(_ text: String) throws {
        let dir = scratchFolder("period\(text)")
        defer { removeFolder(dir) }
        let run = try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage", period: text)
        try #require(run.status == 0, "\(run.stderr)")
        let period = try Period(parsing: text)
        let all = try PackedReturnsFile.Reader(dir + "/stage/returns.bin").returnRecords()
        let inside = all.filter { period.contains($0.surveyDate) }

        let total = try #require(try readCSV(dir + "/out/tables/by_field.csv").last)
        #expect(total[0] == "total")
        #expect(total[1] == String(inside.count))
        #expect(total[3] == String(inside.map(\.found).reduce(0, +)))
        #expect(total[4] == String(inside.map(\.proposed).reduce(0, +)))
        for table in ["by_unit_type", "by_district"] {
            let last = try #require(try readCSV(dir + "/out/tables/\(table).csv").last)
            #expect(last[1] == String(inside.count), "\(table) total")
        }
        let quarters = try readCSV(dir + "/out/tables/by_period.csv").dropFirst().filter { $0[1] == "total" }
        #expect(quarters.map { Int($0[2]) ?? -1 }.reduce(0, +) == inside.count)
        for q in quarters {
            let quarter = try #require(Quarter(parsing: q[0]))
            #expect(period.first.map { $0 <= quarter } ?? true, "quarter \(quarter) before the period")
            #expect(period.last.map { quarter <= $0 } ?? true, "quarter \(quarter) after the period")
        }

        let manifest = try JSONDecoder().decode(Manifest.self, from: FileManager.default.contents(atPath: dir + "/out/manifest.json") ?? Data())
        #expect(manifest.returnsOutOfPeriod == all.count - inside.count)
        #expect(manifest.period == text)
    }

    @Test func aLaterReportWithoutComparisonRemovesTheOldComparisonTable() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage", period: "2015-Q2").status == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/out/tables/comparison.csv"))
        try #require(try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage").status == 0)
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/tables/comparison.csv"))
        #expect(FileManager.default.fileExists(atPath: dir + "/out/tables/by_field.csv"))
    }

    @Test func aQuarterIsComparedWithThePreviousQuarterAndAYearEarlier() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage", period: "2015-Q2").status == 0)
        let all = try PackedReturnsFile.Reader(dir + "/stage/returns.bin").returnRecords()
        func found(_ q: String) -> Int {
            all.filter { $0.surveyDate.quarter.description == q }.map(\.found).reduce(0, +)
        }
        let rows = try readCSV(dir + "/out/tables/comparison.csv")
        let row = try #require(rows.first { $0[0] == "total" && $0[1] == "technologies_found" })
        let now = found("2015-Q2"), previous = found("2015-Q1"), earlier = found("2014-Q2")
        #expect(row[2] == String(now))
        #expect(row[3] == String(previous))
        #expect(row[4] == String(now - previous))
        #expect(row[5] == percentTenths(now - previous, of: previous).map { formatTenths($0) })
        #expect(row[6] == String(earlier))
        let news = readText(dir + "/out/news.md")
        let pct = try #require(percentTenths(abs(now - previous), of: previous))
        let word = now >= previous ? "tăng" : "giảm"
        #expect(news.contains("\(word) \(formatTenths(pct, decimalMark: ","))% so với quý trước"))
        #expect(news.contains("so với cùng kỳ năm trước"))
    }
}
