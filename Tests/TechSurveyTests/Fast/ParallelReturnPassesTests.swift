// Aggregate's passes on several threads (Fast/ParallelReturnPasses) against the one-thread rule, on stage
// files read in small pieces so that every thread gets many: the keys learnt are the same (unit numbers
// aside, which only pick bits), and the counted tables are the same figures.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct ParallelReturnPassesTests {
    /// A stage file of generated returns, every seventh superseded, read in `pieceBytes` pieces.
    static func staged(count: Int, pieceBytes: Int, in dir: String) throws -> PackedReturnsFile.Reader {
        let returns = SurveyCountsTests.randomReturns(seed: 2_718, count: count)
        let losers = stride(from: 3, to: returns.count, by: 7).map { UInt32($0) }
        let path = try PackedReturnsFileTests.written(PackedReturnsFileTests.Staged(returns), losers: losers, in: dir)
        return try PackedReturnsFile.Reader(path, pieceBytes: pieceBytes)
    }

    @Test(arguments: ["", "2015", "2014-Q2", "2020"], [1, 2, 3])
    func keysAreTheOneThreadKeys(_ text: String, threads: Int) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let reader = try Self.staged(count: 20_000, pieceBytes: 4_096, in: dir)
        let period = try Period(parsing: text)
        let rule = try ReturnKeys(reader, period: period)
        let fast = try ReturnKeys(reader, period: period, threads: threads)
        #expect((fast.read, fast.inPeriod) == (rule.read, rule.inPeriod))
        #expect(fast.firstSurveyDate == rule.firstSurveyDate && fast.lastSurveyDate == rule.lastSurveyDate)
        #expect((fast.firstQuarter, fast.lastQuarter) == (rule.firstQuarter, rule.lastQuarter))
        #expect(fast.districtCounts == rule.districtCounts)
        #expect(fast.units.count == rule.units.count)
        // The same strings share a number on both sides, and different ones never do.
        var pairs = Set<[Int]>()
        try reader.forEachChunk { chunk in for r in chunk { pairs.insert([fast.units[r.unitID], rule.units[r.unitID]]) } }
        #expect(Set(pairs.map { $0[0] }).count == pairs.count && Set(pairs.map { $0[1] }).count == pairs.count)
    }

    /// Units numbered from the bits of the strings seen are numbered as `see` in string order numbers them:
    /// a text held twice is one unit, ASCII or not, and canonically equivalent spellings are one unit.
    @Test(arguments: [
        ["HP-01", "HP-02", "HP-01", "x", "", "HP-02", ""],
        ["HP-01", "Å", "A\u{30A}", "\u{212B}", "HP-01", "K", "\u{212A}"],
        (0..<5_000).map { "U-\($0 % 1_700)" },
    ])
    func unitsFromSeenBitsAreNumberedAsSeeNumbersThem(_ strings: [String]) {
        var seen = [UInt64](repeating: 0, count: (strings.count + 63) / 64)
        // Every string but each fifth is a unit id.
        for i in strings.indices where i % 5 != 4 { seen[i >> 6] |= 1 << UInt64(i & 63) }
        var rule = UnitNumbers(strings: strings.count)
        for i in strings.indices where i % 5 != 4 { rule.see(Int32(i), strings: strings) }
        let fast = UnitNumbers(seen: seen, strings: strings)
        #expect(fast.count == rule.count)
        #expect(strings.indices.filter { $0 % 5 != 4 }.map { fast[Int32($0)] } == strings.indices.filter { $0 % 5 != 4 }.map { rule[Int32($0)] })
    }

    @Test(arguments: [1, 2, 3])
    func countedTablesAreTheOneThreadTables(_ threads: Int) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let reader = try Self.staged(count: 20_000, pieceBytes: 4_096, in: dir)
        for text in ["", "2015-Q3"] {
            let period = try Period(parsing: text)
            let keys = try ReturnKeys(reader, period: period)
            let layouts = [TableID.byField, .byPeriod, .byUnitType, .byDistrict].map { SurveyLayout($0, keys, strings: reader.strings) }
            var rule = layouts.map { SurveyCounts($0, units: keys.units.count) }
            try count(reader, units: keys.units, into: &rule)
            var fast = layouts.map { SurveyCounts($0, units: keys.units.count) }
            try count(reader, units: keys.units, into: &fast, threads: threads)
            let ids: [TableID] = [.byField, .byPeriod, .byUnitType, .byDistrict]
            for (k, id) in ids.enumerated() { #expect(fast[k].table(id) == rule[k].table(id), "\(id), period '\(text)'") }
        }
    }

    /// The whole stage on a file of many pieces: the fast aggregate (both passes threaded) is the rule's.
    @Test func aggregatesOfManyPiecesAreTheRules() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let reader = try Self.staged(count: 30_000, pieceBytes: 2_048, in: dir)
        for text in ["", "2015", "2013-Q2..2014-Q1"] {
            let period = try Period(parsing: text)
            let fast = try aggregate(returns: reader, activities: [ActivityRecord](), period: period, fast: true)
            let rule = try aggregate(returns: reader, activities: [ActivityRecord](), period: period, fast: false)
            #expect(fast == rule, "period '\(text)'")
        }
    }
}
