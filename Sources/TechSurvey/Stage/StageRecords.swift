// Writes and reads the stage folder's CSV records: canonical column names, codes, ISO dates, plain numbers,
// with the source file, row and line of every record kept for trace. The returns themselves travel as
// returns.bin (`PackedReturnsFile`); their CSV form here is what `techsurvey-stage returns` prints.

import Foundation

enum StageRecords {
    static let returnsHeader = ["file", "row", "line"] + ReturnColumn.allCases.map(\.rawValue)
    static let activitiesHeader = ["file", "row", "line"] + ActivityColumn.allCases.map(\.rawValue)
    static let rejectsHeader = ["file", "row", "line", "reason", "detail", "raw"]
    static let supersededHeader = ["file", "row", "line", "unit_id", "survey_date", "field", "submitted_at", "superseded_by"]

    static func sourceCells(_ s: SourceRef) -> [CSVCell] {
        [.text(ControlCharacters.visible(s.file, keepingLayout: false)), .number(String(s.row)), .number(String(s.line))]
    }

    /// One row of the returns CSV (`returnsHeader`), as `techsurvey-stage returns` prints it.
    /// Text cells show control characters as visible escapes, as rejects.csv does: this CSV goes to a
    /// terminal or a file an analyst opens.
    static func writeReturn(_ r: ReturnRecord, to w: inout CSVWriter) {
        func shown(_ text: String) -> String { ControlCharacters.visible(text, keepingLayout: true) }
        w.text(shown(r.source.file), first: true)
        w.int(r.source.row)
        w.int(r.source.line)
        w.text(shown(r.returnID))
        w.text(shown(r.unitID))
        w.text(shown(r.unitName))
        w.text(r.unitType.rawValue)
        w.text(shown(r.district))
        w.text(r.field.rawValue)
        w.date(r.surveyDate)
        w.int(r.found)
        w.int(r.proposed)
        if let t = r.submittedAt { w.date(t.date, seconds: t.seconds) } else { w.empty() }
        w.endRow()
    }

    static func activitiesCSV(_ records: [ActivityRecord]) -> [UInt8] {
        var w = CSVWriter(crlf: false)
        w.writeRow(activitiesHeader)
        for a in records {
            w.writeRow(sourceCells(a.source) + [
                .text(a.activityID), .text(a.date.description), .text(a.kind.rawValue), .text(a.title), .text(a.partner),
                .text(a.partnerCountry), .text(a.field?.rawValue ?? ""), .number(String(a.businesses)),
                .number(String(a.visitors)), .number(String(a.connections)), .number(a.budget.description),
            ])
        }
        return w.bytes
    }

    /// `rejects.csv`; `neutralise` gives the published form (BOM, formula cells prefixed with `'`).
    static func rejectsCSV(_ rejects: [Reject], neutralise: Bool = false) -> [UInt8] {
        var w = CSVWriter(byteOrderMark: neutralise, neutralise: neutralise)
        w.writeRow(rejectsHeader)
        for r in rejects {
            // Control characters shown as visible escapes (SPEC §3.4: a NUL as `\0`); the record's own TABs and
            // line ends stay, quoted, in `raw`.
            w.writeRow(sourceCells(r.source) + [.text(r.reason.rawValue), .text(ControlCharacters.visible(r.detail, keepingLayout: false)),
                                                .text(ControlCharacters.visible(r.raw, keepingLayout: true))])
        }
        return w.bytes
    }

    /// Reads a stage CSV written above, handing each record's cells by header name.
    static func read(_ path: String, expecting header: [String], _ body: ([String: Int], CSVRecord) throws -> Void) throws {
        var columns: [String: Int]?
        _ = try readDelimitedFile(path: path, displayName: path, options: ReadOptions(encoding: .utf8, delimiter: 0x2C, fingerprint: false)) { record, _ in
            if record.isBlank { return }
            guard let map = columns else {
                var m: [String: Int] = [:]
                for i in 0..<record.count { m[record.text(i) ?? ""] = i }
                guard header.allSatisfy({ m[$0] != nil }) else {
                    throw TechSurveyError(.data, "\(path) is not a stage file of this version of techsurvey; run `make clean report`")
                }
                columns = m
                return
            }
            try body(map, record)
        }
    }

    /// Reads the activities one at a time, in file order, handing each to `body`.
    static func forEachActivity(_ path: String, _ body: (ActivityRecord) throws -> Void) throws {
        try read(path, expecting: activitiesHeader) { c, rec in
            func t(_ name: String) -> String { c[name].flatMap { rec.text($0) } ?? "" }
            guard let row = Int(t("row")), let line = Int(t("line")), let date = CalendarDate(parsing: t("date")),
                  let kind = ActivityKind(rawValue: t("kind")),
                  let businesses = Int(t("businesses")), let visitors = Int(t("visitors")), let connections = Int(t("connections")),
                  case .success(let budget) = parseBudget(t("budget_million_vnd"), decimalMark: ".") else {
                throw corrupt(path, rec)
            }
            let fieldText = t("field")
            try body(ActivityRecord(
                source: SourceRef(file: t("file"), row: row, line: line), activityID: t("activity_id"), date: date, kind: kind,
                title: t("title"), partner: t("partner"), partnerCountry: t("partner_country"),
                field: fieldText.isEmpty ? nil : Field(rawValue: fieldText),
                businesses: businesses, visitors: visitors, connections: connections, budget: budget
            ))
        }
    }

    private static func corrupt(_ path: String, _ record: CSVRecord) -> TechSurveyError {
        TechSurveyError(.data, "\(path) row \(record.row) is damaged; run `make clean report` to rebuild the stage folder")
    }
}
