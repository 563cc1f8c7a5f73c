// Periods, dates and small numbers as print writes them (SPEC §4.5).

import Foundation
import Testing
@testable import TechSurvey

@Suite struct PrintedWordsTests {
    @Test(arguments: [
        ("2015-Q2", Language.vi, "quý II/2015"), ("2014", .vi, "năm 2014"), ("2013-Q3..2014-Q2", .vi, "từ quý III/2013 đến quý II/2014"),
        ("2013..2015", .vi, "từ năm 2013 đến năm 2015"), ("2013-Q1..2013-Q4", .vi, "năm 2013"), ("2015-Q4", .vi, "quý IV/2015"),
        ("2015-Q2", .en, "Q2 2015"), ("2014", .en, "2014"), ("2013-Q3..2014-Q2", .en, "Q3 2013 to Q2 2014"), ("2013..2015", .en, "2013 to 2015"),
    ])
    func periodsAreNamedTheWayReadersWriteThem(_ text: String, _ language: Language, _ expected: String) throws {
        #expect(language.periodName(try Period(parsing: text)) == expected)
    }

    @Test func allDataHasNoPeriodName() {
        #expect(Language.vi.periodName(.all) == nil)
    }

    @Test(arguments: [(Language.vi, "02/12/2026"), (.en, "2 December 2026")])
    func datesForPrint(_ language: Language, _ expected: String) throws {
        let date = try #require(CalendarDate(year: 2026, month: 12, day: 2))
        #expect(language.printedDate(date) == expected)
    }

    /// 2026-12-02 03:15 UTC is 10:15 in Hanoi.
    @Test(arguments: [(Language.vi, "02/12/2026 10:15"), (.en, "2 December 2026, 10:15")])
    func theGenerationTimeIsVietnamTime(_ language: Language, _ expected: String) {
        #expect(language.printedTime(Date(timeIntervalSince1970: 1_796_181_300)) == expected)
    }

    @Test(arguments: [(0, "zero"), (1, "one"), (9, "nine"), (10, "10"), (1234, "1,234")])
    func englishProseWritesNumbersUnderTenInWords(_ n: Int, _ expected: String) {
        #expect(Language.en.prose(n) == expected)
        #expect(Language.vi.prose(n) == Language.vi.number(n), "Vietnamese news keeps digits")
    }

    @Test(arguments: [("2015-Q1", "01/01/2015", "31/03/2015"), ("2016-Q1", "01/01/2016", "31/03/2016"), ("2015-Q4", "01/10/2015", "31/12/2015")])
    func quarterDaysBoundThePeriod(_ text: String, _ first: String, _ last: String) throws {
        let quarter = try #require(Quarter(parsing: text))
        let days = try #require(quarterDays(quarter))
        #expect(Language.vi.printedDate(days.first) == first)
        #expect(Language.vi.printedDate(days.last) == last)
    }
}
