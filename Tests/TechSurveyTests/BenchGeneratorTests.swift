// bench/generate_returns.py makes the two shapes `make bench` measures (issue 14): read by the real ingest,
// the distinct shape has a few resubmissions in a thousand and the resubmitted shape a key universe bounded
// by its units' visit slots; every record is accepted or superseded, none rejected, and a seed gives the
// same bytes. 1 MB each over a few thousand units, so this stays cheap.

import Foundation
import Testing

struct BenchGeneratorTests {
    /// Generates `shape` into `dir` and ingests it; returns (records read, accepted, superseded, rejected, bytes).
    static func generateAndIngest(_ shape: String, units: Int, in dir: String) throws -> (read: Int, accepted: Int, superseded: Int, rejected: Int, bytes: Data) {
        let file = dir + "/\(shape)/returns/returns.csv"
        let made = try runProgram("/usr/bin/python3", [TestPaths.packageRoot + "/bench/generate_returns.py", "--shape", shape, "--size-mb", "1",
                                                        "--units", "\(units)", "--out", file])
        try #require(made.status == 0, "generate_returns.py --shape \(shape): \(made.stderr)")
        let ingest = try runTool("techsurvey-ingest", ["--input", dir + "/\(shape)", "--stage", dir + "/\(shape)-stage"])
        try #require(ingest.status == 0, "ingest of the \(shape) shape: \(ingest.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/\(shape)-stage/ingest.json"))) as? [String: Any]
        let files = (summary?["files"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "returns" }
        try #require(files.count == 1, "ingest.json of the \(shape) shape: \(String(describing: summary))")
        let count = { (name: String) in files[0][name] as? Int ?? -1 }
        return (count("rows_read"), count("rows_accepted"), count("rows_superseded"), count("rows_rejected"), try Data(contentsOf: URL(fileURLWithPath: file)))
    }

    @Test func theDistinctShapeHasAFewResubmissionsInAThousand() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let got = try Self.generateAndIngest("distinct", units: 2000, in: dir)
        let share = Double(got.superseded) / Double(max(got.read, 1))
        #expect(got.read > 5000 && got.rejected == 0 && got.read == got.accepted + got.superseded, "\(got.read) read, \(got.accepted) accepted, \(got.superseded) superseded, \(got.rejected) rejected")
        #expect(share > 0.001 && share < 0.006, "\(got.superseded) of \(got.read) records superseded")
        // The same seed gives the same bytes.
        let again = dir + "/again.csv"
        let made = try runProgram("/usr/bin/python3", [TestPaths.packageRoot + "/bench/generate_returns.py", "--shape", "distinct", "--size-mb", "1",
                                                        "--units", "2000", "--out", again])
        try #require(made.status == 0, "\(made.stderr)")
        #expect(FileManager.default.contents(atPath: again) == got.bytes, "two runs with seed 7 wrote different files")
    }

    @Test func theResubmittedShapeHasABoundedKeyUniverse() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let got = try Self.generateAndIngest("resubmitted", units: 300, in: dir)
        // 300 units × 10 visit slots: at most 3,000 returns, however many records.
        #expect(got.read > 5000 && got.rejected == 0 && got.read == got.accepted + got.superseded, "\(got.read) read, \(got.accepted) accepted, \(got.superseded) superseded, \(got.rejected) rejected")
        #expect(got.accepted <= 3000 && got.superseded > got.read / 2, "\(got.accepted) returns, \(got.superseded) of \(got.read) superseded")
    }
}
