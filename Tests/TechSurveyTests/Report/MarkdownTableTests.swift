// Cells that cannot break their table (SPEC §4): MarkdownTable display width and padding (escaping is in
// MarkdownTextTests), and
// CSVWriter's quoting and formula neutralisation.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct MarkdownTableTests {
    // MARK: display width

    @Test(arguments: [
        ("", 0),
        ("abc", 3),
        ("Công nghệ", 9),
        ("hoá", 3),
        ("ho\u{0061}\u{0301}", 3),                   // NFD "hoá": the combining acute takes no column
        ("Công nghệ sinh học", 18),
        ("Tổng", 4),
        ("中文", 4),
    ])
    func displayWidthCountsColumns(text: String, width: Int) {
        #expect(MarkdownTable.displayWidth(text) == width)
    }

    @Test func nfdAndNFCHaveTheSameWidth() {
        for label in ["hoá", "Công nghệ", "Công nghệ năng lượng mới", "Đà Nẵng", "Lê Chân"] {
            let nfd = label.decomposedStringWithCanonicalMapping
            let nfc = label.precomposedStringWithCanonicalMapping
            #expect(nfd.unicodeScalars.count > nfc.unicodeScalars.count, "'\(label)' needs marks to decompose")
            #expect(MarkdownTable.displayWidth(nfd) == MarkdownTable.displayWidth(nfc), "'\(label)'")
        }
    }

    // MARK: rendering

    @Test func renderPadsEveryLineToTheSameDisplayWidth() throws {
        let rows: [[String]] = [
            ["Công nghệ sinh học", "19", "94"],
            ["Công nghệ tự động hoá".decomposedStringWithCanonicalMapping, "15", "30"],
            ["Tổng", "66", "209"],
        ]
        let text = MarkdownTable.render(header: ["Lĩnh vực", "Lượt đơn vị", "Công nghệ"], rows: rows, rightAligned: [false, true, true])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count == 5)
        let widths = lines.map { MarkdownTable.displayWidth($0) }
        #expect(Set(widths).count == 1, "widths \(widths):\n\(text)")
        #expect(text.hasSuffix("\n"))
    }

    @Test func numbersAreRightAlignedAndTextLeftAligned() {
        let text = MarkdownTable.render(header: ["a", "n"], rows: [["xy", "5"], ["z", "1234"]], rightAligned: [false, true])
        let expected = """
            | a   |    n |
            | --- | ---: |
            | xy  |    5 |
            | z   | 1234 |

            """
        #expect(text == expected)
    }

    @Test func narrowColumnsAreThreeWide() {
        let text = MarkdownTable.render(header: ["x"], rows: [["1"]], rightAligned: [true])
        #expect(text == "|   x |\n| --: |\n|   1 |\n")
    }

    // MARK: CSV cells

    @Test(arguments: ["=SUM(A1:A9)", "+84 31 3842", "-3", "@cmd", "\tx", "\rx", "\0x", "=", "-"])
    func formulaStartsAreNeutralised(_ text: String) {
        #expect(CSVWriter.neutralised(text) == "'" + text)
    }

    @Test(arguments: ["Công nghệ sinh học", "biotech", "a=b", "5.132", "", "'quoted", " =x", "HP-DN-07", "2015-Q3"])
    func ordinaryTextIsLeftAlone(_ text: String) {
        #expect(CSVWriter.neutralised(text) == text)
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("cr\rhere", "\"cr\rhere\""),
        (" padded ", "\" padded \""),
        ("Công ty TNHH Đơn vị 07", "Công ty TNHH Đơn vị 07"),
        ("", ""),
    ])
    func quotingFollowsRFC4180(text: String, expected: String) {
        #expect(CSVWriter.quoteIfNeeded(text, delimiter: 0x2C) == expected)
    }

    @Test func aSemicolonIsQuotedOnlyInASemicolonFile() {
        #expect(CSVWriter.quoteIfNeeded("a;b", delimiter: 0x2C) == "a;b")
        #expect(CSVWriter.quoteIfNeeded("a;b", delimiter: 0x3B) == "\"a;b\"")
    }

    @Test func publishedRowsNeutraliseTextButNeverNumbers() {
        var writer = CSVWriter(byteOrderMark: true, neutralise: true)
        writer.writeRow(["field", "=note"])
        writer.writeRow([.text("-bad, really"), .number("-3")])
        writer.writeRow([.text("biotech"), .number("53.2")])
        #expect(writer.output == "\u{FEFF}field,'=note\r\n\"'-bad, really\",-3\r\nbiotech,53.2\r\n")
    }

    @Test func stageFilesAreNotNeutralised() {
        var writer = CSVWriter()
        writer.writeRow(["=x", "a,b", "say \"hi\""])
        #expect(writer.output == "=x,\"a,b\",\"say \"\"hi\"\"\"\r\n")
    }

    @Test func writtenRowsReadBackThroughTheReader() throws {
        let cells = ["Công ty \"A\", chi nhánh", "two\nlines", "", "=1+1", "plain"]
        var writer = CSVWriter(neutralise: true)
        writer.writeRow(cells)
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/t.csv", writer.output)
        let rows = try readCSV(dir + "/t.csv")
        #expect(rows == [["Công ty \"A\", chi nhánh", "two\nlines", "", "'=1+1", "plain"]])
    }
}
