// PERIOD as written (Period.swift): a period outside the years a survey date can have is a usage error
// naming PERIOD, never an aggregates file that the report then calls damaged.

import Testing
@testable import TechSurvey

@Suite struct PeriodTests {
    @Test(arguments: ["0000", "1000..9999", "0000-Q1", "1899", "2015..2201"])
    func yearsOutsideSurveyDatesAreAUsageError(text: String) {
        #expect {
            _ = try Period(parsing: text)
        } throws: { error in
            guard let e = error as? TechSurveyError else { return false }
            return e.kind == .usage && e.message.hasPrefix("PERIOD='\(text)'") && !e.message.contains("make clean")
        }
    }

    @Test func theEdgesOfTheRangeAreAccepted() throws {
        #expect(try Period(parsing: "1900..2200").text == "1900..2200")
        #expect(try Period(parsing: "2015-Q3").first == Quarter(year: 2015, quarter: 3))
    }
}
