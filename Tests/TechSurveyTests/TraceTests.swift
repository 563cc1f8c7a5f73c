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
        try trace(dir, table: table, rows: [row], measure: measure, period: period)
    }

    /// The same with one `--row` per value.
    static func trace(_ dir: String, table: String, rows: [String], measure: String, period: String = "") throws -> (lines: [String], total: String) {
        let run = try runTool("techsurvey-trace", ["--stage", dir + "/stage", "--table", table] + rows.flatMap { ["--row", $0] } + ["--measure", measure, "--period", period])
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
                // The row as its CSV line says it, and as one --row per key cell.
                var line = CSVWriter(crlf: false)
                line.writeRow(Array(row.prefix(sample.keys)))
                let asLine = try Self.trace(dir, table: sample.table, row: String(line.output.dropLast()), measure: sample.measure)
                let asCells = try Self.trace(dir, table: sample.table, rows: Array(row.prefix(sample.keys)), measure: sample.measure)
                #expect(asLine.total == row[column], "\(sample.table) \(row.prefix(sample.keys)) \(sample.measure)")
                #expect(asCells.total == row[column], "\(sample.table) \(row.prefix(sample.keys)) \(sample.measure)")
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

    /// Issue 10 class 11: a district named like the total row is never taken for it, in by_district.csv,
    /// report.md or trace, and a label with a comma can be traced.
    @Test func aLabelNamedTotalIsNeverTheTotalRow() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/returns/r.csv", """
            unit_id,district,field,survey_date,technologies_found,technologies_proposed
            U1,total,biotech,2015-01-02,3,1
            U2,total,energy,2015-02-02,4,1
            U3,Tổng,energy,2015-02-03,5,1
            U4,"Lê Chân, Kiến An",biotech,2015-04-03,6,1
            U5,Ngô Quyền,materials,2015-05-03,7,1

            """)
        let run = try runPipeline(input: dir + "/in", output: dir + "/out", stage: dir + "/stage")
        try #require(run.status == 0, "\(run.stderr)")
        let rows = try readCSV(dir + "/out/tables/by_district.csv")
        let keys = rows.dropFirst().map { $0[0] }
        #expect(keys.filter { $0 == "total" } == ["total"], "\(keys)")
        #expect(keys.last == "total")
        #expect(Set(keys) == ["'total", "'Tổng", "Lê Chân, Kiến An", "Ngô Quyền", "total"], "\(keys)")
        let visits = Dictionary(rows.dropFirst().map { ($0[0], $0[1]) }, uniquingKeysWith: { a, _ in a })
        #expect(visits["total"] == "5" && visits["'total"] == "2" && visits["'Tổng"] == "1")

        let report = readText(dir + "/out/report.md")
        let districtTable = report.components(separatedBy: "## ").first { $0.contains("theo quận/huyện") } ?? ""
        let boldTotals = districtTable.split(separator: "\n").filter { $0.contains("**Tổng**") }
        #expect(boldTotals.count == 1, "\(districtTable)")
        #expect(districtTable.contains("| 'total ") && districtTable.contains("| 'Tổng "), "\(districtTable)")

        #expect(try Self.trace(dir, table: "by_district", row: "total", measure: "unit_visits").total == "5")
        #expect(try Self.trace(dir, table: "by_district", row: "'total", measure: "unit_visits").total == "2")
        #expect(try Self.trace(dir, table: "by_district", row: "'Tổng", measure: "technologies_found").total == "5")
        #expect(try Self.trace(dir, table: "by_district", row: "Lê Chân, Kiến An", measure: "technologies_found").total == "6")
        #expect(try Self.trace(dir, table: "by_district", row: "\"Lê Chân, Kiến An\"", measure: "technologies_found").total == "6")
        #expect(try Self.trace(dir, table: "by_period", rows: ["2015-Q1", "energy"], measure: "technologies_found").total == "9")
        #expect(try Self.trace(dir, table: "by_period", row: "2015-Q1,total", measure: "technologies_found").total == "12")
    }

    @Test(arguments: [
        (["biotech"], "by_field", ["biotech"]),
        ([" total "], "by_field", ["total"]),
        (["Lê Chân, Kiến An"], "by_district", ["Lê Chân, Kiến An"]),
        (["\"Lê Chân, Kiến An\""], "by_district", ["Lê Chân, Kiến An"]),
        (["\"Nhà \"\"A\"\"\""], "by_district", ["Nhà \"A\""]),
        (["a\nb"], "by_district", ["a\nb"]),
        (["2015-Q3,biotech"], "by_period", ["2015-Q3", "biotech"]),
        (["2015-Q3", "biotech"], "by_period", ["2015-Q3", "biotech"]),
        (["research_task,\"total\""], "activities_by_kind", ["research_task", "total"]),
        (["2015-Q3,a,b"], "by_period", ["2015-Q3", "a", "b"]),
        (["2015-Q3"], "by_period", ["2015-Q3"]),
    ])
    func rowValuesBecomeKeyCells(values: [String], table: String, cells: [String]) throws {
        #expect(try TraceQuery.keyCells(values, table: table) == cells)
    }

    /// Trace answers "where does this figure come from?" (SPEC §1): a district or country that is not a row
    /// of its free-label table (a typo) printed "sum 0" with exit 0; it is a usage error as for by_field.
    @Test(arguments: [("by_district", "Quận Không Có", "technologies_found"), ("activities_by_country", "Nước Không Có", "activities")])
    func tracingAFreeLabelThatIsNotInTheTableIsAUsageError(table: String, row: String, measure: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let run = try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage")
        #expect(run.status == 0, "\(run.stderr)")
        let published = try readCSV(dir + "/out/tables/\(table).csv").dropFirst().map { $0[0] }
        #expect(!published.contains(row))
        let trace = try runTool("techsurvey-trace", ["--stage", dir + "/stage", "--table", table, "--row", row, "--measure", measure])
        #expect(trace.status == 64, "exit \(trace.status); stdout:\n\(trace.stdout)\nstderr:\n\(trace.stderr)")
        #expect(trace.stderr.contains("does not name a row of \(table)") && trace.stderr.split(separator: "\n").count == 1, "\(trace.stderr)")
        // A label the table has still traces.
        let known = try #require(published.first { $0 != "total" && !$0.isEmpty })
        let good = try runTool("techsurvey-trace", ["--stage", dir + "/stage", "--table", table, "--row", known, "--measure", measure])
        #expect(good.status == 0, "\(known): \(good.stderr)")
    }
}
