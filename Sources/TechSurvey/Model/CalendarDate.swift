// Dates as returns write them (SPEC §3.3): ISO, or day-first with / - or . — never month-first — and the
// quarter each falls in.

/// A calendar day, validated (no 31/02).
struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    let year: Int
    let month: Int
    let day: Int

    init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `yyyy-mm-dd`, `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`, ignoring a trailing time of day
    /// (Excel writes date cells as `… 00:00:00`).
    init?(parsing text: String) {
        guard let (date, _) = CalendarDate.parseDateTime(text) else { return nil }
        self = date
    }

    /// Parses a date optionally followed by `hh:mm` or `hh:mm:ss`; returns the date and seconds into the day.
    static func parseDateTime(_ text: String) -> (CalendarDate, Int)? {
        Array(text.utf8).withUnsafeBufferPointer { parseDateTime(bytes: $0) }
    }

    /// The same, on a cell's bytes, without building a String (the hot path of ingest).
    static func parseDateTime(bytes: UnsafeBufferPointer<UInt8>) -> (CalendarDate, Int)? {
        switch parseFixedDateTime(bytes: bytes) {
        case .parsed(let value): return value
        case .otherForm: return parseAnyDateTime(bytes: bytes)
        }
    }

    /// What `parseFixedDateTime` made of a cell.
    enum FixedForm {
        /// The cell has the layout of a common form; the value is what `parseAnyDateTime` gives for it.
        case parsed((CalendarDate, Int)?)
        /// Another layout: ask `parseAnyDateTime`.
        case otherForm
    }

    /// The forms nearly every cell uses, read at fixed places: `yyyy-mm-dd` or `dd/mm/yyyy` (or with - or
    /// .), alone or followed by one space or T and `hh:mm` or `hh:mm:ss`. The general reader spent about
    /// as long on a date as libcsv spent parsing its cell.
    static func parseFixedDateTime(bytes: UnsafeBufferPointer<UInt8>) -> FixedForm {
        let n = bytes.count
        guard n == 10 || n == 16 || n == 19, let p = bytes.baseAddress else { return .otherForm }
        // Digits as values 0–9; a byte that is no digit becomes 10 or more (UInt8 wraps below "0").
        @inline(__always) func d(_ k: Int) -> Int { Int(p[k] &- 0x30) }
        let year: Int, month: Int, day: Int
        if p[4] == 0x2D && p[7] == 0x2D {
            let (y0, y1, y2, y3, m0, m1, d0, d1) = (d(0), d(1), d(2), d(3), d(5), d(6), d(8), d(9))
            guard max(y0, y1, y2, y3, m0, m1, d0, d1) < 10 else { return .otherForm }
            (year, month, day) = (((y0 * 10 + y1) * 10 + y2) * 10 + y3, m0 * 10 + m1, d0 * 10 + d1)
        } else if p[2] == p[5] && (p[2] == 0x2F || p[2] == 0x2D || p[2] == 0x2E) {
            let (d0, d1, m0, m1, y0, y1, y2, y3) = (d(0), d(1), d(3), d(4), d(6), d(7), d(8), d(9))
            guard max(y0, y1, y2, y3, m0, m1, d0, d1) < 10 else { return .otherForm }
            (year, month, day) = (((y0 * 10 + y1) * 10 + y2) * 10 + y3, m0 * 10 + m1, d0 * 10 + d1)
        } else {
            return .otherForm
        }
        let date = CalendarDate(year: year, month: month, day: day)
        if n == 10 { return .parsed(date.map { ($0, 0) }) }
        guard p[10] == 0x20 || p[10] == 0x54, p[13] == 0x3A else { return .otherForm }
        let (h0, h1, i0, i1) = (d(11), d(12), d(14), d(15))
        guard max(h0, h1, i0, i1) < 10 else { return .otherForm }
        var seconds = 0
        if n == 19 {
            let (s0, s1) = (d(17), d(18))
            guard p[16] == 0x3A, max(s0, s1) < 10 else { return .otherForm }
            seconds = s0 * 10 + s1
            guard seconds < 60 else { return .parsed(nil) }
        }
        let (hours, minutes) = (h0 * 10 + h1, i0 * 10 + i1)
        guard let date, hours < 24, minutes < 60 else { return .parsed(nil) }
        return .parsed((date, hours * 3600 + minutes * 60 + seconds))
    }

    /// Every accepted form, byte by byte: the simple reader `parseFixedDateTime` is checked against.
    static func parseAnyDateTime(bytes: UnsafeBufferPointer<UInt8>) -> (CalendarDate, Int)? {
        var i = bytes.startIndex
        let end = bytes.endIndex
        func number(maxDigits: Int) -> (value: Int, digits: Int)? {
            var value = 0, digits = 0
            while i < end, digits < maxDigits + 1, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                value = value * 10 + Int(bytes[i] - 0x30)
                digits += 1
                i += 1
            }
            return digits == 0 || digits > maxDigits ? nil : (value, digits)
        }
        while i < end, bytes[i] == 0x20 { i += 1 }
        guard let first = number(maxDigits: 4), i < end else { return nil }
        let separator = bytes[i]
        guard separator == 0x2D || separator == 0x2F || separator == 0x2E else { return nil }
        i += 1
        guard let second = number(maxDigits: 2), i < end, bytes[i] == separator else { return nil }
        i += 1
        guard let third = number(maxDigits: 4) else { return nil }
        let date: CalendarDate?
        if separator == 0x2D, first.digits == 4, third.digits <= 2 {
            date = CalendarDate(year: first.value, month: second.value, day: third.value)
        } else if first.digits <= 2, third.digits == 4 {
            date = CalendarDate(year: third.value, month: second.value, day: first.value)
        } else {
            date = nil
        }
        guard let date else { return nil }
        // An optional time of day after spaces or a T.
        var sawGap = false
        while i < end, bytes[i] == 0x20 || bytes[i] == 0x54 {
            sawGap = true
            i += 1
        }
        if i == end { return (date, 0) }
        guard sawGap, let h = number(maxDigits: 2), i < end, bytes[i] == 0x3A, h.value < 24 else { return nil }
        i += 1
        guard let m = number(maxDigits: 2), m.digits == 2, m.value < 60 else { return nil }
        var seconds = 0
        if i < end, bytes[i] == 0x3A {
            i += 1
            guard let s = number(maxDigits: 2), s.digits == 2, s.value < 60 else { return nil }
            seconds = s.value
        }
        while i < end, bytes[i] == 0x20 { i += 1 }
        guard i == end else { return nil }
        return (date, h.value * 3600 + m.value * 60 + seconds)
    }

    var quarter: Quarter { Quarter(year: year, quarter: (month - 1) / 3 + 1) }

    /// ISO `yyyy-mm-dd`.
    var description: String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A calendar quarter, written `2015-Q3`.
struct Quarter: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    let year: Int
    let quarter: Int
}

extension Quarter {
    /// Parses `2015-Q3` (case-insensitive).
    init?(parsing text: String) {
        let parts = text.uppercased().split(separator: "-")
        // Digits only: Int would also take `+015` and `Q+3`; `Q03` is no quarter either. Case is canonicalised.
        guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy(\.isASCIIDigit), let y = Int(parts[0]),
              parts[1].count == 2, parts[1].hasPrefix("Q"), parts[1].last?.isASCIIDigit == true,
              let q = Int(parts[1].dropFirst()), (1...4).contains(q) else { return nil }
        self.init(year: y, quarter: q)
    }

    var next: Quarter { advanced(by: 1) }

    /// The quarter `n` quarters later (earlier when negative).
    func advanced(by n: Int) -> Quarter {
        let index = year * 4 + (quarter - 1) + n
        return Quarter(year: index.floorDiv(4), quarter: index - index.floorDiv(4) * 4 + 1)
    }

    /// Quarters from `self` to `other`, inclusive, counted as a length.
    func distance(to other: Quarter) -> Int { (other.year * 4 + other.quarter) - (year * 4 + quarter) }
    var description: String { "\(year)-Q\(quarter)" }
    static func < (a: Quarter, b: Quarter) -> Bool { (a.year, a.quarter) < (b.year, b.quarter) }

    init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let q = Quarter(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a quarter: \(text)"))
        }
        self = q
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Int {
    /// Division rounding toward negative infinity.
    func floorDiv(_ d: Int) -> Int { self >= 0 ? self / d : -((-self + d - 1) / d) }
}
