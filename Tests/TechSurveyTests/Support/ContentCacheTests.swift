// The content cache: an entry comes back exactly as stored, and one that was cut, edited, renamed to
// another key or kind, or never written by techsurvey is ignored, so the work is done again; an entry cut
// by another process once it was read is no crash.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct ContentCacheTests {
    static let bytes: [UInt8] = Array("line one\nline two\n".utf8) + [0, 0x0A, 0xFF, 0x0A]

    static func stored(_ dir: String) throws -> (ContentCache, String) {
        let cache = ContentCache(folder: dir + "/cache")
        let key = try #require(ContentCache.key([Array("test".utf8), bytes]))
        cache.store(bytes, key: key, kind: "test")
        return (cache, key)
    }

    @Test func anEntryComesBackAsStored() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let (cache, key) = try Self.stored(dir)
        #expect(cache.entry(key, kind: "test").map { [UInt8]($0) } == Self.bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.folder) == [key + ".test"], "no temporary file is left")
    }

    /// Each damage done to the entry file, and whether the entry must still be found.
    static let damages: [(String, @Sendable ([UInt8]) -> [UInt8])] = [
        ("a body byte changed", { var b = $0; b[3] ^= 1; return b }),
        ("cut inside the body", { Array($0.prefix(5)) + Array($0.suffix(from: bytes.count)) }),
        ("cut inside the trailer", { Array($0.dropLast(10)) }),
        ("no line end at all", { Array($0.dropLast()) }),
        ("the trailer alone", { Array($0.suffix(from: bytes.count + 1)) }),
        ("empty", { _ in [] }),
        ("someone else's file", { _ in Array("{\"cache\":\"other\"}\n".utf8) }),
    ]

    @Test(arguments: damages.indices) func aDamagedEntryIsIgnored(_ index: Int) throws {
        let (what, damage) = Self.damages[index]
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let (cache, key) = try Self.stored(dir)
        let path = cache.folder + "/" + key + ".test"
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        try Data(damage(original)).write(to: URL(fileURLWithPath: path))
        #expect(cache.entry(key, kind: "test") == nil, "\(what): the entry must not be used")
    }

    @Test func anEntryUnderAnotherKeyOrKindIsIgnored() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let (cache, key) = try Self.stored(dir)
        let other = try #require(ContentCache.key([Array("test".utf8), Array("other".utf8)]))
        let from = cache.folder + "/" + key + ".test"
        try FileManager.default.copyItem(atPath: from, toPath: cache.folder + "/" + other + ".test")
        try FileManager.default.copyItem(atPath: from, toPath: cache.folder + "/" + key + ".kind")
        #expect(cache.entry(other, kind: "test") == nil, "a copy under another key")
        #expect(cache.entry(key, kind: "kind") == nil, "a copy under another kind")
    }

    @Test func keysTellTheirPartsApart() {
        let ab = ContentCache.key([Array("ab".utf8), Array("c".utf8)])
        #expect(ab != nil && ab != ContentCache.key([Array("a".utf8), Array("bc".utf8)]), "parts are length-prefixed, not just joined")
        #expect(ContentCache.key([Array("a".utf8), []]) == nil, "a missing part (an empty digest) makes no key")
    }

    @Test func aFolderThatCannotBeWrittenOnlyMeansNoEntry() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/file", "in the way")
        let cache = ContentCache(folder: dir + "/file/cache")
        let key = try #require(ContentCache.key([Self.bytes]))
        cache.store(Self.bytes, key: key, kind: "test")
        #expect(cache.entry(key, kind: "test") == nil)
    }

    /// An entry cut short by another process after it was found: when entries were mapped, touching the
    /// bytes past the new end killed the run with SIGBUS. Read into memory, the entry stays as it was read.
    /// Run in a child process, so the crash it guards against fails this test instead of the whole suite.
    @Test func anEntryCutShortAfterItWasReadIsNoCrash() async {
        await #expect(processExitsWith: .success) {
            let dir = scratchFolder("anEntryCutShortAfterItWasReadIsNoCrash")
            defer { removeFolder(dir) }
            let cache = ContentCache(folder: dir + "/cache")
            let bytes = [UInt8]((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 % 251) })
            guard let key = ContentCache.key([bytes]) else { exit(2) }
            cache.store(bytes, key: key, kind: "test")
            guard let found = cache.entry(key, kind: "test") else { exit(3) }
            guard truncate(cache.folder + "/" + key + ".test", 0) == 0 else { exit(4) }
            exit([UInt8](found) == bytes ? 0 : 5)
        }
    }
}
