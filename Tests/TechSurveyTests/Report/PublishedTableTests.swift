// The published tables' model (Report/PublishedTable.swift): the total row is its own kind of cell, so no
// label can be mistaken for it (issue 10 class 11), and any figure a table can hold renders without a trap
// (issue 11 class 2).

import Foundation
import Testing
@testable import TechSurvey

@Suite struct PublishedTableTests {
    static func table(_ labels: [String], measures: SurveyMeasures = SurveyMeasures(unitVisits: 1, technologiesFound: 2, technologiesProposed: 1)) -> SurveyTable {
        var rows = labels.map { SurveyRow(keys: [$0], measures: measures, shareBase: measures.technologiesFound, isTotal: false) }
        rows.append(SurveyRow(keys: ["total"], measures: measures, shareBase: measures.technologiesFound, isTotal: true))
        return SurveyTable(keyColumns: ["district"], rows: rows)
    }

    @Test(arguments: ["total", "Total", "TOTAL", " total ", "Tổng", "TỔNG", "tong", "(chưa rõ)", "'total"])
    func aLabelThatReadsLikeTheTotalIsMarked(_ label: String) throws {
        let published = PublishedTable(.byDistrict, survey: Self.table([label, "Lê Chân"]))
        let csv = String(decoding: published.csv(), as: UTF8.self)
        let keys = csv.split(separator: "\r\n").dropFirst().map { String($0.split(separator: ",").first ?? "") }
        #expect(keys.filter { $0 == "total" }.count == 1, "\(keys)")
        #expect(keys.contains("'" + label) || keys.contains("\"'" + label + "\""), "\(keys)")
        for language in Language.allCases {
            let markdown = published.markdown(language)
            let totals = markdown.split(separator: "\n").filter { $0.hasPrefix("| " + language.totalLabel) || $0.hasPrefix("| **" + language.totalLabel) }
            #expect(totals.count == 1, "\(markdown)")
        }
    }

    @Test func ordinaryLabelsAreLeftAlone() {
        let published = PublishedTable(.byDistrict, survey: Self.table(["Lê Chân", "Tổng cục", "totally"]))
        let csv = String(decoding: published.csv(), as: UTF8.self)
        #expect(csv.contains("\r\nLê Chân,") && csv.contains("\r\nTổng cục,") && csv.contains("\r\ntotally,"))
    }

    @Test func anyFigureRendersWithoutATrap() throws {
        let extremes = [Int.max, Int.max - 1, Int.min, -1, 0, 9_300 * 999_999_999_999]
        for found in extremes {
            for proposed in extremes {
                let m = SurveyMeasures(unitVisits: Int.max, distinctUnits: Int.max, technologiesFound: found, technologiesProposed: proposed)
                let published = PublishedTable(.byField, survey: Self.table(["biotech", "energy"], measures: m))
                #expect(!published.markdown(.vi).isEmpty && !published.csv().isEmpty)
                let series = [ChartSeries(label: "x", colour: "#000", values: [found, proposed])]
                for svg in [
                    horizontalBarChart(title: "t", subtitle: "p", categories: ["a", "b"], series: series, valueAxis: "v", categoryAxis: "c", language: .en),
                    verticalBarChart(title: "t", subtitle: "p", categories: [["a"], ["b"]], series: series, valueAxis: "v", categoryAxis: "c", language: .en),
                    lineChart(title: "t", subtitle: "p", categories: [["a"], ["b"]], highlighted: [false, true], series: series, valueAxis: "v", categoryAxis: "c", language: .en),
                ] {
                    #expect(svg.hasSuffix("</svg>\n"))
                }
            }
        }
    }
}
