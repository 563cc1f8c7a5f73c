// A workbook's cells kept in the content cache: the second read of an unchanged workbook comes from the
// entry (an entry rewritten with other cells shows them), and a damaged entry is ignored, so the reader
// runs again and the true cells come out.

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
}
