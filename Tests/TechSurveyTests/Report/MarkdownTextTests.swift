// The one Markdown escaper (SPEC §4, issue 11 class 6): no reader text becomes a link, an image, emphasis, a
// heading, code, raw HTML or a table break; control characters go; only real HTML tags are stripped; table
// cells are cut to a readable width (class 7).

import Foundation
import Testing
@testable import TechSurvey

@Suite struct MarkdownTextTests {
    @Test(arguments: [
        ("a|b", "a\\|b"),
        ("||", "\\|\\|"),
        ("line one\nline two", "line one line two"),
        ("a\r\nb", "a b"),
        ("a\rb", "a b"),
        ("<b>Công ty</b> Đơn vị 07", "Công ty Đơn vị 07"),
        ("<a href=\"x\">link</a>", "link"),
        ("x<br/>y", "xy"),
        ("<script src='http://h/x.js'>alert(1)</script>", "alert\\(1\\)"),
        ("a\\b", "a\\\\b"),
        ("Công nghệ sinh học", "Công nghệ sinh học"),
        ("", ""),
        ("[click](javascript:alert(1))", "\\[click\\]\\(javascript\\:alert\\(1\\)\\)"),
        ("![x](http://host/pixel.png)", "\\!\\[x\\]\\(http\\://host/pixel\\.png\\)"),
        ("*em* _em_ `code` ~~del~~", "\\*em\\* \\_em\\_ \\`code\\` \\~\\~del\\~\\~"),
        ("# Heading", "\\# Heading"),
        ("www.example.com", "www\\.example\\.com"),
        ("a@b.vn", "a<!-- -->\\@b\\.vn"),
        ("@ 5", "\\@ 5"),
        ("&lt;script&gt;", "\\&lt;script\\&gt;"),
        ("$x$ ^y^", "\\$x\\$ \\^y\\^"),
    ])
    func escapeMakesEveryMarkLiteral(text: String, expected: String) {
        #expect(MarkdownText.escape(text) == expected)
    }

    @Test(arguments: [
        // Not tags: kept, then escaped, so the text between survives.
        ("a<b c>d", "a\\<b c\\>d"),
        ("Tỷ lệ < 5%, đạt > 3%", "Tỷ lệ \\< 5%, đạt \\> 3%"),
        ("<3 Hải Phòng", "\\<3 Hải Phòng"),
        ("x <notatag> y", "x \\<notatag\\> y"),
        ("<b", "\\<b"),
        ("<img src=x onerror=alert(1)>", ""),
        ("<IMG SRC=\"x\">t", "t"),
        ("</i >", ""),
        ("<input disabled>", "\\<input disabled\\>"),
    ])
    func onlyRealTagsAreStripped(text: String, expected: String) {
        #expect(MarkdownText.escape(text) == expected)
    }

    @Test(arguments: [
        ("a\u{1B}[31mred\u{1B}[0m", "a\\[31mred\\[0m"),
        ("bell\u{07}", "bell"),
        ("nul\u{0}x", "nulx"),
        ("del\u{7F}x", "delx"),
        ("c1\u{9B}x", "c1x"),
        ("\u{202E}evil\u{202C}", "evil"),
        ("\u{2066}iso\u{2069}", "iso"),
        ("zero\u{200B}width\u{FEFF}", "zerowidth"),
        ("line\u{2028}sep", "line sep"),
        ("tab\there", "tab here"),
    ])
    func controlCharactersAreRemoved(text: String, expected: String) {
        #expect(MarkdownText.escape(text) == expected)
    }

    @Test func escapeNormalisesToNFC() {
        let nfd = "Công nghệ tự động hoá".decomposedStringWithCanonicalMapping
        let escaped = MarkdownText.escape(nfd)
        #expect(Array(escaped.unicodeScalars) == Array("Công nghệ tự động hoá".precomposedStringWithCanonicalMapping.unicodeScalars))
    }

    @Test func longCellsAreCutToTheReadableWidthBeforeEscaping() {
        let long = String(repeating: "Lê Chân|", count: 100)
        let cell = MarkdownText.cell(long)
        #expect(cell.hasSuffix("…"))
        // The cut came first: no escape is split, so no cell ends in a lone backslash before the ellipsis.
        #expect(!cell.dropLast().hasSuffix("\\"))
        let unescaped = cell.replacingOccurrences(of: "\\|", with: "|")
        #expect(MarkdownTable.displayWidth(unescaped) == MarkdownText.cellWidth, "\(unescaped)")
        #expect(MarkdownText.cell("Công nghệ sinh học") == "Công nghệ sinh học")
        // A letter and its combining marks are never parted.
        let marks = String(repeating: "ệ", count: 200).decomposedStringWithCanonicalMapping
        #expect(MarkdownText.cell(marks) == String(repeating: "ệ", count: MarkdownText.cellWidth - 1) + "…")
    }

    @Test func escapeOfRandomTextNeverLeavesAnUnescapedMark() {
        var rng = SeededGenerator(state: 11)
        // Combining marks, a joiner and a variation selector too: each joins the mark before it into one
        // Character, which must not hide the mark from the escaper.
        let alphabet = Array("ab ệ<>[]()!*_`~#|\\&:.@$^/\n\t\u{1B}\u{202E}").map(String.init) + ["\u{301}", "\u{200D}", "\u{FE0F}"]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...30, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? "a" }.joined()
            let escaped = Array(MarkdownText.escape(text).unicodeScalars)
            var i = 0
            let comment = Array("<!-- -->".unicodeScalars)
            while i < escaped.count {
                if Array(escaped[i...].prefix(comment.count)) == comment && escaped.count > i + comment.count && escaped[i + comment.count] == "\\" {
                    i += comment.count
                    continue
                }
                if escaped[i] == "\\" { i += 2; continue }
                #expect(!MarkdownText.escaped.contains(escaped[i]), "'\(text)' escaped as '\(String(String.UnicodeScalarView(escaped)))'")
                #expect(!ControlCharacters.isControl(escaped[i]))
                i += 1
            }
        }
    }
}
