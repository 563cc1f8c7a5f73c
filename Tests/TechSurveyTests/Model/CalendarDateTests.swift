// Dates, submission times, quarters and reporting periods (SPEC §3.3, §5): the forms accepted, the ones
// refused (never month-first, no 31/02), and which quarters a period holds.

import Testing
@testable import TechSurvey

@Suite struct CalendarDateTests {
    struct DateCase: Sendable, CustomTestStringConvertible {
        let text: String
        let iso: String?
        var testDescription: String { "'\(text)' → \(iso ?? "invalid")" }
    }

    static let forms: [DateCase] = [
        DateCase(text: "2015-03-02", iso: "2015-03-02"),
        DateCase(text: "2015-3-2", iso: "2015-03-02"),
        DateCase(text: "02/03/2015", iso: "2015-03-02"),   // day first: 2 March, never 3 February
        DateCase(text: "2/3/2015", iso: "2015-03-02"),
        DateCase(text: "02-03-2015", iso: "2015-03-02"),
        DateCase(text: "02.03.2015", iso: "2015-03-02"),
        DateCase(text: "14/1/2016", iso: "2016-01-14"),
        DateCase(text: "31/12/2015", iso: "2015-12-31"),
        DateCase(text: "29/02/2016", iso: "2016-02-29"),   // leap year
        DateCase(text: "29/02/2000", iso: "2000-02-29"),   // divisible by 400
        DateCase(text: "2015-03-02 00:00:00", iso: "2015-03-02"),  // Excel's date cell
        DateCase(text: "02/03/2015 00:00", iso: "2015-03-02"),
        DateCase(text: "2015-03-02T08:30", iso: "2015-03-02"),
    ]

    static let refused: [DateCase] = [
        DateCase(text: "13/25/2015", iso: nil),   // month-first: there is no month 25
        DateCase(text: "31/02/2015", iso: nil),
        DateCase(text: "29/02/2015", iso: nil),
        DateCase(text: "29/02/1900", iso: nil),   // divisible by 100, not by 400
        DateCase(text: "31/04/2015", iso: nil),
        DateCase(text: "00/03/2015", iso: nil),
        DateCase(text: "2015-13-01", iso: nil),
        DateCase(text: "2015/03/02", iso: nil),   // year first only with dashes
        DateCase(text: "02/03/15", iso: nil),     // two-digit year
        DateCase(text: "2/3-2015", iso: nil),     // mixed separators
        DateCase(text: "02/03/2015/", iso: nil),
        DateCase(text: "", iso: nil),
        DateCase(text: "abc", iso: nil),
        DateCase(text: "March 2, 2015", iso: nil),
        DateCase(text: "2015-03-02 25:00", iso: nil),
        DateCase(text: "2015-03-02 extra time", iso: nil),
    ]

    @Test(arguments: forms)
    func acceptedForms(_ c: DateCase) throws {
        let date = try #require(CalendarDate(parsing: c.text))
        #expect(date.description == c.iso)
    }

    @Test(arguments: refused)
    func refusedForms(_ c: DateCase) {
        #expect(CalendarDate(parsing: c.text) == nil)
    }

    @Test func dayFirstIsNeverReadMonthFirst() throws {
        let date = try #require(CalendarDate(parsing: "02/03/2015"))
        #expect(date.day == 2)
        #expect(date.month == 3)
        #expect(date.year == 2015)
    }

    @Test func datesOrderByCalendar() throws {
        let a = try #require(CalendarDate(parsing: "31/12/2014"))
        let b = try #require(CalendarDate(parsing: "2015-01-01"))
        let c = try #require(CalendarDate(parsing: "02/01/2015"))
        #expect(a < b)
        #expect(b < c)
        #expect(CalendarDate(parsing: "1/1/2015") == b)
    }

    // MARK: submission times

    @Test(arguments: [
        ("2015-03-02 14:05", "2015-03-02 14:05:00"),
        ("2015-03-02 14:05:09", "2015-03-02 14:05:09"),
        ("02/03/2015 9:05", "2015-03-02 09:05:00"),
        ("02/03/2015 23:59:59", "2015-03-02 23:59:59"),
        ("2015-03-02", "2015-03-02 00:00:00"),
    ])
    func submissionTimesParse(text: String, expected: String) throws {
        let time = try #require(SubmissionTime(parsing: text))
        #expect(time.description == expected)
    }

    @Test(arguments: ["2015-03-02 24:00", "2015-03-02 10:60", "2015-03-02 10:30:60", "2015-03-02 10", "2015-03-02 10:30:00:00", "2015-03-02 1030", "31/02/2015 10:00"])
    func badSubmissionTimesAreRefused(_ text: String) {
        #expect(SubmissionTime(parsing: text) == nil)
    }

    @Test func submissionTimesOrderByDateThenTime() throws {
        let morning = try #require(SubmissionTime(parsing: "2015-03-02 09:00"))
        let evening = try #require(SubmissionTime(parsing: "02/03/2015 18:30:00"))
        let nextDay = try #require(SubmissionTime(parsing: "2015-03-03"))
        #expect(morning < evening)
        #expect(evening < nextDay)
        #expect(SubmissionTime(parsing: "2015-03-02 09:00:00") == morning)
    }

    // MARK: quarters

    @Test(arguments: [
        ("2015-01-01", "2015-Q1"), ("2015-03-31", "2015-Q1"),
        ("2015-04-01", "2015-Q2"), ("2015-06-30", "2015-Q2"),
        ("2015-07-01", "2015-Q3"), ("2015-09-30", "2015-Q3"),
        ("2015-10-01", "2015-Q4"), ("2015-12-31", "2015-Q4"),
    ])
    func eachMonthFallsInItsQuarter(date: String, quarter: String) throws {
        let d = try #require(CalendarDate(parsing: date))
        #expect(d.quarter.description == quarter)
    }

    @Test func quartersParseCountAndOrder() throws {
        let q3 = try #require(Quarter(parsing: "2015-Q3"))
        #expect(q3 == Quarter(year: 2015, quarter: 3))
        #expect(Quarter(parsing: "2015-q3") == q3)
        #expect(q3.next == Quarter(year: 2015, quarter: 4))
        #expect(Quarter(year: 2015, quarter: 4).next == Quarter(year: 2016, quarter: 1))
        #expect(Quarter(year: 2014, quarter: 4) < Quarter(year: 2015, quarter: 1))
        #expect(Quarter(year: 2015, quarter: 1) < q3)
    }

    @Test(arguments: ["2015-Q0", "2015-Q5", "2015", "15-Q3", "2015Q3", "2015-3", ""])
    func badQuartersAreRefused(_ text: String) {
        #expect(Quarter(parsing: text) == nil)
    }

    // MARK: periods

    struct PeriodCase: Sendable, CustomTestStringConvertible {
        let text: String
        let first: Quarter?
        let last: Quarter?
        var testDescription: String { "'\(text)'" }
    }

    static let periods: [PeriodCase] = [
        PeriodCase(text: "2015", first: Quarter(year: 2015, quarter: 1), last: Quarter(year: 2015, quarter: 4)),
        PeriodCase(text: "2015-Q3", first: Quarter(year: 2015, quarter: 3), last: Quarter(year: 2015, quarter: 3)),
        PeriodCase(text: "2013..2015", first: Quarter(year: 2013, quarter: 1), last: Quarter(year: 2015, quarter: 4)),
        PeriodCase(text: "2013-Q1..2015-Q4", first: Quarter(year: 2013, quarter: 1), last: Quarter(year: 2015, quarter: 4)),
        PeriodCase(text: "2014-Q2..2015", first: Quarter(year: 2014, quarter: 2), last: Quarter(year: 2015, quarter: 4)),
        PeriodCase(text: "2015..2015", first: Quarter(year: 2015, quarter: 1), last: Quarter(year: 2015, quarter: 4)),
        PeriodCase(text: " 2015 ", first: Quarter(year: 2015, quarter: 1), last: Quarter(year: 2015, quarter: 4)),
    ]

    @Test(arguments: periods)
    func periodsParse(_ c: PeriodCase) throws {
        let period = try Period(parsing: c.text)
        #expect(period.first == c.first)
        #expect(period.last == c.last)
        #expect(!period.isAll)
    }

    @Test(arguments: ["", "   "])
    func nothingMeansAllData(_ text: String) throws {
        let period = try Period(parsing: text)
        #expect(period.isAll)
        #expect(period == .all)
        #expect(period.description == "all")
    }

    @Test(arguments: ["2015-Q5", "2016..2015", "2015-Q4..2015-Q1", "abc", "2015..", "..2015", "2013..2014..2015", "15", "2015-13"])
    func badPeriodsAreUsageErrors(_ text: String) {
        #expect {
            try Period(parsing: text)
        } throws: { error in
            (error as? TechSurveyError)?.kind == .usage
        }
    }

    @Test func aPeriodHoldsTheDaysOfItsQuarters() throws {
        let q3 = try Period(parsing: "2015-Q3")
        let inside = ["2015-07-01", "2015-08-15", "2015-09-30"]
        let outside = ["2015-06-30", "2015-10-01", "2014-08-15", "2016-08-15"]
        for text in inside {
            let date = try #require(CalendarDate(parsing: text))
            #expect(q3.contains(date), "\(text) is in 2015-Q3")
        }
        for text in outside {
            let date = try #require(CalendarDate(parsing: text))
            #expect(!q3.contains(date), "\(text) is not in 2015-Q3")
        }
    }

    @Test func aRangeHoldsBothEndsAndEverythingBetween() throws {
        let range = try Period(parsing: "2013-Q2..2015-Q3")
        let cases: [(String, Bool)] = [
            ("2013-03-31", false), ("2013-04-01", true), ("2014-01-01", true),
            ("2015-09-30", true), ("2015-10-01", false),
        ]
        for (text, expected) in cases {
            let date = try #require(CalendarDate(parsing: text))
            #expect(range.contains(date) == expected, "\(text)")
        }
    }

    @Test func allDataHoldsEveryDay() throws {
        let early = try #require(CalendarDate(parsing: "1900-01-01"))
        let late = try #require(CalendarDate(parsing: "2200-12-31"))
        #expect(Period.all.contains(early))
        #expect(Period.all.contains(late))
    }

    @Test func aPeriodKeepsTheTextTheAnalystWrote() throws {
        #expect(try Period(parsing: "2013..2015").description == "2013..2015")
        #expect(try Period(parsing: " 2015-Q3 ").text == "2015-Q3")
    }

    /// The fixed-place reader of the common forms against the byte-by-byte one, on every layout it takes
    /// and its near misses: the same date and seconds, or both nil, whenever it claims a cell.
    @Test func theFixedFormsReadAsTheGeneralReaderReadsThem() {
        var rng = SeededGenerator(state: 41)
        let alphabet = Array("0123456789-/. T:x".utf8)
        let shapes = ["dddd-dd-dd", "dd/dd/dddd", "dd-dd-dddd", "dd.dd.dddd", "dddd-dd-dd dd:dd", "dddd-dd-ddTdd:dd",
                      "dddd-dd-dd dd:dd:dd", "dd/dd/dddd dd:dd:dd", "dd/dd/dddd dd:dd", "dd.dd.dddd dd:dd:dd"]
        var claimed = 0, parsed = 0
        for i in 0..<200_000 {
            var bytes: [UInt8]
            if i % 4 == 3 {
                // Any bytes of the forms' alphabet, at the lengths the fixed reader looks at.
                let n = [10, 16, 19][i % 3]
                bytes = (0..<n).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            } else {
                let shape = Array(shapes[i % shapes.count].utf8)
                bytes = shape.map { $0 == UInt8(ascii: "d") ? UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &rng) : $0 }
                // Realistic values most of the time, so valid dates are common; a stray byte now and then.
                if i % 5 != 0 { realistic(&bytes, using: &rng) }
                if i % 7 == 0 { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            }
            let general = bytes.withUnsafeBufferPointer { CalendarDate.parseAnyDateTime(bytes: $0) }
            guard case .parsed(let fixed) = bytes.withUnsafeBufferPointer({ CalendarDate.parseFixedDateTime(bytes: $0) }) else { continue }
            claimed += 1
            if fixed != nil { parsed += 1 }
            #expect(fixed?.0 == general?.0 && fixed?.1 == general?.1, "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(claimed > 100_000 && parsed > 50_000, "the test reaches the fixed reader: \(claimed) claimed, \(parsed) dates")
    }

    /// Puts a plausible day, month, year and time in a shape's digits.
    private func realistic(_ bytes: inout [UInt8], using rng: inout SeededGenerator) {
        func put(_ value: Int, at k: Int, width: Int) {
            var v = value
            for j in stride(from: k + width - 1, through: k, by: -1) { bytes[j] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10 }
        }
        let yearFirst = bytes[4] == UInt8(ascii: "-")
        let (day, month, year) = (Int.random(in: 1...31, using: &rng), Int.random(in: 1...12, using: &rng), Int.random(in: 1899...2201, using: &rng))
        if yearFirst { put(year, at: 0, width: 4); put(month, at: 5, width: 2); put(day, at: 8, width: 2) }
        else { put(day, at: 0, width: 2); put(month, at: 3, width: 2); put(year, at: 6, width: 4) }
        if bytes.count >= 16 { put(Int.random(in: 0...24, using: &rng), at: 11, width: 2); put(Int.random(in: 0...60, using: &rng), at: 14, width: 2) }
        if bytes.count == 19 { put(Int.random(in: 0...60, using: &rng), at: 17, width: 2) }
    }
}
