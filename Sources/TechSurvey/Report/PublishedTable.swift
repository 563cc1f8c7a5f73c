// The published tables (SPEC §4, §4.1) built once from the aggregates, then rendered both as CSV (codes,
// plain numbers) and as Markdown (labels, localized numbers), so the two can never disagree.

/// A cell of a published table, holding its value rather than its text.
enum TableValue: Equatable {
    case key(String)
    case count(Int)
    case percent(Int?)
    case budget(Budget)
    /// No value applies (a comparison the period does not have).
    case missing
}

/// A table with canonical column names, ready to render.
struct PublishedTable {
    let name: String
    let columns: [String]
    let rows: [[TableValue]]
    /// Indexes of rows that are totals (bold in Markdown).
    let totalRows: Set<Int>
    /// Groups of rows whose shares should add up to 100.0 but, rounded one by one, do not.
    let shareMismatches: [String]

    static let surveyMeasureColumns = ["unit_visits", "distinct_units", "technologies_found", "technologies_proposed", "proposal_rate_pct", "share_of_found_pct"]
    static let activityMeasureColumns = ["activities", "businesses", "visitors", "connections", "budget_million_vnd"]

    init(name: String, columns: [String], rows: [[TableValue]], totalRows: Set<Int>) {
        self.name = name
        self.columns = columns
        self.rows = rows
        self.totalRows = totalRows
        shareMismatches = []
    }

    init(name: String, survey table: SurveyTable) {
        self.name = name
        columns = table.keyColumns + Self.surveyMeasureColumns
        var rows: [[TableValue]] = []
        var totals = Set<Int>()
        var shareSums: [String: (sum: Int, base: Int)] = [:]
        for row in table.rows {
            let m = row.measures
            let share = percentTenths(m.technologiesFound, of: row.shareBase)
            if row.isTotal { totals.insert(rows.count) }
            rows.append(row.keys.map(TableValue.key) + [
                .count(m.unitVisits), .count(m.distinctUnits), .count(m.technologiesFound), .count(m.technologiesProposed),
                .percent(percentTenths(m.technologiesProposed, of: m.technologiesFound)), .percent(share),
            ])
            if !row.isTotal, let share {
                let group = row.keys.dropLast().joined(separator: " ")
                shareSums[group, default: (0, row.shareBase)].sum += share
            }
        }
        self.rows = rows
        totalRows = totals
        shareMismatches = shareSums.filter { $0.value.base > 0 && $0.value.sum != 1000 }
            .map { $0.key }.sorted()
    }

    init(name: String, activity table: ActivityTable) {
        self.name = name
        columns = table.keyColumns + Self.activityMeasureColumns
        var rows: [[TableValue]] = []
        var totals = Set<Int>()
        for row in table.rows {
            let m = row.measures
            if row.isTotal { totals.insert(rows.count) }
            rows.append(row.keys.map(TableValue.key) + [
                .count(m.activities), .count(m.businesses), .count(m.visitors), .count(m.connections), .budget(m.budget),
            ])
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
                case .key(let k): return .text(k)
                case .count(let n): return .number(String(n))
                case .percent(let p): return .number(p.map { formatTenths($0) } ?? "")
                case .missing: return .number("")
                case .budget(let b): return .number(b.description)
                }
            })
        }
        return writer.bytes
    }

    /// Markdown for `language`, labels in place of codes, numbers localized and right-aligned.
    func markdown(_ language: Language) -> String {
        let header = columns.map(language.heading)
        let body = rows.enumerated().map { index, row in
            row.enumerated().map { column, value -> String in
                let text: String
                switch value {
                case .key(let k): text = language.keyLabel(k, column: columns[column])
                case .count(let n): text = language.number(n)
                case .percent(let p): text = language.percent(p)
                case .missing: text = ""
                case .budget(let b): text = language.budget(b)
                }
                return totalRows.contains(index) && !text.isEmpty ? "**\(MarkdownTable.escape(text))**" : MarkdownTable.escape(text)
            }
        }
        let numeric = rows.first.map { $0.map { if case .key = $0 { return false } else { return true } } } ?? columns.map { _ in false }
        return MarkdownTable.render(header: header.map(MarkdownTable.escape), rows: body, rightAligned: numeric)
    }
}
