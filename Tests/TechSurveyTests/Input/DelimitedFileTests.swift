// Reading one input file (DelimitedFile.swift): a file that changes while it is read — written to, or
// replaced — stops the run with one line, instead of giving figures and a fingerprint of neither version.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct DelimitedFileTests {
    static let text = "unit_id,field,survey_date,technologies_found,technologies_proposed\n"
        + (1...200).map { "U\($0),biotech,2015-01-02,3,1\n" }.joined()

    enum Change: String, CaseIterable { case appended, rewrittenInPlace, replaced }

    @Test(arguments: Change.allCases)
    func aFileThatChangesWhileItIsReadStopsTheRun(change: Change) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let path = dir + "/returns.csv"
        writeFile(path, Self.text)
        var changed = false
        let read = {
            try readDelimitedFile(path: path, displayName: "returns/returns.csv", options: ReadOptions(), chunkSize: 256) { _, _ in
                guard !changed else { return }
                changed = true
                switch change {
                case .appended:
                    let handle = FileHandle(forWritingAtPath: path)
                    _ = try? handle?.seekToEnd()
                    try? handle?.write(contentsOf: Data("U999,energy,2015-01-02,9,1\n".utf8))
                    try? handle?.close()
                case .rewrittenInPlace:
                    let handle = FileHandle(forWritingAtPath: path)
                    try? handle?.write(contentsOf: Data("unit_id,field,survey_date,technologies_found,technologies_proposed\nU1,energy".utf8))
                    try? handle?.close()
                case .replaced:
                    writeFile(dir + "/new.csv", Self.text.replacingOccurrences(of: "biotech", with: "energy"))
                    rename(dir + "/new.csv", path)
                }
            }
        }
        #expect {
            _ = try read()
        } throws: { error in
            let message = (error as? TechSurveyError)?.message ?? ""
            return message == "returns/returns.csv: the file changed while it was being read; wait until it is completely saved or copied, then run again"
        }
    }

    @Test func aFileLeftAloneReadsToTheEnd() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/returns.csv", Self.text)
        var records = 0
        let facts = try readDelimitedFile(path: dir + "/returns.csv", displayName: "returns.csv", options: ReadOptions(), chunkSize: 256) { record, _ in
            if !record.isBlank { records += 1 }
        }
        #expect(records == 201)
        #expect(facts.bytes == Self.text.utf8.count)
    }
}
