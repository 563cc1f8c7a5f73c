// The stage's CSV records (Stage/StageRecords.swift): rejects.csv shows control characters as visible
// escapes (SPEC §3.4: a NUL as `\0`), so no published file carries a NUL or a terminal control sequence.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct StageRecordsTests {
    @Test func rejectsShowControlCharactersAsEscapes() throws {
        let reject = Reject(source: SourceRef(file: "returns/r\u{1B}.csv", row: 2, line: 2), reason: .badField,
                            detail: "'a\u{1B}[31m' is not a field", raw: "U1,a\u{0}b\u{1B}[2J\u{202E},\"x\ny\",1")
        let bytes = StageRecords.rejectsCSV([reject], neutralise: true)
        #expect(!bytes.contains(0) && !bytes.contains(0x1B))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("a\\0b\\x1B[2J\\u{202E}"), "\(text)")
        #expect(text.contains("'a\\x1B[31m' is not a field"), "\(text)")
        #expect(text.contains("returns/r\\x1B.csv"), "\(text)")
        // The record's own line end stays, inside its quoted cell.
        #expect(text.contains("x\ny"), "\(text)")
    }

    @Test func anEscapeSequenceInARejectedRecordNeverReachesRejectsCSV() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/returns/r.csv", "unit_id,district,field,survey_date,technologies_found,technologies_proposed\nU2,a\u{1B}[31mb\u{07},biotec,2015-01-02,3,1\nU3,ok,biotech,2015-01-02,3,1\nU\u{1B}[2J9,x,energy,2015-01-02,3,1\nU\u{1B}[2J9,x,energy,2015-01-02,4,1\n")
        let run = try runPipeline(input: dir + "/in", output: dir + "/out", stage: dir + "/stage")
        try #require(run.status == 0, "\(run.stderr)")
        let bytes = try #require(FileManager.default.contents(atPath: dir + "/out/rejects.csv"))
        #expect(!bytes.contains(0x1B) && !bytes.contains(0x07))
        #expect(String(decoding: bytes, as: UTF8.self).contains("a\\x1B[31mb\\x07"))
        for name in ["superseded.csv", "manifest.json", "tables/by_field.csv"] {
            let published = try #require(FileManager.default.contents(atPath: dir + "/out/" + name))
            #expect(!published.contains(0x1B) && !published.contains(0x07), "\(name)")
        }
        #expect(readText(dir + "/out/superseded.csv").contains("\\x1B[2J9"), "\(readText(dir + "/out/superseded.csv"))")
    }
}
