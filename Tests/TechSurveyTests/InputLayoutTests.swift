// Only regular files are read (a link to one is fine): a named pipe, a folder named x.csv, a dangling or a
// looping link, a device are named in one line and refused at once, never waited on; and no message
// echoes more of a file than the cell at fault (a link to /etc/passwd must not show its first line).

import Foundation
import Testing
@testable import TechSurvey

@Suite struct InputLayoutTests {
    static let returns = "unit_id,field,survey_date,technologies_found,technologies_proposed\nU1,biotech,2015-01-01,3,1\n"

    static func refusal(_ dir: String) -> TechSurveyError? {
        do {
            _ = try runIngest(IngestRequest(inputDirectory: dir, stage: StageFolder(dir + "-stage")))
            return nil
        } catch {
            return error as? TechSurveyError
        }
    }

    @Test(arguments: ["fifo", "folder", "dangling", "loop", "device", "activities-fifo", "aliases-dangling"])
    func anythingButARegularFileIsRefusedInOneLine(kind: String) throws {
        let dir = scratchFolder(kind)
        defer {
            removeFolder(dir)
            removeFolder(dir + "-stage")
        }
        writeFile(dir + "/returns/a.csv", Self.returns)
        let fm = FileManager.default
        var name = "returns/x.csv"
        switch kind {
        case "fifo": #expect(mkfifo(dir + "/returns/x.csv", 0o644) == 0)
        case "folder": try fm.createDirectory(atPath: dir + "/returns/x.csv", withIntermediateDirectories: true)
        case "dangling": try fm.createSymbolicLink(atPath: dir + "/returns/x.csv", withDestinationPath: dir + "/nowhere.csv")
        case "loop":
            try fm.createSymbolicLink(atPath: dir + "/returns/x.csv", withDestinationPath: dir + "/returns/y.csv")
            try fm.createSymbolicLink(atPath: dir + "/returns/y.csv", withDestinationPath: dir + "/returns/x.csv")
        case "device": try fm.createSymbolicLink(atPath: dir + "/returns/x.csv", withDestinationPath: "/dev/zero")
        case "activities-fifo":
            name = "activities/x.csv"
            try fm.createDirectory(atPath: dir + "/activities", withIntermediateDirectories: true)
            #expect(mkfifo(dir + "/activities/x.csv", 0o644) == 0)
        default:
            name = "aliases.csv"
            try fm.createSymbolicLink(atPath: dir + "/aliases.csv", withDestinationPath: dir + "/gone.csv")
        }
        let error = try #require(Self.refusal(dir), "\(kind) must be refused")
        #expect(error.kind == .noInput)
        #expect(error.message.contains(name), "\(error.message)")
        #expect(!error.message.contains("\n"))
        let expected = ["fifo": "named pipe", "activities-fifo": "named pipe", "folder": "folder", "dangling": "does not exist",
                        "loop": "loops", "device": "device", "aliases-dangling": "does not exist"][kind] ?? ""
        #expect(error.message.contains(expected), "\(error.message)")
    }

    @Test func aLinkToARegularFileIsRead() throws {
        let dir = scratchFolder()
        defer {
            removeFolder(dir)
            removeFolder(dir + "-stage")
        }
        writeFile(dir + "/elsewhere/r.csv", Self.returns)
        try FileManager.default.createDirectory(atPath: dir + "/in/returns", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/in/returns/r.csv", withDestinationPath: dir + "/elsewhere/r.csv")
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "-stage")))
        #expect(summary.totals.rowsAccepted == 1)
    }

    @Test func aLinkToASystemFileDoesNotShowItsContent() throws {
        let dir = scratchFolder()
        defer {
            removeFolder(dir)
            removeFolder(dir + "-stage")
        }
        let secret = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
        writeFile(dir + "/passwd", secret)
        try FileManager.default.createDirectory(atPath: dir + "/in/returns", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/in/returns/r.csv", withDestinationPath: dir + "/passwd")
        let error = try #require(Self.refusal(dir + "/in"))
        #expect(error.kind == .data)
        #expect(!error.message.contains("root") && !error.message.contains("/bin/bash"), "\(error.message)")
        #expect(error.message.contains("unit_id"))
    }

    @Test func aNamedPipeIsNeverWaitedOnEvenWhenOpenedDirectly() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        #expect(mkfifo(dir + "/p.csv", 0o644) == 0)
        #expect(throws: TechSurveyError.self) {
            _ = try readDelimitedFile(path: dir + "/p.csv", displayName: "p.csv", options: ReadOptions()) { _, _ in }
        }
    }
}
