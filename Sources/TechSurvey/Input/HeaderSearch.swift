// Title rows above the header (SPEC §3.6): forms exported from Excel carry a title block above the column
// names. The header is the first row, among the first 20, that holds every required column; the rows above
// it are title rows, never records, and rows keep the numbers Excel shows. CSV files and workbook sheets
// both go through this one search.

/// The header must be within this many rows of the top (SPEC §3.6).
let titleRowLimit = 20

/// Finds the header of one file or sheet, a record at a time, in row order.
struct HeaderSearch<Column: CanonicalColumn> {
    let matcher: LabelMatcher<Column>
    /// Rows above the header (blank ones included), once it is found.
    private(set) var titleRows = 0
    /// The row holding the most known columns so far: what a "missing column" message describes.
    private var best: (record: CSVRecord, known: Int)?

    init(matcher: LabelMatcher<Column>) {
        self.matcher = matcher
    }

    /// True when `cells` name every required column.
    static func holdsHeader(_ cells: [String], matcher: LabelMatcher<Column>) -> Bool {
        ColumnMap(header: cells, matcher: matcher).missingRequired.isEmpty
    }

    enum Outcome {
        /// The header; its cells, trimmed of empty cells at the end.
        case header([String])
        /// A title row above the header.
        case title
        /// The row is past the limit and no header was found.
        case tooFar
    }

    /// Looks at the next row.
    mutating func consider(_ record: CSVRecord) -> Outcome {
        if record.row > titleRowLimit { return .tooFar }
        if !record.isBlank {
            var cells = (0..<record.count).map { record.text($0) ?? "" }
            while cells.last?.isEmpty == true { cells.removeLast() }
            let columns = ColumnMap(header: cells, matcher: matcher)
            if columns.missingRequired.isEmpty {
                titleRows = record.row - 1
                return .header(cells)
            }
            if best == nil || columns.index.count > (best?.known ?? 0) {
                best = (record, columns.index.count)
            }
        }
        return .title
    }

    /// For a text file: the column map when `record` is the header, nil for a title row; throws the file's
    /// "missing column" error once the rows past the limit are reached without a header.
    mutating func offer(_ record: CSVRecord, file: String, summary: inout FileSummary) throws -> ColumnMap<Column>? {
        switch consider(record) {
        case .header:
            summary.titleRows = titleRows
            return try columnMap(header: record, matcher: matcher, file: file, summary: &summary)
        case .title: return nil
        case .tooFar: try fail(file: file, summary: &summary)
        }
    }

    /// The row that came closest, when no header was found (nil: only blank rows were seen).
    var closest: CSVRecord? { best?.record }

    /// The required columns the closest row lacks (all of them when no row was seen).
    var missingColumns: [Column] {
        guard let best else { return Column.allCases.filter(\.isRequired) }
        return ColumnMap(header: (0..<best.record.count).map { best.record.text($0) ?? "" }, matcher: matcher).missingRequired
    }

    /// Throws the error of a text file without a header: no row at all, or the closest row's missing columns.
    func fail(file: String, summary: inout FileSummary) throws -> Never {
        guard let best else {
            throw TechSurveyError(.data, "\(file): the file has no header row, only blank lines; export the sheet again")
        }
        _ = try columnMap(header: best.record, matcher: matcher, file: file, summary: &summary)
        // columnMap throws for a row without every required column; reaching here means it did not.
        throw TechSurveyError(.data, "\(file): no header row within the first \(titleRowLimit) rows; the row with the column names must be one of the first \(titleRowLimit)")
    }
}
