// WorkbookContent.swift: each published table as a sheet of typed cells, in the report's language, with its
// chart; the sources sheet.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct WorkbookContentTests {
    private func fieldTable() -> PublishedTable {
        let rows: [[TableValue]] = [
            [.key("biotech"), .count(19), .count(18), .count(94), .count(50), .percent(532), .percent(450)],
            [.key("environment"), .count(0), .count(0), .count(0), .count(0), .percent(nil), .percent(0)],
            [.total, .count(1234), .count(18), .count(94), .count(50), .percent(532), .percent(1000)],
        ]
        return PublishedTable(.byField, columns: ["field"] + Measure.survey.map(\.rawValue), rows: rows, totalRows: [2])
    }

    @Test func aTableSheetHoldsLabelsAsTextAndFiguresAsNumbers() {
        let sheet = tableSheet(fieldTable(), name: "Theo lĩnh vực", language: .vi, periodLabel: "quý II/2015")
        #expect(sheet.rows[0] == ["Lĩnh vực", "Lượt đơn vị", "Số đơn vị", "Công nghệ tìm kiếm", "Công nghệ đề xuất", "Tỷ lệ đề xuất", "Tỷ trọng tìm kiếm"].map { .text($0) })
        #expect(sheet.rows[1] == [.text("Công nghệ sinh học"), .number(19, .count), .number(18, .count), .number(94, .count), .number(50, .count),
                                  .number(0.532, .percent), .number(0.45, .percent)])
        // A rate without a divisor is an empty cell, not a zero.
        #expect(sheet.rows[2][5] == .blank(.percent))
        #expect(sheet.rows[3][0] == .text("Tổng"))
        #expect(sheet.boldRows == [0, 3])
        #expect(sheet.table == WorkbookRange(firstRow: 0, firstColumn: 0, lastRow: 3, lastColumn: 6))
    }

    /// The displayed percentage is the CSV's: the cell holds the rounded figure as a fraction.
    @Test(arguments: [532, 1000, 0, 1, 999, -125])
    func ratesAreTheRoundedFigureAsAFraction(tenths: Int) {
        let cell = workbookCell(.percent(tenths), column: "proposal_rate_pct", budgetFormat: .count, .vi)
        guard case .number(let value, let format) = cell else {
            Issue.record("\(cell) is not a number cell")
            return
        }
        #expect(format == .percent)
        #expect(String(format: "%.1f", value * 100) == formatTenths(tenths))
    }

    @Test func aMissingComparisonIsAnEmptyCellFormattedLikeItsColumn() {
        #expect(workbookCell(.missing, column: "previous_period", budgetFormat: .count, .vi) == .blank(.count))
        #expect(workbookCell(.missing, column: "change_pct_vs_previous", budgetFormat: .count, .vi) == .blank(.percent))
    }

    @Test func budgetsKeepTheDecimalsTheColumnNeeds() {
        let table = PublishedTable(.activitiesByCountry, columns: ["partner_country"] + Measure.activity.map(\.rawValue), rows: [
            [.key("Nhật Bản"), .count(1), .count(13), .count(700), .count(120), .budget(Budget(thousandths: 5_132_500))],
            [.total, .count(1), .count(13), .count(700), .count(120), .budget(Budget(thousandths: 5_132_000))],
        ], totalRows: [1])
        let sheet = tableSheet(table, name: "x", language: .en, periodLabel: "Q2 2015")
        #expect(sheet.rows[1][5] == .number(5132.5, WorkbookNumberFormat(pattern: "#,##0.0")))
        #expect(sheet.rows[2][5] == .number(5132, WorkbookNumberFormat(pattern: "#,##0.0")))
        #expect(sheet.rows[2][0] == .text("Total"))
    }

    @Test func theFieldChartSitsBesideTheTableOverTheFieldRows() throws {
        let sheet = tableSheet(fieldTable(), name: "Theo lĩnh vực", language: .vi, periodLabel: "quý II/2015")
        let chart = try #require(sheet.charts.first)
        #expect(sheet.charts.count == 1)
        #expect(chart.kind == .bar)
        #expect(chart.title == "Công nghệ tìm kiếm và đề xuất theo lĩnh vực\nquý II/2015")
        #expect(chart.valueAxisTitle == "Số công nghệ/tiến bộ kỹ thuật" && chart.categoryAxisTitle == "Lĩnh vực")
        #expect(chart.row == 0 && chart.column == 8)
        // Rows 2–3 (the fields), not the total.
        #expect(chart.categories == WorkbookRange(firstRow: 1, firstColumn: 0, lastRow: 2, lastColumn: 0))
        #expect(chart.series.map(\.values) == [WorkbookRange(firstRow: 1, firstColumn: 3, lastRow: 2, lastColumn: 3),
                                               WorkbookRange(firstRow: 1, firstColumn: 4, lastRow: 2, lastColumn: 4)])
    }

    @Test func theTrendChartPlotsTheQuarterTotals() throws {
        var rows: [[TableValue]] = []
        var totals = Set<Int>()
        for (quarter, found) in [("2015-Q1", 10), ("2015-Q2", 7)] {
            rows.append([.key(quarter), .key("biotech"), .count(1), .count(1), .count(found), .count(2), .percent(200), .percent(1000)])
            totals.insert(rows.count)
            rows.append([.key(quarter), .total, .count(1), .count(1), .count(found), .count(2), .percent(200), .percent(1000)])
        }
        let table = PublishedTable(.byPeriod, columns: ["period", "field"] + Measure.survey.map(\.rawValue), rows: rows, totalRows: totals)
        let sheet = tableSheet(table, name: "Theo quý", language: .vi, periodLabel: "quý II/2015")
        let chart = try #require(sheet.charts.first)
        #expect(chart.kind == .line)
        #expect(chart.title == "Xu hướng theo quý\nquý II/2015")
        #expect(chart.categoryAxisTitle == "Quý")
        // The block right of the table (column J on) holds quarter, found, proposed of each total row.
        #expect(Array(sheet.rows[0][9...]) == [.text("Quý"), .text("Công nghệ tìm kiếm"), .text("Công nghệ đề xuất")])
        #expect(Array(sheet.rows[1][9...]) == [.text("Quý I/2015"), .number(10, .count), .number(2, .count)])
        #expect(Array(sheet.rows[2][9...]) == [.text("Quý II/2015"), .number(7, .count), .number(2, .count)])
        #expect(chart.categories == WorkbookRange(firstRow: 1, firstColumn: 9, lastRow: 2, lastColumn: 9))
        #expect(chart.series.map(\.values.firstColumn) == [10, 11])
        // The table itself is unchanged by the block.
        #expect(sheet.table == WorkbookRange(firstRow: 0, firstColumn: 0, lastRow: 4, lastColumn: 7))
        #expect(Array(sheet.rows[1][0..<8]) == [.text("Quý I/2015"), .text("Công nghệ sinh học"), .number(1, .count), .number(1, .count),
                                                .number(10, .count), .number(2, .count), .number(0.2, .percent), .number(1, .percent)])
    }

    @Test(arguments: Language.allCases)
    func everyTableHasAnAcceptableDistinctSheetName(language: Language) {
        var taken: [String] = []
        for name in TableID.allCases {
            let title = tableSheetTitle(name, language)
            #expect(title != name.rawValue, "\(name) has no sheet title in \(language)")
            let sheetName = workbookSheetName(title, taken: taken)
            #expect(sheetName == title, "\(title) is not a name Excel accepts as it is")
            taken.append(sheetName)
        }
    }

    @Test func theSourcesSheetAccountsForEveryFile() {
        var file = FileSummary(file: "returns/2015.csv", kind: "returns", sha256: String(repeating: "ab", count: 32), bytes: 10,
                               encoding: "utf-8", encodingSource: "detected", delimiter: ",")
        file.rowsRead = 5
        file.rowsAccepted = 3
        file.rowsRejected = 1
        file.rowsSuperseded = 1
        file.warnings = ["a warning"]
        let summary = IngestSummary(files: [file])
        let aggregates = Aggregates(period: Period.all, firstSurveyDate: nil, lastSurveyDate: nil,
                                    byField: SurveyTable(keyColumns: [], rows: []), byPeriod: SurveyTable(keyColumns: [], rows: []),
                                    byUnitType: SurveyTable(keyColumns: [], rows: []), byDistrict: SurveyTable(keyColumns: [], rows: []),
                                    activitiesByKind: ActivityTable(keyColumns: [], rows: []), activitiesByCountry: ActivityTable(keyColumns: [], rows: []),
                                    returnsOutOfPeriod: 2, activitiesOutOfPeriod: 0, comparisons: [])
        let sheet = sourcesSheet(name: "Sources", summary: summary, aggregates: aggregates, language: .en, periodLabel: "all data", generatedAt: "2026-01-02T03:04:05+07:00")
        #expect(sheet.rows[1] == [.text("Period"), .text("all data")])
        #expect(sheet.rows[2] == [.text("Generated"), .text("2026-01-02T03:04:05+07:00")])
        let fileRow = sheet.rows.first { $0.first == .text("returns/2015.csv") }
        #expect(fileRow == [.text("returns/2015.csv"), .text("returns"), .text(String(repeating: "ab", count: 32)), .text("utf-8"), .text(","),
                            .number(5, .count), .number(3, .count), .number(1, .count), .number(1, .count), .number(0, .count), .text("yes")])
        #expect(sheet.rows.contains { $0 == [.text("Outside the period (not counted), unit-visits"), .number(2, .count)] })
        #expect(sheet.rows.contains { $0 == [.text("returns/2015.csv: a warning")] })
        #expect(sheet.table == nil)
    }
}
