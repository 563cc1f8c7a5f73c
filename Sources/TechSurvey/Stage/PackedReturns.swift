// The accepted returns as ingest hands them to aggregate and trace: fixed-size records whose text cells are
// indices into one table of distinct strings. Millions of records then carry no String each, and a unit
// id, name or district spelled the same way is stored once.

/// One accepted return, packed. Text cells are indices into `PackedReturns.strings`.
struct PackedReturn: Sendable, Hashable {
    var file: Int32
    var row: Int32
    var line: Int32
    var returnID: Int32
    var unitID: Int32
    var unitName: Int32
    var district: Int32
    /// Index into `UnitType.allCases`.
    var unitType: UInt8
    /// Index into `Field.allCases`.
    var field: UInt8
    /// `year * 10_000 + month * 100 + day`, so comparing numbers compares dates.
    var surveyDate: Int32
    var found: Int64
    var proposed: Int64
    /// `SubmissionTime.packed`, -1 when the return gave no submission time.
    var submitted: Int64

    var fieldCode: Field { Field.allCases[Int(field)] }
    var unitTypeCode: UnitType { UnitType.allCases[Int(unitType)] }
    /// The survey date; the packing only ever holds valid dates.
    var date: CalendarDate { CalendarDate(packed: surveyDate) ?? CalendarDate.packingFallback }
}

/// Accepted returns in input order, with the distinct strings their cells point at.
struct PackedReturns: Sendable {
    var strings: [String]
    var records: [PackedReturn]
}

extension PackedReturns {
    /// Packs records (tests, and callers that already hold `ReturnRecord`s).
    init(_ returns: [ReturnRecord]) {
        var table = StringTable()
        records = returns.map { r in
            PackedReturn(
                file: table.index(r.source.file), row: Int32(clamping: r.source.row), line: Int32(clamping: r.source.line),
                returnID: table.index(r.returnID), unitID: table.index(r.unitID), unitName: table.index(r.unitName),
                district: table.index(r.district), unitType: UInt8(r.unitType.order), field: UInt8(r.field.order),
                surveyDate: r.surveyDate.packed, found: Int64(r.found), proposed: Int64(r.proposed),
                submitted: r.submittedAt?.packed ?? -1
            )
        }
        strings = table.strings
    }

    var count: Int { records.count }

    /// Record `i` unpacked, with its own Strings (trace and tests; not for hot loops).
    func record(_ i: Int) -> ReturnRecord {
        let p = records[i]
        return ReturnRecord(
            source: SourceRef(file: strings[Int(p.file)], row: Int(p.row), line: Int(p.line)),
            returnID: strings[Int(p.returnID)], unitID: strings[Int(p.unitID)], unitName: strings[Int(p.unitName)],
            unitType: p.unitTypeCode, district: strings[Int(p.district)], field: p.fieldCode, surveyDate: p.date,
            found: Int(p.found), proposed: Int(p.proposed), submittedAt: SubmissionTime(packed: p.submitted)
        )
    }

    var returnRecords: [ReturnRecord] { records.indices.map(record) }
}

/// Distinct strings, each given the next index the first time it is seen.
struct StringTable {
    private(set) var strings: [String] = []
    private var indexOf: [String: Int32] = [:]

    mutating func index(_ s: String) -> Int32 {
        if let i = indexOf[s] { return i }
        let i = Int32(strings.count)
        strings.append(s)
        indexOf[s] = i
        return i
    }
}

extension CalendarDate {
    /// `year * 10_000 + month * 100 + day`.
    var packed: Int32 { Int32(year * 10_000 + month * 100 + day) }
    /// Undoes `packed`; nil when the number is not a valid date.
    init?(packed: Int32) {
        self.init(year: Int(packed / 10_000), month: Int(packed / 100 % 100), day: Int(packed % 100))
    }
    /// Never used in practice: packed dates come from valid dates.
    static let packingFallback = CalendarDate(year: 1900, month: 1, day: 1)!
}

extension SubmissionTime {
    /// One sortable number: later instants give larger numbers.
    var packed: Int64 {
        let day = (Int64(date.year) * 13 + Int64(date.month)) * 32 + Int64(date.day)
        return day * 86_400 + Int64(seconds)
    }

    /// Undoes `packed`; nil for -1 (no submission time).
    init?(packed: Int64) {
        guard packed >= 0 else { return nil }
        let day = packed / 86_400, seconds = Int(packed % 86_400)
        guard let date = CalendarDate(year: Int(day / 32 / 13), month: Int(day / 32 % 13), day: Int(day % 32)) else { return nil }
        self.init(date: date, seconds: seconds)
    }
}
