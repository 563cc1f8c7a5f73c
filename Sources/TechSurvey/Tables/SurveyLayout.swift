// The rows of a survey table and which row each return falls in (SPEC §4.1): by_field by its field,
// by_unit_type by its unit type, by_district by its district's group, by_period by its quarter and field;
// each return also counts in its group's total row (by_period: its quarter's). The comparisons are by_field
// over another period; the trend is the quarters' total rows over its own range.

/// A period's quarters as numbers (`year * 4 + quarter - 1`), tested on packed dates without building one.
struct QuarterRange: Equatable {
    let first: Int
    let last: Int

    init(_ period: Period) {
        first = period.first.map(Self.index) ?? Int.min
        last = period.last.map(Self.index) ?? Int.max
    }

    init(first: Int, last: Int) {
        self.first = first
        self.last = last
    }

    @inline(__always)
    func contains(quarter q: Int) -> Bool { q >= first && q <= last }

    func contains(_ packedDate: Int32) -> Bool { contains(quarter: Self.index(packedDate: packedDate)) }

    static func index(_ q: Quarter) -> Int { q.year * 4 + q.quarter - 1 }
    @inline(__always)
    static func index(packedDate d: Int32) -> Int { Int(d / 10_000) * 4 + Int((d / 100 % 100 - 1) / 3) }
    static func quarter(_ index: Int) -> Quarter { Quarter(year: index.floorDiv(4), quarter: index - index.floorDiv(4) * 4 + 1) }
}

/// The rows of one survey table over one range of quarters, and the row of each return.
struct SurveyLayout {
    enum Rows {
        /// One row per field, then the total.
        case field
        /// One row per unit type, then the total.
        case unitType
        /// One row per district group (`districts`), then the total.
        case district
        /// Per quarter from `first` (a `QuarterRange` index): one row per field, then the quarter's total.
        case quarterField(first: Int)
        /// Per quarter from `first`: its total only (the trend).
        case quarter(first: Int)
    }

    let rows: Rows
    let districts: DistrictRows
    /// The quarters whose returns the table counts.
    let range: QuarterRange
    /// Each row's key cells, in publication order; a total row's own key is `total`.
    let keys: [[String]]
    let isTotal: [Bool]
    /// False when another table over the same range counts the same total row (every return of the
    /// range): aggregate counts by_field's once and gives it to by_unit_type and by_district.
    var countsTotal = true

    static let fieldCount = Field.allCases.count

    init(_ rows: Rows, range: QuarterRange, quarters: Int = 0, districts: DistrictRows = DistrictRows()) {
        self.rows = rows
        self.range = range
        self.districts = districts
        let total = TotalMarker.code
        switch rows {
        case .field: keys = Field.allCases.map { [$0.rawValue] } + [[total]]
        case .unitType: keys = UnitType.allCases.map { [$0.rawValue] } + [[total]]
        case .district: keys = districts.labels.map { [$0] } + [[total]]
        case .quarterField(let first):
            keys = (0..<quarters).flatMap { i -> [[String]] in
                let q = QuarterRange.quarter(first + i).description
                return Field.allCases.map { [q, $0.rawValue] } + [[q, total]]
            }
        case .quarter(let first): keys = (0..<quarters).map { [QuarterRange.quarter(first + $0).description] }
        }
        // Known from the row's place, never from its text: a district may be named "total".
        let count = keys.count
        isTotal = (0..<count).map { i in
            switch rows {
            case .quarterField: return i % (Self.fieldCount + 1) == Self.fieldCount
            case .quarter: return true
            default: return i == count - 1
            }
        }
    }

    /// The row return `r` of quarter `q` (inside `range`) falls in, and the total row it also counts in
    /// (the same row when it is itself a total). `row` is -1 for a district no group holds (never, for a
    /// layout built from the same returns).
    @inline(__always)
    func place(_ r: PackedReturn, quarter q: Int) -> (row: Int, total: Int) {
        switch rows {
        case .field: return (Int(r.field), Self.fieldCount)
        case .unitType: return (Int(r.unitType), UnitType.allCases.count)
        case .district: return (districts.row(r.district), districts.labels.count)
        case .quarterField(let first):
            let at = (q - first) * (Self.fieldCount + 1)
            return (at + Int(r.field), at + Self.fieldCount)
        case .quarter(let first): return (q - first, q - first)
        }
    }

    /// The total row that row `i` counts in, whose found its share divides.
    func totalRow(of i: Int) -> Int {
        switch rows {
        case .quarterField: return i / (Self.fieldCount + 1) * (Self.fieldCount + 1) + Self.fieldCount
        case .quarter: return i
        default: return keys.count - 1
        }
    }
}

/// A dense number per distinct unit id, kept per string index, so counting distinct units per row is setting
/// a bit and memory follows distinct strings, never records. Unit ids are canonical when packed; each
/// distinct index is still checked by its text once, so a string table that holds one id twice cannot count
/// a unit twice.
struct UnitNumbers {
    private var numberOfString: [Int32]
    private var numberOfText: [String: Int32] = [:]
    /// How many distinct units there are.
    private(set) var count = 0

    init(strings: Int) {
        numberOfString = [Int32](repeating: -1, count: strings)
    }

    /// Numbers worked out elsewhere (Fast/ParallelReturnPasses): `numberOfString[i]` is string `i`'s unit,
    /// -1 for a string no return names as its unit, and `count` units are numbered `0 ..< count`. `see`
    /// must not be called on them.
    init(numberOfString: [Int32], count: Int) {
        self.numberOfString = numberOfString
        self.count = count
    }

    /// Numbers the unit id at string index `unitID`, the first time it is seen.
    @inline(__always)
    mutating func see(_ unitID: Int32, strings: [String]) {
        if numberOfString[Int(unitID)] < 0 { number(unitID, strings: strings) }
    }

    private mutating func number(_ unitID: Int32, strings: [String]) {
        let text = strings[Int(unitID)]
        let n = numberOfText[text] ?? Int32(numberOfText.count)
        numberOfText[text] = n
        count = numberOfText.count
        numberOfString[Int(unitID)] = n
    }

    /// The number of the unit id at string index `unitID` (seen before).
    @inline(__always)
    subscript(unitID: Int32) -> Int { Int(numberOfString[Int(unitID)]) }

    /// Asks for the cache line of `unitID`'s number ahead of `self[unitID]` (a hint: never faults).
    @inline(__always)
    func prefetch(_ unitID: Int32) {
        numberOfString.withUnsafeBufferPointer { if let base = $0.baseAddress, Int(unitID) < $0.count { TechSurvey.prefetch(base + Int(unitID)) } }
    }
}

/// The by-district rows: districts grouped as `FreeTextGroups` does, over the distinct spellings of the
/// returns in the period, then each spelling's row looked up by its string index.
struct DistrictRows {
    /// Row labels in table order.
    let labels: [String]
    private let rowOfString: [Int32]

    /// No district (the layouts of other tables).
    init() {
        labels = []
        rowOfString = []
    }

    /// `counts[i]` is how many returns in the period have district `strings[i]`.
    init(_ strings: [String], counts: [Int32]) {
        var spellings: [String: Int] = [:]
        for (i, n) in counts.enumerated() where n > 0 { spellings[strings[i], default: 0] += Int(n) }
        let groups = FreeTextGroups(counts: spellings)
        labels = groups.orderedLabels
        let rowOfLabel = Dictionary(labels.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        var rows = [Int32](repeating: -1, count: counts.count)
        for (i, n) in counts.enumerated() where n > 0 {
            rows[i] = rowOfLabel[groups.label(for: strings[i])] ?? -1
        }
        rowOfString = rows
    }

    @inline(__always)
    func row(_ district: Int32) -> Int { Int(rowOfString[Int(district)]) }
}
