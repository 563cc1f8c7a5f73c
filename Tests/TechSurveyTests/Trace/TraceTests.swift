// Trace: for every cell of the bundled by_field.csv, and for every table × measure of the spec on a fixture
// with resubmissions, empty districts and Vietnamese labels, the traced figure is the published cell and the
// listed records make it up.

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

    /// Returns and activities with resubmissions, an empty district, spellings of one district, a district
    /// named like the total row, Vietnamese labels, an activity without a country.
    static func writeMixedInput(_ dir: String) {
        writeFile(dir + "/returns/r.csv", """
            unit_id,unit_type,district,field,survey_date,technologies_found,technologies_proposed,submitted_at
            U1,Doanh nghiệp,Lê Chân,CN sinh học,2015-01-05,5,2,2015-01-06
            U1,Doanh nghiệp,Lê Chân,CN sinh học,2015-01-05,7,3,2015-02-01
            U2,Viện,LÊ CHÂN,Công nghệ môi trường,10/04/2015,3,3,
            U3,Trường,,Tự động hóa,2014-11-20,4,1,
            U4,Cơ quan,Tổng,Năng lượng mới,2015-05-02,0,0,
            U5,Công ty,Ngô Quyền,Vật liệu mới,2015-06-30,9,4,
            U1,DN,Le Chan,Vật liệu,2015-07-01,2,2,
            U6,,,CNSH,2015-02-14,6,0,
            U2,Viện,"Kiến An, Hải Phòng",biotech,2014-03-03,1,1,
            U5,Công ty,Ngô Quyền,Vật liệu mới,2015-06-30,8,1,2015-06-29

            """)
        writeFile(dir + "/activities/a.csv", """
            activity_id,date,kind,title,partner,partner_country,businesses,visitors,connections,budget_million_vnd
            A1,2015-03-01,Triển lãm,Triển lãm công nghệ,JETRO,Nhật Bản,13,700,120,0
            A2,2015-05-01,Nhiệm vụ KH&CN,Nhiệm vụ 1,Viện Hàn lâm,Việt Nam,0,0,0,5132.5
            A3,2014-10-01,Kết nối cung cầu,Phiên 1,,,4,50,12,0
            A4,2015-06-01,Đào tạo,Khoá 1,KOICA,Hàn Quốc,0,30,0,12.25
            A5,2015-08-01,Nhiệm vụ KH&CN,Nhiệm vụ 2,Viện Hàn lâm,VIỆT NAM,0,0,0,100

            """)
    }

    /// Every table and measure of the spec, every row, three periods: the traced figure is the cell of the
    /// published CSV, the listed values add up to it (sums) or are its units (distinct_units).
    @Test(arguments: ["", "2015", "2015-Q2"])
    func everyTableAndMeasureTracesToThePublishedCell(_ period: String) throws {
        let dir = scratchFolder("traceall\(period)")
        defer { removeFolder(dir) }
        Self.writeMixedInput(dir + "/in")
        let run = try runPipeline(input: dir + "/in", output: dir + "/out", stage: dir + "/stage", period: period)
        try #require(run.status == 0, "\(run.stderr)")
        let resubmitted = try readCSV(dir + "/out/superseded.csv")
        #expect(resubmitted.count == 3, "two returns are superseded: \(resubmitted)")
        for table in TableID.traceable {
            let rows = try readCSV(dir + "/out/tables/\(table.rawValue).csv")
            let keyCount = table.keyColumns.count
            #expect(rows.first == table.keyColumns + table.measures.map(\.rawValue), "\(table) header")
            #expect(rows.count > 1, "\(table) has rows")
            for row in rows.dropFirst() {
                for (column, measure) in table.measures.enumerated() {
                    var lines: [TraceLine] = []
                    let query = TraceQuery(table: table, row: try TraceQuery.keyCells(Array(row.prefix(keyCount)), table: table), measure: measure,
                                           period: try Period(parsing: period))
                    let figure = try runTrace(stage: StageFolder(dir + "/stage"), query: query) { lines.append($0) }
                    let cell = row[keyCount + column]
                    #expect(figure == cell, "\(table.rawValue) \(row.prefix(keyCount)) \(measure.rawValue): trace says \(figure), table says \(cell)")
                    let values = lines.map(\.value)
                    switch measure {
                    case .distinctUnits:
                        #expect(String(Set(values).count) == cell, "\(table.rawValue) \(row.prefix(keyCount)) units listed: \(values)")
                    case .budgetMillionVND:
                        var sum = Budget.zero
                        for v in values { sum = try sum.adding(parseBudget(v, decimalMark: ".").get()) }
                        #expect(sum.description == cell, "\(table.rawValue) \(row.prefix(keyCount)) budgets listed: \(values)")
                    case .proposalRatePct:
                        let pairs = values.map { $0.split(separator: "/").compactMap { Int($0) } }
                        let rate = percentTenths(pairs.map { $0.first ?? 0 }.reduce(0, +), of: pairs.map { $0.last ?? 0 }.reduce(0, +))
                        #expect(rate.map { formatTenths($0) } ?? "" == cell, "\(table.rawValue) \(row.prefix(keyCount)) proposed/found listed: \(values)")
                    case .shareOfFoundPct:
                        let found = try row[keyCount + #require(table.measures.firstIndex(of: .technologiesFound))]
                        #expect(String(values.compactMap { Int($0) }.reduce(0, +)) == found, "\(table.rawValue) \(row.prefix(keyCount)) found listed: \(values)")
                    default:
                        #expect(String(values.compactMap { Int($0) }.reduce(0, +)) == cell, "\(table.rawValue) \(row.prefix(keyCount)) \(measure.rawValue) listed: \(values)")
                    }
                }
            }
        }
    }

    /// Trace hands its lines out while it reads, so a damaged stage must be refused before the first line:
    /// its first pass (the period's keys) reads the whole file, checksum included, before any record is
    /// listed. A single-pass trace would list the earlier records of a file whose last one is damaged.
    @Test func aDamagedStageListsNoRecord() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let path = try PackedReturnsFileTests.damagedInItsLastRecord(in: dir)
        writeFile(dir + "/activities.csv", String(decoding: StageRecords.activitiesCSV([]), as: UTF8.self))
        var lines: [TraceLine] = []
        let query = TraceQuery(table: .byField, row: ["total"], measure: .technologiesFound, period: .all)
        #expect(throws: TechSurveyError(.data, "\(path) is damaged; run `make clean report` to rebuild the stage folder")) {
            _ = try runTrace(stage: StageFolder(dir), query: query) { lines.append($0) }
        }
        #expect(lines.isEmpty, "\(lines.count) line(s) listed from a damaged stage")
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
        #expect(try TraceQuery.keyCells(values, table: #require(TableID(rawValue: table))) == cells)
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
