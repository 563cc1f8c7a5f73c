// Dates as returns write them (SPEC §3.3): ISO, or day-first with / - or . — never month-first — and the
// quarter each falls in.

/// A calendar day, validated (no 31/02).
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `yyyy-mm-dd`, `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`, ignoring a trailing time of day
    /// (Excel writes date cells as `… 00:00:00`).
    public init?(parsing text: String) {
        guard let (date, _) = CalendarDate.parseDateTime(text) else { return nil }
        self = date
    }

    /// Parses a date optionally followed by `hh:mm` or `hh:mm:ss`; returns the date and seconds into the day.
    public static func parseDateTime(_ text: String) -> (CalendarDate, Int)? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" }).map(String.init)
        guard (1...2).contains(parts.count), let date = parseDate(parts[0]) else { return nil }
        guard parts.count == 2 else { return (date, 0) }
        let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(clock.count), clock.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) }),
              let h = Int(clock[0]), let m = Int(clock[1]), h < 24, m < 60 else { return nil }
        let s = clock.count == 3 ? Int(clock[2]) ?? 60 : 0
        guard s < 60 else { return nil }
        return (date, h * 3600 + m * 60 + s)
    }

    private static func parseDate(_ text: String) -> CalendarDate? {
        for separator: Character in ["-", "/", "."] {
            let pieces = text.split(separator: separator, omittingEmptySubsequences: false)
            guard pieces.count == 3, pieces.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { continue }
            if separator == "-", pieces[0].count == 4, pieces[1].count <= 2, pieces[2].count <= 2,
               let y = Int(pieces[0]), let m = Int(pieces[1]), let d = Int(pieces[2]) {
                return CalendarDate(year: y, month: m, day: d)
            }
            if pieces[0].count <= 2, pieces[1].count <= 2, pieces[2].count == 4,
               let d = Int(pieces[0]), let m = Int(pieces[1]), let y = Int(pieces[2]) {
                return CalendarDate(year: y, month: m, day: d)
            }
            return nil
        }
        return nil
    }

    public var quarter: Quarter { Quarter(year: year, quarter: (month - 1) / 3 + 1) }

    /// ISO `yyyy-mm-dd`.
    public var description: String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
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
public struct Quarter: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let quarter: Int

    public init(year: Int, quarter: Int) {
        self.year = year
        self.quarter = quarter
    }

    /// Parses `2015-Q3` (case-insensitive).
    public init?(parsing text: String) {
        let parts = text.uppercased().split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let y = Int(parts[0]), parts[1].hasPrefix("Q"),
              let q = Int(parts[1].dropFirst()), (1...4).contains(q) else { return nil }
        self.init(year: y, quarter: q)
    }

    public var next: Quarter { advanced(by: 1) }

    /// The quarter `n` quarters later (earlier when negative).
    public func advanced(by n: Int) -> Quarter {
        let index = year * 4 + (quarter - 1) + n
        return Quarter(year: index.floorDiv(4), quarter: index - index.floorDiv(4) * 4 + 1)
    }

    /// Quarters from `self` to `other`, inclusive, counted as a length.
    public func distance(to other: Quarter) -> Int { (other.year * 4 + other.quarter) - (year * 4 + quarter) }
    public var description: String { "\(year)-Q\(quarter)" }
    public static func < (a: Quarter, b: Quarter) -> Bool { (a.year, a.quarter) < (b.year, b.quarter) }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let q = Quarter(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a quarter: \(text)"))
        }
        self = q
    }

    public func encode(to encoder: Encoder) throws {
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
