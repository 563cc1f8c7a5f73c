// What `make fuzz` found, kept: every input under Tests/Fixtures/fuzz/ goes through the normal code path
// (ingest from a folder; a report.md table; SVG text) and must meet the invariant the fuzz target checks
// (Fuzz/Sources/fuzz-*/main.swift).

import Foundation
import Testing
@testable import TechSurvey

@Suite struct FuzzFindingsTests {
    static func findings(_ target: String) -> [String] {
        let dir = TestPaths.fixtures + "/fuzz/" + target
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { dir + "/" + $0 }
    }

    /// NUL, ESC (a terminal control sequence starts with it) or C1 CSI (U+009B), with where it is.
    static func controlSequence(in bytes: [UInt8]) -> String? {
        for (i, b) in bytes.enumerated() where b == 0 || b == 0x1B || (b == 0xC2 && i + 1 < bytes.count && bytes[i + 1] == 0x9B) {
            let line = String(decoding: bytes[..<i].split(separator: 0x0A, omittingEmptySubsequences: false).last ?? [], as: UTF8.self)
            return "byte 0x\(String(b, radix: 16)) after \(line.debugDescription)"
        }
        return nil
    }

    /// SPEC §3.4: the account adds up, and rejects.csv and superseded.csv (published as they are) carry no
    /// NUL and no control sequence: `raw` shows control characters as visible escapes.
    @Test(arguments: findings("ingest"))
    func ingestKeepsItsPromises(_ path: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/input/returns", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: path, toPath: dir + "/input/returns/" + (path as NSString).lastPathComponent)
        let summary: IngestSummary
        do {
            summary = try runIngest(IngestRequest(inputDirectory: dir + "/input", stage: StageFolder(dir + "/stage")))
        } catch let error as TechSurveyError {
            #expect(!error.message.contains("internal accounting error"), "\(error.message)")
            #expect(!error.message.contains("\n") && Self.controlSequence(in: Array(error.message.utf8)) == nil,
                    "the error is not one clean line: \(error.message.debugDescription)")
            return
        }
        for file in summary.files {
            #expect(file.reconciles, "\(file.file): read \(file.rowsRead), accepted \(file.rowsAccepted), rejected \(file.rowsRejected), superseded \(file.rowsSuperseded)")
        }
        for name in ["rejects.csv", "superseded.csv"] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/stage/" + name)))
            let found = Self.controlSequence(in: bytes)
            #expect(found == nil, "\(name) carries \(found ?? ""):\n\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }

    /// Read in 1 MiB chunks on one thread and in the fuzz target's small chunks on two, a file gives the
    /// same account, rejects (details included) and returns.
    @Test(arguments: findings("ingest"))
    func ingestGivesTheSameInAnyChunks(_ path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func run(chunk: Int, threads: Int) -> Result<IngestResult, TechSurveyError> {
            Result { () throws(TechSurveyError) -> IngestResult in
                do {
                    return try ingest(returnFiles: [InputFile(name: "returns/a.csv", source: .bytes(bytes))], activityFiles: [],
                                      vocabularies: Vocabularies(), options: ReadOptions(), chunkSize: chunk, threads: threads)
                } catch let error as TechSurveyError {
                    throw error
                } catch {
                    throw TechSurveyError(.data, "not a TechSurveyError: \(error)")
                }
            }
        }
        let small = 7 + bytes.count % 61
        // A file refused whole is refused in pieces too, with the same one line.
        switch (run(chunk: 1 << 20, threads: 1), run(chunk: small, threads: 2)) {
        case (.success(let whole), .success(let pieces)):
            #expect(whole.summary == pieces.summary)
            #expect(whole.rejects == pieces.rejects, "in \(small)-byte chunks:\n\(whole.rejects)\n\(pieces.rejects)")
            #expect(try whole.returns == pieces.returns)
        case (.failure(let whole), .failure(let pieces)):
            #expect(whole.message == pieces.message, "in \(small)-byte chunks")
        case (let whole, let pieces):
            Issue.record("read whole: \(whole); in \(small)-byte chunks on two threads: \(pieces)")
        }
    }

    /// The findings are there, so the tests over them run at all.
    @Test func everyTargetHasFindings() {
        for target in ["ingest", "markup"] { #expect(!Self.findings(target).isEmpty, "no finding under Tests/Fixtures/fuzz/\(target)") }
    }

    /// SPEC §4, issue 11 class 6: a label becomes one table cell with every Markdown mark escaped and no
    /// control character, and SVG text without control characters.
    @Test(arguments: findings("markup"))
    func labelsStayText(_ path: String) throws {
        let label = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        let markdown = PublishedTable(.byDistrict, columns: ["district", "unit_visits"], rows: [[.key(label), .count(1)]], totalRows: [])
            .markdown(.vi)
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4, "the table is not three lines:\n\(markdown)")
        let row = lines.count > 2 ? String(lines[2]).replacingOccurrences(of: "<!-- -->", with: "") : ""
        let syntax: Set<Unicode.Scalar> = ["[", "]", "(", ")", "!", "*", "_", "`", "~", "<", ">", "#", "|"]
        var backslashes = 0, pipes = 0
        var unescaped: [String] = []
        for s in row.unicodeScalars {
            if s == "|" && backslashes % 2 == 0 { pipes += 1 } else if syntax.contains(s) && backslashes % 2 == 0 { unescaped.append(String(s)) }
            if s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value) {
                unescaped.append("U+\(String(s.value, radix: 16))")
            }
            backslashes = s == "\\" ? backslashes + 1 : 0
        }
        #expect(unescaped.isEmpty && pipes == 3, "label \(label.debugDescription) → row \(row.debugDescription): unescaped \(unescaped), \(pipes - 1) cells")
        let svg = xmlEscape(label)
        #expect(!svg.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) },
                "SVG text keeps a control character: \(label.debugDescription) → \(svg.debugDescription)")
    }
}
