// The one Markdown escaper (SPEC §4): every reader text that goes into report.md or news.md — labels, file
// names, warnings — passes here, so no input text becomes a link, an image, emphasis, code, a heading, a
// table break or raw HTML in GitHub's (cmark-gfm) or pandoc's renderer.
//
// In order: NFC; control characters removed and line ends made spaces; real HTML tags stripped (SPEC: "strip
// HTML"); then every ASCII punctuation mark either renderer gives a meaning backslash-escaped. CommonMark and
// pandoc both take a backslash before any ASCII punctuation as the literal mark, so escaping is never wrong,
// only sometimes unneeded. `:` `.` and `@` are escaped too: GFM and pandoc turn bare `http://…`, `www.…`
// and `a@b.c` into links without any bracket, and an escape inside them breaks the match (for e-mail
// addresses in cmark-gfm, with an empty comment; see `backslashed`).

enum MarkdownText {
    /// The widest a table cell may be in report.md, in display columns; longer text is cut with "…" (the CSV
    /// tables keep it whole), so one long label cannot pad every row of its table to its width.
    static let cellWidth = 72

    /// `text` as literal inline Markdown.
    static func escape(_ text: String) -> String {
        backslashed(stripTags(plain(text)))
    }

    /// `text` as a table cell: like `escape`, cut to `cellWidth` before escaping so an escape is never cut.
    static func cell(_ text: String) -> String {
        backslashed(cut(stripTags(plain(text)), width: cellWidth))
    }

    /// Compared per Unicode scalar, not per Character: a mark followed by a combining mark, a joiner or a
    /// variation selector is one Character, but both renderers still read the ASCII mark on its own
    /// (`|\u{301}` splits a table row, `*\u{301}x*\u{301}` is emphasis).
    static let escaped: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "!", "|", "<", ">",
                                               "~", "&", ":", ".", "@", "$", "^"]

    private static func plain(_ text: String) -> String {
        ControlCharacters.removed(text.precomposedStringWithCanonicalMapping, keepingLayout: false)
    }

    private static func backslashed(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar = " "
        for s in text.unicodeScalars {
            // cmark-gfm finds e-mail addresses in the text after escapes are resolved, so `a\@b\.vn` is still
            // a mailto link there; an empty HTML comment before the `@` ends the text run it searches.
            if s == "@" && (previous.properties.isAlphabetic || previous.properties.numericType != nil || ".+-_".unicodeScalars.contains(previous)) {
                out.append(contentsOf: "<!-- -->".unicodeScalars)
            }
            if escaped.contains(s) { out.append("\\") }
            out.append(s)
            // A combining mark after a letter leaves the letter as what precedes a following `@`.
            if !s.properties.isGraphemeExtend { previous = s }
        }
        return String(out)
    }

    /// `text` cut to at most `width` display columns, ending in "…" when it was cut. Cuts between
    /// characters, never inside one (a letter and its combining marks stay together).
    static func cut(_ text: String, width: Int) -> String {
        guard MarkdownTable.displayWidth(text) > width else { return text }
        var out = ""
        var used = 0
        for c in text {
            let w = MarkdownTable.displayWidth(String(c))
            if used + w > width - 1 { break }
            out.append(c)
            used += w
        }
        while out.last?.isWhitespace == true { out.removeLast() }
        return out + "…"
    }

    /// Removes what is unmistakably an HTML tag: `<b>`, `</i>`, `<br/>`, `<script src="x">` — a known element
    /// name, then only `name=value` attributes. Anything else with `<` (`a<b c>d`, `< 5%`, `<3`) stays, and
    /// `backslashed` makes it text.
    static func stripTags(_ text: String) -> String {
        guard text.contains("<") else { return text }
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            if chars[i] == "<", let end = tagEnd(chars, from: i) {
                i = end
                continue
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }

    /// The index after the tag that starts at `start`, when one does.
    private static func tagEnd(_ c: [Character], from start: Int) -> Int? {
        var i = start + 1
        let closing = i < c.count && c[i] == "/"
        if closing { i += 1 }
        let nameStart = i
        while i < c.count, c[i].isASCII, c[i].isLetter || (i > nameStart && c[i].isNumber) { i += 1 }
        guard i > nameStart, htmlElements.contains(String(c[nameStart..<i]).lowercased()) else { return nil }
        func skipSpace() { while i < c.count, c[i] == " " || c[i] == "\t" { i += 1 } }
        if closing {
            skipSpace()
            return i < c.count && c[i] == ">" ? i + 1 : nil
        }
        while true {
            let before = i
            skipSpace()
            guard i < c.count else { return nil }
            if c[i] == ">" { return i + 1 }
            if c[i] == "/" { return i + 1 < c.count && c[i + 1] == ">" ? i + 2 : nil }
            // An attribute needs space before it, a name, `=`, and a value.
            guard i > before else { return nil }
            let attributeStart = i
            while i < c.count, c[i].isASCII, c[i].isLetter || c[i].isNumber || c[i] == "-" || c[i] == "_" || c[i] == ":" { i += 1 }
            guard i > attributeStart, i < c.count, c[i] == "=" else { return nil }
            i += 1
            guard i < c.count else { return nil }
            if c[i] == "\"" || c[i] == "'" {
                let quote = c[i]
                i += 1
                while i < c.count, c[i] != quote { i += 1 }
                guard i < c.count else { return nil }
                i += 1
            } else {
                let valueStart = i
                while i < c.count, !" \t>\"'=<`".contains(c[i]) { i += 1 }
                guard i > valueStart else { return nil }
            }
        }
    }

    private static let htmlElements: Set<String> = [
        "a", "abbr", "applet", "article", "aside", "audio", "b", "base", "big", "blink", "blockquote", "body", "br",
        "button", "canvas", "center", "code", "del", "details", "div", "em", "embed", "font", "form", "frame",
        "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "footer", "hr", "html", "i", "iframe",
        "img", "input", "ins", "kbd", "label", "li", "link", "main", "mark", "marquee", "math", "meta", "nav",
        "noscript", "object", "ol", "option", "p", "picture", "pre", "q", "s", "samp", "script", "section",
        "select", "small", "source", "span", "strike", "strong", "style", "sub", "summary", "sup", "svg", "table",
        "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "title", "tr", "tt", "u", "ul", "video",
    ]
}
