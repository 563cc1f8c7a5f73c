// The characters no reader should meet as themselves (SPEC §3.4, §4): C0 and C1 controls, DEL, the bidi
// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that reorder what follows them, the
// line and paragraph separators, and every other invisible format character (zero-width space, BOM, soft
// hyphen, …). One test decides what they are; each output medium then removes them (Markdown, news, SVG,
// published tables) or shows them as visible escapes (rejects.csv `raw`, the terminal).

enum ControlCharacters {
    /// True for a scalar that is invisible, or that changes how the text around it is shown or read.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        if v < 0xA0 { return false }
        // The zero-width joiner builds emoji sequences; it cannot reorder or hide text.
        if v == 0x200D { return false }
        switch s.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator, .control: return true
        default: return false
        }
    }

    /// True when `text` holds none: the common case, decided on bytes for plain ASCII.
    static func isClean(_ text: String) -> Bool {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return true }
        return !text.unicodeScalars.contains(where: isControl)
    }

    /// `text` without control characters. With `keepingLayout`, TAB and line ends stay (a CSV cell, a whole
    /// document); without it each TAB or line end (CR LF counted once) becomes one space (a table cell, a
    /// one-line message).
    static func removed(_ text: String, keepingLayout: Bool) -> String {
        if isClean(text) { return text }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for s in text.unicodeScalars {
            defer { previousCR = s == "\r" }
            switch s {
            case "\t", "\n", "\r", "\u{2028}", "\u{2029}":
                if keepingLayout && s.value < 0x80 { out.append(s); continue }
                if s == "\n" && previousCR { continue }
                out.append(" ")
            default:
                if !isControl(s) { out.append(s) }
            }
        }
        return String(out)
    }

    /// `text` with each control character shown as a visible escape: `\0`, `\t`, `\n`, `\r`, `\xNN` for the
    /// other C0 and C1 controls and DEL (ESC is `\x1B`), `\u{202E}` above U+00FF. With `keepingLayout`, TAB
    /// and line ends stay as they are (a record's raw text in a CSV cell).
    static func visible(_ text: String, keepingLayout: Bool) -> String {
        if isClean(text) { return text }
        var out = ""
        for s in text.unicodeScalars {
            guard isControl(s) else {
                out.unicodeScalars.append(s)
                continue
            }
            if keepingLayout && (s == "\t" || s == "\n" || s == "\r") {
                out.unicodeScalars.append(s)
                continue
            }
            switch s {
            case "\0": out += "\\0"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                let hex = String(s.value, radix: 16, uppercase: true)
                out += s.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u{" + hex + "}"
            }
        }
        return out
    }
}

/// Text bound for a terminal (stderr, trace's listing): one line, every control character visible, so input
/// quoted in a message can neither split it nor send an escape sequence to the terminal.
public enum TerminalText {
    public static func line(_ text: String) -> String {
        ControlCharacters.visible(text, keepingLayout: false)
    }

    /// Several lines (a run summary, a TAB-separated listing): LF and TAB kept, every other control visible.
    public static func lines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map { line(String($0)) }.joined(separator: "\t") }
            .joined(separator: "\n")
    }
}
