// Atomic writes (SPEC §4) replace only regular files: a named pipe, a device or a symbolic link at the output
// path is refused (exit 73) and left as it was; as root, `--output /dev/full` once replaced the device node.
// AtomicFile.swift: a folder that cannot be made because a file stands in its way is named in one line
// (the report executable run alone with --output pointing at a file); many files sync at once.

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
}
