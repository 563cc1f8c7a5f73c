// Golden cases, one per reject reason (Tests/Fixtures/reject-cases/<reason>/): the reason, the spreadsheet
// row and the physical line of every reject, and the file's account, run through the real executable.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct RejectCasesTests {
    static let root = TestPaths.fixtures + "/reject-cases"

    @Test(arguments: RejectReason.allCases.map(\.rawValue))
    func caseMatchesItsExpectation(_ reason: String) throws {
        let folder = Self.root + "/" + reason
        let dir = scratchFolder(reason)
        defer { removeFolder(dir) }
        let run = try runTool("techsurvey-ingest", ["--input", folder + "/input", "--stage", dir])
        #expect(run.status == 0, "\(run.stderr)")

        let expected = try readCSV(folder + "/expected.csv")
        let actual = try readCSV(dir + "/rejects.csv").map { Array($0.prefix(4)) }
        #expect(actual == expected, "rejects of \(reason)")

        let summary = try JSONDecoder().decode(IngestSummary.self, from: FileManager.default.contents(atPath: dir + "/ingest.json") ?? Data())
        let t = summary.totals
        let account = "read=\(t.rowsRead) accepted=\(t.rowsAccepted) rejected=\(t.rowsRejected) superseded=\(t.rowsSuperseded)"
        #expect(account == readText(folder + "/expected-account.txt").trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(t.reconciles)
    }
}
