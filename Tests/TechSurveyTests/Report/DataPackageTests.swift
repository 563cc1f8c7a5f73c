// DataPackage.swift: tables/datapackage.json describes every published CSV, every column's type and
// meaning, and how total rows are marked; `frictionless validate` passes on every report (SPEC §4.4).

import Foundation
import Testing
@testable import TechSurvey

@Suite struct DataPackageTests {
    @Test func totalRowsAreMarkedByTheirMostSpecificKey() {
        let byKind = PublishedTable(.activitiesByKind, columns: ["kind", "year", "activities"], rows: [
            [.key("exhibition"), .key("2014"), .count(2)],
            [.key("exhibition"), .total, .count(2)],
            [.total, .total, .count(2)],
        ], totalRows: [1, 2])
        #expect(totalMarkers(byKind) == ["year": "total"])
        let byField = PublishedTable(.byField, columns: ["field", "unit_visits"], rows: [
            [.key("biotech"), .count(1)], [.total, .count(1)],
        ], totalRows: [1])
        #expect(totalMarkers(byField) == ["field": "total"])
        // A district named "total" is published as 'total, so the total row keeps its marker.
        let clash = PublishedTable(.byDistrict, columns: ["district", "unit_visits"], rows: [
            [.key("total"), .count(1)], [.total, .count(1)],
        ], totalRows: [1])
        #expect(totalMarkers(clash) == ["district": "total"])
        let none = PublishedTable(.byDistrict, columns: ["district"], rows: [[.key("a")]], totalRows: [])
        #expect(totalMarkers(none) == [:])
    }

    /// Runs the pipeline into `dir` (the caller's scratch folder, removed by its `defer` even when this fails).
    private func runReport(in dir: String, period: String, language: String) throws -> [String: Any] {
        let result = try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage", period: period, language: language)
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let data = try #require(FileManager.default.contents(atPath: dir + "/out/tables/datapackage.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Every CSV under tables/ is a resource, with every column in order, typed and described, and its
    /// totals marked by a value that picks exactly the CSV's total rows.
    @Test(arguments: [("", "vi"), ("2015-Q2", "en")])
    func everyPublishedCSVIsDescribed(period: String, language: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let package = try runReport(in: dir, period: period, language: language)
        let resources = package["resources"] as? [[String: Any]] ?? []
        let csvs = try FileManager.default.contentsOfDirectory(atPath: dir + "/out/tables").filter { $0.hasSuffix(".csv") }.sorted()
        #expect(csvs.count >= 6, "the six tables of SPEC §4.1 at least: \(csvs)")
        #expect(resources.compactMap { $0["path"] as? String }.sorted() == csvs)
        #expect(csvs.contains("comparison.csv") == !period.isEmpty)
        for resource in resources {
            let path = resource["path"] as? String ?? ""
            let rows = try readCSV(dir + "/out/tables/" + path)
            let schema = resource["schema"] as? [String: Any] ?? [:]
            let fields = schema["fields"] as? [[String: Any]] ?? []
            #expect(fields.compactMap { $0["name"] as? String } == rows.first, "\(path): fields against the header")
            for field in fields {
                #expect(["string", "integer", "number"].contains(field["type"] as? String ?? ""), "\(path): \(field)")
                #expect(!(field["description"] as? String ?? "").isEmpty, "\(path): \(field["name"] ?? "?") has no description")
                #expect(!(field["title"] as? String ?? "").isEmpty, "\(path): \(field["name"] ?? "?") has no title")
            }
            let markers = resource["totalRows"] as? [String: String] ?? [:]
            try #require(markers.count == 1, "\(path): total rows marked by \(markers)")
            let (column, value) = try #require(markers.first)
            let index = try #require(rows.first?.firstIndex(of: column))
            let totals = rows.dropFirst().filter { $0[index] == value }
            #expect(!totals.isEmpty)
            // For the headline table, the rows left after dropping the totals add up to the total.
            if path == "by_field.csv", let found = rows.first?.firstIndex(of: "technologies_found") {
                let sum = rows.dropFirst().filter { $0[index] != value }.compactMap { Int($0[found]) }.reduce(0, +)
                #expect(String(sum) == totals.first?[found])
            }
        }
    }

    @Test(arguments: [("", "vi"), ("2015-Q2", "en")])
    func frictionlessValidatesThePackage(period: String, language: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        _ = try runReport(in: dir, period: period, language: language)
        let result = try runProgram(try testPython(), ["-m", "frictionless", "validate", "--json", dir + "/out/tables/datapackage.json"])
        #expect(result.status == 0, "frictionless validate failed:\n\(result.stdout)\n\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(report?["valid"] as? Bool == true, "\(result.stdout)")
    }

    /// Labels with quotes, commas, a formula's look and Vietnamese letters still validate: the dialect says
    /// how the CSV quotes them.
    @Test func hostileLabelsStillValidate() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = dir + "/input"
        try FileManager.default.copyItem(atPath: TestPaths.bundledInput, toPath: input)
        writeDistrictLabels(["=HYPERLINK(\"http://x\",\"y\")", "Quận \"Mới\", khu 2", "-1", "Thủy Nguyên ", "@x"], in: input)
        let result = try runPipeline(input: input, output: dir + "/out", stage: dir + "/stage")
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let validate = try runProgram(try testPython(), ["-m", "frictionless", "validate", "--json", dir + "/out/tables/datapackage.json"])
        #expect(validate.status == 0, "frictionless validate failed:\n\(validate.stdout)\n\(validate.stderr)")
    }

    /// Validation is not lax: a count that is not a number fails it.
    @Test func frictionlessRejectsAWrongCell() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        _ = try runReport(in: dir, period: "", language: "vi")
        let path = dir + "/out/tables/by_field.csv"
        writeFile(path, readText(path).replacingOccurrences(of: "biotech,19,", with: "biotech,19x,"))
        let result = try runProgram(try testPython(), ["-m", "frictionless", "validate", "--json", dir + "/out/tables/datapackage.json"])
        #expect(result.status != 0, "frictionless accepted 19x as an integer:\n\(result.stdout)")
    }
}
