// The domain's closed vocabularies — fields, unit types, activity kinds — with their built-in Vietnamese
// aliases (SPEC §3.1–3.2). Every code also matches itself.

/// A technology field of the survey, in the order every table lists them.
enum Field: String, CaseIterable, Codable, Sendable, Comparable {
    case biotech, environment, energy, automation, materials

    static func < (a: Field, b: Field) -> Bool { a.order < b.order }
    /// The position in `allCases`, without building `allCases` (the ingest loop asks once per record).
    var order: Int {
        switch self {
        case .biotech: 0
        case .environment: 1
        case .energy: 2
        case .automation: 3
        case .materials: 4
        }
    }

    static let builtInAliases: [String: Field] = aliasTable([
        .biotech: ["Công nghệ sinh học", "CN sinh học", "CNSH", "Sinh học", "biotechnology"],
        .environment: ["Công nghệ môi trường", "CN môi trường", "Môi trường", "environmental technology"],
        .energy: ["Công nghệ năng lượng mới", "CN năng lượng mới", "Năng lượng mới", "Năng lượng", "new energy"],
        .automation: ["Công nghệ tự động hóa", "CN tự động hóa", "Tự động hóa"],
        .materials: ["Công nghệ vật liệu mới", "CN vật liệu mới", "Vật liệu mới", "Vật liệu", "new materials"],
    ])
}

/// The kind of surveyed unit; anything unrecognised becomes `other`, with a warning (SPEC §3.4).
enum UnitType: String, CaseIterable, Codable, Sendable, Comparable {
    case enterprise, institute, university, agency, other

    static func < (a: UnitType, b: UnitType) -> Bool { a.order < b.order }
    /// The position in `allCases`, without building `allCases`.
    var order: Int {
        switch self {
        case .enterprise: 0
        case .institute: 1
        case .university: 2
        case .agency: 3
        case .other: 4
        }
    }

    static let builtInAliases: [String: UnitType] = aliasTable([
        .enterprise: ["Doanh nghiệp", "DN", "Công ty"],
        .institute: ["Viện", "Viện nghiên cứu"],
        .university: ["Trường", "Trường đại học", "Đại học", "Cao đẳng"],
        .agency: ["Cơ quan", "Cơ quan nhà nước", "Sở", "Ban"],
        // Not in the spec's list, but what Vietnamese forms write for "other": taking it silently beats a warning per row.
        .other: ["Khác", "Loại khác"],
    ])
}

/// The kind of a programme activity (SPEC §3.2).
enum ActivityKind: String, CaseIterable, Codable, Sendable, Comparable {
    case agreement
    case exhibition
    case connectionSession = "connection_session"
    case researchTask = "research_task"
    case delegation, training, consulting, other

    static func < (a: ActivityKind, b: ActivityKind) -> Bool { a.order < b.order }
    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    static let builtInAliases: [String: ActivityKind] = aliasTable([
        .agreement: ["Thỏa thuận", "Ký kết", "Thỏa thuận hợp tác"],
        .exhibition: ["Triển lãm"],
        .connectionSession: ["Kết nối cung cầu", "Kết nối"],
        .researchTask: ["Nhiệm vụ KH&CN", "Nhiệm vụ", "Nhiệm vụ khoa học và công nghệ"],
        .delegation: ["Đoàn công tác"],
        .training: ["Đào tạo", "Tập huấn"],
        .consulting: ["Tư vấn"],
        .other: ["Khác"],
    ])
}

/// Folded alias → code, each code matching its own name too.
func aliasTable<Code: RawRepresentable & CaseIterable & Hashable>(_ aliases: [Code: [String]]) -> [String: Code]
where Code.RawValue == String {
    var table: [String: Code] = [:]
    for code in Code.allCases {
        table[TextFold.key(code.rawValue)] = code
        for alias in aliases[code] ?? [] { table[TextFold.key(alias)] = code }
    }
    return table
}
