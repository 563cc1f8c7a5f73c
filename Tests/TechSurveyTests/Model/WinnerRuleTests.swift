// SPEC §3.4's winner rule as a table: the latest submitted_at wins, else the later file, else the later
// row; no submitted_at ranks below every time.

import Testing
@testable import TechSurvey

@Suite struct WinnerRuleTests {
    static func file(_ rank: UInt64, _ row: UInt64) -> UInt64 { rank << 32 | row }

    @Test(arguments: [
        // (a's time, a's place, b's time, b's place, a beats b)
        (Int64(20), Self.file(0, 2), Int64(10), Self.file(1, 9), true),    // later time, earlier file
        (Int64(10), Self.file(1, 9), Int64(20), Self.file(0, 2), false),
        (Int64(10), Self.file(1, 2), Int64(10), Self.file(0, 9), true),    // same time: later file
        (Int64(10), Self.file(0, 9), Int64(10), Self.file(0, 3), true),    // same time, same file: later row
        (Int64(10), Self.file(0, 3), Int64(10), Self.file(0, 9), false),
        (Int64(0), Self.file(0, 2), Int64(-1), Self.file(5, 9), true),     // any time beats none
        (Int64(-1), Self.file(5, 9), Int64(0), Self.file(0, 2), false),
        (Int64(-1), Self.file(1, 2), Int64(-1), Self.file(0, 9), true),    // neither has one: later file
    ])
    func rule(_ aTime: Int64, _ aPlace: UInt64, _ bTime: Int64, _ bPlace: UInt64, _ beats: Bool) {
        #expect(WinnerRule.beats(WinnerClaim(submitted: aTime, place: aPlace), WinnerClaim(submitted: bTime, place: bPlace)) == beats)
    }
}
