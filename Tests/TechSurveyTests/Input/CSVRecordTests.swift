// The one cell normalisation (SPEC §3.3: invisible characters never make two values differ) and the `raw`
// cell of rejects.csv (control characters as escapes, cut to what a spreadsheet cell holds, saying so).

import Foundation
import Testing
@testable import TechSurvey

@Suite struct CSVRecordTests {
    @Test(arguments: [
        ("HP-01\u{200B}", "HP-01"), ("\u{FEFF}HP-01", "HP-01"), ("HP\u{2060}-01", "HP-01"),
        ("HP-01\u{00A0}", "HP-01"), ("\u{202F}HP-01\t", "HP-01"), ("Lê\u{00A0}Chân", "Lê Chân"),
        ("Lê\u{200C}\u{200D} Chân", "Lê Chân"), ("2015-01-02\u{00A0}", "2015-01-02"), ("1\u{202F}234", "1 234"),
        ("Le\u{0302} Cha\u{0302}n", "Lê Chân"), ("so\u{00AD}ft", "soft"), ("plain", "plain"),
    ])
    func invisibleCharactersAreGoneAndSpacesPlain(text: String, expected: String) {
        #expect(decodeCell(Array(text.utf8)[...]) == expected)
        #expect(cleanCellText(text) == expected)
    }

    @Test func bytesThatNeedCleaningAreNeverTakenAsTheyAre() {
        // The fast path keeps a cell's bytes only when cleaning would not change them.
        for text in ["a\u{200B}b", "a\u{00A0}b", "a\u{202F}b", "a\u{2060}b", "a\u{FEFF}b", "a\u{00AD}b", "a\u{200E}b", "a\u{2028}b"] {
            #expect(mayNeedCleaning(Array(text.utf8)[...]), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        for text in ["Hải An — Đồ Sơn", "“quoted” – dash…", "€ 5", "Ngô Quyền"] {
            #expect(!mayNeedCleaning(Array(text.utf8)[...]), "\(text)")
        }
    }

    @Test func aNULIsNeverText() {
        #expect(decodeCell(Array("a\u{0}b".utf8)[...]) == nil)
        #expect(!isCleanUTF8(Array("abcdefgh\u{0}ijklmnop".utf8)[...]))
        #expect(isCleanUTF8(Array("abcdefghijklmnop".utf8)[...]))
    }

    @Test func rawShowsControlCharactersAsEscapes() {
        #expect(rawCell("a\u{0}b\u{1B}[31mc\td") == "a\\0b\\x1B[31mc\td")
        #expect(rawCell("plain, text") == "plain, text")
    }

    @Test func rawIsCutToASpreadsheetCellSayingSo() {
        let long = String(repeating: "ệ", count: 40_000)
        let raw = rawCell(long)
        #expect(raw.utf16.count <= spreadsheetCellLimit)
        #expect(raw.contains("cut here") && raw.contains("40000"), "\(raw.suffix(120))")
        #expect(raw.hasPrefix(String(repeating: "ệ", count: 30_000)))
        let fits = String(repeating: "a", count: spreadsheetCellLimit)
        #expect(rawCell(fits) == fits)
    }

    @Test func anUnclosedQuoteRecordsRawIsItsFirstLineAsRead() throws {
        let reader = try CSVReader(delimiter: 0x2C)
        var records: [CSVRecord] = []
        let text = "a,b\n1,\"x,2\n" + String(repeating: "3,y\n", count: 150)
        try reader.feed(Array(text.utf8)) { records.append($0) }
        try reader.finish { records.append($0) }
        #expect(records[1].unclosedQuote != nil)
        #expect(records[1].raw(delimiter: 0x2C) == "1,\"x,2")
        #expect(records.count == 152)
    }
}
