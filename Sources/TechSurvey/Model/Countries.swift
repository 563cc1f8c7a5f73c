// Country names (SPEC §4.5): a partner country typed in any common spelling ("Nhật Bản", "Japan", "JPN")
// becomes its ISO 3166-1 alpha-2 code at ingest, and the report names the code in its language. The names
// come from Debian's iso-codes (the JSON list and its Vietnamese gettext catalogue, read at run time), plus
// built-in spellings the catalogue lacks and the analyst's aliases.csv kind `country`.

import Foundation

/// The countries one run knows, by folded spelling.
struct CountryCatalogue: Sendable {
    struct Country: Sendable {
        var english: String
        var vietnamese: String?
    }

    private var countries: [String: Country] = [:]
    private var codeByKey: [String: String] = [:]
    private var builtInKeys: Set<String> = []

    /// Whether the iso-codes files were found; without them only the built-in spellings are known.
    private(set) var hasCatalogue = false

    /// The system catalogue: /usr/share/iso-codes (Debian `iso-codes`), read once per process.
    static let system = CountryCatalogue(
        json: "/usr/share/iso-codes/json/iso_3166-1.json",
        vietnameseCatalogue: "/usr/share/locale/vi/LC_MESSAGES/iso_3166-1.mo")

    init(json jsonPath: String, vietnameseCatalogue moPath: String) {
        let translations = (FileManager.default.contents(atPath: moPath)).map(GettextCatalogue.entries) ?? [:]
        if let data = FileManager.default.contents(atPath: jsonPath),
           let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let list = root["3166-1"] as? [[String: Any]] {
            hasCatalogue = true
            for entry in list {
                guard let code = entry["alpha_2"] as? String, let name = entry["name"] as? String else { continue }
                let common = entry["common_name"] as? String
                let spellings = [code, entry["alpha_3"] as? String, name, common, entry["official_name"] as? String].compactMap { $0 }
                let vietnamese = spellings.dropFirst(2).compactMap { translations[$0] }.filter { !$0.isEmpty }
                countries[code] = Country(english: common ?? name, vietnamese: vietnamese.first)
                for spelling in spellings + vietnamese { register(spelling, code) }
            }
        }
        // Built-in spellings override the catalogue's archaic Vietnamese names ("Nhật", "Hoà Lan").
        for (code, spellings) in builtInCountrySpellings {
            if countries[code] == nil { countries[code] = Country(english: code, vietnamese: nil) }
            countries[code]?.vietnamese = spellings.first
            for spelling in spellings {
                codeByKey[TextFold.key(spelling)] = code
                builtInKeys.insert(TextFold.key(spelling))
            }
        }
        for key in codeByKey.keys { builtInKeys.insert(key) }
    }

    private mutating func register(_ spelling: String, _ code: String) {
        let key = TextFold.key(spelling)
        guard !key.isEmpty, codeByKey[key] == nil else { return }
        codeByKey[key] = code
    }

    /// The alpha-2 code `text` names, if it names a known country.
    func code(for text: String) -> String? { codeByKey[TextFold.key(text)] }

    /// The country's name in `language`, or nil for a code the catalogue does not hold.
    func name(_ code: String, vietnamese: Bool) -> String? {
        guard let country = countries[code] else { return nil }
        return vietnamese ? (country.vietnamese ?? country.english) : country.english
    }

    /// Adds an analyst alias (aliases.csv kind `country`); returns what is wrong with it, if anything.
    mutating func add(alias: String, code rawCode: String) -> String? {
        let code = rawCode.uppercased()
        guard countries[code] != nil else { return "\(quotedCell(rawCode)) is not an ISO 3166-1 alpha-2 country code (JP, KR, NL, …)" }
        let key = TextFold.key(alias)
        if let existing = codeByKey[key], existing != code {
            let origin = builtInKeys.contains(key) ? "a built-in name" : "an earlier line's alias"
            return "\(quotedCell(alias)) is \(origin) for \(existing); an alias cannot move it to \(code) (remove the line, or use a spelling of your own)"
        }
        codeByKey[key] = code
        return nil
    }
}

/// Reads a GNU gettext `.mo` file: a header of 32-bit words (magic, revision, count, offset of the original
/// strings' table, offset of the translations' table), each table `count` pairs of (length, offset). Every
/// offset is checked against the file's size before it is read, so a damaged file yields no entries.
enum GettextCatalogue {
    static func entries(_ data: Data) -> [String: String] {
        let bytes = [UInt8](data)
        func word(_ at: Int, bigEndian: Bool) -> Int? {
            guard at >= 0, at + 4 <= bytes.count else { return nil }
            let b = bytes[at..<(at + 4)].map { UInt32($0) }
            return Int(bigEndian ? b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3] : b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0])
        }
        guard let magic = word(0, bigEndian: false), magic == 0x9504_12DE || magic == 0xDE12_0495 else { return [:] }
        let big = magic == 0xDE12_0495
        guard let count = word(8, bigEndian: big), let originals = word(12, bigEndian: big), let translated = word(16, bigEndian: big),
              count < bytes.count else { return [:] }
        func string(_ table: Int, _ i: Int) -> String? {
            guard let length = word(table + 8 * i, bigEndian: big), let offset = word(table + 8 * i + 4, bigEndian: big),
                  offset + length <= bytes.count else { return nil }
            return String(bytes: bytes[offset..<(offset + length)], encoding: .utf8)
        }
        var out: [String: String] = [:]
        for i in 0..<count {
            guard let key = string(originals, i), !key.isEmpty, let value = string(translated, i) else { continue }
            out[key] = value.precomposedStringWithCanonicalMapping
        }
        return out
    }
}

/// Common spellings the catalogue lacks, the first being the name Vietnamese reports use.
let builtInCountrySpellings: [(String, [String])] = [
    ("JP", ["Nhật Bản", "Nhật"]), ("KR", ["Hàn Quốc", "Nam Hàn", "Đại Hàn", "Korea", "Cộng hòa Hàn Quốc"]),
    ("KP", ["Triều Tiên", "Bắc Triều Tiên"]), ("NL", ["Hà Lan", "Holland"]), ("US", ["Hoa Kỳ", "Mỹ", "USA", "Hợp chủng quốc Hoa Kỳ"]),
    ("GB", ["Vương quốc Anh", "Anh", "UK", "Britain", "England"]), ("DE", ["Đức", "CHLB Đức", "Cộng hòa Liên bang Đức"]),
    ("FR", ["Pháp", "Cộng hòa Pháp"]), ("CN", ["Trung Quốc"]), ("TW", ["Đài Loan"]), ("RU", ["Liên bang Nga", "Nga", "Russia"]),
    ("LA", ["Lào", "CHDCND Lào"]), ("KH", ["Campuchia", "Cam-pu-chia"]), ("TH", ["Thái Lan"]), ("SG", ["Singapore", "Xin-ga-po"]),
    ("IN", ["Ấn Độ"]), ("AU", ["Australia", "Úc", "Ô-xtrây-li-a"]), ("IL", ["Israel", "Ixraen"]), ("CZ", ["Séc", "Cộng hòa Séc", "Czech Republic"]),
    ("BE", ["Bỉ"]), ("CH", ["Thụy Sĩ"]), ("AT", ["Áo"]), ("IT", ["Italia", "Ý"]), ("ES", ["Tây Ban Nha"]),
    ("FI", ["Phần Lan"]), ("SE", ["Thụy Điển"]), ("DK", ["Đan Mạch"]), ("NO", ["Na Uy"]), ("PL", ["Ba Lan"]),
    ("HU", ["Hungary", "Hung-ga-ri"]), ("UA", ["Ukraina", "U-crai-na"]), ("MY", ["Malaysia", "Ma-lai-xi-a"]),
    ("ID", ["Indonesia", "In-đô-nê-xi-a"]), ("PH", ["Philippines", "Phi-líp-pin"]), ("MM", ["Myanmar", "Mi-an-ma"]),
    ("VN", ["Việt Nam", "Vietnam"]), ("CA", ["Canada"]), ("NZ", ["New Zealand", "Niu Di-lân"]),
]
