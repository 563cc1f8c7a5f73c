// The published tables (SPEC §4, §4.1) built once from the aggregates, then rendered both as CSV (codes,
// plain numbers) and as Markdown (labels, localized numbers), so the two can never disagree.

/// A cell of a published table, holding its value rather than its text.
enum TableValue: Equatable {
    /// A key cell of an ordinary row: a code, a quarter, a year, or free text (a district, a country).
    case key(String)
    /// The key cell that marks a total row: `total` in CSV, "Tổng"/"Total" in Markdown. No label becomes
    /// this: a label that reads like it is published through `TotalMarker.label`.
    case total
    case count(Int)
    case percent(Int?)
    case budget(Budget)
    /// No value applies (a comparison the period does not have).
    case missing

    /// A key cell's text in the CSV tables: `total` for the total row's marker; a label without control
    /// characters, with a leading `'` when it reads like the total (`TotalMarker`). Nil for other cells.
    var csvKey: String? {
        switch self {
        case .key(let k): return TotalMarker.label(ControlCharacters.removed(k, keepingLayout: true))
        case .total: return TotalMarker.code
        default: return nil
        }
    }

    /// The cell's text in the CSV tables (and trace's figure): keys as `csvKey`, plain numbers, empty for
    /// no value.
    var csvText: String {
        switch self {
        case .key, .total: return csvKey ?? ""
        case .count(let n): return String(n)
        case .percent(let p): return p.map { formatTenths($0) } ?? ""
        case .missing: return ""
        case .budget(let b): return b.description
        }
    }
}

/// A table with canonical column names, ready to render.
struct PublishedTable {
    let id: TableID
    let columns: [String]
    let rows: [[TableValue]]
    /// The table's file name without `.csv`.
    var name: String { id.rawValue }
    /// Indexes of rows that are totals (bold in Markdown).
    let totalRows: Set<Int>
    /// Groups of rows whose shares should add up to 100.0 but, rounded one by one, do not.
    let shareMismatches: [String]

    init(_ id: TableID, columns: [String], rows: [[TableValue]], totalRows: Set<Int>) {
        self.id = id
        self.columns = columns
        self.rows = rows
        self.totalRows = totalRows
        shareMismatches = []
    }

    /// Survey table `id`: its key columns, then one cell per measure of the spec.
    init(_ id: TableID, survey table: SurveyTable) {
        self.id = id
        columns = id.keyColumns + id.measures.map(\.rawValue)
        var rows: [[TableValue]] = []
        var totals = Set<Int>()
        var shareSums: [String: (sum: Int, base: Int)] = [:]
        for row in table.rows {
            if row.isTotal { totals.insert(rows.count) }
            rows.append(keyCells(row.keys, isTotal: row.isTotal) + id.measures.map { $0.cell(row) })
            if !row.isTotal, case .percent(let share?) = Measure.shareOfFoundPct.cell(row) {
                let group = row.keys.dropLast().joined(separator: " ")
                let sum = shareSums[group, default: (0, row.shareBase)].sum
                shareSums[group, default: (0, row.shareBase)].sum = sum.addingReportingOverflow(share).partialValue
            }
        }
        self.rows = rows
        totalRows = totals
        shareMismatches = shareSums.filter { $0.value.base > 0 && $0.value.sum != 1000 }
            .map { $0.key }.sorted()
    }

    /// Activity table `id`: its key columns, then one cell per measure of the spec.
    init(_ id: TableID, activity table: ActivityTable) {
        self.id = id
        columns = id.keyColumns + id.measures.map(\.rawValue)
        var rows: [[TableValue]] = []
        var totals = Set<Int>()
        for row in table.rows {
            if row.isTotal { totals.insert(rows.count) }
            rows.append(keyCells(row.keys, isTotal: row.isTotal) + id.measures.map { $0.cell(row.measures) })
        }
        self.rows = rows
        totalRows = totals
        shareMismatches = []
    }

    /// Machine-readable CSV: BOM, canonical codes, plain numbers, neutralised text.
    func csv() -> [UInt8] {
        var writer = CSVWriter(byteOrderMark: true, neutralise: true)
        writer.writeRow(columns)
        for row in rows {
            writer.writeRow(row.map { value in
                switch value {
                case .key, .total: return .text(value.csvText)
                default: return .number(value.csvText)
                }
            })
        }
        return writer.bytes
    }

    /// Markdown for `language`, labels in place of codes, numbers localized and right-aligned. Labels go
    /// through the one Markdown escaper and are cut to a readable width; numbers are our own text.
    func markdown(_ language: Language, wrapHeaders: Bool = false) -> String {
        let header = columns.map { MarkdownText.cell(language.heading($0)) }
        let body = rows.enumerated().map { index, row in
            row.enumerated().map { column, value -> String in
                let text: String
                switch value {
                case .key(let k): text = MarkdownText.cell(language.keyLabel(k, column: columns[column]))
                case .total: text = MarkdownText.cell(language.totalLabel)
                case .count(let n): text = language.number(n)
                case .percent(let p): text = language.percent(p)
                case .missing: text = ""
                case .budget(let b): text = language.budget(b)
                }
                return totalRows.contains(index) && !text.isEmpty ? "**\(text)**" : text
            }
        }
        let numeric = rows.first.map { $0.map { value in
            switch value {
            case .key, .total: return false
            default: return true
            }
        } } ?? columns.map { _ in false }
        return MarkdownTable.render(header: header, rows: body, rightAligned: numeric, wrapHeaders: wrapHeaders)
    }
}

/// Key cells of a table row: in a total row the cells the aggregator wrote as `total` are the marker; every
/// other cell is a key, whatever its text.
func keyCells(_ keys: [String], isTotal: Bool) -> [TableValue] {
    keys.map { isTotal && $0 == TotalMarker.code ? .total : .key($0) }
}

/// How a total row stays unmistakable (SPEC §4.1: its CSV code is `total`). A free-text label (a district,
/// a country) that reads like the total row or the unknown group's "(chưa rõ)" — "total", "TOTAL", "Tổng",
/// any spelling that folds to one of them — is published with a leading `'`, in the CSV tables, report.md
/// and trace alike, so `total` in a CSV key column is only ever the total row. (A label that folds to
/// "unknown" is already in the unknown group, whose code is `unknown`.)
enum TotalMarker {
    static let code = "total"
    static let reservedKeys: Set<String> = ["total", "tong", "chuaro"]

    static func label(_ text: String) -> String {
        reservedKeys.contains(TextFold.key(text)) ? "'" + text : text
    }
}
