// The option values the executables parse (TechSurveyCommand/ArgumentTypes.swift): every name an analyst
// may type for an encoding, a delimiter or a decimal mark gives its value, anything else none, and the
// choices ArgumentParser lists are the canonical names.

import ArgumentParser
import Testing
@testable import TechSurvey
@testable import TechSurveyCommand

@Suite struct ArgumentTypesTests {
    @Test(arguments: [("utf-8", TextEncoding.utf8), ("UTF8", .utf8), ("utf-16le", .utf16LE), ("utf16", .utf16LE), ("UTF-16BE", .utf16BE),
                      ("cp1258", .windows1258), ("windows-1258", .windows1258), ("Win1258", .windows1258), ("tcvn3", .tcvn3), ("TCVN", .tcvn3), ("abc", .tcvn3)])
    func encodingNames(_ text: String, _ value: TextEncoding) {
        #expect(TextEncoding(argument: text) == value)
    }

    @Test(arguments: [(",", FieldDelimiter.comma), ("comma", .comma), (";", .semicolon), ("Semicolon", .semicolon), ("tab", .tab), ("\t", .tab),
                      ("\\t", .tab), ("|", .pipe), ("pipe", .pipe)])
    func delimiterNames(_ text: String, _ value: FieldDelimiter) {
        #expect(FieldDelimiter(argument: text) == value)
    }

    @Test func delimiterBytes() {
        #expect(FieldDelimiter.allCases.map(\.byte) == [0x2C, 0x3B, 0x09, 0x7C])
    }

    @Test(arguments: [("comma", DecimalMark.comma), (",", .comma), ("dot", .dot), (".", .dot), ("point", .dot), ("PERIOD", .dot)])
    func decimalNames(_ text: String, _ value: DecimalMark) {
        #expect(DecimalMark(argument: text) == value)
    }

    @Test(arguments: ["", "latin1", "VNI", "utf-32", ":", "space", "1", "comma dot"])
    func anythingElseIsNoValue(_ text: String) {
        #expect(TextEncoding(argument: text) == nil)
        #expect(FieldDelimiter(argument: text) == nil)
        #expect(DecimalMark(argument: text) == nil)
        #expect(Language(argument: text) == nil)
    }

    @Test func theChoicesListedAreTheCanonicalNames() {
        #expect(TextEncoding.allValueStrings == ["utf-8", "utf-16le", "utf-16be", "windows-1258", "tcvn3"])
        #expect(FieldDelimiter.allValueStrings == [",", ";", "tab", "|"])
        #expect(DecimalMark.allValueStrings == ["comma", "dot"])
        #expect(Language.allValueStrings == ["vi", "en"])
    }
}
