// Activities have resubmissions too (SPEC §3.4): an activity log and a copy of it give the figures of one
// log, the copy's records are listed in superseded.csv with the winner's file:row, and every activity file
// still reconciles (read = accepted + rejected + superseded).

import Foundation
import Testing
@testable import TechSurvey

@Suite struct ActivityResubmissionsTests {
    @Test func aCopiedActivityLogCountsOnce() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try FileManager.default.copyItem(atPath: TestPaths.bundledInput, toPath: dir + "/in")
        try FileManager.default.copyItem(atPath: dir + "/in/activities/activities.csv", toPath: dir + "/in/activities/activities (copy).csv")
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        let activities = try StageRecords.readActivities(dir + "/stage/activities.csv")
        let research = activities.filter { $0.kind == .researchTask }
        #expect(research.count == 7)
        #expect(try research.map(\.budget).reduce(Budget.zero) { try $0.adding($1) } == Budget(thousandths: 5_132_000))
        // The later file wins: "activities.csv" sorts after "activities (copy).csv".
        #expect(activities.allSatisfy { $0.source.file == "activities/activities.csv" })
        let files = summary.files.filter { $0.kind == "activities" }
        #expect(files.count == 2)
        #expect(files.allSatisfy { $0.reconciles })
        let copy = try #require(files.first { $0.file.contains("copy") })
        #expect(copy.rowsSuperseded == copy.rowsRead && copy.rowsAccepted == 0)
        let superseded = try readCSV(dir + "/stage/superseded.csv").filter { $0.first?.hasPrefix("activities/") == true }
        #expect(superseded.count == copy.rowsRead)
        #expect(superseded.first?[1] == "2" && superseded.first?[7] == "activities/activities.csv:2", "\(superseded.first ?? [])")
    }

    static func activities(_ records: [ActivityRecord]) -> ActivityResubmissions { ActivityResubmissions(records) }

    static func record(_ file: String, _ row: Int, id: String = "", title: String, partner: String = "Viện A", budget: Int64 = 100) -> ActivityRecord {
        ActivityRecord(source: SourceRef(file: file, row: row, line: row), activityID: id, date: CalendarDate(year: 2014, month: 3, day: 1)!,
                       kind: .researchTask, title: title, partner: partner, partnerCountry: "", field: nil,
                       businesses: 0, visitors: 0, connections: 0, budget: Budget(thousandths: budget * 1000))
    }

    @Test func withoutAnIdTheContentIsTheIdentityComparedAsLabelsAre() {
        let a = Self.record("activities/a.csv", 2, title: "Nhiệm vụ hợp tác: Chế phẩm sinh học")
        // Capitals, a missing diacritic, other punctuation and a zero-width space: the same activity.
        let b = Self.record("activities/b.csv", 2, title: "NHIEM VU HOP TAC - che pham sinh\u{200B} hoc", partner: "viện a")
        let other = Self.record("activities/b.csv", 3, title: "Nhiệm vụ hợp tác: Chế phẩm sinh học", partner: "Viện B")
        let resolved = Self.activities([a, b, other])
        #expect(resolved.winners.map(\.source) == [b.source, other.source])
        #expect(resolved.losers == [SupersededActivity(record: a, winner: b.source)])
    }

    @Test func theSameIdIsOneActivityWhateverTheContent() {
        let a = Self.record("activities/a.csv", 2, id: "hd-001", title: "Old title", budget: 100)
        let b = Self.record("activities/a.csv", 5, id: "HD-001 ", title: "New title", budget: 120)
        let c = Self.record("activities/b.csv", 2, id: "HD-001", title: "Newest", budget: 130)
        let resolved = Self.activities([a, b, c])
        #expect(resolved.winners.map(\.source) == [c.source])
        #expect(resolved.losers.map(\.winner) == [c.source, c.source])
        #expect(resolved.losers.map(\.record.source) == [a.source, b.source])
    }
}
