// Publishes a set of output files as one: everything is written into a staging folder first; only when all
// of it is written and synced is a journal written (atomically, synced) naming every move and removal, and
// then the files are moved into place. A run killed before the journal exists leaves the previous report; a
// run killed after it is rolled forward by `finishInterrupted`, which every run calls before anything else
// (make's driver through `techsurvey-report --recover`, the report stage when it starts). So the output
// folder only ever holds the previous complete report or the new complete one.

import Foundation

/// Collects files in `<directory>/.staging-<pid>/` and moves them into `directory` on `publish()`.
struct OutputPublisher {
    let directory: String
    private let stagingName: String
    private var names: [String] = []

    private static let journalName = ".publishing"
    private static let journalHeader = "techsurvey publishing journal 1"
    private static let stagingPrefix = ".staging-"

    private var staging: String { directory + "/" + stagingName }

    /// Prepares the staging folder, first finishing any publication a killed run left half done.
    init(directory: String) throws {
        self.directory = directory
        try AtomicFile.makeDirectory(directory)
        try Self.finishInterrupted(directory)
        stagingName = Self.stagingPrefix + "\(getpid())"
        try? FileManager.default.removeItem(atPath: directory + "/" + stagingName)
        try AtomicFile.makeDirectory(directory + "/" + stagingName)
    }

    /// Writes `text` to the staged file `name` (a path relative to the output folder).
    mutating func write(_ text: String, to name: String) throws {
        try write(Array(text.utf8), to: name)
    }

    /// Writes `bytes` to the staged file `name`.
    mutating func write(_ bytes: [UInt8], to name: String) throws {
        try AtomicFile.write(bytes, to: staging + "/" + name, sync: false)
        names.append(name)
    }

    /// Lets `produce` write the staged file `name` itself, at the path it is given (libxlsxwriter writes
    /// only to a named file); it is synced to disk with the others.
    mutating func produce(_ name: String, _ produce: (String) throws -> Void) throws {
        let target = staging + "/" + name
        try AtomicFile.makeDirectory((target as NSString).deletingLastPathComponent)
        try produce(target)
        // Synced with every other staged file in publish(), which also fails if the file is not there.
        names.append(name)
    }

    /// Where the staged file `name` is, for a tool that reads it (rsvg-convert reads the staged SVG).
    func stagedPath(_ name: String) -> String { staging + "/" + name }

    /// A scratch path inside the staging folder for intermediate files that are never published (pandoc's
    /// input); removed with the staging folder, whether the run publishes or fails.
    func scratchPath(_ name: String) throws -> String {
        try AtomicFile.makeDirectory(staging + "/.scratch")
        return staging + "/.scratch/" + name
    }

    /// The staged names so far, in order.
    var stagedNames: [String] { names }

    /// Moves every staged file into place and removes `stale` (files of the previous report this one does
    /// not have), as one step: the journal is on disk before the first move, so an interrupted publication
    /// is finished by the next run.
    func publish(removing stale: [String] = []) throws {
        // Every staged file, and its name in its folder, is on disk before the journal can send it into place.
        let files = names.map { staging + "/" + $0 }
        try AtomicFile.syncAll(files + Set(files.map { ($0 as NSString).deletingLastPathComponent }).sorted())
        let journal = Journal(staging: stagingName, moves: names, removals: stale.filter { !names.contains($0) })
        try AtomicFile.write(journal.text, to: directory + "/" + Self.journalName)
        try AtomicFile.syncDirectory(directory)
        try Self.replay(journal, in: directory, dieAfter: Self.testMovesBeforeDying())
    }

    /// Lets a test kill a run in the middle of its moves, the moment a real kill could hit.
    private static func testMovesBeforeDying() -> Int? {
        ProcessInfo.processInfo.environment["TECHSURVEY_TEST_KILL_AFTER_MOVES"].flatMap { Int($0) }
    }

    /// Drops the staging folder without publishing (on failure).
    func discard() {
        try? FileManager.default.removeItem(atPath: staging)
    }

    /// Finishes a journaled publication a killed run left half done, and removes what runs that died before
    /// publishing left behind (staging folders, a journal that was never renamed into place).
    static func finishInterrupted(_ directory: String) throws {
        let path = directory + "/" + journalName
        if FileManager.default.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), let journal = Journal(parsing: text) else {
                throw TechSurveyError(.ioError, "\(path) is not a complete publishing journal, so the report in \(directory) may be half published; move that file away and run make report again")
            }
            try replay(journal, in: directory)
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for entry in entries where entry.hasPrefix(stagingPrefix) || entry.hasPrefix(journalName + AtomicFile.temporaryMarker) {
            try? FileManager.default.removeItem(atPath: directory + "/" + entry)
        }
    }

    /// Removes the files the report in `directory` published (those its manifest lists, and the manifest),
    /// leaving everything else — logs, quarterly folders, notes — as it is. Returns how many were removed.
    @discardableResult
    static func unpublish(_ directory: String) throws -> Int {
        try finishInterrupted(directory)
        let published = publishedNames(directory)
        var removed = 0
        for name in published.sorted(by: >) + ["manifest.json"] where unlink(directory + "/" + name) == 0 { removed += 1 }
        for folder in Set(published.compactMap { $0.split(separator: "/").dropLast().first.map(String.init) }) {
            rmdir(directory + "/" + folder)  // only when empty: an analyst's own file keeps its folder
        }
        return removed
    }

    /// The files the manifest in `directory` lists, when they are plain relative paths inside it.
    static func publishedNames(_ directory: String) -> Set<String> {
        guard let data = FileManager.default.contents(atPath: directory + "/manifest.json"),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else { return [] }
        return Set(manifest.outputs.filter(Journal.isPlainRelative))
    }

    /// Applies `journal`: every staged file still in the staging folder is moved into place, every stale
    /// file removed; then the folders are synced and the journal dropped. Safe to repeat after a kill.
    private static func replay(_ journal: Journal, in directory: String, dieAfter limit: Int? = nil) throws {
        let staging = directory + "/" + journal.staging
        var folders: Set<String> = [directory]
        for (done, name) in journal.moves.enumerated() {
            if done == limit { kill(getpid(), SIGKILL) }
            let from = staging + "/" + name, to = directory + "/" + name
            let folder = (to as NSString).deletingLastPathComponent
            folders.insert(folder)
            guard access(from, F_OK) == 0 else { continue }  // moved before the kill
            try AtomicFile.makeDirectory(folder)
            guard rename(from, to) == 0 else {
                throw TechSurveyError(.ioError, "cannot move \(from) to \(to) (\(String(cString: strerror(errno)))); free the folder and run make report again to finish publishing")
            }
        }
        for name in journal.removals { unlink(directory + "/" + name) }
        // The moves are on disk before the journal that would repeat them goes; should its removal be
        // lost instead, replaying it again moves nothing and removes nothing twice.
        try AtomicFile.syncAll(folders.sorted())
        unlink(directory + "/" + journalName)
        try? FileManager.default.removeItem(atPath: staging)
    }

    /// The journal's text: a header, the staging folder, one line per move and per removal, and an end
    /// line, so a journal cut short is never mistaken for a complete one.
    struct Journal: Equatable {
        var staging: String
        var moves: [String]
        var removals: [String]

        var text: String {
            ([OutputPublisher.journalHeader, "staging " + staging] + moves.map { "move " + $0 } + removals.map { "remove " + $0 } + ["end", ""])
                .joined(separator: "\n")
        }

        init(staging: String, moves: [String], removals: [String]) {
            self.staging = staging
            self.moves = moves
            self.removals = removals
        }

        init?(parsing text: String) {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard lines.first == OutputPublisher.journalHeader, lines.last == "", lines.dropLast().last == "end" else { return nil }
            lines = Array(lines.dropFirst().dropLast(2))
            guard let first = lines.first, first.hasPrefix("staging ") else { return nil }
            staging = String(first.dropFirst("staging ".count))
            guard staging.hasPrefix(OutputPublisher.stagingPrefix), !staging.contains("/") else { return nil }
            moves = []
            removals = []
            for line in lines.dropFirst() {
                if line.hasPrefix("move "), Self.isPlainRelative(String(line.dropFirst(5))) {
                    moves.append(String(line.dropFirst(5)))
                } else if line.hasPrefix("remove "), Self.isPlainRelative(String(line.dropFirst(7))) {
                    removals.append(String(line.dropFirst(7)))
                } else {
                    return nil
                }
            }
        }

        /// A path inside the output folder: relative, no `..`, `.` or empty component, no newline.
        static func isPlainRelative(_ name: String) -> Bool {
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            return !name.isEmpty && !name.contains("\n") && parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
        }
    }
}
