// Workbook.swift: cell text a workbook can hold, sheet names Excel accepts, number formats, column widths.

import Testing
@testable import TechSurvey

@Suite struct WorkbookTests {
    @Test(arguments: [
        ("Công nghệ sinh học", "Công nghệ sinh học"),
        ("a\u{0}b", "a\\0b"),
        ("bell\u{7}b", "bell\\x07b"),
        ("unit\u{1F}sep", "unit\\x1Fsep"),
        ("c1\u{85}\u{9B}31m", "c1\\x85\\x9B31m"),
        ("not a character\u{FFFE}", "not a character\\u{FFFE}"),
        ("_x0041_ and _x00e9_", "_x005F_x0041_ and _x005F_x00e9_"),
        ("_x00G1_ _x041_", "_x00G1_ _x041_"),
        ("escape \u{1B}[31m", "escape \\x1B[31m"),
        ("two\nlines", "two\nlines"),
        ("tab\there", "tab\there"),
        ("cr\r\nlf", "cr\nlf"),
        ("old\rmac", "old\nmac"),
        ("=HYPERLINK(\"http://x\",\"y\")", "=HYPERLINK(\"http://x\",\"y\")"),
        // NFD (as some input methods type it) becomes NFC.
        ("Ho\u{0302}\u{0300}ng Ba\u{0300}ng", "Hồng Bàng"),
    ])
    func cellTextIsWhatACellCanHold(input: String, expected: String) {
        #expect(workbookText(input) == expected)
    }

    @Test func longTextIsCutToExcelsCellLimitSayingSo() {
        let text = workbookText(String(repeating: "ệ", count: 40_000))
        #expect(text.utf16.count <= 32_767)
        #expect(text.hasSuffix(" […]"))
        #expect(workbookText(String(repeating: "a", count: 32_767)) == String(repeating: "a", count: 32_767))
        // A character outside the BMP takes two of Excel's units and is never split.
        let emoji = workbookText(String(repeating: "😀", count: 20_000))
        #expect(emoji.utf16.count <= 32_767)
        #expect(emoji.unicodeScalars.allSatisfy { $0.value != 0xFFFD })
    }

    @Test(arguments: [
        ("Theo lĩnh vực", [String](), "Theo lĩnh vực"),
        ("Theo quận/huyện", [], "Theo quận huyện"),
        ("a[b]c:d*e?f\\g", [], "a b c d e f g"),
        ("'quoted'", [], "quoted"),
        ("", [], "Sheet"),
        ("Hoạt động hợp tác theo quốc gia đối tác", [], "Hoạt động hợp tác theo quốc gia"),
        ("Nguồn", ["Nguồn"], "Nguồn (2)"),
        ("nguồn", ["Nguồn", "Nguồn (2)"], "nguồn (3)"),
        ("Hoạt động hợp tác theo quốc gia đối tác", ["Hoạt động hợp tác theo quốc gia"], "Hoạt động hợp tác theo quốc (2)"),
    ])
    func sheetNamesAreOnesExcelAccepts(wanted: String, taken: [String], expected: String) {
        let name = workbookSheetName(wanted, taken: taken)
        #expect(name == expected)
        #expect(name.utf16.count <= 31)
    }

    @Test(arguments: [(0, "#,##0"), (1, "#,##0.0"), (2, "#,##0.00"), (3, "#,##0.000"), (7, "#,##0.000")])
    func budgetsShowTheDecimalsTheyHave(decimals: Int, pattern: String) {
        #expect(WorkbookNumberFormat.budget(decimals: decimals).pattern == pattern)
    }

    @Test func columnsFitTheirLongestCellUpToACap() {
        let sheet = WorkbookSheet(
            name: "s",
            rows: [
                [.text("Lĩnh vực"), .text("Số")],
                [.text("Công nghệ năng lượng mới"), .number(1_234_567, .count)],
                [.text(String(repeating: "x", count: 500)), .number(0.532, .percent)],
                [.text("Tổng"), .blank(.percent)],
            ],
            boldRows: [0, 3], table: WorkbookRange(firstRow: 0, firstColumn: 0, lastRow: 3, lastColumn: 1),
            overflowRows: [2])
        let widths = sheet.columnWidths
        // Column A: the 24-character field name (row 2's long text runs over its neighbours and is not fitted).
        #expect(widths[0] == 24 + 2)
        // Column B: "1,234,567" (9) against the bold header with its filter button ("Số" 2 + 1 + 3).
        #expect(widths[1] == 9 + 2)
        let wide = WorkbookSheet(name: "s", rows: [[.text(String(repeating: "x", count: 500))]], boldRows: [], table: nil)
        #expect(wide.columnWidths == [WorkbookSheet.maximumWidth])
    }
}
