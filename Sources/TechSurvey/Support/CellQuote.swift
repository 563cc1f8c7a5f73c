// How an error message or reject detail quotes the text of the one cell at fault: in quotes, control
// characters shown as escapes, and cut, so no message carries more of a file than that cell's beginning.

/// `text` in single quotes, cut to `limit` characters with "…", control characters as `\n`, `\0`, `\xNN`.
public func quotedCell(_ text: String, limit: Int = 60) -> String {
    var out = "'"
    var count = 0
    for scalar in text.unicodeScalars {
        if count == limit {
            out += "…"
            break
        }
        count += 1
        switch scalar.value {
        case 0x00: out += "\\0"
        case 0x09: out += "\\t"
        case 0x0A: out += "\\n"
        case 0x0D: out += "\\r"
        case 0x01..<0x20, 0x7F..<0xA0: out += "\\x" + hexByte(UInt8(scalar.value))
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "'"
}

func hexByte(_ b: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String(digits[Int(b >> 4)]) + String(digits[Int(b & 0x0F)])
}
