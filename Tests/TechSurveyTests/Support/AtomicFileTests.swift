// Atomic writes (SPEC §4) replace only regular files: a named pipe, a device or a symbolic link at the output
// path is refused (exit 73) and left as it was; as root, `--output /dev/full` once replaced the device node.
// AtomicFile.swift: a folder that cannot be made because a file stands in its way is named in one line
// (the report executable run alone with --output pointing at a file); many files sync at once; the
// temporary file a killed run leaves is removed by the next run writing in its folder, and nothing else is.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct AtomicFileTests {
    @Test(arguments: ["", "/tables", "/tables/charts"])
    func aFileWhereAFolderShouldBeIsNamed(below: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/out", "a file\n")
        #expect {
            try AtomicFile.makeDirectory(dir + "/out" + below)
        } throws: { error in
            let message = (error as? TechSurveyError)?.message ?? ""
            return message.hasPrefix("\(dir)/out is a file, not a folder") && !message.contains("\n")
        }
    }

    @Test func syncAllSyncsFilesAndFoldersAndNamesOneThatIsMissing() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let files = (0..<20).map { dir + "/f\($0).txt" }
        for file in files { writeFile(file, "x") }
        try AtomicFile.syncAll(files + [dir])
        #expect {
            try AtomicFile.syncAll(files + [dir + "/missing.txt"])
        } throws: { error in
            ((error as? TechSurveyError)?.message ?? "").contains("missing.txt")
        }
    }

    /// A stream asks the disk to start on each finished step as it goes: what lands is still every byte,
    /// in order, under the final name only, whatever the pieces' sizes against the step.
    @Test func aStreamWrittenAcrossWritebackStepsLandsWhole() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let path = dir + "/returns.bin"
        let stream = try AtomicFile.Stream(path: path, writebackStep: 4096)
        var want: [UInt8] = []
        var rng = SeededGenerator(state: 5)
        for i in 0..<200 {
            let piece = (0..<Int.random(in: 0...3000, using: &rng)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
            try stream.write(piece)
            want += piece
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        try stream.commit()
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == want)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["returns.bin"])
    }

    static func kind(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    @Test func aNamedPipeASymbolicLinkAndADeviceAreNeverReplaced() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let fifo = dir + "/pipe", link = dir + "/link", target = dir + "/target.json", device = dir + "/null"
        #expect(mkfifo(fifo, 0o644) == 0)
        writeFile(target, "{}")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        // A character device like /dev/null (1,3); only root may make one, so it is tried when possible.
        let hasDevice = mknod(device, S_IFCHR | 0o644, dev_t((1 << 8) | 3)) == 0
        for (path, type) in [(fifo, S_IFIFO), (link, S_IFLNK)] + (hasDevice ? [(device, S_IFCHR)] : []) {
            var error: TechSurveyError?
            do { try AtomicFile.write("new", to: path) } catch let e { error = e }
            #expect(error?.kind == .cannotCreate, "\(path): \(String(describing: error))")
            #expect(error.map { $0.message.contains("not a regular file") && !$0.message.contains("\n") } == true, "\(String(describing: error))")
            #expect(Self.kind(path) == type, "\(path) was replaced")
            var streamError: TechSurveyError?
            do { _ = try AtomicFile.Stream(path: path) } catch let e { streamError = e }
            #expect(streamError?.kind == .cannotCreate, "\(path): \(String(describing: streamError))")
            #expect(Self.kind(path) == type, "\(path) was replaced")
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "{}")
        // A regular file is replaced as before.
        try AtomicFile.write("new", to: target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == (["link", "pipe", "target.json"] + (hasDevice ? ["null"] : [])).sorted())
    }

    /// The tester's finding, end to end: `techsurvey-aggregate --output <named pipe>` renamed over the pipe.
    @Test func aggregateNeverReplacesANamedPipeWithItsOutput() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let ingest = try runTool("techsurvey-ingest", ["--input", TestPaths.bundledInput, "--stage", dir + "/stage"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let fifo = dir + "/pipe"
        #expect(mkfifo(fifo, 0o644) == 0)
        let run = try runTool("techsurvey-aggregate", ["--stage", dir + "/stage", "--output", fifo])
        #expect(Self.kind(fifo) == S_IFIFO, "the named pipe was replaced by a regular file; exit \(run.status), stderr: \(run.stderr)")
        #expect(run.status == 73, "exit \(run.status); stderr: \(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    }

    /// The pid of a process that has exited.
    static func deadPid() throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    /// Sets `path`'s access and modification times `seconds` back.
    static func backdate(_ path: String, seconds: Int) {
        let then = timespec(tv_sec: time(nil) - seconds, tv_nsec: 0)
        var times = [then, then]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0, "\(path)")
    }

    /// A run killed between writing a temporary file and renaming it left the file forever. The first
    /// write of a later run in that folder removes it — and nothing that is not provably a dead run's.
    @Test func aDeadRunsTemporaryIsRemovedAndNothingElse() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let dead = try Self.deadPid()
        let marker = AtomicFile.temporaryMarker
        let removed = ["report.md\(marker)\(dead)", ".publishing\(marker)\(dead)", "old.csv\(marker)1"]
        // fresh.csv's pid is dead here but it was just written: a live writer on another machine or in
        // another container sharing the folder, whose pid this process cannot see.
        let kept = ["live.csv\(marker)1", "notes.tmp-\(dead)", "x\(marker)\(dead).bak", "\(marker)\(dead)", "z.csv\(marker)0\(dead)",
                    "mine\(marker)\(getpid())", "fresh.csv\(marker)\(dead)"]
        for name in removed + kept { writeFile(dir + "/" + name, "left behind\n") }
        for name in removed + kept where name != "fresh.csv\(marker)\(dead)" { Self.backdate(dir + "/" + name, seconds: AtomicFile.staleAfterSeconds + 60) }
        // Written two days ago by a pid that lives now: a pid reused since.
        var old = [timespec(tv_sec: time(nil) - 2 * 86_400, tv_nsec: 0), timespec(tv_sec: time(nil) - 2 * 86_400, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, dir + "/old.csv\(marker)1", &old, 0) == 0)
        try FileManager.default.createDirectory(atPath: dir + "/folder\(marker)\(dead)", withIntermediateDirectories: false)
        try AtomicFile.write("new\n", to: dir + "/out.txt")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        #expect(left == Set(kept + ["out.txt", "folder\(marker)\(dead)"]), "\(left.sorted())")
    }

    /// The same with real kills: a stage killed (SIGKILL) with its temporary file written whole and not yet
    /// renamed leaves it in the stage folder, or the journal's in OUTPUT; the next run removes it, and the
    /// report in OUTPUT is the one before.
    @Test func aKilledRunsTemporaryIsGoneAfterTheNextRun() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let stage = dir + "/stage", output = dir + "/out"
        let killed = try runTool("techsurvey-ingest", ["--input", TestPaths.bundledInput, "--stage", stage], environment: ["TECHSURVEY_TEST_KILL_WRITING": "rejects.csv"])
        #expect(killed.status == SIGKILL, "killed: \(killed.stderr)")
        let temporaries = { (folder: String) in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.contains(AtomicFile.temporaryMarker) } }
        // returns.bin's too: it is written as the records come and renamed with the others.
        #expect(temporaries(stage).contains { $0.hasPrefix("rejects.csv" + AtomicFile.temporaryMarker) }, "\(temporaries(stage))")
        // Left alone while they may still be a live writer's (see aDeadRunsTemporaryIsRemovedAndNothingElse).
        let backdate = { (folder: String) in
            for name in temporaries(folder) { Self.backdate(folder + "/" + name, seconds: AtomicFile.staleAfterSeconds + 60) }
        }
        backdate(stage)
        try #require(try runPipeline(input: TestPaths.bundledInput, output: output, stage: stage).status == 0)
        #expect(temporaries(stage).isEmpty, "\(temporaries(stage))")
        let before = publishedSnapshot(output)
        let aggregates = StageFolder(stage).aggregates(.all)
        let report = ["--stage", stage, "--aggregates", aggregates, "--output", output, "--lang", "en"]
        let killedReport = try runTool("techsurvey-report", report, environment: ["TECHSURVEY_TEST_KILL_WRITING": ".publishing"])
        #expect(killedReport.status == SIGKILL && temporaries(output).count == 1, "\(temporaries(output)): \(killedReport.stderr)")
        #expect(publishedSnapshot(output) == before, "killed before its journal: the report before")
        backdate(output)
        #expect(try runTool("techsurvey-report", report).status == 0)
        #expect(temporaries(output).isEmpty, "\(temporaries(output))")
    }

    /// The report publishes rejects.csv and superseded.csv as copies, never as a second name of the stage
    /// files: with one file under both names, an edit of the published list in place (`>>`, vim, chmod)
    /// reached the stage file and every other output folder's next report, and each publication changed
    /// the other folders' change times, so their next `make report` rebuilt a report nothing had changed.
    @Test func aCopiedStageFileIsAFileOfItsOwn() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let rows = (0..<50_000).map { "returns/Phiếu 2015.csv,\($0),\($0),=cmd|' /C calc'!A0\n" }.joined()
        try AtomicFile.write(Array(rows.utf8), to: dir + "/stage.csv")
        try AtomicFile.makeDirectory(dir + "/out")
        // Pieces of 64 KiB, each handed to the disk as the copy goes on: the copy is still whole.
        try AtomicFile.copyFile(dir + "/stage.csv", to: dir + "/out/superseded.csv", writebackStep: 64 << 10)
        #expect(readText(dir + "/out/superseded.csv") == rows)
        let handle = try #require(fopen(dir + "/out/superseded.csv", "a"))
        fputs("an analyst's note\n", handle)
        fclose(handle)
        var stage = stat(), published = stat()
        #expect(stat(dir + "/stage.csv", &stage) == 0 && stat(dir + "/out/superseded.csv", &published) == 0)
        #expect(stage.st_ino != published.st_ino && stage.st_nlink == 1)
        #expect(readText(dir + "/stage.csv") == rows)
    }
}
