// Publishing a report as one step (SPEC §4): the journal, rolling an interrupted publication forward,
// removing only what the report published, and SIGKILL at random instants of a real run on a 50 MB input —
// each time the output folder holds the previous report or the new one, byte for byte, never a mix.

import Foundation
import Testing
@testable import TechSurvey

@Suite(.serialized) struct OutputPublisherTests {
    typealias Journal = OutputPublisher.Journal

    @Test func theJournalReadsBackAndACutOrForeignOneIsRefused() throws {
        let journal = Journal(staging: ".staging-42", moves: ["tables/by_field.csv", "report.md"], removals: ["tables/comparison.csv"])
        #expect(Journal(parsing: journal.text) == journal)
        let text = journal.text
        for broken in [String(text.dropLast(5)), text.replacingOccurrences(of: "move report.md", with: "move ../report.md"),
                       text.replacingOccurrences(of: "staging .staging-42", with: "staging /etc"),
                       text.replacingOccurrences(of: "remove tables", with: "remove /tables"), ""] {
            #expect(Journal(parsing: broken) == nil, "accepted: \(broken)")
        }
    }

    /// A folder holding report "old", with a publication of report "new" interrupted after `moved` moves.
    func interruptedPublication(_ dir: String, moved: Int) throws -> [String] {
        let names = ["tables/a.csv", "tables/b.csv", "charts/c.svg", "report.md", "manifest.json"]
        for name in names + ["tables/stale.csv"] { writeFile(dir + "/" + name, "old " + name) }
        writeFile(dir + "/quarterly.log", "the cron log")
        for name in names { writeFile(dir + "/.staging-7/" + name, "new " + name) }
        let journal = Journal(staging: ".staging-7", moves: names, removals: ["tables/stale.csv"])
        writeFile(dir + "/.publishing", journal.text)
        for name in names.prefix(moved) { rename(dir + "/.staging-7/" + name, dir + "/" + name) }
        return names
    }

    @Test(arguments: [0, 2, 5])
    func anInterruptedPublicationIsRolledForward(moved: Int) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let names = try interruptedPublication(dir, moved: moved)
        writeFile(dir + "/.staging-99/report.md", "a run that died before publishing")
        try OutputPublisher.finishInterrupted(dir)
        var expected = Dictionary(uniqueKeysWithValues: names.map { ($0, Data("new \($0)".utf8)) })
        expected["quarterly.log"] = Data("the cron log".utf8)
        let after = publishedSnapshot(dir)
        #expect(after == expected, "\(snapshotDifference(after, expected))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func aDamagedJournalStopsWithOneLineAndTouchesNothing() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        _ = try interruptedPublication(dir, moved: 2)
        writeFile(dir + "/.publishing", "techsurvey publishing journal 1\nstaging .staging-7\nmove report.md\n")
        let before = publishedSnapshot(dir)
        #expect(throws: TechSurveyError.self) { try OutputPublisher.finishInterrupted(dir) }
        do { try OutputPublisher.finishInterrupted(dir) } catch let error as TechSurveyError {
            #expect(error.message.contains("not a complete publishing journal") && !error.message.contains("\n"))
        }
        #expect(publishedSnapshot(dir) == before)
    }

    @Test func unpublishingRemovesOnlyWhatTheManifestLists() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let out = dir + "/out"
        try #require(try runPipeline(input: TestPaths.bundledInput, output: out, stage: dir + "/stage").status == 0)
        writeFile(out + "/notes.txt", "mine")
        writeFile(out + "/tables/my-own.csv", "mine too")
        writeFile(out + "/2015-Q2/report.md", "a quarterly report")
        let published = OutputPublisher.publishedNames(out)
        #expect(published.isSuperset(of: ["report.md", "manifest.json", "tables/by_field.csv", "charts/by_field.svg"]))
        let removed = try OutputPublisher.unpublish(out)
        #expect(removed == published.count)
        #expect(Set(publishedSnapshot(out).keys) == ["notes.txt", "tables/my-own.csv", "2015-Q2/report.md"])
        #expect(!FileManager.default.fileExists(atPath: out + "/charts"))
    }

    // MARK: SIGKILL at random instants of a real run

    /// About 50 MB of seeded returns (awk's generator with a fixed seed: the same file on every run).
    static func generateReturns(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let program = """
            BEGIN {
              srand(20151231)
              split("Công nghệ sinh học,environment,CN năng lượng mới,Tự động hóa,materials", f, ",")
              split("Hồng Bàng,Ngô Quyền,Lê Chân,Hải An,Kiến An,Đồ Sơn", d, ",")
              note = "Ghi chú của đoàn khảo sát: đơn vị có nhu cầu chuyển giao, đã gửi hồ sơ, chờ thẩm định"
              print "return_id,unit_id,unit_name,unit_type,district,field,survey_date,technologies_found,technologies_proposed,submitted_at,ghi_chu"
              for (i = 1; i <= n; i++) {
                u = int(rand() * 40000); found = int(rand() * 9); proposed = int(rand() * (found + 1))
                printf "R%d,U%05d,\\"Công ty TNHH Đơn vị %05d, chi nhánh %s\\",Doanh nghiệp,%s,%s,%02d/%02d/%d,%d,%d,%d-%02d-%02d 0%d:%02d,\\"%s %d\\"\\n", \\
                  i, u, u, d[1 + int(rand() * 6)], d[1 + int(rand() * 6)], f[1 + int(rand() * 5)], 1 + int(rand() * 28), \\
                  1 + int(rand() * 12), 2013 + int(rand() * 3), found, proposed, 2016, 1 + int(rand() * 12), 1 + int(rand() * 28), \\
                  int(rand() * 10), int(rand() * 60), note, i
              }
            }
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/awk")
        process.arguments = ["-v", "n=185000", program]
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { throw TechSurveyError(.cannotCreate, "cannot create \(path)") }
        process.standardOutput = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        try #require(process.terminationStatus == 0)
    }

    /// `make report` in a session of its own, so that one SIGKILL to the group kills make and every stage.
    static func startReport(_ arguments: [String], pidFile: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["-w", "/bin/sh", "-c", "echo $$ > \"$0\"; exec make \"$@\"", pidFile, "--no-print-directory", "-C", TestPaths.packageRoot,
                             "CONFIG=debug", "BIN=\(TestPaths.binaries)", "report"] + arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "SOURCE_DATE_EPOCH": "1700000000"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func runReport(_ arguments: [String], pidFile: String) throws -> (status: Int32, seconds: Double) {
        let start = Date()
        let process = try startReport(arguments, pidFile: pidFile)
        process.waitUntilExit()
        return (process.terminationStatus, Date().timeIntervalSince(start))
    }

    @Test(.timeLimit(.minutes(4)))
    func sigkillAtRandomInstantsLeavesThePreviousOrTheNewReport() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let started = Date()
        try Self.generateReturns(dir + "/in/returns/returns.csv")
        try FileManager.default.createDirectory(atPath: dir + "/in/activities", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestPaths.bundledInput + "/activities/activities.csv", toPath: dir + "/in/activities/activities.csv")
        let size = try FileManager.default.attributesOfItem(atPath: dir + "/in/returns/returns.csv")[.size] as? Int ?? 0
        try #require(size > 45_000_000, "generated \(size) bytes")

        let out = dir + "/out", pidFile = dir + "/pid", returns = dir + "/in/returns/returns.csv"
        let common = ["INPUT=\(dir)/in", "OUTPUT=\(out)"] + MakefileTests.ownFolders(dir)
        let whole = try Self.runReport(common + ["LANG_OUT=vi"], pidFile: pidFile)
        try #require(whole.status == 0)
        var complete = ["vi": publishedSnapshot(out)]
        let english = try Self.runReport(common + ["LANG_OUT=en"], pidFile: pidFile)
        try #require(english.status == 0)
        complete["en"] = publishedSnapshot(out)
        try #require(complete["vi"] != complete["en"] && (complete["vi"]?.count ?? 0) >= 14)

        let setUp = Date().timeIntervalSince(started)
        var rng = SeededGenerator(state: 42)
        var outcomes: [String: Int] = [:]
        var current = "en"
        for round in 0..<30 {
            let target = current == "en" ? "vi" : "en"
            // One run in the 30 reads the 50 MB again (its change time moved, as a copy's would), so kills also
            // land in ingest and aggregate; the others re-run the report stage, publishing included. Each
            // instant is drawn across the measured length of such a run, with room for a slower moment.
            let reread = round == 15
            if reread { try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: returns) }
            let length = (reread ? whole.seconds : english.seconds) * 1.3
            let process = try Self.startReport(common + ["LANG_OUT=\(target)"], pidFile: pidFile)
            usleep(UInt32(Double.random(in: 0...length, using: &rng) * 1_000_000))
            let group = Int32(readText(pidFile).trimmingCharacters(in: .whitespacesAndNewlines)) ?? process.processIdentifier
            kill(-group, SIGKILL)
            process.waitUntilExit()
            // A killed process lets go of its locks only once it has exited: wait for the whole group.
            waitUntilGone(group: group)

            // What a reader sees now: the previous report, the new one, or — only while a journal says how
            // to finish it — a publication the next run completes before anything else.
            let seen = publishedSnapshot(out)
            let journal = FileManager.default.fileExists(atPath: out + "/.publishing")
            let state = seen == complete[current] ? "previous" : seen == complete[target] ? "new" : journal ? "journaled" : "mix"
            outcomes[state, default: 0] += 1
            #expect(state != "mix", "round \(round): neither report: \(snapshotDifference(seen, complete[current] ?? [:]))")
            if state == "journaled" {
                let recovered = try runTool("techsurvey-report", ["--recover", "--output", out])
                #expect(recovered.status == 0 && publishedSnapshot(out) == complete[target], "round \(round): \(recovered.stderr)")
            }
            let next = try Self.runReport(common + ["LANG_OUT=\(target)"], pidFile: pidFile)
            #expect(next.status == 0, "round \(round): the run after the kill failed")
            let after = publishedSnapshot(out)
            #expect(after == complete[target], "round \(round): \(snapshotDifference(after, complete[target] ?? [:]))")
            current = target
        }
        print("kill test: 30 SIGKILLs on \(size) bytes, runs of \(String(format: "%.2f", whole.seconds)) s (whole pipeline) and \(String(format: "%.2f", english.seconds)) s (report stage): \(outcomes.sorted { $0.key < $1.key }); set-up \(Int(setUp)) s, kills \(Int(Date().timeIntervalSince(started) - setUp)) s")
    }
}
