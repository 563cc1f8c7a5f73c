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

    /// Runs techsurvey-ingest as an unprivileged user (nobody, through util-linux's setpriv) when this test
    /// runs as root, who reads any folder whatever its mode; as anyone else, as that user.
    static func ingestAsUnprivilegedUser(_ arguments: [String]) throws -> RunResult {
        let ingest = TestPaths.binaries + "/techsurvey-ingest"
        let process = Process()
        if getuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", ingest] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: ingest)
            process.arguments = arguments
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// An activities/ (or returns/) folder the user cannot list was read as empty: exit 0, zero
    /// activities, every activity figure silently gone. It is input that cannot be read: exit 66, one line.
    @Test(arguments: ["activities", "returns"])
    func anUnreadableInputFolderIsRefusedNotReadAsEmpty(sub: String) throws {
        #expect(getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "setpriv (util-linux) is needed to run as nobody")
        let dir = scratchFolder(sub)
        defer {
            chmod(dir + "/in/" + sub, 0o755)
            removeFolder(dir)
        }
        writeFile(dir + "/in/returns/a.csv", Self.returns)
        writeFile(dir + "/in/activities/a.csv", "date,kind,title\n2015-01-01,training,Khoá 1\n")
        try FileManager.default.createDirectory(atPath: dir + "/stage", withIntermediateDirectories: true)
        for folder in [dir, dir + "/in", dir + "/in/returns", dir + "/in/activities"] { chmod(folder, 0o755) }
        for file in ["/in/returns/a.csv", "/in/activities/a.csv"] { chmod(dir + file, 0o644) }
        chmod(dir + "/stage", 0o777)
        chmod(dir + "/in/" + sub, 0o000)
        let run = try Self.ingestAsUnprivilegedUser(["--input", dir + "/in", "--stage", dir + "/stage"])
        #expect(run.status == 66, "exit \(run.status); stdout:\n\(run.stdout)\nstderr:\n\(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1 && run.stderr.contains("/in/\(sub)") && run.stderr.contains("chmod"), "\(run.stderr)")
        // Readable again, the same folder reads.
        chmod(dir + "/in/" + sub, 0o755)
        let again = try Self.ingestAsUnprivilegedUser(["--input", dir + "/in", "--stage", dir + "/stage"])
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test func aFileNamedLikeAnInputFolderIsRefused() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/returns/a.csv", Self.returns)
        writeFile(dir + "/activities", "date,kind,title\n")
        let error = try #require(Self.refusal(dir))
        #expect(error.kind == .noInput)
        #expect(error.message.contains("is not a folder"), "\(error.message)")
        removeFolder(dir + "-stage")
    }
}
