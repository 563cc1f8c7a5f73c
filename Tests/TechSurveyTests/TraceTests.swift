// Trace: for every cell of the bundled by_field.csv (and samples of the other tables), the listed records
// add up to the published figure.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct TraceTests {
    static func published(_ dir: String, period: String = "") throws -> String {
        let result = try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage", period: period)
        #expect(result.status == 0, "\(result.stderr)")
        return dir + "/out/tables"
    }

    /// Runs the trace executable; returns its listed values and its last line's figure.
    static func trace(_ dir: String, table: String, row: String, measure: String, period: String = "") throws -> (lines: [String], total: String) {
        let run = try runTool("techsurvey-trace", ["--stage", dir + "/stage", "--table", table, "--row", row, "--measure", measure, "--period", period])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let body = lines.dropFirst().dropLast()
        #expect(body.allSatisfy { $0.contains(".csv:") || $0.contains(".xlsx#") }, "every line names file:row (a workbook as file#sheet:row)")
        return (Array(body), String(lines.last?.split(separator: "\t").last ?? ""))
    }

    @Test(arguments: ["", "2014", "2013-Q3..2014-Q2"])
    func everyByFieldCellIsItsRecordsSum(_ period: String) throws {
        let dir = scratchFolder("trace\(period)")
        defer { removeFolder(dir) }
        let tables = try Self.published(dir, period: period)
        let rows = try readCSV(tables + "/by_field.csv")
        let header = rows[0]
        for row in rows.dropFirst() {
            for (column, cell) in zip(header, row).dropFirst() {
                let traced = try Self.trace(dir, table: "by_field", row: row[0], measure: column, period: period)
                #expect(traced.total == cell, "\(row[0]) \(column): trace says \(traced.total), table says \(cell)")
                if ["technologies_found", "technologies_proposed", "unit_visits"].contains(column) {
                    let sum = traced.lines.compactMap { $0.split(separator: "\t").last.flatMap { Int($0) } }.reduce(0, +)
                    #expect(String(sum) == cell, "listed values of \(row[0]) \(column) add to \(sum), not \(cell)")
                }
            }
        }
    }

    @Test func otherTablesTraceToo() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let tables = try Self.published(dir)
        let samples: [(table: String, keys: Int, measure: String)] = [
            ("by_period", 2, "technologies_found"), ("by_unit_type", 1, "technologies_proposed"), ("by_district", 1, "unit_visits"),
            ("activities_by_kind", 2, "budget_million_vnd"), ("activities_by_kind", 2, "visitors"), ("activities_by_country", 1, "activities"),
        ]
        for sample in samples {
            let rows = try readCSV(tables + "/\(sample.table).csv")
            let column = try #require(rows[0].firstIndex(of: sample.measure))
            for row in rows.dropFirst() {
                let traced = try Self.trace(dir, table: sample.table, row: row.prefix(sample.keys).joined(separator: ","), measure: sample.measure)
                #expect(traced.total == row[column], "\(sample.table) \(row.prefix(sample.keys)) \(sample.measure)")
            }
        }
    }

    @Test func unknownRowOrMeasureIsAUsageError() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        _ = try Self.published(dir)
        let badRow = try runTool("techsurvey-trace", ["--stage", dir + "/stage", "--table", "by_field", "--row", "biotec", "--measure", "technologies_found"])
        #expect(badRow.status == 64)
        let badMeasure = try runTool("techsurvey-trace", ["--stage", dir + "/stage", "--table", "by_field", "--row", "biotech", "--measure", "found"])
        #expect(badMeasure.status == 64)
    }
}
