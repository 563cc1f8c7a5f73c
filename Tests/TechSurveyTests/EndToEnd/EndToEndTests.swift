// End to end: the built executables on the bundled 2013–2015 data must reproduce SPEC §1's table.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct EndToEndTests {
    /// SPEC §1 and §4.1: the published 2013–2015 table, computed from the bundled rows.
    @Test func bundledInputReproducesThePublishedTable() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let result = try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage")
        #expect(result.status == 0, "stderr: \(result.stderr)")

        let rows = try readCSV(dir + "/out/tables/by_field.csv")
        #expect(rows.first == ["field", "unit_visits", "distinct_units", "technologies_found", "technologies_proposed", "proposal_rate_pct", "share_of_found_pct"])
        let expected: [(String, String, String, String, String)] = [
            ("biotech", "19", "94", "50", "53.2"),
            ("environment", "11", "25", "23", "92.0"),
            ("energy", "9", "20", "11", "55.0"),
            ("automation", "15", "30", "10", "33.3"),
            ("materials", "12", "40", "32", "80.0"),
            ("total", "66", "209", "126", "60.3"),
        ]
        #expect(rows.count == expected.count + 1)
        for (row, want) in zip(rows.dropFirst(), expected) {
            #expect(row[0] == want.0)
            #expect(row[1] == want.1, "unit_visits of \(want.0)")
            #expect(row[3] == want.2, "technologies_found of \(want.0)")
            #expect(row[4] == want.3, "technologies_proposed of \(want.0)")
            #expect(row[5] == want.4, "proposal_rate_pct of \(want.0)")
        }
        let bytes = try #require(FileManager.default.contents(atPath: dir + "/out/tables/by_field.csv"))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "published CSVs start with a BOM")
    }

    @Test func newsCarriesEveryFieldInVietnameseAndEnglish() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try runPipeline(input: TestPaths.bundledInput, output: dir + "/vi", stage: dir + "/stage").status == 0)
        let vi = readText(dir + "/vi/news.md")
        #expect(vi.contains("Khảo sát tổng số tại 66 lượt đơn vị"))
        for (label, visits, found, proposed) in [
            ("Công nghệ sinh học", 19, 94, 50), ("Công nghệ môi trường", 11, 25, 23), ("Công nghệ năng lượng mới", 9, 20, 11),
            ("Công nghệ tự động hóa", 15, 30, 10), ("Công nghệ vật liệu mới", 12, 40, 32),
        ] {
            #expect(vi.contains("\(visits) lượt đơn vị thuộc lĩnh vực \(label)"), "a unit-visit is never called a unit (SPEC §4.5)")
            #expect(vi.contains("\(label): \(found)"))
            #expect(vi.contains("\(label): \(proposed)"))
        }
        #expect(vi.contains("209 công nghệ/tiến bộ kỹ thuật"))
        #expect(vi.contains("7 nhiệm vụ KH&CN (tổng kinh phí 5.132 triệu đồng)"))
        #expect(vi.contains("13 doanh nghiệp, 700 lượt khách, 120 cuộc kết nối"))
        #expect(vi.contains("8 triển lãm"))

        try #require(try runTool("techsurvey-report", ["--stage", dir + "/stage", "--output", dir + "/en", "--lang", "en"]).status == 0)
        let en = readText(dir + "/en/news.md")
        #expect(en.contains("66 unit-visits"))
        // English news: field names in lower case in prose, numbers under ten in words (SPEC §4.5).
        for (label, visits, found, proposed) in [
            ("biotechnology", "19", "94", "50"), ("environmental technology", "11", "25", "23"), ("new energy technology", "nine", "20", "11"),
            ("automation technology", "15", "30", "10"), ("new materials technology", "12", "40", "32"),
        ] {
            #expect(en.contains("\(visits) in \(label)"))
            #expect(en.contains("\(found) in \(label)"))
            #expect(en.contains("\(proposed) in \(label)"))
        }
        #expect(en.contains("seven research tasks (a total budget of 5,132 million VND)"))
    }

    @Test func everyOutputIsWrittenAndTheManifestReconciles() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage").status == 0)
        for name in ["report.md", "report.xlsx", "news.md", "rejects.csv", "superseded.csv", "manifest.json", "tables/datapackage.json", "tables/by_field.csv", "tables/by_period.csv",
                     "tables/by_unit_type.csv", "tables/by_district.csv", "tables/activities_by_kind.csv", "tables/activities_by_country.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/out/" + name), "missing \(name)")
        }
        let manifest = try JSONDecoder().decode(Manifest.self, from: try #require(FileManager.default.contents(atPath: dir + "/out/manifest.json")))
        #expect(manifest.reconciles)
        #expect(manifest.rowsRead == manifest.rowsAccepted + manifest.rowsRejected + manifest.rowsSuperseded)
        #expect(manifest.files.allSatisfy { $0.sha256.count == 64 })
        // 66 returns and 22 activities, all clean.
        #expect(manifest.rowsRead == 88)
        #expect(manifest.rowsRejected == 0)
    }

    @Test func activitiesTablesCarryTheProgrammeFigures() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage").status == 0)
        let rows = try readCSV(dir + "/out/tables/activities_by_kind.csv")
        #expect(rows.first == ["kind", "year", "activities", "businesses", "visitors", "connections", "budget_million_vnd"])
        #expect(rows.contains(["research_task", "total", "7", "0", "0", "0", "5132"]))
        #expect(rows.contains(["connection_session", "total", "1", "13", "700", "120", "0"]))
        #expect(rows.contains { $0.prefix(3) == ["exhibition", "total", "8"] })
    }

    @Test func executablesExplainThemselves() throws {
        for tool in ["techsurvey-ingest", "techsurvey-aggregate", "techsurvey-report"] {
            let help = try runTool(tool, ["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE"))
            #expect(help.stdout.contains("--stage"))
        }
    }

    @Test func missingInputFolderExits66WithOneLine() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let result = try runTool("techsurvey-ingest", ["--input", dir + "/nope", "--stage", dir + "/stage"])
        #expect(result.status == 66)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("does not exist"))
    }

    @Test func badPeriodIsAUsageError() throws {
        let result = try runTool("techsurvey-aggregate", ["--stage", "/nonexistent", "--period", "2015-Q5"])
        #expect(result.status == 64)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("PERIOD='2015-Q5' is not a period"))
    }

    @Test(arguments: [["techsurvey-ingest", "--bogus"], ["techsurvey-report", "--lang", "fr"], ["techsurvey-trace", "--table", "by_field"]])
    func usageErrorsAreOneLineAndExit64(_ command: [String]) throws {
        let result = try runTool(command[0], Array(command.dropFirst()))
        #expect(result.status == 64)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix(command[0] + ": "))
    }
}
