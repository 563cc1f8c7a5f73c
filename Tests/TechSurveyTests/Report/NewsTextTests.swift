// news.md as an editor prints it (SPEC §1, §4.5): every number comes from the tables, a unit-visit is never
// called a unit, English news writes numbers under ten in words and names countries in English.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct NewsTextTests {
    /// Every number the tables hold, as plain text ("60.3", "5132", "2015").
    static func tableNumbers(_ out: String) throws -> Set<String> {
        var numbers = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: out + "/tables") where file.hasSuffix(".csv") {
            for row in try readCSV(out + "/tables/" + file) {
                for cell in row {
                    numbers.insert(cell)
                    for piece in cell.split(whereSeparator: { !$0.isNumber && $0 != "." }) { numbers.insert(String(piece)) }
                }
            }
        }
        return numbers
    }

    static let words = ["zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"]

    /// The numbers in the news body (the period line under the title is the period's name, not a figure).
    static func newsNumbers(_ news: String, _ language: String) -> [String] {
        var body = news.split(separator: "\n").filter { !$0.hasPrefix("_") && !$0.hasPrefix("#") }.joined(separator: "\n")
        // Periods named in sentences ("quý I/2015", "năm 2014", "Q1 2015", "(2014: five)") are names, not figures.
        for name in [#"quý [IV]+/\d{4}"#, #"năm \d{4}"#, #"Q[1-4] \d{4}"#, #"\((\d{4}):"#] {
            body = body.replacingOccurrences(of: name, with: "(period)", options: .regularExpression)
        }
        let pattern = language == "vi" ? #"\d+(?:[.,]\d+)*"# : #"\d+(?:[.,]\d+)*|\b(?:zero|one|two|three|four|five|six|seven|eight|nine)\b"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: body, range: NSRange(body.startIndex..., in: body)).compactMap { match in
            guard let range = Range(match.range, in: body) else { return nil }
            let token = String(body[range])
            if let digit = words[token] { return digit }
            return language == "vi"
                ? token.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
                : token.replacingOccurrences(of: ",", with: "")
        }
    }

    @Test(arguments: [("", "vi"), ("2015-Q2", "vi"), ("2014", "vi"), ("2013-Q1", "vi"), ("", "en"), ("2015-Q2", "en"), ("2013-Q3..2014-Q2", "vi")])
    func everyNumberInTheNewsComesFromTheTables(_ period: String, _ language: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try reportRun(dir, period: period, language: language).status == 0)
        let out = dir + "/out-\(period.isEmpty ? "all" : period)-\(language)"
        let news = readText(out + "/news.md")
        let known = try Self.tableNumbers(out)
        let numbers = Self.newsNumbers(news, language)
        #expect(numbers.count > 10, "\(news)")
        for number in numbers { #expect(known.contains(number), "\(number) in news.md is in no table:\n\(news)") }
    }

    /// SPEC §4.5: per field the news says "lượt đơn vị", as the table does, and a quarter is "quý II/2015".
    @Test func vietnameseNewsSaysUnitVisitsAndNamesTheQuarter() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try reportRun(dir, period: "", language: "vi").status == 0)
        let all = readText(dir + "/out-all-vi/news.md")
        #expect(all.contains("19 lượt đơn vị thuộc lĩnh vực Công nghệ sinh học"), "\(all)")
        #expect(!all.contains(" 19 đơn vị"))
        try #require(try reportRun(dir, period: "2015-Q2", language: "vi").status == 0)
        let quarter = readText(dir + "/out-2015-Q2-vi/news.md")
        #expect(quarter.contains("quý II/2015") && !quarter.contains("2015-Q2"), "\(quarter)")
        #expect(quarter.contains("chưa có lượt khảo sát nào trong lĩnh vực Công nghệ môi trường"))
        for banned in ["0 đơn vị", "Công nghệ môi trường: 0", "–"] { #expect(!quarter.contains(banned), "news.md says \(banned)") }
    }

    /// SPEC §4.5: English news has no digit below ten standing alone, and the English report says "Japan".
    @Test(arguments: ["", "2015-Q2", "2013-Q1", "2020"])
    func englishNewsReadsAsEnglish(_ period: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try reportRun(dir, period: period, language: "en").status == 0)
        let out = dir + "/out-\(period.isEmpty ? "all" : period)-en"
        let news = readText(out + "/news.md")
        let lone = try NSRegularExpression(pattern: #"(?<![\w.,])\d(?![\w.,])"#)
        let found = lone.matches(in: news, range: NSRange(news.startIndex..., in: news)).compactMap { Range($0.range, in: news).map { String(news[$0]) } }
        #expect(found.isEmpty, "lone digits \(found) in:\n\(news)")
        for field in ["Biotechnology", "Environmental technology", "New energy technology"] { #expect(!news.contains("in \(field)")) }
        if period.isEmpty {
            let report = readText(out + "/report.md")
            #expect(report.contains("Japan") && !report.contains("Nhật Bản"), "\(report)")
            #expect(news.contains("nine in new energy technology"))
        }
    }
}
