// What a stage may reuse from an earlier run because it depends only on content it can name: a workbook's
// cells (the reader's stream; starting Python and openpyxl costs about 0.4 s a workbook), a chart's PNG,
// Word's reference document (pandoc's default, restyled by Python) and pandoc's conversion of the report
// (its text with a placeholder for the generation time). An entry is found by a key its user makes from that
// content (SHA-256 of the workbook's bytes and of the program that reads it), never by a file's date, and is
// checked against its own trailer before a byte of it is used: a cut, edited or foreign file is ignored and
// the work is done again. The cache is an optimisation only: a folder that cannot be created or written
// leaves a run as it would be without it.
//
// An entry, `<key>.<kind>`: the bytes as they were made, a line end, then one trailer line
//   {"cache":"techsurvey","kind":KIND,"format":1,"key":KEY,"bytes":N,"sha256":HEX}
// where N and HEX cover the bytes (the line end before the trailer is not theirs).

import Foundation

/// A folder of entries (make's `CACHE`, `build/cache` by default), shared by every stage folder.
public struct ContentCache: Sendable, Equatable {
    let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    private static let format = 1

    /// A key for `parts`, which must name everything the entry depends on; nil when a part is missing (an
    /// empty digest, from OpenSSL out of memory, would match every other such entry).
    static func key(_ parts: [[UInt8]]) -> String? {
        guard !parts.contains(where: \.isEmpty) else { return nil }
        var hasher = SHA256Hasher()
        for part in parts {
            hasher.update(Array("\(part.count):".utf8))
            hasher.update(part)
        }
        let key = hasher.finalizeHex()
        return key.count == 64 ? key : nil
    }

    private func path(_ key: String, _ kind: String) -> String { folder + "/" + key + "." + kind }

    /// The entry `key` of `kind`, checked whole against its trailer; nil when there is none or it does not
    /// check out.
    func entry(_ key: String, kind: String) -> Data? {
        guard let data = Self.contents(of: path(key, kind)), data.last == 0x0A else { return nil }
        let end = data.index(before: data.endIndex)
        guard let separator = data[..<end].lastIndex(of: 0x0A) else { return nil }
        let body = data[..<separator]
        guard let trailer = try? JSONDecoder().decode(Trailer.self, from: data[data.index(after: separator)..<end]),
              trailer == Trailer(kind: kind, key: key, bytes: body.count, sha256: trailer.sha256) else { return nil }
        var hasher = SHA256Hasher()
        body.withUnsafeBytes { hasher.update(buffer: $0.bindMemory(to: UInt8.self)) }
        return hasher.finalizeHex() == trailer.sha256 ? body : nil
    }

    /// The file's bytes, read into memory, not mapped: a mapped entry another process cuts short (a second
    /// run replacing it in place, a clean-up tool) kills this one with SIGBUS at the first page past its new
    /// end, where a read only comes back short, and a short entry fails its trailer check. Foundation maps
    /// only when asked (`.alwaysMapped`; on Linux `.mappedIfSafe` never maps, swift-foundation's
    /// Data+Reading.swift), so without options it mallocs the size fstat gave and read()s into it, keeping
    /// what a short read returns; a folder or other non-regular file throws, and an empty file has no trailer.
    private static func contents(of path: String) -> Data? {
        try? Data(contentsOf: URL(fileURLWithPath: path, isDirectory: false), options: [])
    }

    /// Starts the entry `key` of `kind`, written beside its final name; nil when the folder cannot be written.
    func writer(_ key: String, kind: String) -> Writer? {
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil else { return nil }
        let temporary = AtomicFile.temporaryPath(for: path(key, kind))
        guard let handle = fopen(temporary, "wx") else { return nil }
        return Writer(handle: handle, temporary: temporary, final: path(key, kind), kind: kind, key: key)
    }

    /// Stores `bytes` as the entry `key` of `kind`.
    func store(_ bytes: [UInt8], key: String, kind: String) {
        guard let writer = writer(key, kind: kind) else { return }
        writer.append(bytes[...])
        writer.commit()
    }

    private struct Trailer: Codable, Equatable {
        var cache = "techsurvey"
        var kind: String
        var format = ContentCache.format
        var key: String
        var bytes: Int
        var sha256: String
    }

    /// An entry being written as its bytes are made; it is kept only by `commit`.
    final class Writer {
        private var handle: UnsafeMutablePointer<FILE>?
        private let temporary: String
        private let final: String
        private let kind: String
        private let key: String
        private var hasher = SHA256Hasher()
        private var count = 0
        private var failed = false

        fileprivate init(handle: UnsafeMutablePointer<FILE>, temporary: String, final: String, kind: String, key: String) {
            self.handle = handle
            self.temporary = temporary
            self.final = final
            self.kind = kind
            self.key = key
        }

        func append(_ bytes: ArraySlice<UInt8>) {
            guard let handle, !failed, !bytes.isEmpty else { return }
            failed = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) } != bytes.count
            hasher.update(bytes)
            count += bytes.count
        }

        /// Adds the trailer and puts the entry in place.
        func commit() {
            let trailer = Trailer(kind: kind, key: key, bytes: count, sha256: hasher.finalizeHex())
            guard let line = try? JSONEncoder().encode(trailer), let handle, !failed else { return discard() }
            let tail = [0x0A] + Array(line) + [0x0A]
            failed = tail.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) } != tail.count
            guard !failed else { return discard() }
            self.handle = nil
            if fclose(handle) != 0 || rename(temporary, final) != 0 { unlink(temporary) }
        }

        /// Drops an entry not committed; nothing once it is.
        func discard() {
            guard let handle else { return }
            fclose(handle)
            self.handle = nil
            unlink(temporary)
        }

        deinit { discard() }
    }
}
