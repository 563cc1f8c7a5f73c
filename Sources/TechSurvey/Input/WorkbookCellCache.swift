// A workbook's cell stream in the content cache: the key under which it is kept — the workbook's SHA-256
// and the reader's identity (the script's bytes, the Python it runs on and the openpyxl that Python
// imports), so a changed workbook, reader or openpyxl never meets an old stream — and the check that an
// entry holds a whole stream before a line of it is replayed.

import Foundation

extension ContentCache {
    /// The kind of a workbook's cell stream: the reader's JSON lines exactly as it sent them, kept only
    /// when it ended well.
    static let workbookCells = "workbook-cells"

    /// The entry key for the workbook whose SHA-256 is `sha256`, read by `reader`; nil (the workbook is
    /// not cached) when the openpyxl its Python imports cannot be named.
    static func workbookCellsKey(sha256: String, reader: WorkbookReaderProgram) -> String? {
        guard sha256.count == 64, let script = FileManager.default.contents(atPath: reader.script),
              let python = PythonIdentity(python: reader.python) else { return nil }
        return key([Array(workbookCells.utf8), Array(sha256.utf8), Array(script), Array(reader.python.utf8), python.bytes])
    }

    /// The stream kept under `key` when it is a whole one: every line one the reader sends, the last its
    /// end line, no failure. Anything less is a miss, never a stop: an entry whose trailer checks out can
    /// still hold a cut stream (written by a reader change the key missed, or by hand), and the caller
    /// then runs the reader, whose stream replaces the entry. Checked before the first line is replayed,
    /// since what was replayed cannot be taken back.
    func workbookStream(_ key: String) -> Data? {
        guard let stored = entry(key, kind: Self.workbookCells) else { return nil }
        let decoder = JSONDecoder()
        var ended = false, whole = true
        Self.forEachLine(of: stored) { line in
            guard whole, !line.isEmpty else { return }
            guard !ended, let item = try? decoder.decode(ReaderLine.self, from: Data(line)), item.error == nil,
                  item.sheet != nil || item.row != nil && item.cells != nil || item.end == true else {
                whole = false
                return
            }
            ended = item.end == true
        }
        return whole && ended ? stored : nil
    }

    /// Calls `body` with each line of `data`, without its line end.
    static func forEachLine(of data: Data, _ body: (ArraySlice<UInt8>) throws -> Void) rethrows {
        try data.withUnsafeBytes { raw in
            let all = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < all.count {
                let end = all[start...].firstIndex(of: 0x0A) ?? all.count
                try body(ArraySlice(all[start..<end]))
                start = end + 1
            }
        }
    }
}

/// The Python the reader runs on and the openpyxl it imports, named without starting Python (which costs
/// most of what the cache saves): the interpreter's real path, whose name carries its version (python3.11),
/// and the `_constants.py` (which holds openpyxl's `__version__`) of the first openpyxl on the path
/// `python -I` searches — a virtual environment's site-packages, then the base's when its pyvenv.cfg lets
/// it see them; Debian's dist-packages before a plain site-packages.
struct PythonIdentity {
    let bytes: [UInt8]

    /// Nil when no openpyxl is found where that Python looks: it finds one elsewhere (a .pth entry, a layout
    /// not known here) or none, and a version that cannot be named must not key a stream.
    init?(python: String) {
        let fm = FileManager.default
        let given = URL(fileURLWithPath: python)
        let real = given.resolvingSymlinksInPath()
        var prefix = real.deletingLastPathComponent().deletingLastPathComponent().path
        var version = Self.version(fromName: real.lastPathComponent)
        var folders: [String] = []
        var seesBase = true
        let bin = given.deletingLastPathComponent()
        if let venv = [bin, bin.deletingLastPathComponent()].first(where: { fm.fileExists(atPath: $0.appendingPathComponent("pyvenv.cfg").path) }),
           let config = try? String(contentsOf: venv.appendingPathComponent("pyvenv.cfg"), encoding: .utf8) {
            let settings = Self.settings(config)
            if let home = settings["home"] { prefix = URL(fileURLWithPath: home).deletingLastPathComponent().path }
            version = version ?? settings["version"].flatMap { Self.version(fromName: "python" + $0.split(separator: ".").prefix(2).joined(separator: ".")) }
            seesBase = settings["include-system-site-packages"]?.lowercased() == "true"
            if let version { folders.append(venv.path + "/lib/python\(version)/site-packages") }
        }
        guard let version else { return nil }
        if seesBase {
            let local = prefix == "/usr" ? "/usr/local" : prefix + "/local"
            folders += [local + "/lib/python\(version)/dist-packages", prefix + "/lib/python3/dist-packages",
                        prefix + "/lib/python\(version)/dist-packages", prefix + "/lib/python\(version)/site-packages"]
        }
        guard let folder = folders.first(where: { fm.fileExists(atPath: $0 + "/openpyxl/__init__.py") }),
              let constants = fm.contents(atPath: folder + "/openpyxl/_constants.py"), !constants.isEmpty else { return nil }
        bytes = Array((real.path + "\n" + folder + "\n").utf8) + Array(constants)
    }

    /// "3.11" from "python3.11"; nil for any other name (a wrapper script tells nothing of its Python).
    private static func version(fromName name: String) -> String? {
        guard name.hasPrefix("python3.") else { return nil }
        let version = name.dropFirst("python".count)
        return version.split(separator: ".").count == 2 && version.allSatisfy({ $0.isNumber || $0 == "." }) ? String(version) : nil
    }

    /// pyvenv.cfg's `key = value` lines.
    private static func settings(_ text: String) -> [String: String] {
        var settings: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            settings[parts[0].trimmingCharacters(in: .whitespaces).lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        return settings
    }
}
