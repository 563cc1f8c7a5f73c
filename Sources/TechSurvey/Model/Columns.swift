// The canonical columns of returns and activity files (SPEC §3.1–3.2) with their built-in Vietnamese names,
// and how a file's header is mapped onto them.

/// A canonical column of an input file kind.
protocol CanonicalColumn: CaseIterable, RawRepresentable, Hashable, Sendable where RawValue == String {
    var isRequired: Bool { get }
    /// The column's place in `allCases`, so a file's column map is an array, not a dictionary.
    var ordinal: Int { get }
    /// Folded built-in header names (and the canonical name itself) → column.
    static var builtInAliases: [String: Self] { get }
}

/// A column of a returns file.
enum ReturnColumn: String, CanonicalColumn {
    case returnID = "return_id"
    case unitID = "unit_id"
    case unitName = "unit_name"
    case unitType = "unit_type"
    case district
    case field
    case surveyDate = "survey_date"
    case technologiesFound = "technologies_found"
    case technologiesProposed = "technologies_proposed"
    case submittedAt = "submitted_at"

    var isRequired: Bool {
        switch self {
        case .unitID, .field, .surveyDate, .technologiesFound, .technologiesProposed: return true
        default: return false
        }
    }

    var ordinal: Int {
        switch self {
        case .returnID: return 0
        case .unitID: return 1
        case .unitName: return 2
        case .unitType: return 3
        case .district: return 4
        case .field: return 5
        case .surveyDate: return 6
        case .technologiesFound: return 7
        case .technologiesProposed: return 8
        case .submittedAt: return 9
        }
    }

    static let builtInAliases: [String: ReturnColumn] = aliasTable([
        .returnID: ["Số phiếu", "Mã phiếu"],
        .unitID: ["Mã đơn vị", "Mã ĐV"],
        .unitName: ["Tên đơn vị"],
        .unitType: ["Loại hình", "Loại hình đơn vị"],
        .district: ["Quận/Huyện", "Địa bàn"],
        .field: ["Lĩnh vực"],
        .surveyDate: ["Ngày khảo sát"],
        .technologiesFound: ["Số công nghệ tìm kiếm", "Số công nghệ khảo sát", "Công nghệ tìm kiếm"],
        .technologiesProposed: ["Số công nghệ đề xuất", "Công nghệ đề xuất"],
        .submittedAt: ["Ngày nộp", "Thời gian nộp"],
    ])
}

/// A column of an activity log file.
enum ActivityColumn: String, CanonicalColumn {
    case activityID = "activity_id"
    case date
    case kind
    case title
    case partner
    case partnerCountry = "partner_country"
    case field
    case businesses
    case visitors
    case connections
    case budget = "budget_million_vnd"

    var isRequired: Bool { self == .date || self == .kind || self == .title }

    var ordinal: Int {
        switch self {
        case .activityID: return 0
        case .date: return 1
        case .kind: return 2
        case .title: return 3
        case .partner: return 4
        case .partnerCountry: return 5
        case .field: return 6
        case .businesses: return 7
        case .visitors: return 8
        case .connections: return 9
        case .budget: return 10
        }
    }

    static let builtInAliases: [String: ActivityColumn] = aliasTable([
        .activityID: ["Mã hoạt động"],
        .date: ["Ngày"],
        .kind: ["Loại hoạt động"],
        .title: ["Tên hoạt động"],
        .partner: ["Đối tác"],
        .partnerCountry: ["Quốc gia"],
        .field: ["Lĩnh vực"],
        .businesses: ["Số doanh nghiệp"],
        .visitors: ["Số lượt khách"],
        .connections: ["Số cuộc kết nối"],
        .budget: ["Kinh phí (triệu đồng)", "Kinh phí"],
    ])
}

/// Where each canonical column sits in one file, and which header cells matched nothing.
struct ColumnMap<Column: CanonicalColumn>: Sendable {
    let index: [Column: Int]
    let extraColumns: [String]
    let headerCount: Int
    /// Position of each column by ordinal, -1 when the file lacks it.
    private let positions: [Int]

    subscript(column: Column) -> Int? {
        let position = positions[column.ordinal]
        return position < 0 ? nil : position
    }

    /// The same map in storage of its own, for a thread that must not share reference counts.
    func privateCopy() -> ColumnMap {
        ColumnMap(index: Dictionary(uniqueKeysWithValues: index.map { ($0.key, $0.value) }),
                  extraColumns: extraColumns.map { String(decoding: Array($0.utf8), as: UTF8.self) },
                  headerCount: headerCount, positions: positions.map { $0 })
    }

    private init(index: [Column: Int], extraColumns: [String], headerCount: Int, positions: [Int]) {
        self.index = index
        self.extraColumns = extraColumns
        self.headerCount = headerCount
        self.positions = positions
    }

    /// Maps `header` with `matcher`; the first cell naming a column wins, a repeat is an extra column.
    init(header: [String], matcher: LabelMatcher<Column>) {
        var index: [Column: Int] = [:]
        var extras: [String] = []
        for (position, name) in header.enumerated() {
            if let column = matcher.match(name), index[column] == nil {
                index[column] = position
            } else if !name.isEmpty {
                extras.append(name)
            }
        }
        self.index = index
        var positions = [Int](repeating: -1, count: Column.allCases.count)
        for (column, position) in index { positions[column.ordinal] = position }
        self.positions = positions
        self.extraColumns = extras
        self.headerCount = header.count
    }

    /// Required columns the header lacks, in canonical order.
    var missingRequired: [Column] {
        Column.allCases.filter { $0.isRequired && index[$0] == nil }
    }
}
