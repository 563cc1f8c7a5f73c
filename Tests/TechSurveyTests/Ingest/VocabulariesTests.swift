// aliases.csv (SPEC §3) adds labels; it never gives a built-in label or code another meaning, and an
// alias made of punctuation only (which would match every punctuation-only label) is refused. Either stops
// the run (exit 65) naming the line of aliases.csv.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct VocabulariesTests {
    static func load(_ lines: String) throws -> Vocabularies {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/aliases.csv", "kind,alias,code\n" + lines)
        return try Vocabularies.load(aliasesFile: dir + "/aliases.csv", displayName: "aliases.csv")
    }

    static func refusal(_ lines: String) -> TechSurveyError? {
        do {
            _ = try load(lines)
            return nil
        } catch {
            return error as? TechSurveyError
        }
    }

    @Test(arguments: [
        ("field,biotech,energy\n", "line 2"),                         // a code
        ("field,Công nghệ sinh học,energy\n", "line 2"),              // a built-in alias
        ("field,CONG NGHE SINH HOC,energy\n", "line 2"),              // equal after folding
        ("unit_type,Trường,enterprise\n", "line 2"),
        ("activity_kind,Triển lãm,training\n", "line 2"),
        ("column,Lĩnh vực,unit_type\n", "line 2"),
        ("field,Sinh hoc ung dung,biotech\nfield,sinh-hoc-ung-dung,energy\n", "line 3"),  // an earlier line's alias
        ("field,---,energy\n", "line 2"),                              // folds to nothing
        ("field,Năng lượng sạch,energy\nunit_type,(…),other\n", "line 3"),
    ])
    func anAliasThatWouldRedefineALabelStopsTheRun(lines: String, line: String) throws {
        let error = try #require(Self.refusal(lines), "\(lines) must be refused")
        #expect(error.kind == .data)
        #expect(error.exitCode == 65)
        #expect(error.message.contains("aliases.csv: \(line):"), "\(error.message)")
    }

    @Test func repeatingABuiltInMeaningIsHarmless() throws {
        let v = try Self.load("field,CNSH,biotech\nfield,Công nghệ sinh học ứng dụng,biotech\n")
        #expect(v.fields.match("cong nghe sinh hoc ung dung") == .biotech)
        #expect(v.fields.match("biotech") == .biotech)
        #expect(v.fields.match("energy") == .energy)
    }

    @Test func aRefusedAliasStopsIngestWithExit65() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/aliases.csv", "kind,alias,code\nfield,biotech,energy\n")
        writeFile(dir + "/in/returns/r.csv", "unit_id,field,survey_date,technologies_found,technologies_proposed\nU1,biotech,2015-01-01,3,1\n")
        let run = try runTool("techsurvey-ingest", ["--input", dir + "/in", "--stage", dir + "/stage"])
        #expect(run.status == 65)
        #expect(run.stderr.contains("aliases.csv: line 2:") && run.stderr.contains("biotech"), "\(run.stderr)")
    }

    @Test func aFileThatIsNoAliasListIsNotEchoed() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/aliases.csv", "root:x:0:0:root:/root:/bin/bash\n")
        #expect {
            try Vocabularies.load(aliasesFile: dir + "/aliases.csv", displayName: "aliases.csv")
        } throws: { error in
            let message = (error as? TechSurveyError)?.message ?? ""
            return message.contains("kind,alias,code") && !message.contains("root")
        }
    }
}
