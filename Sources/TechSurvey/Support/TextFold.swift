// The matching key for headers and labels (SPEC §3.3): case, diacritics (đ → d, "hóa" = "hoá"), spaces and
// punctuation do not matter, so "SỐ CÔNG NGHỆ ĐỀ XUẤT" and "so_cong_nghe_de_xuat" fold to the same key.

import Foundation

enum TextFold {
    /// Folds `text` to lowercase ASCII-ish letters and digits with every mark removed.
    static func key(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var ascii = true
        for b in text.utf8 where b >= 0x80 { ascii = false; break }
        let scalars = ascii ? text.unicodeScalars : text.decomposedStringWithCanonicalMapping.unicodeScalars
        for scalar in scalars {
            switch scalar.value {
            case 0x41...0x5A: out.append(Unicode.Scalar(UInt8(scalar.value + 0x20)))
            case 0x61...0x7A, 0x30...0x39: out.append(scalar)
            case 0x0110, 0x0111: out.append("d")
            case 0..<0x80: continue
            default:
                if scalar.properties.generalCategory == .nonspacingMark { continue }
                if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                    out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                }
            }
        }
        return String(out)
    }

    /// Edit distance between two folded keys, for did-you-mean suggestions.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}
