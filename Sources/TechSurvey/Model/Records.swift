// The validated records that flow between stages: one unit-visit of a survey return, one programme
// activity, each remembering the file and spreadsheet row it came from (for rejects, dedupe and trace).

/// Where a record came from: what an analyst needs to find it in Excel.
public struct SourceRef: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var row: Int
    public var line: Int

    public init(file: String, row: Int, line: Int) {
        self.file = file
        self.row = row
        self.line = line
    }

    /// `file:row`, the form superseded.csv and trace print.
    public var description: String { "\(file):\(row)" }
}

/// One unit surveyed on one visit in one field.
public struct ReturnRecord: Hashable, Sendable {
    public var source: SourceRef
    public var returnID: String
    /// Upper-cased with inner spaces collapsed, so `hp-dn-07` and `HP-DN-07 ` are one unit.
    public var unitID: String
    public var unitName: String
    public var unitType: UnitType
    public var district: String
    public var field: Field
    public var surveyDate: CalendarDate
    public var found: Int
    public var proposed: Int
    /// Seconds since 1900-01-01 (a sortable instant), when the return says when it was submitted.
    public var submittedAt: SubmissionTime?

    /// The identity of a return: a later record with the same key is a resubmission.
    public var key: ReturnKey { ReturnKey(unitID: unitID, surveyDate: surveyDate, field: field) }
}

/// (`unit_id`, `survey_date`, `field`), the identity of a return (SPEC §3.4).
public struct ReturnKey: Hashable, Sendable {
    public var unitID: String
    public var surveyDate: CalendarDate
    public var field: Field
}

/// A submission instant, kept as its date and seconds into the day.
public struct SubmissionTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var date: CalendarDate
    public var seconds: Int

    public init(date: CalendarDate, seconds: Int) {
        self.date = date
        self.seconds = seconds
    }

    public init?(parsing text: String) {
        guard let (date, seconds) = CalendarDate.parseDateTime(text) else { return nil }
        self.init(date: date, seconds: seconds)
    }

    public static func < (a: SubmissionTime, b: SubmissionTime) -> Bool { (a.date, a.seconds) < (b.date, b.seconds) }

    /// `yyyy-mm-dd hh:mm:ss`.
    public var description: String {
        "\(date) " + pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
    }
}

/// One entry of the programme's activity log.
public struct ActivityRecord: Hashable, Sendable {
    public var source: SourceRef
    public var activityID: String
    public var date: CalendarDate
    public var kind: ActivityKind
    public var title: String
    public var partner: String
    public var partnerCountry: String
    public var field: Field?
    public var businesses: Int
    public var visitors: Int
    public var connections: Int
    public var budget: Budget
}

/// Why a record was rejected (SPEC §3.4).
public enum RejectReason: String, CaseIterable, Sendable, Codable {
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
public struct Reject: Hashable, Sendable {
    public var source: SourceRef
    public var reason: RejectReason
    public var detail: String
    public var raw: String

    public init(source: SourceRef, reason: RejectReason, detail: String, raw: String) {
        self.source = source
        self.reason = reason
        self.detail = detail
        self.raw = raw
    }
}

