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

    /// A log with ids and a copy exported without the id column gave 14 research tasks: the id-less copy is
    /// matched by content (date, kind, title, partner) to the records with ids.
    @Test func aCopyWithoutTheIdColumnCountsOnce() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try FileManager.default.copyItem(atPath: TestPaths.bundledInput, toPath: dir + "/in")
        let log = try String(contentsOfFile: dir + "/in/activities/activities.csv", encoding: .utf8)
        let rows = try readCSV(dir + "/in/activities/activities.csv")
        #expect(rows.first?.first == "activity_id")
        var w = CSVWriter(crlf: false)
        for row in rows { w.writeRow(Array(row.dropFirst())) }
        writeFile(dir + "/in/activities/activities (no id).csv", bytes: w.bytes)
        #expect(!log.isEmpty)
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        let activities = try StageRecords.readActivities(dir + "/stage/activities.csv")
        let research = activities.filter { $0.kind == .researchTask }
        #expect(research.count == 7, "\(research.map(\.source))")
        #expect(try research.map(\.budget).reduce(Budget.zero) { try $0.adding($1) } == Budget(thousandths: 5_132_000))
        #expect(activities.count == rows.count - 1)
        #expect(summary.files.filter { $0.kind == "activities" }.allSatisfy { $0.reconciles })
    }

    /// The winner is the copy that ranks last (later file, then later row), whichever carries the id and
    /// whatever order the records are looked at in; distinct ids are never merged through an id-less copy.
    @Test func idAndContentMatchingIsOneTotalOrder() {
        let withID = Self.record("activities/a.csv", 2, id: "HD-1", title: "Nhiệm vụ X", budget: 100)
        let copy = Self.record("activities/b.csv", 2, title: "nhiem vu x", budget: 200)
        let other = Self.record("activities/b.csv", 3, id: "HD-2", title: "Nhiệm vụ Y", budget: 300)
        let unrelated = Self.record("activities/b.csv", 4, title: "Nhiệm vụ Z", budget: 400)
        // Input order is file rank then row; each arrangement of the files is tried.
        let a = Self.activities([withID, copy, other, unrelated])
        #expect(a.winners.map(\.source) == [copy.source, other.source, unrelated.source])
        #expect(a.losers.map { [$0.record.source, $0.winner] } == [[withID.source, copy.source]])
        let reversed = Self.activities([copy, other, unrelated, withID].map { r in
            var r = r
            r.source.file = r.source.file == "activities/a.csv" ? "activities/c.csv" : r.source.file
            return r
        })
        #expect(reversed.winners.count == 3)
        #expect(reversed.winners.contains { $0.activityID == "HD-1" && $0.source.file == "activities/c.csv" })
        #expect(reversed.losers.count == 1 && reversed.losers.first?.record.budget == Budget(thousandths: 200_000))
        // Two ids with one content stay two activities; the id-less copy joins the one that ranks last.
        let twin = Self.record("activities/b.csv", 5, id: "HD-3", title: "Nhiệm vụ X", budget: 500)
        let both = Self.activities([withID, copy, twin])
        #expect(both.winners.map(\.source) == [withID.source, twin.source])
        #expect(both.losers.map { [$0.record.source, $0.winner] } == [[copy.source, twin.source]])
        let swapped = Self.activities([withID, twin, copy].enumerated().map { i, r in var r = r; r.source.row = i + 2; r.source.file = "activities/b.csv"; return r })
        #expect(swapped.winners.count == 2 && swapped.losers.count == 1)
    }
}
