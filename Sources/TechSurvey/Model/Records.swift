// The validated records that flow between stages: one unit-visit of a survey return, one programme
// activity, each remembering the file and spreadsheet row it came from (for rejects, dedupe and trace).

/// Where a record came from: what an analyst needs to find it in Excel.
public struct SourceRef: Hashable, Sendable, Codable, CustomStringConvertible {
    var file: String
    var row: Int
    var line: Int

    /// `file:row`, the form superseded.csv and trace print.
    public var description: String { "\(file):\(row)" }
}

/// One unit surveyed on one visit in one field.
struct ReturnRecord: Hashable, Sendable {
    var source: SourceRef
    var returnID: String
    /// Upper-cased with inner spaces collapsed, so `hp-dn-07` and `HP-DN-07 ` are one unit.
    var unitID: String
    var unitName: String
    var unitType: UnitType
    var district: String
    var field: Field
    var surveyDate: CalendarDate
    var found: Int
    var proposed: Int
    /// Seconds since 1900-01-01 (a sortable instant), when the return says when it was submitted.
    var submittedAt: SubmissionTime?

    /// The identity of a return: a later record with the same key is a resubmission.
    var key: ReturnKey { ReturnKey(unitID: unitID, surveyDate: surveyDate, field: field) }
}

/// (`unit_id`, `survey_date`, `field`), the identity of a return (SPEC §3.4).
struct ReturnKey: Hashable, Sendable {
    var unitID: String
    var surveyDate: CalendarDate
    var field: Field
}

/// A submission instant, kept as its date and seconds into the day.
struct SubmissionTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    var date: CalendarDate
    var seconds: Int
}

extension SubmissionTime {
    init?(parsing text: String) {
        guard let (date, seconds) = CalendarDate.parseDateTime(text) else { return nil }
        self.init(date: date, seconds: seconds)
    }

    static func < (a: SubmissionTime, b: SubmissionTime) -> Bool { (a.date, a.seconds) < (b.date, b.seconds) }

    /// `yyyy-mm-dd hh:mm:ss`.
    var description: String {
        "\(date) " + pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
    }
}

/// One entry of the programme's activity log.
struct ActivityRecord: Hashable, Sendable {
    var source: SourceRef
    var activityID: String
    var date: CalendarDate
    var kind: ActivityKind
    var title: String
    var partner: String
    var partnerCountry: String
    var field: Field?
    var businesses: Int
    var visitors: Int
    var connections: Int
    var budget: Budget
}

/// Why a record was rejected (SPEC §3.4).
enum RejectReason: String, CaseIterable, Sendable, Codable {
    case wrongColumnCount = "wrong_column_count"
    case missingValue = "missing_value"
    case badField = "bad_field"
    case badNumber = "bad_number"
    case negativeCount = "negative_count"
    case proposedExceedsFound = "proposed_exceeds_found"
    case badDate = "bad_date"
    case badEncoding = "bad_encoding"
}

/// A rejected record, as `rejects.csv` lists it.
struct Reject: Hashable, Sendable {
    var source: SourceRef
    var reason: RejectReason
    var detail: String
    var raw: String
}

