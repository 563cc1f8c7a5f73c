// The key under which a workbook's cell stream is kept in the content cache: the workbook's SHA-256 and
// the reader's identity (the script's bytes, the Python it runs on, Debian openpyxl's version file), so a
// changed workbook, reader or openpyxl never meets an old stream.

import Foundation

extension ContentCache {
    /// The kind of a workbook's cell stream: the reader's JSON lines exactly as it sent them, kept only
    /// when it ended well.
    static let workbookCells = "workbook-cells"

    /// The entry key for the workbook whose SHA-256 is `sha256`, read by `reader`.
    static func workbookCellsKey(sha256: String, reader: WorkbookReaderProgram) -> String? {
        guard sha256.count == 64, let script = FileManager.default.contents(atPath: reader.script) else { return nil }
        // Debian's openpyxl beside Debian's python3: its version file changes with every upgrade.
        let openpyxl = reader.python == "/usr/bin/python3"
            ? FileManager.default.contents(atPath: "/usr/lib/python3/dist-packages/openpyxl/_constants.py").map { [UInt8]($0) } ?? [0]
            : [0]
        return key([Array(workbookCells.utf8), Array(sha256.utf8), Array(script), Array(reader.python.utf8), openpyxl])
    }
}
