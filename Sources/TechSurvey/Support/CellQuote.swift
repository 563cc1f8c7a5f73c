// How an error message or reject detail quotes the text of the one cell at fault: in quotes, control
// characters shown as escapes, and cut, so no message carries more of a file than that cell's beginning.

/// `text` in single quotes, cut to `limit` characters with "…", control characters shown as
/// `ControlCharacters.visible` shows them (`\n`, `\0`, `\xNN`, `\u{202E}`).
func quotedCell(_ text: String, limit: Int = 60) -> String {
    var kept = String.UnicodeScalarView()
    var cut = false
    for (count, scalar) in text.unicodeScalars.enumerated() {
        if count == limit {
            cut = true
            break
        }
        kept.append(scalar)
    }
    return "'" + ControlCharacters.visible(String(kept), keepingLayout: false) + (cut ? "…" : "") + "'"
}
