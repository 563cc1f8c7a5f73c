// What ingest learnt about each input file — fingerprint, encoding, delimiter and the row accounting of
// SPEC §3.4 — kept in the stage folder and carried into `manifest.json`.

/// The row account a file and a workbook's sheet both keep (SPEC §3.4), moved and added up one way.
protocol RowAccount {
    var rowsRead: Int { get set }
    var rowsAccepted: Int { get set }
    var rowsRejected: Int { get set }
    var rowsSuperseded: Int { get set }
    var blankRows: Int { get set }
    var titleRows: Int { get set }
}

extension RowAccount {
    /// Adds what a file's or sheet's records came to as they were read.
    mutating func add(_ counts: RowCounts) {
        rowsRead += counts.read
        rowsAccepted += counts.accepted
        rowsRejected += counts.rejected
        blankRows += counts.blank
    }

    /// Adds the whole account of a part (a sheet of a workbook, a file of the run).
    mutating func add(_ part: some RowAccount) {
        add(RowCounts(read: part.rowsRead, accepted: part.rowsAccepted, rejected: part.rowsRejected, blank: part.blankRows))
        rowsSuperseded += part.rowsSuperseded
        titleRows += part.titleRows
    }

    /// Moves `n` accepted records to superseded: a later submission replaced them.
    mutating func supersede(_ n: Int) {
        rowsAccepted -= n
        rowsSuperseded += n
    }
}

/// Per-file facts and counts. `rowsRead == rowsAccepted + rowsRejected + rowsSuperseded` always.
struct FileSummary: RowAccount, Codable, Sendable, Equatable {
    var file: String
    var kind: String
    var sha256: String
    var bytes: Int
    var encoding: String
    var encodingSource: String
    var delimiter: String
    var rowsRead = 0
    var rowsAccepted = 0
    var rowsRejected = 0
    var rowsSuperseded = 0
    var blankRows = 0
    /// Rows above the header: a title block (SPEC §3.6); for a workbook, over every sheet read.
    var titleRows = 0
    var extraColumns: [String] = []
    /// A workbook's sheets in workbook order, read or not (with the reason); nil for a text file.
    var sheets: [SheetSummary]?
    var warnings: [String] = []

    enum CodingKeys: String, CodingKey {
        case file, kind, sha256, bytes, encoding, delimiter, warnings
        case encodingSource = "encoding_source"
        case rowsRead = "rows_read"
        case rowsAccepted = "rows_accepted"
        case rowsRejected = "rows_rejected"
        case rowsSuperseded = "rows_superseded"
        case blankRows = "blank_rows"
        case titleRows = "title_rows"
        case sheets
        case extraColumns = "extra_columns"
    }

    /// True when every record read is accounted for.
    var reconciles: Bool { rowsRead == rowsAccepted + rowsRejected + rowsSuperseded }
}

/// One sheet of a workbook: whether it was read, why not, and its own account. Rejects, superseded rows and
/// trace name a read sheet as `file#sheet`.
struct SheetSummary: RowAccount, Codable, Sendable, Equatable {
    var name: String
    /// `visible`, `hidden` or `veryHidden`, as the workbook says.
    var state: String
    var read: Bool
    /// Why the sheet was not read; nil for a sheet that was.
    var reason: String?
    var titleRows = 0
    var rowsRead = 0
    var rowsAccepted = 0
    var rowsRejected = 0
    var rowsSuperseded = 0
    var blankRows = 0

    init(name: String, state: String, read: Bool, reason: String? = nil) {
        self.name = name
        self.state = state
        self.read = read
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case name, state, read, reason
        case titleRows = "title_rows"
        case rowsRead = "rows_read"
        case rowsAccepted = "rows_accepted"
        case rowsRejected = "rows_rejected"
        case rowsSuperseded = "rows_superseded"
        case blankRows = "blank_rows"
    }
}

/// The whole ingest run's account.
public struct IngestSummary: Codable, Sendable, Equatable {
    var files: [FileSummary]

    /// The run summary ingest prints: the account, then each file's ignored columns and warnings, once.
    public var runSummary: [String] {
        let t = totals
        var lines = ["ingest: \(files.count) files, read \(t.rowsRead), accepted \(t.rowsAccepted), rejected \(t.rowsRejected), superseded \(t.rowsSuperseded)"]
        for f in files {
            if !f.extraColumns.isEmpty { lines.append("  \(f.file): ignored columns \(f.extraColumns.joined(separator: ", "))") }
            for w in f.warnings { lines.append("  \(f.file): \(w)") }
        }
        return lines
    }

    var totals: FileSummary {
        var t = FileSummary(file: "total", kind: "", sha256: "", bytes: 0, encoding: "", encodingSource: "", delimiter: "")
        for f in files {
            t.bytes += f.bytes
            t.add(f)
        }
        return t
    }
}

/// How a delimiter byte is named in the manifest.
func delimiterName(_ d: UInt8) -> String {
    switch d {
    case 0x09: return "tab"
    case 0x2C: return ","
    case 0x3B: return ";"
    case 0x7C: return "|"
    default: return String(UnicodeScalar(d))
    }
}
