// Fuzz target: the Markdown escaping of report.md's tables and the SVG text escaper, against SPEC §4 and
// issue 11 class 6. Markdown: no input text may become a link, image, emphasis, heading or table break —
// every character of Markdown's syntax comes out escaped — and no control character (C0, C1, bidi override)
// or line end survives. SVG: the escaped text is well-formed XML that reads back as the text, without
// control characters.
//
// The input is the text, as UTF-8 (invalid sequences become U+FFFD).

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import CFuzzerDriver
import FuzzSupport
@testable import TechSurvey

/// SPEC §4: backslash, brackets, parentheses, `!`, `*`, `_`, backtick, `~`, `<`, `>`, `#`, and `|`.
private let markdownSyntax: Set<Unicode.Scalar> = ["\\", "[", "]", "(", ")", "!", "*", "_", "`", "~", "<", ">", "#", "|"]

/// C0, DEL and C1 controls, and the bidi embeddings, overrides and isolates (issue 11 class 6).
private func isControl(_ s: Unicode.Scalar, allowing allowed: Set<Unicode.Scalar> = []) -> Bool {
    if allowed.contains(s) { return false }
    let v = s.value
    return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
}

/// The escaper may put an empty HTML comment before an `@` (cmark-gfm's e-mail autolinks); that is markup
/// of its own, not input text.
private let emptyComment = "<!-- -->"

/// A district named `text`, rendered as report.md renders a table: the row must hold exactly its two
/// cells, with every mark of Markdown's syntax in the text escaped and no control character or line end.
private func checkMarkdown(_ text: String) {
    let table = PublishedTable(.byDistrict, columns: ["district", "unit_visits"],
                               rows: [[.key(text), .count(1)]], totalRows: [])
    let markdown = table.markdown(.vi)
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
    invariant(lines.count == 4 && lines[3].isEmpty, "the table is not 3 lines: \(text.debugDescription) → \(markdown.debugDescription)")
    guard lines.count >= 3 else { return }
    let row = String(lines[2]).replacingOccurrences(of: emptyComment, with: "")
    var backslashes = 0
    var pipes = 0
    for s in row.unicodeScalars {
        invariant(!isControl(s) && s != "\u{2028}" && s != "\u{2029}",
                  "Markdown cell keeps control character U+\(String(s.value, radix: 16, uppercase: true)): \(text.debugDescription) → \(row.debugDescription)")
        let escaped = backslashes % 2 == 1
        if s == "|" && !escaped { pipes += 1 }
        if s != "\\" && s != "|" && markdownSyntax.contains(s) {
            invariant(escaped, "Markdown cell keeps '\(s)' unescaped: \(text.debugDescription) → \(row.debugDescription)")
        }
        if s == "\\" { backslashes += 1 } else { backslashes = 0 }
    }
    invariant(pipes == 3, "the row has \(pipes - 1) cells, not 2: \(text.debugDescription) → \(row.debugDescription)")
}

/// Reads the text of one XML element.
private final class TextCollector: NSObject, XMLParserDelegate {
    var text = ""
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

private func checkSVG(_ text: String) {
    let escaped = xmlEscape(text)
    for s in escaped.unicodeScalars {
        invariant(!isControl(s, allowing: ["\t", "\n", "\r"]),
                  "SVG text keeps control character U+\(String(s.value, radix: 16, uppercase: true)): \(text.debugDescription) → \(escaped.debugDescription)")
    }
    let document = "<t a=\"\(escaped)\">\(escaped)</t>"
    let parser = XMLParser(data: Data(document.utf8))
    let collector = TextCollector()
    parser.delegate = collector
    invariant(parser.parse(), "SVG text is not well-formed XML: \(text.debugDescription) → \(escaped.debugDescription)")
    // What the escaped text says, read by hand: the parser must read the same (XML reads CR LF and CR as LF).
    // NSString replaces code units: a Swift String compares whole characters, and "&amp;" followed by a
    // combining mark is no match there.
    var expected = escaped as NSString
    for (entity, text) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&"), ("\r\n", "\n"), ("\r", "\n")] {
        expected = expected.replacingOccurrences(of: entity, with: text, options: .literal, range: NSRange(location: 0, length: expected.length)) as NSString
    }
    invariant(collector.text == expected as String, "SVG text reads back as \(collector.text.debugDescription), not \((expected as String).debugDescription)")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMarkup(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    let text = String(decoding: data, as: UTF8.self)
    checkMarkdown(text)
    checkSVG(text)
    return 0
}

exit(runFuzzer(fuzzMarkup))
