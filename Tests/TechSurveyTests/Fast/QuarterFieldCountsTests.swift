// The survey tables joined from one quarter × field count (Fast/QuarterFieldCounts) against every table's
// rows counted as Tables/ defines them: whole Aggregates equal, on generated stage files of several input
// files with superseded records (losers) and records outside the period, for whole years, a quarter, a
// range, all data and a period with no returns.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct QuarterFieldCountsTests {
    static let periods = ["", "2014", "2015", "2015-Q3", "2013-Q2..2014-Q1", "2014..2015", "2016-Q4..2017-Q2", "2020", "2012-Q4"]

    @Test(arguments: periods)
    func joinedTablesEqualTheRuleOnAStageFile(_ text: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let returns = SurveyCountsTests.randomReturns(seed: 1_414, count: 40_000)
        // Every seventh record superseded: losers must be left out by both paths alike.
        let losers = stride(from: 3, to: returns.count, by: 7).map { UInt32($0) }
        let path = try PackedReturnsFileTests.written(PackedReturnsFileTests.Staged(returns), losers: losers, in: dir)
        let period = try Period(parsing: text)
        let fast = try aggregate(returns: PackedReturnsFile.Reader(path), activities: [ActivityRecord](), period: period, fast: true)
        let rule = try aggregate(returns: PackedReturnsFile.Reader(path), activities: [ActivityRecord](), period: period, fast: false)
        #expect(fast == rule)
        #expect(SurveyCountsTests.surveyPart(fast) == SurveyCountsTests.surveyPart(rule))
    }

    @Test func noReturnsGiveTheSameEmptyTables() throws {
        for text in ["", "2015-Q3"] {
            let period = try Period(parsing: text)
            let fast = try aggregate(returns: PackedReturns([]), activities: [ActivityRecord](), period: period, fast: true)
            let rule = try aggregate(returns: PackedReturns([]), activities: [ActivityRecord](), period: period, fast: false)
            #expect(fast == rule)
        }
    }

    /// Few units (bit sets from the start) and many (hash sets that turn dense) join alike.
    @Test(arguments: [50, 200_000])
    func unitSetsOfEitherKindJoinAlike(_ count: Int) throws {
        let returns = SurveyCountsTests.randomReturns(seed: 99, count: count)
        for text in ["", "2014-Q2", "2015"] {
            let period = try Period(parsing: text)
            let fast = try aggregate(returns: PackedReturns(returns), activities: [ActivityRecord](), period: period, fast: true)
            let rule = try aggregate(returns: PackedReturns(returns), activities: [ActivityRecord](), period: period, fast: false)
            #expect(fast == rule, "\(count) returns, period '\(text)'")
        }
    }
}
