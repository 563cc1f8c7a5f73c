// Publishes a set of output files as one: everything is written into a staging folder first, and only
// when all of it is written are the files moved into place, with a journal so that a run killed during
// the moves is completed by the next run. A run killed while writing leaves the previous output as it was.

import Foundation

/// Collects files in `<directory>/.staging-<pid>/` and moves them into `directory` on `publish()`.
public struct OutputPublisher {
    public let directory: String
    private let staging: String
    private var names: [String] = []

    private static let journalName = ".publishing"

    /// Prepares the staging folder, first finishing any publication a killed run left half done.
    public init(directory: String) throws {
        self.directory = directory
        try AtomicFile.makeDirectory(directory)
        try Self.recover(directory)
        staging = directory + "/.staging-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        try AtomicFile.makeDirectory(staging)
    }

    /// Writes `text` to the staged file `name` (a path relative to the output folder).
    public mutating func write(_ text: String, to name: String) throws {
        try write(Array(text.utf8), to: name)
    }

    /// Writes `bytes` to the staged file `name`.
    public mutating func write(_ bytes: [UInt8], to name: String) throws {
        try AtomicFile.write(bytes, to: staging + "/" + name)
        names.append(name)
    }

    /// Copies the file at `path` to the staged file `name`.
    public mutating func copy(_ path: String, to name: String) throws {
        let target = staging + "/" + name
        try AtomicFile.makeDirectory((target as NSString).deletingLastPathComponent)
        try AtomicFile.copyFile(path, to: target)
        names.append(name)
    }

    /// Lets `produce` write the staged file `name` itself, at the path it is given (libxlsxwriter writes
    /// only to a named file), then flushes it to disk like the others.
    public mutating func produce(_ name: String, _ produce: (String) throws -> Void) throws {
        let target = staging + "/" + name
        try AtomicFile.makeDirectory((target as NSString).deletingLastPathComponent)
        try produce(target)
        let descriptor = open(target, O_RDONLY)
        let synced = descriptor >= 0 && fsync(descriptor) == 0
        if descriptor >= 0 { close(descriptor) }
        guard synced else {
            throw TechSurveyError(.ioError, "cannot write \(target) (\(String(cString: strerror(errno)))); is the disk full?")
        }
        names.append(name)
    }

    /// Where the staged file `name` is, for a tool that reads it (rsvg-convert reads the staged SVG).
    public func stagedPath(_ name: String) -> String { staging + "/" + name }

    /// A scratch path inside the staging folder for intermediate files that are never published (pandoc's
    /// input); removed with the staging folder, whether the run publishes or fails.
    public func scratchPath(_ name: String) throws -> String {
        try AtomicFile.makeDirectory(staging + "/.scratch")
        return staging + "/.scratch/" + name
    }

    /// The staged names so far, in order.
    public var stagedNames: [String] { names }

    /// Moves every staged file into place. The journal names the staging folder and its files, so an
    /// interrupted move is rolled forward by the next run.
    public func publish() throws {
        let journal = directory + "/" + Self.journalName
        try AtomicFile.write(([staging] + names).joined(separator: "\n") + "\n", to: journal)
        try Self.moveStaged(staging: staging, names: names, into: directory)
        unlink(journal)
        try? FileManager.default.removeItem(atPath: staging)
    }

    /// Drops the staging folder without publishing (on failure).
    public func discard() {
        try? FileManager.default.removeItem(atPath: staging)
    }

    private static func moveStaged(staging: String, names: [String], into directory: String) throws {
        for name in names {
            let from = staging + "/" + name, to = directory + "/" + name
            guard FileManager.default.fileExists(atPath: from) else { continue }
            try AtomicFile.makeDirectory((to as NSString).deletingLastPathComponent)
            guard rename(from, to) == 0 else {
                throw TechSurveyError(.ioError, "cannot move \(from) to \(to) (\(String(cString: strerror(errno)))); run again to finish publishing")
            }
        }
    }

    /// Finishes a journaled publication and removes staging folders of runs that died before publishing.
    static func recover(_ directory: String) throws {
        let journal = directory + "/" + journalName
        if let text = try? String(contentsOfFile: journal, encoding: .utf8) {
            let lines = text.split(separator: "\n").map(String.init)
            if let staging = lines.first {
                try moveStaged(staging: staging, names: Array(lines.dropFirst()), into: directory)
            }
            unlink(journal)
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for entry in entries where entry.hasPrefix(".staging-") {
            try? FileManager.default.removeItem(atPath: directory + "/" + entry)
        }
    }
}
