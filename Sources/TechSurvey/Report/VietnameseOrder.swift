// Vietnamese alphabetical order (SPEC §4.5) for the rows the report lists by name — districts, unit types,
// countries: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, letter by letter first, then the
// tones (none, huyền, hỏi, ngã, sắc, nặng), then case; code point order would put "Đồ Sơn" before "Dương Kinh".

import Foundation

enum VietnameseOrder {
    /// Whether `a` sorts before `b`.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let ka = key(a), kb = key(b)
        if ka.letters != kb.letters { return ka.letters.lexicographicallyPrecedes(kb.letters) }
        if ka.tones != kb.tones { return ka.tones.lexicographicallyPrecedes(kb.tones) }
        if ka.cases != kb.cases { return ka.cases.lexicographicallyPrecedes(kb.cases) }
        return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
    }

    /// Sorts `items` by `name` in Vietnamese order.
    static func sorted<T>(_ items: [T], by name: (T) -> String) -> [T] {
        items.map { ($0, name($0)) }.sorted { precedes($0.1, $1.1) }.map(\.0)
    }

    private static let alphabet: [String] = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
                                             "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
    private static let letterRank: [String: Int] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })
    /// Combining marks that make a letter of their own (ă â ê ô ơ ư), recomposed with the base letter.
    private static let letterMarks: Set<UInt32> = [0x0306, 0x0302, 0x031B]
    /// Tone marks, in the order Vietnamese dictionaries sort them (no mark ranks 0).
    private static let toneRank: [UInt32: Int] = [0x0300: 1, 0x0309: 2, 0x0303: 3, 0x0301: 4, 0x0323: 5]

    /// Per character: the letter's rank (spaces and punctuation first, digits next, letters, then other
    /// scripts by code point), its tone, and whether it is upper case.
    private static func key(_ text: String) -> (letters: [Int], tones: [Int], cases: [Int]) {
        var letters: [Int] = [], tones: [Int] = [], cases: [Int] = []
        for character in text.precomposedStringWithCanonicalMapping {
            let scalars = String(character).decomposedStringWithCanonicalMapping.unicodeScalars
            guard let base = scalars.first else { continue }
            var letter = String(base)
            var tone = 0
            for mark in scalars.dropFirst() {
                if letterMarks.contains(mark.value) { letter.unicodeScalars.append(mark) } else { tone = max(tone, toneRank[mark.value] ?? 0) }
            }
            let lower = letter.precomposedStringWithCanonicalMapping.lowercased()
            cases.append(lower == letter.precomposedStringWithCanonicalMapping ? 0 : 1)
            tones.append(tone)
            if let rank = letterRank[lower] {
                letters.append(1_000 + rank)
            } else if base.properties.isWhitespace || base.properties.generalCategory.isPunctuationOrSymbol {
                letters.append(base.properties.isWhitespace ? 0 : 1 + Int(base.value & 0x3FF))
            } else if let digit = base.properties.numericType.flatMap({ _ in Int(String(base)) }) {
                letters.append(500 + digit)
            } else {
                letters.append(2_000 + Int(base.value))
            }
        }
        return (letters, tones, cases)
    }
}

private extension Unicode.GeneralCategory {
    var isPunctuationOrSymbol: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}
