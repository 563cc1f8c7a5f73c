// A workbook's cells kept in the content cache: the second read of an unchanged workbook comes from the
// entry (an entry rewritten with other cells shows them), and a damaged entry is ignored, so the reader
// runs again and the true cells come out — a stream cut short under a trailer that checks out too; the key
// follows the openpyxl that the Python used imports.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct WorkbookCellCacheTests {
    /// Every event of a read, as text, and the facts.
    static func events(_ path: String, cache: ContentCache?) throws -> ([String], XlsxFacts) {
        var events: [String] = []
        let facts = try readXlsx(path: path, displayName: "cells.xlsx", cache: cache) { event in
            switch event {
            case .sheet(let s): events.append("sheet \(s.name) \(s.state) \(s.isChart)")
            case .row(let n, let cells): events.append("row \(n) " + cells.map { "\($0.column):\($0.kind):\($0.text)" }.joined(separator: "|"))
            }
        }
        return (events, facts)
    }

    static func entry(_ cache: ContentCache) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.folder).filter { $0.hasSuffix("." + ContentCache.workbookCells) }
        try #require(names.count == 1, "one entry: \(names)")
        return String(names[0].dropLast(ContentCache.workbookCells.count + 1))
    }

    @Test func anUnchangedWorkbookIsReadFromItsEntry() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let cache = ContentCache(folder: dir + "/cache")
        let path = XlsxReaderTests.folder + "/cells.xlsx"
        let (direct, facts) = try Self.events(path, cache: nil)
        let (first, firstFacts) = try Self.events(path, cache: cache)
        #expect(first == direct && firstFacts == facts, "the reader's own cells, with the entry written on the way")
        let key = try Self.entry(cache)
        let stored = try #require(cache.entry(key, kind: ContentCache.workbookCells))
        // The same entry with one cell's text changed and a trailer to match: what comes out proves its source.
        let edited = String(decoding: stored, as: UTF8.self).replacingOccurrences(of: "top-left", with: "from the cache")
        try #require(edited != String(decoding: stored, as: UTF8.self))
        cache.store(Array(edited.utf8), key: key, kind: ContentCache.workbookCells)
        let (second, secondFacts) = try Self.events(path, cache: cache)
        #expect(second == direct.map { $0.replacingOccurrences(of: "top-left", with: "from the cache") })
        #expect(secondFacts == facts)
    }

    @Test func aDamagedEntryIsIgnoredAndTheReaderRuns() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let cache = ContentCache(folder: dir + "/cache")
        let path = XlsxReaderTests.folder + "/cells.xlsx"
        let (direct, _) = try Self.events(path, cache: cache)
        let file = cache.folder + "/" + (try Self.entry(cache)) + "." + ContentCache.workbookCells
        let text = readText(file)
        writeFile(file, text.replacingOccurrences(of: "top-left", with: "tampered!"))
        let (again, _) = try Self.events(path, cache: cache)
        #expect(again == direct)
        #expect(!readText(file).contains("tampered!"), "the entry is written again from the reader")
    }

    @Test func aChangedWorkbookDoesNotMeetTheOldEntry() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let cache = ContentCache(folder: dir + "/cache")
        let copy = dir + "/book.xlsx"
        try FileManager.default.copyItem(atPath: XlsxReaderTests.folder + "/cells.xlsx", toPath: copy)
        _ = try Self.events(copy, cache: cache)
        try FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: XlsxReaderTests.folder + "/acceptance.xlsx", toPath: copy)
        let (direct, _) = try Self.events(XlsxReaderTests.folder + "/acceptance.xlsx", cache: nil)
        let (cached, _) = try Self.events(copy, cache: cache)
        #expect(cached == direct)
    }

    /// An entry whose trailer checks out but whose stream stops before its end line (cut, then stored with
    /// a matching trailer): before, the run stopped ("the cached cells … end early; remove the cache folder");
    /// it is a miss, the reader runs, and its stream replaces the entry.
    @Test func aWholeLookingEntryWithACutStreamIsAMissAndIsReplaced() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let cache = ContentCache(folder: dir + "/cache")
        let path = XlsxReaderTests.folder + "/cells.xlsx"
        let (direct, facts) = try Self.events(path, cache: cache)
        let key = try Self.entry(cache)
        let stored = try #require(cache.entry(key, kind: ContentCache.workbookCells))
        let lines = String(decoding: stored, as: UTF8.self).split(separator: "\n")
        try #require(lines.count > 2 && lines.last?.contains("\"end\"") == true)
        for cut in [lines.dropLast(), lines.dropLast(2), ["{\"error\":\"corrupt\",\"message\":\"x\"}"] + lines, lines.dropLast() + ["not json"] + lines.suffix(1)] {
            cache.store(Array((cut.joined(separator: "\n") + "\n").utf8), key: key, kind: ContentCache.workbookCells)
            #expect(cache.workbookStream(key) == nil, "\(cut.count) lines: not a whole stream")
            let (again, againFacts) = try Self.events(path, cache: cache)
            #expect(again == direct && againFacts == facts)
            #expect(cache.workbookStream(key) == stored, "the reader's stream is in the entry again")
        }
    }

    /// A Python other than /usr/bin/python3 (TECHSURVEY_PYTHON, a virtual environment): before, its key held
    /// no openpyxl version at all, so upgrading the openpyxl it imports kept replaying the old reading.
    @Test func theKeyFollowsTheOpenpyxlThePythonImports() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let system = try #require(PythonIdentity(python: "/usr/bin/python3"), "Debian's python3 with python3-openpyxl")
        let venv = dir + "/venv"
        let version = URL(fileURLWithPath: "/usr/bin/python3").resolvingSymlinksInPath().lastPathComponent
        let site = venv + "/lib/" + version + "/site-packages/openpyxl"
        try FileManager.default.createDirectory(atPath: venv + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: venv + "/bin/python", withDestinationPath: "/usr/bin/python3")
        writeFile(venv + "/pyvenv.cfg", "home = /usr/bin\ninclude-system-site-packages = true\n")
        let seesDebians = try #require(PythonIdentity(python: venv + "/bin/python"))
        #expect(seesDebians.bytes.suffix(200) == system.bytes.suffix(200), "no openpyxl of its own: Debian's, whose version is keyed")
        writeFile(site + "/__init__.py", "")
        writeFile(site + "/_constants.py", "__version__ = \"9.9.9\"\n")
        let own = try #require(PythonIdentity(python: venv + "/bin/python"))
        writeFile(site + "/_constants.py", "__version__ = \"9.9.10\"\n")
        let upgraded = try #require(PythonIdentity(python: venv + "/bin/python"))
        #expect(own.bytes != seesDebians.bytes && upgraded.bytes != own.bytes, "its own openpyxl, and each version of it, keys apart")
        let reader = WorkbookReaderProgram(python: venv + "/bin/python", script: TestPaths.packageRoot + "/tools/xlsx_cells.py")
        let sha = String(repeating: "a", count: 64)
        let before = ContentCache.workbookCellsKey(sha256: sha, reader: reader)
        writeFile(site + "/_constants.py", "__version__ = \"10.0\"\n")
        #expect(before != nil && ContentCache.workbookCellsKey(sha256: sha, reader: reader) != before)
        // A Python whose openpyxl cannot be found where it looks: no key, so nothing is cached for it.
        writeFile(venv + "/pyvenv.cfg", "home = /usr/bin\ninclude-system-site-packages = false\n")
        try FileManager.default.removeItem(atPath: site)
        #expect(PythonIdentity(python: venv + "/bin/python") == nil)
        #expect(ContentCache.workbookCellsKey(sha256: sha, reader: reader) == nil)
        writeFile(dir + "/wrapper", "#!/bin/sh\nexec /usr/bin/python3 \"$@\"\n")
        #expect(PythonIdentity(python: dir + "/wrapper") == nil, "a wrapper script names no Python")
    }
}
