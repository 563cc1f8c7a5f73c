// Rows kept as runs give back, for every ordinal, the row an array of every record's row gives.

import Testing
@testable import TechSurvey

@Suite struct OrdinalRowsTests {
    @Test(arguments: [0, 1, 2, 1_000, 50_000])
    func rowsMatchAnArrayOfEveryRow(_ count: Int) {
        var rng = SeededGenerator(state: UInt64(count) + 11)
        var rows = OrdinalRows()
        var every: [UInt32] = []
        var row: UInt32 = 2
        for i in 0..<count {
            // Mostly the next row; now and then rows skipped (rejects, blank rows), or a new file from
            // row 2 again, or the same row number as the last record (a sheet after a file).
            switch UInt32.random(in: 0..<20, using: &rng) {
            case 0: row += UInt32.random(in: 2..<9, using: &rng)
            case 3 where i > 0: row += 300
            case 1: row = 2
            case 2 where i > 0: break
            default: row += i == 0 ? 0 : 1
            }
            rows.append(ordinal: UInt32(i), row: row)
            every.append(row)
        }
        for (ordinal, want) in every.enumerated() { #expect(rows.row(of: UInt32(ordinal)) == want, "ordinal \(ordinal)") }
        #expect(rows.runs <= max(1, count / 4), "runs follow breaks, not records")
    }

    @Test func consecutiveRowsAreOneRun() {
        var rows = OrdinalRows()
        for i in 0..<10_000 { rows.append(ordinal: UInt32(i), row: UInt32(i) + 2) }
        #expect(rows.runs == 1)
        #expect(rows.row(of: 9_999) == 10_001)
        #expect(rows.row(of: 0) == 2)
    }

    /// Every accepted record followed by a blank or rejected row: before, each record started a run of its
    /// own (8 bytes a record); now one run holds them, and a break in the pattern starts one more.
    @Test(arguments: [2, 3, 255])
    func rowsAStepApartAreOneRun(_ step: UInt32) {
        var rows = OrdinalRows()
        for i in 0..<100_000 { rows.append(ordinal: UInt32(i), row: 2 + UInt32(i) * step) }
        // One run: memory is three numbers, whatever the count (an array's capacity, which malloc rounds
        // differently from run to run, is no figure to assert on).
        #expect(rows.runs == 1)
        #expect(rows.row(of: 0) == 2 && rows.row(of: 99_999) == 2 + 99_999 * step)
        rows.append(ordinal: 100_000, row: 2 + 99_999 * step + step + 1)
        rows.append(ordinal: 100_001, row: 2 + 99_999 * step + 2 * step + 1)
        #expect(rows.runs == 2 && rows.row(of: 100_001) == 2 + 99_999 * step + 2 * step + 1 && rows.row(of: 99_999) == 2 + 99_999 * step)
    }

    @Test func theLargestRowsComeBack() {
        var rows = OrdinalRows()
        rows.append(ordinal: 0, row: UInt32.max - 1)
        rows.append(ordinal: 1, row: UInt32.max)
        rows.append(ordinal: 2, row: UInt32.max)
        rows.append(ordinal: 3, row: 0)
        #expect((0..<4).map { rows.row(of: UInt32($0)) } == [UInt32.max - 1, UInt32.max, UInt32.max, 0])
    }
}
