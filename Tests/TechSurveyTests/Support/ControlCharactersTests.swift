// Control characters (SPEC §3.4, §4): one test of what they are, removal for documents, visible escapes for
// rejects.csv `raw` and the terminal.

import Testing
@testable import TechSurvey

@Suite struct ControlCharactersTests {
    @Test(arguments: [0x00, 0x07, 0x08, 0x0A, 0x1B, 0x7F, 0x85, 0x9B, 0x200B, 0x200E, 0x202A, 0x202E, 0x2066, 0x2069, 0x2028, 0x2029, 0xFEFF, 0x061C, 0xAD] as [UInt32])
    func theseAreControls(_ value: UInt32) throws {
        #expect(ControlCharacters.isControl(try #require(Unicode.Scalar(value))))
    }

    @Test(arguments: ["a", " ", "ệ", "Đ", "…", "–", "\u{200D}", "\u{0301}", "漢", "😀"])
    func theseAreText(_ text: String) throws {
        #expect(!ControlCharacters.isControl(try #require(text.unicodeScalars.first)))
    }

    @Test func removalKeepsOrFlattensLayout() {
        #expect(ControlCharacters.removed("a\tb\r\nc\u{1B}d", keepingLayout: true) == "a\tb\r\ncd")
        #expect(ControlCharacters.removed("a\tb\r\nc\u{1B}d", keepingLayout: false) == "a b cd")
        #expect(ControlCharacters.removed("Lê Chân", keepingLayout: false) == "Lê Chân")
    }

    @Test func visibleEscapesNameEachControl() {
        #expect(ControlCharacters.visible("a\u{0}b", keepingLayout: true) == "a\\0b")
        #expect(ControlCharacters.visible("\u{1B}[2J\u{7}", keepingLayout: true) == "\\x1B[2J\\x07")
        #expect(ControlCharacters.visible("x\u{202E}y", keepingLayout: true) == "x\\u{202E}y")
        #expect(ControlCharacters.visible("a,b\nc\td", keepingLayout: true) == "a,b\nc\td")
        #expect(TerminalText.line("cột 'A\nB\u{1B}[31m'") == "cột 'A\\nB\\x1B[31m'")
        #expect(TerminalText.lines("a\tb\u{1B}\nc\r\u{202E}") == "a\tb\\x1B\nc\\r\\u{202E}")
    }
}
