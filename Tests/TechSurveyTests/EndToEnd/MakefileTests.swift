// The Makefile as an analyst and cron use it: a second `make report` re-runs nothing, `make quarterly`
// works under cron's bare environment, a failed report stage leaves the published report whole, content
// (not dates) decides what is read again, one stage folder per input folder, names as analysts write them,
// and no variable ever runs as shell code. Uses the debug build the test run already made
// (TECHSURVEY_BIN_DIR), so make finds its executables as they are and never builds; every run gets the
// test's own stage root (STAGE_ROOT), so nothing is left in the checkout's build/stage.

import Foundation
import Testing
@testable import TechSurvey

@Suite(.serialized) struct MakefileTests {
    /// Runs make in the package root with cron's environment: no TTY, PATH=/usr/bin:/bin, no LANG.
    static func make(_ arguments: [String], environment: [String: String] = [:]) throws -> RunResult {
        try start(arguments, environment: environment).wait()
    }

    /// `make` with the stage root and the content cache under `dir`, the test's scratch folder.
    static func make(_ arguments: [String], in dir: String, environment: [String: String] = [:]) throws -> RunResult {
        try make(arguments + ownFolders(dir), environment: environment)
    }

    /// The stage root and content cache of a test whose scratch folder is `dir`: nothing lands in the
    /// checkout's build/.
    static func ownFolders(_ dir: String) -> [String] { ["STAGE_ROOT=\(dir)/stage", "CACHE=\(dir)/cache"] }

    /// A make run in progress.
    struct Running {
        let process: Process
        let out: Pipe
        let err: Pipe

        func wait() -> RunResult {
            let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return RunResult(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
        }
    }

    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/make")
        process.arguments = ["--no-print-directory", "-C", TestPaths.packageRoot, "CONFIG=debug", "BIN=\(TestPaths.binaries)"] + arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()].merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return Running(process: process, out: out, err: err)
    }

    /// A private copy of the bundled input, so the stage folder is this test's own.
    static func copyOfInput(_ dir: String) throws -> String {
        try FileManager.default.copyItem(atPath: TestPaths.bundledInput, toPath: dir + "/input")
        return dir + "/input"
    }

    @Test func secondReportRerunsNothingAndAChangedFileRerunsIngest() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let first = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir)
        try #require(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("techsurvey-ingest"))
        let second = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir)
        #expect(second.status == 0)
        #expect(!second.stdout.contains("techsurvey-ingest"), "ingest re-ran: \(second.stdout)")
        #expect(!second.stdout.contains("techsurvey-aggregate"), "aggregate re-ran: \(second.stdout)")

        // A new file in returns/ is seen, through the folder's date.
        try FileManager.default.copyItem(atPath: input + "/returns/returns-2015.xlsx", toPath: input + "/returns/returns-2015-copy.xlsx")
        let third = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir)
        #expect(third.status == 0)
        #expect(third.stdout.contains("techsurvey-ingest"))
        let manifest = try JSONDecoder().decode(Manifest.self, from: FileManager.default.contents(atPath: dir + "/out/manifest.json") ?? Data())
        #expect(manifest.rowsSuperseded == 24, "the copied file resubmits all 24 returns of 2015")
    }

    @Test func aBrokenFileStopsTheRunAndLeavesThePreviousOutput() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        try #require(try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir).status == 0)
        let before = readText(dir + "/out/report.md") + readText(dir + "/out/tables/by_field.csv")
        writeFile(input + "/returns/returns-2016.csv", "unit_id,field,survey_date,found,technologies_proposed\nU1,biotech,2016-01-01,3,1\n")
        let run = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir)
        #expect(run.status != 0)
        #expect(run.stderr.contains("returns/returns-2016.csv: required column technologies_found is missing"), "\(run.stderr)")
        #expect(readText(dir + "/out/report.md") + readText(dir + "/out/tables/by_field.csv") == before)
    }

    @Test func encodingIsNamedThroughMakeOrDetected() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try FileManager.default.copyItem(atPath: TestPaths.fixtures + "/encodings/windows-1258/input", toPath: dir + "/input")
        for (arguments, source) in [(["ENCODING=cp1258"], "option"), ([], "fallback")] {
            let run = try Self.make(["report", "INPUT=\(dir)/input", "OUTPUT=\(dir)/out"] + arguments, in: dir)
            #expect(run.status == 0, "\(run.stderr)")
            let manifest = try JSONDecoder().decode(Manifest.self, from: FileManager.default.contents(atPath: dir + "/out/manifest.json") ?? Data())
            #expect(manifest.files.first?.encoding == "windows-1258")
            #expect(manifest.files.first?.encodingSource == source)
            #expect(manifest.rowsAccepted == 12)
        }
    }

    @Test func aSecondConcurrentMakeStopsAtOnce() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        try #require(try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir).status == 0)
        let first = try Self.start(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out", "LANG_OUT=en"] + Self.ownFolders(dir),
                                   environment: ["TECHSURVEY_TEST_PAUSE_BEFORE_PUBLISH_MS": "3000"])
        // Wait until the first run is staging its files, i.e. is inside the pipeline.
        func staging() -> Bool {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir + "/out")) ?? []
            return entries.contains { $0.hasPrefix(".staging-") }
        }
        var waited = 0
        while !staging() && waited < 150 {
            usleep(20_000)
            waited += 1
        }
        let second = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out", "LANG_OUT=en"], in: dir)
        #expect(second.status != 0)
        #expect(second.stderr.contains("another run is writing"), "\(second.stderr)")
        #expect(first.wait().status == 0)
    }

    @Test func stageCSVPrintsOnlyTheReturnsOnStdout() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let run = try Self.make(["stage-csv", "INPUT=\(input)"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.first.map(String.init) == StageRecords.returnsHeader.joined(separator: ","))
        #expect(lines.count == 67, "header and the 66 bundled returns")
        #expect(run.stderr.contains("techsurvey-ingest"), "ingest ran first, reporting on stderr")
    }

    @Test func quarterlyRunsUnderCronsEnvironment() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let run = try Self.make(["quarterly", "QUARTER=2015-Q2", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        for name in ["report.md", "news.md", "tables/by_field.csv", "tables/comparison.csv", "manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/out/2015-Q2/" + name), "missing \(name)")
        }
        #expect(readText(dir + "/out/2015-Q2/news.md").contains("so với quý trước"))
    }

    // MARK: issue 10 class 1: a failed run never takes published files with it

    @Test func aReportStageHeldByALockLeavesThePublishedReportByteIdentical() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        try #require(try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir).status == 0)
        let before = publishedSnapshot(dir + "/out")
        let lock = holdLock(dir + "/out/.lock")
        defer { close(lock) }
        let run = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out", "LANG_OUT=en"], in: dir)
        #expect(run.status != 0)
        #expect(run.stderr.contains("another techsurvey run is writing"), "\(run.stderr)")
        let after = publishedSnapshot(dir + "/out")
        #expect(after == before, "changed or lost: \(snapshotDifference(before, after))")
    }

    @Test func aReportStageOnAFullDiskLeavesThePublishedReportByteIdentical() throws {
        let dir = scratchFolder()
        let mount = dir + "/small-disk"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        let mounted = try runCommand("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=32m", "tmpfs", mount])
        defer {
            _ = try? runCommand("/usr/bin/umount", [mount])
            removeFolder(dir)
        }
        try #require(mounted.status == 0, "this test mounts a small tmpfs and needs root: \(mounted.stderr)")
        let input = try Self.copyOfInput(dir)
        let out = mount + "/out"
        try #require(try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(out)"], in: dir).status == 0)
        let before = publishedSnapshot(out)
        // Fill what is left of the disk, so the next report cannot write its files.
        let filler = fopen(mount + "/filler", "wb")
        let block = [UInt8](repeating: 0x41, count: 4096)
        while let filler, fwrite(block, 1, block.count, filler) == block.count, fflush(filler) == 0 {}
        if let filler { fclose(filler) }
        let run = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(out)", "LANG_OUT=en"], in: dir)
        #expect(run.status != 0)
        #expect(run.stderr.contains("disk full") || run.stderr.contains("No space"), "\(run.stderr)")
        let after = publishedSnapshot(out)
        #expect(after == before, "changed or lost: \(snapshotDifference(before, after))")
        // With room again the same command publishes, and the half-written staging folder is gone.
        unlink(mount + "/filler")
        let rerun = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(out)", "LANG_OUT=en"], in: dir)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(readText(out + "/news.md").contains("66 unit-visits"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".staging-") }.isEmpty)
    }

    /// Reports generated "at" one instant, so two runs of one report are byte-identical.
    static let fixedTime = ["SOURCE_DATE_EPOCH": "1700000000"]

    @Test func aPublicationKilledMidwayIsFinishedByTheNextRunEvenWhenThatRunFailsEarly() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let out = dir + "/out"
        try #require(try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(out)", "LANG_OUT=en"], in: dir, environment: Self.fixedTime).status == 0)
        let english = publishedSnapshot(out)
        try #require(try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(out)"], in: dir, environment: Self.fixedTime).status == 0)
        let vietnamese = publishedSnapshot(out)
        // Killed after 7 of its 14 moves: the new tables and a new chart beside the old report.
        let killed = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(out)", "LANG_OUT=en"], in: dir,
                                   environment: Self.fixedTime.merging(["TECHSURVEY_TEST_KILL_AFTER_MOVES": "7"]) { $1 })
        #expect(killed.status != 0)
        let mixed = publishedSnapshot(out)
        #expect(mixed != english && mixed != vietnamese, "the kill did not land between the moves")
        // The next run stops at ingest, on a broken file, and still finishes the publication first.
        writeFile(input + "/returns/returns-2016.csv", "unit_id,field,survey_date,found,technologies_proposed\nU1,biotech,2016-01-01,3,1\n")
        let failing = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(out)", "LANG_OUT=en"], in: dir, environment: Self.fixedTime)
        #expect(failing.status != 0)
        #expect(failing.stderr.contains("required column technologies_found is missing"), "\(failing.stderr)")
        let after = publishedSnapshot(out)
        #expect(after == english, "a mix survived: \(snapshotDifference(english, after))")
    }

    @Test(arguments: [(SIGTERM, true), (SIGINT, true), (SIGTERM, false), (SIGKILL, false)])
    func aSignalDuringTheReportStageLeavesThePublishedReportByteIdentical(signal: Int32, wholeJob: Bool) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let out = dir + "/out"
        try #require(try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(out)"], in: dir).status == 0)
        let before = publishedSnapshot(out)
        // make, interrupted, deletes the targets whose recipe was running: none of them may be in OUTPUT.
        // The whole job gets the signal, as from a terminal's Ctrl-C or a service manager's stop, or the
        // report stage alone, as from the out-of-memory killer or an administrator.
        let pidFile = dir + "/pid"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["-w", "/bin/sh", "-c", "echo $$ > \"$0\"; exec make \"$@\"", pidFile, "--no-print-directory", "-C", TestPaths.packageRoot,
                             "CONFIG=debug", "BIN=\(TestPaths.binaries)", "report", "INPUT=\(input)", "OUTPUT=\(out)", "LANG_OUT=en"] + Self.ownFolders(dir)
        process.environment = ["PATH": "/usr/bin:/bin", "TECHSURVEY_TEST_PAUSE_BEFORE_PUBLISH_MS": "3000"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Every file written and none published: the staged manifest is the last file before the pause
        // (and the report's tools are done by then, so no child of it is between fork and exec).
        var waited = 0
        let staged = { ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).contains { name in
            name.hasPrefix(".staging-") && FileManager.default.fileExists(atPath: out + "/" + name + "/manifest.json")
        } }
        while !staged() && waited < 500 {
            usleep(20_000)
            waited += 1
        }
        let group = try #require(Int32(readText(pidFile).trimmingCharacters(in: .whitespacesAndNewlines)))
        if wholeJob {
            kill(-group, signal)
        } else {
            let report = liveProcesses(inGroup: group).filter { $0.name == "techsurvey-repo" }.map(\.pid)
            try #require(report.count == 1, "the report stage of the job: \(report)")
            for pid in report { kill(pid, signal) }
        }
        process.waitUntilExit()
        waitUntilGone(group: group)
        #expect(process.terminationStatus != 0)
        let after = publishedSnapshot(out)
        #expect(after == before, "changed or lost: \(snapshotDifference(before, after))")
    }

    @Test func nestedOutputFoldersExcludeEachOther() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let out = dir + "/out"
        try #require(try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(out)"], in: dir).status == 0)
        let cases: [(held: String, arguments: [String])] = [
            // A quarterly run writes OUT/2015-Q2; a report run on that folder must wait for it, and back.
            (out + "/2015-Q2/.make.lock", ["quarterly", "QUARTER=2015-Q2", "OUTPUT=\(out)"]),
            (out + "/2015-Q2/.make.lock", ["report", "PERIOD=2015-Q2", "OUTPUT=\(out)/2015-Q2"]),
            // A run on a folder above, or below, the one written.
            (out + "/.make.lock", ["report", "OUTPUT=\(out)/2015-Q2"]),
            (out + "/2015-Q2/.make.lock", ["report", "OUTPUT=\(out)"]),
        ]
        for (held, arguments) in cases {
            let before = publishedSnapshot(out)
            let lock = holdLock(held)
            let run = try Self.make(arguments + ["INPUT=\(input)", "LANG_OUT=en"], in: dir)
            close(lock)
            #expect(run.status != 0, "\(arguments) ran while \(held) was held")
            #expect(run.stderr.contains("another run is writing"), "\(arguments): \(run.stderr)")
            #expect(publishedSnapshot(out) == before)
        }
    }

    // MARK: issue 10 class 2: content, not dates, decides what is read again

    @Test func aCorrectedFileCopiedWithItsOldDateIsReadAgain() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        try #require(try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir).status == 0)
        let before = try readCSV(dir + "/out/tables/by_field.csv")
        // The corrected file: one more biotech technology found, dated 2001 as `cp -p` or unzip keep it.
        let path = input + "/returns/returns-2014.csv"
        var lines = readText(path).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let row = try #require(lines.firstIndex { $0.contains(",Công nghệ sinh học,") && $0.split(separator: ",", omittingEmptySubsequences: false).count == 10 })
        var cells = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        try #require(lines[0].split(separator: ",")[7] == "technologies_found")
        cells[7] = String((Int(cells[7]) ?? 0) + 1)
        lines[row] = cells.joined(separator: ",")
        writeFile(dir + "/corrected.csv", lines.joined(separator: "\n"))
        let old = Date(timeIntervalSince1970: 978_307_200)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir + "/corrected.csv")
        let copy = try runCommand("/bin/cp", ["-p", dir + "/corrected.csv", path])
        try #require(copy.status == 0)
        let run = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("techsurvey-ingest"), "the corrected file was not read again: \(run.stdout)")
        let after = try readCSV(dir + "/out/tables/by_field.csv")
        #expect(Int(after[1][3]) == (Int(before[1][3]) ?? 0) + 1, "biotech found: \(before[1]) then \(after[1])")
        #expect(Int(after.last?[3] ?? "") == 210)
    }

    @Test func aDeletedPublishedFileIsWrittenAgainAndNothingElseReruns() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        try #require(try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir).status == 0)
        unlink(dir + "/out/tables/by_field.csv")
        let run = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir)
        #expect(run.status == 0)
        #expect(!run.stdout.contains("techsurvey-ingest") && run.stdout.contains("techsurvey-report"), "\(run.stdout)")
        #expect(FileManager.default.fileExists(atPath: dir + "/out/tables/by_field.csv"))
        let again = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir)
        #expect(!again.stdout.contains("$TS_BIN"), "a run with nothing changed ran a stage: \(again.stdout)")
    }

    /// pipeline.sh writes its stamps in place (no process of mv): one cut short by a killed run or a full
    /// disk, even dated before the stage's files, differs from what the next run computes, so that run
    /// writes it again and re-runs its stage.
    @Test func aStampCutShortRerunsItsStage() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        try #require(try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir).status == 0)
        let folders = try FileManager.default.contentsOfDirectory(atPath: dir + "/stage")
        try #require(folders.count == 1, "\(folders)")
        let stamp = dir + "/stage/\(folders[0])/inputs.stamp"
        let whole = readText(stamp)
        try #require(whole.count > 2)
        writeFile(stamp, String(whole.prefix(whole.count / 2)))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 978_307_200)], ofItemAtPath: stamp)
        let run = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("techsurvey-ingest"), "ingest did not re-run: \(run.stdout)")
        #expect(readText(stamp) == whole)
    }

    /// Names are printed by the shell itself unless they hold a control character, which never reaches
    /// the terminal.
    @Test func aControlCharacterInOutputsNameNeverReachesTheTerminal() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let run = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out\u{1B}[31mred"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains("\u{1B}") && !run.stderr.contains("\u{1B}"))
        #expect(run.stdout.contains("report: \(dir)/out[31mred/report.md, "), "\(run.stdout)")
        #expect(FileManager.default.fileExists(atPath: dir + "/out\u{1B}[31mred/report.md"))
    }

    // MARK: issue 10 class 3: one stage folder per input folder

    @Test func inputFoldersWhoseFlattenedPathsCollideKeepTheirOwnFigures() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let header = "unit_id,field,survey_date,technologies_found,technologies_proposed\n"
        writeFile(dir + "/x/a_b/in/returns/r.csv", header + "U1,biotech,2015-01-02,7,1\n")
        writeFile(dir + "/x/a/b/in/returns/r.csv", header + "U1,energy,2015-01-02,3,1\nU2,energy,2015-01-03,2,1\n")
        for (folder, found) in [("a_b", "7"), ("a/b", "5"), ("a_b", "7")] {
            let run = try Self.make(["report", "INPUT=\(dir)/x/\(folder)/in", "OUTPUT=\(dir)/out-\(folder.count)"], in: dir)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try readCSV(dir + "/out-\(folder.count)/tables/by_field.csv").last?[3] == found, "INPUT=x/\(folder)/in")
        }
        let stages = try FileManager.default.contentsOfDirectory(atPath: dir + "/stage").filter { !$0.hasPrefix(".") }
        #expect(stages.count == 2)
        for stage in stages {
            let recorded = readText(dir + "/stage/\(stage)/input-folder")
            #expect(recorded.hasSuffix("/x/a_b/in\n") || recorded.hasSuffix("/x/a/b/in\n"), "\(recorded)")
        }
    }

    // MARK: issue 10 class 4 and acceptance 4: names as analysts write them

    /// `Dữ liệu 2015 (bản cuối)` holding `Phiếu khảo sát 2015.csv`: the bundled returns in one file.
    static func analystFolder(_ dir: String, name: String = "Dữ liệu 2015 (bản cuối)") throws -> String {
        let folder = dir + "/" + name
        var text = ""
        // The bundled 2015 returns are a workbook; the CSV it was made from is a fixture.
        for path in ["/returns/returns-2013.csv", "/returns/returns-2014.csv"].map({ TestPaths.bundledInput + $0 }) + [TestPaths.fixtures + "/bundled/returns-2015.csv"] {
            let lines = readText(path).split(separator: "\n").map(String.init)
            if text.isEmpty { text = lines[0] + "\n" }
            for line in lines.dropFirst() { text += line + "\n" }
        }
        writeFile(folder + "/returns/Phiếu khảo sát 2015.csv", text)
        try FileManager.default.createDirectory(atPath: folder + "/activities", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestPaths.bundledInput + "/activities/activities.csv", toPath: folder + "/activities/Hoạt động.csv")
        return folder
    }

    @Test(arguments: ["Dữ liệu 2015 (bản cuối)", "it's \"final\" $HOME; $(id) `id` a:b"])
    func everyTargetWorksWithNamesAsAnalystsWriteThem(name: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.analystFolder(dir, name: name)
        let out = dir + "/Báo cáo (quý) 'x' \"y\" $z; w:v"
        let report = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(out)"], in: dir)
        try #require(report.status == 0, "\(report.stderr)")
        let byField = try readCSV(out + "/tables/by_field.csv")
        #expect(byField.map { [$0[0], $0[1], $0[3], $0[4]] } == [
            ["field", "unit_visits", "technologies_found", "technologies_proposed"],
            ["biotech", "19", "94", "50"], ["environment", "11", "25", "23"], ["energy", "9", "20", "11"],
            ["automation", "15", "30", "10"], ["materials", "12", "40", "32"], ["total", "66", "209", "126"],
        ])
        let trace = try Self.make(["trace", "INPUT=\(input)", "TABLE=by_field", "ROW=biotech", "MEASURE=technologies_found"], in: dir)
        #expect(trace.status == 0, "\(trace.stderr)")
        #expect(trace.stdout.hasSuffix("sum\t94\n"), "\(trace.stdout)")
        #expect(trace.stdout.contains("returns/Phiếu khảo sát 2015.csv:"))
        let quarterly = try Self.make(["quarterly", "QUARTER=2015-Q2", "INPUT=\(input)", "OUTPUT=\(out)"], in: dir)
        #expect(quarterly.status == 0, "\(quarterly.stderr)")
        #expect(readText(out + "/2015-Q2/news.md").contains("so với quý trước"))
        let csv = try Self.make(["stage-csv", "INPUT=\(input)"], in: dir)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.split(separator: "\n").count == 67)
        // clean, in a copy of the package (it removes build/ and .build/): only the published files go.
        writeFile(out + "/ghi chú.txt", "analyst's notes\n")
        let package = dir + "/package"
        for item in ["Makefile", "scripts"] {
            try FileManager.default.createDirectory(atPath: package, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: TestPaths.packageRoot + "/" + item, toPath: package + "/" + item)
        }
        let clean = try Self.make(["-C", package, "clean", "OUTPUT=\(out)"], in: dir)
        #expect(clean.status == 0, "\(clean.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasPrefix(".") }.sorted()
        #expect(left == ["2015-Q2", "ghi chú.txt"], "\(left)")
    }

    @Test func aFileNameThatIsNotTextGetsOneClearLine() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        // A Latin-1 name from an old zip: "Phi\xe9u.csv".
        let bad = (Array((input + "/returns/Phi").utf8) + [0xE9] + Array("u.csv".utf8) + [0]).map { CChar(bitPattern: $0) }
        let moved = rename(input + "/returns/returns-2014.csv", bad)
        try #require(moved == 0)
        let run = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir)
        #expect(run.status != 0)
        let lines = run.stderr.split(separator: "\n").filter { !$0.hasPrefix("make") }
        #expect(lines.count == 1 && lines[0].contains("is not UTF-8 text") && lines[0].contains("rename it"), "\(run.stderr)")

        // The same for the input folder itself; make gets the name's bytes through the environment.
        let folder = (Array((dir + "/caf").utf8) + [0xE9, 0]).map { CChar(bitPattern: $0) }
        try #require(rename(dir + "/input", folder) == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "INPUT=\"$(printf '%s/caf\\351' \"$0\")\" exec make --no-print-directory -C \"$1\" CONFIG=debug BIN=\"$2\" STAGE_ROOT=\"$0/stage\" CACHE=\"$0/cache\" OUTPUT=\"$0/out\" report",
                             dir, TestPaths.packageRoot, TestPaths.binaries]
        process.environment = ["PATH": "/usr/bin:/bin"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let folderLines = message.split(separator: "\n").filter { !$0.hasPrefix("make") }
        #expect(process.terminationStatus != 0)
        #expect(folderLines.count == 1 && folderLines[0].contains("INPUT=") && folderLines[0].contains("is not UTF-8 text"), "\(message)")
    }

    // MARK: issue 11 class 5: no make variable ever runs as shell code

    @Test func noVariableReachesAShellAsCode() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let pwned = dir + "/pwned"
        let payloads = [";touch \(pwned);", "$(touch \(pwned))`touch \(pwned)`$(shell touch \(pwned))'\";touch \(pwned);#"]
        let variables = ["INPUT", "OUTPUT", "PERIOD", "QUARTER", "LANG_OUT", "ENCODING", "DELIMITER", "STRICT", "TABLE", "ROW", "MEASURE", "STAGE_ROOT", "SOMETHING_ELSE"]
        for payload in payloads {
            for variable in variables {
                let value = ["INPUT", "OUTPUT", "STAGE_ROOT"].contains(variable) ? dir + "/x" + payload : payload
                var base = ["INPUT=\(input)", "OUTPUT=\(dir)/out"]
                base.removeAll { $0.hasPrefix(variable + "=") }
                for (target, dry) in [("report", ["-n"]), ("quarterly", ["-n"]), ("trace", ["-n"]), ("stage-csv", ["-n"]), ("report", []), ("trace", [])] {
                    do {
                        _ = try Self.make(dry + [target, "\(variable)=\(value)"] + base, in: dir)
                        #expect(!FileManager.default.fileExists(atPath: pwned), "make \(dry) \(target) \(variable)=\(value) ran it")
                        unlink(pwned)
                    }
                }
                // The environment too, as cron or a wrapper script would pass it.
                _ = try Self.make(["report"] + base, in: dir, environment: [variable: value])
                #expect(!FileManager.default.fileExists(atPath: pwned), "\(variable)=\(value) in the environment ran it")
                unlink(pwned)
            }
        }
        // A district named like a command is traced as the label it is.
        writeFile(input + "/returns/returns-2016.csv", "unit_id,field,survey_date,technologies_found,technologies_proposed,district\nU9,biotech,2016-01-02,4,1,`touch \(pwned)`\n")
        let trace = try Self.make(["trace", "INPUT=\(input)", "TABLE=by_district", "ROW=`touch \(pwned)`", "MEASURE=technologies_found"], in: dir)
        #expect(trace.status == 0, "\(trace.stderr)")
        #expect(trace.stdout.hasSuffix("sum\t4\n"), "\(trace.stdout)")
        #expect(!FileManager.default.fileExists(atPath: pwned))
    }

    /// The bench settings are data too, in make's expansion and in bench/run.py, which checks them all
    /// before it generates or writes anything: a size that is not one stops a real run at once, so this
    /// never benchmarks.
    @Test func noBenchVariableReachesAShellAsCode() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let pwned = dir + "/pwned"
        let payloads = [";touch \(pwned);", "$(touch \(pwned))`touch \(pwned)`$(shell touch \(pwned))'\";touch \(pwned);#"]
        for payload in payloads {
            for variable in ["BENCH_SIZES", "BENCH_SHAPES", "BENCH_DATA", "BENCH_OUT"] {
                let value = ["BENCH_DATA", "BENCH_OUT"].contains(variable) ? dir + "/x" + payload : payload
                let stop = variable == "BENCH_SIZES" ? [] : ["BENCH_SIZES=0"]
                for (target, dry) in [("bench", ["-n"]), ("bench-peers", ["-n"]), ("bench", [])] {
                    let run = try Self.make(dry + [target, "\(variable)=\(value)"] + stop, in: dir)
                    #expect(!FileManager.default.fileExists(atPath: pwned), "make \(dry) \(target) \(variable)=\(value) ran it")
                    if dry.isEmpty {
                        #expect(run.status != 0 && run.stderr.hasPrefix("bench: BENCH_"), "\(run.stderr)")
                    }
                    unlink(pwned)
                }
                let run = try Self.make(["bench"] + stop, in: dir, environment: [variable: value])
                #expect(!FileManager.default.fileExists(atPath: pwned), "\(variable)=\(value) in the environment ran it")
                #expect(run.status != 0 && run.stderr.hasPrefix("bench: BENCH_"), "\(run.stderr)")
                unlink(pwned)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/x"), "a bench run wrote before checking its settings")
    }

    // MARK: issue 11 class 8: usage errors name the variable

    @Test(arguments: [
        (["report", "PERIOD=0000"], "PERIOD='0000'"), (["report", "PERIOD=1000..9999"], "PERIOD='1000..9999'"),
        (["quarterly", "QUARTER=0000-Q1"], "QUARTER='0000-Q1'"), (["quarterly", "QUARTER=2015-Q9"], "QUARTER='2015-Q9'"),
        (["report", "LANG_OUT=fr"], "LANG_OUT='fr'"), (["report", "STRICT=maybe"], "STRICT='maybe'"),
    ])
    func aBadVariableIsAUsageErrorNamingIt(arguments: [String], named: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let run = try Self.make(arguments + ["INPUT=\(input)", "OUTPUT=\(dir)/out"], in: dir)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].contains(named) && lines[1].hasSuffix("Error 64"), "\(run.stderr)")
        #expect(!run.stderr.contains("make clean"))
        #expect(!run.stderr.contains("PERIOD") || !named.hasPrefix("QUARTER"), "QUARTER blamed on PERIOD: \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/report.md"))
    }

    @Test func strictZeroOrNoLeavesStrictModeOff() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        writeFile(input + "/returns/returns-2016.csv", "unit_id,field,survey_date,technologies_found,technologies_proposed\nU1,biotech,2016-01-01,3,9\n")
        for value in ["0", "no", "", "off"] {
            let run = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out", "STRICT=\(value)"], in: dir)
            #expect(run.status == 0, "STRICT=\(value): \(run.stderr)")
        }
        let strict = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out", "STRICT=1"], in: dir)
        #expect(strict.status != 0 && strict.stderr.contains("rejected"), "\(strict.stderr)")
    }

    @Test func anOutputThatIsAFileGetsOneLine() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        writeFile(dir + "/report.md", "not a folder\n")
        for (target, output) in [("report", dir + "/report.md"), ("report", dir + "/report.md/sub"), ("quarterly", dir + "/report.md")] {
            let run = try Self.make([target, "INPUT=\(input)", "OUTPUT=\(output)", "QUARTER=2015-Q2"], in: dir)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 2 && lines[0].contains("\(dir)/report.md is a file, not a folder") && lines[1].hasSuffix("Error 73"), "\(run.stderr)")
        }
        #expect(readText(dir + "/report.md") == "not a folder\n")
    }

    @Test func anOutputInsideTheInputsReturnsIsRefusedBeforeAnythingIsWritten() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let before = try FileManager.default.contentsOfDirectory(atPath: input + "/returns").sorted()
        for output in [input + "/returns", input + "/returns/báo cáo", input + "/activities/x/y"] {
            let run = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(output)"], in: dir)
            #expect(run.status != 0 && run.stderr.contains("is inside INPUT's returns/ or activities/"), "\(run.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: input + "/returns").sorted() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: input + "/activities") == ["activities.csv"])
    }

    /// The content cache's entries, or the stage files, inside returns/ would be read as input files (and
    /// change the input's fingerprint on every run): refused like OUTPUT, naming the variable, before
    /// anything is created.
    @Test(arguments: ["CACHE", "STAGE_ROOT"])
    func aCacheOrStageRootInsideTheInputsReturnsIsRefusedBeforeAnythingIsWritten(_ variable: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let input = try Self.copyOfInput(dir)
        let before = try FileManager.default.contentsOfDirectory(atPath: input + "/returns").sorted()
        for folder in [input + "/returns", input + "/returns/bộ nhớ đệm", input + "/activities/x"] {
            let own = Self.ownFolders(dir).filter { !$0.hasPrefix(variable + "=") }
            let run = try Self.make(["report", "INPUT=\(input)", "OUTPUT=\(dir)/out", "\(variable)=\(folder)"] + own)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 2 && lines[0].contains("\(variable)='") && lines[0].contains("is inside INPUT's returns/ or activities/")
                    && lines[1].hasSuffix("Error 64"), "\(run.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: input + "/returns").sorted() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: input + "/activities") == ["activities.csv"])
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/report.md"))
    }
}

/// Runs a system command (cp, mount) and waits for it.
func runCommand(_ path: String, _ arguments: [String]) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}
