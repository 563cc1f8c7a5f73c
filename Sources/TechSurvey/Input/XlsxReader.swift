// Reads an .xlsx workbook (SPEC §3.5) through a kept library: Debian's python3-openpyxl, run as the small
// reader `tools/xlsx_cells.py`, which streams each sheet's rows as JSON lines (its top comment documents the
// stream). This file finds and runs the reader, refuses files that are not workbooks before spawning it,
// turns the reader's failures into one line an analyst can act on, and with a content cache keeps the
// stream of a workbook that read well, to replay it while the workbook is unchanged (WorkbookCellCache.swift).

import Foundation

/// What a cell of a workbook is, as the reader typed it.
enum CellKind: UInt8, Sendable, Equatable {
    case text, number, date, dateTime, time, bool, error
    /// A formula saved without a value: the workbook was not recalculated.
    case uncalculated

    init?(code: String) {
        switch code {
        case "s": self = .text
        case "n": self = .number
        case "d": self = .date
        case "t": self = .dateTime
        case "h": self = .time
        case "b": self = .bool
        case "e": self = .error
        case "f": self = .uncalculated
        default: return nil
        }
    }
}

/// One non-empty cell: its column (A = 0), kind and text.
struct XlsxCell: Sendable, Equatable, Decodable {
    var column: Int
    var kind: CellKind
    var text: String

    init(column: Int, kind: CellKind, text: String) {
        self.column = column
        self.kind = kind
        self.text = text
    }

    init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        column = try c.decode(Int.self)
        let code = try c.decode(String.self)
        guard let kind = CellKind(code: code) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown cell kind \(code)")
        }
        self.kind = kind
        text = try c.decode(String.self)
    }
}

/// A sheet as the workbook lists it.
struct XlsxSheet: Sendable, Equatable {
    var name: String
    /// `visible`, `hidden` or `veryHidden`.
    var state: String
    var isChart: Bool
    var isVisible: Bool { state == "visible" }
}

/// What the reader hands over, in workbook order: a sheet, then its non-empty rows (visible worksheets only).
enum XlsxEvent: Sendable {
    case sheet(XlsxSheet)
    /// The row number Excel shows, and its non-empty cells.
    case row(Int, [XlsxCell])
}

/// What was learnt about a workbook file.
struct XlsxFacts: Sendable, Equatable {
    var sha256: String
    var bytes: Int
    /// 1900 or 1904: the date system its date cells were read with.
    var dateSystem: Int
}

/// One line of the reader's stream.
struct ReaderLine: Decodable {
    var sheet: String?
    var state: String?
    var kind: String?
    var row: Int?
    var cells: [XlsxCell]?
    var end: Bool?
    var date_system: Int?
    var error: String?
    var message: String?
}

/// Reads the workbook at `path`, calling `onEvent` for each sheet and row as the reader streams them; with
/// a `cache`, an unchanged workbook's stream comes from there instead of a new run of the reader.
/// Throws one analyst line when the file is not a readable workbook or the reader cannot run.
func readXlsx(path: String, displayName: String, cache: ContentCache? = nil, onEvent: (XlsxEvent) throws -> Void) throws -> XlsxFacts {
    let (sha256, bytes) = try fingerprintAndCheck(path: path, displayName: displayName)
    let reader = try WorkbookReaderProgram.locate()
    var dateSystem = 1900
    var finished = false
    var failure: ReaderLine?
    var lines = LineSplitter()
    let decoder = JSONDecoder()
    func take(_ line: ArraySlice<UInt8>) throws {
        guard !line.isEmpty else { return }
        guard let item = try? decoder.decode(ReaderLine.self, from: Data(line)) else {
            throw TechSurveyError(.data, "\(displayName): the workbook reader sent a line it should not have; check that tools/xlsx_cells.py is the one shipped with techsurvey")
        }
        if let name = item.sheet {
            try onEvent(.sheet(XlsxSheet(name: name, state: item.state ?? "visible", isChart: item.kind == "chartsheet")))
        } else if let row = item.row, let cells = item.cells {
            try onEvent(.row(row, cells))
        } else if item.end == true {
            finished = true
            dateSystem = item.date_system ?? 1900
        } else if item.error != nil {
            failure = item
        }
    }
    let key = cache.flatMap { _ in ContentCache.workbookCellsKey(sha256: sha256, reader: reader) }
    if let key, let stored = cache?.workbookStream(key) {
        try ContentCache.forEachLine(of: stored, take)
        return XlsxFacts(sha256: sha256, bytes: bytes, dateSystem: dateSystem)
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: reader.python)
    // -I: the reader sees neither PYTHON* variables nor a user's site folder, only Debian's openpyxl.
    process.arguments = ["-I", reader.script, path]
    process.standardInput = FileHandle.nullDevice
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do {
        try process.run()
    } catch {
        throw TechSurveyError(.noInput, "\(displayName): cannot start the workbook reader (\(reader.python): \(error.localizedDescription)); run make deps, which installs python3 and python3-openpyxl")
    }
    let errors = StderrTail(err.fileHandleForReading)
    let entry = key.flatMap { cache?.writer($0, kind: ContentCache.workbookCells) }
    defer {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        errors.wait()
        entry?.discard()
    }
    let handle = out.fileHandleForReading
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = try readSome(handle.fileDescriptor, into: &buffer, displayName: displayName)
        if count == 0 { break }
        entry?.append(buffer[..<count])
        try lines.feed(buffer[..<count], take)
    }
    try lines.finish(take)
    process.waitUntilExit()
    if let failure {
        throw readerFailure(failure, displayName: displayName)
    }
    guard finished, process.terminationStatus == 0 else {
        errors.wait()
        let tail = errors.lastLine
        if tail.contains("No module named") || tail.contains("openpyxl") && tail.contains("ModuleNotFoundError") {
            throw TechSurveyError(.noInput, "\(displayName): reading workbooks needs python3-openpyxl, which is not installed; run make deps (or apt-get install python3-openpyxl)")
        }
        let why = tail.isEmpty ? "status \(process.terminationStatus)" : quotedCell(tail, limit: 160)
        throw TechSurveyError(.data, "\(displayName): the workbook reader stopped before the end of the workbook (\(why)); open the file in Excel, save it again as .xlsx, and retry")
    }
    entry?.commit()
    return XlsxFacts(sha256: sha256, bytes: bytes, dateSystem: dateSystem)
}

/// Cuts the reader's bytes into lines, whatever pieces they arrive in.
private struct LineSplitter {
    private var pending: [UInt8] = []

    mutating func feed(_ chunk: ArraySlice<UInt8>, _ take: (ArraySlice<UInt8>) throws -> Void) throws {
        let before = pending.count
        pending.append(contentsOf: chunk)
        guard pending[before...].contains(0x0A) else { return }
        var start = 0
        while start < pending.count, let newline = pending[start...].firstIndex(of: 0x0A) {
            try take(pending[start..<newline])
            start = newline + 1
        }
        pending.removeSubrange(..<start)
    }

    mutating func finish(_ take: (ArraySlice<UInt8>) throws -> Void) throws {
        try take(pending[...])
        pending = []
    }
}

private func readerFailure(_ line: ReaderLine, displayName: String) -> TechSurveyError {
    let said = quotedCell(line.message ?? "", limit: 160)
    switch line.error {
    case "no_openpyxl":
        return TechSurveyError(.noInput, "\(displayName): reading workbooks needs python3-openpyxl, which is not installed; run make deps (or apt-get install python3-openpyxl)")
    case "corrupt":
        return TechSurveyError(.data, "\(displayName): the workbook is damaged (\(said)); open it in Excel, let Excel repair it, save it as .xlsx and run again")
    default:
        return TechSurveyError(.data, "\(displayName): not a workbook that can be read (\(said)); open it in Excel and save it as .xlsx (Excel Workbook), or save the sheet as CSV")
    }
}

/// The file's SHA-256 and size, after checking by its first bytes that it is an .xlsx (zip) file and not an
/// old .xls or a password-protected workbook (both OLE compound files), which openpyxl cannot read.
private func fingerprintAndCheck(path: String, displayName: String) throws -> (String, Int) {
    let handle = try openRegularFile(path, displayName: displayName)
    defer { fclose(handle) }
    var hasher = SHA256Hasher()
    var total = 0
    var head: [UInt8] = []
    // "EncryptedPackage" as an OLE directory entry names it, in UTF-16LE.
    let encrypted = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
    var sawEncrypted = false
    var carry: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
        if count == 0 {
            if ferror(handle) != 0 {
                throw TechSurveyError(.noInput, "\(displayName): reading failed (\(String(cString: strerror(errno)))); copy the file locally and retry")
            }
            break
        }
        let chunk = buffer[..<count]
        hasher.update(chunk)
        if head.count < 8 { head.append(contentsOf: chunk.prefix(8 - head.count)) }
        if head.starts(with: oleMagic) && !sawEncrypted {
            let window = carry + chunk
            sawEncrypted = contains(window, encrypted)
            carry = Array(window.suffix(encrypted.count))
        }
        total += count
    }
    if total == 0 {
        throw TechSurveyError(.data, "\(displayName): the file is empty; save the workbook again or remove the file")
    }
    if head.starts(with: oleMagic) {
        if sawEncrypted {
            throw TechSurveyError(.data, "\(displayName): the workbook is protected with a password, so it cannot be read; open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password), save it and run again")
        }
        throw TechSurveyError(.data, "\(displayName): this is an old Excel 97-2003 workbook (.xls) named .xlsx; open it in Excel and save it as .xlsx (Excel Workbook)")
    }
    if !head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
        throw TechSurveyError(.data, "\(displayName): not an .xlsx workbook (an .xlsx file is a zip archive, and this one is not); if it is a CSV file, name it .csv; otherwise open it in Excel and save it as .xlsx")
    }
    return (hasher.finalizeHex(), total)
}

private let oleMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard haystack.count >= needle.count, let first = needle.first else { return false }
    var i = 0
    while i + needle.count <= haystack.count {
        if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
        i += 1
    }
    return false
}

/// Where the reader script and the Python that runs it are.
struct WorkbookReaderProgram {
    let python: String
    let script: String

    static let scriptPath = "tools/xlsx_cells.py"

    /// `TECHSURVEY_XLSX_READER` when set; else `tools/xlsx_cells.py` in a folder above the running
    /// executable (the executables run from the repository's `.build`); else the repository this library
    /// was built from. Python is `TECHSURVEY_PYTHON`, else Debian's `/usr/bin/python3` (where
    /// python3-openpyxl lives, whatever `python3` PATH finds first), else `python3` on PATH.
    static func locate() throws -> WorkbookReaderProgram {
        let env = ProcessInfo.processInfo.environment
        let fm = FileManager.default
        var candidates: [String] = []
        if let forced = env["TECHSURVEY_XLSX_READER"], !forced.isEmpty { candidates.append(forced) }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<8 {
            candidates.append(folder.appendingPathComponent(scriptPath).path)
            folder.deleteLastPathComponent()
        }
        var source = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { source.deleteLastPathComponent() }
        candidates.append(source.appendingPathComponent(scriptPath).path)
        guard let script = candidates.first(where: { fm.isReadableFile(atPath: $0) }) else {
            throw TechSurveyError(.noInput, "the workbook reader \(scriptPath) is missing; run techsurvey from its repository (make report), or set TECHSURVEY_XLSX_READER to the file")
        }
        var pythons: [String] = []
        if let forced = env["TECHSURVEY_PYTHON"], !forced.isEmpty { pythons.append(forced) }
        pythons.append("/usr/bin/python3")
        for dir in (env["PATH"] ?? "").split(separator: ":") { pythons.append(dir + "/python3") }
        guard let python = pythons.first(where: { fm.isExecutableFile(atPath: $0) }) else {
            throw TechSurveyError(.noInput, "reading workbooks needs python3 with python3-openpyxl, and no python3 was found; run make deps (or apt-get install python3-openpyxl)")
        }
        return WorkbookReaderProgram(python: python, script: script)
    }
}

/// Reads what is there from a pipe, waiting for it: 0 at its end. Foundation's `availableData` traps on an
/// interrupted read, so the descriptor is read directly, again after EINTR.
private func readSome(_ fd: Int32, into buffer: inout [UInt8], displayName: String) throws -> Int {
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n >= 0 { return n }
        if errno == EINTR { continue }
        throw TechSurveyError(.ioError, "\(displayName): reading from the workbook reader failed (\(String(cString: strerror(errno)))); try again")
    }
}

/// Collects the reader's stderr on a thread of its own (so a full pipe never stalls it) and keeps its last
/// line for a message.
private final class StderrTail: @unchecked Sendable {
    // `text` is written by the reading thread before `done` is signalled, and read only after.
    private var text = Data()
    private let done = DispatchSemaphore(value: 0)
    private var waited = false

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while let count = try? readSome(handle.fileDescriptor, into: &buffer, displayName: "the workbook reader's messages"), count > 0 {
                text.append(contentsOf: buffer[..<count])
                if text.count > 8192 { text = text.suffix(4096) }
            }
            done.signal()
        }
        thread.start()
    }

    func wait() {
        guard !waited else { return }
        waited = true
        done.wait()
    }

    var lastLine: String {
        let lines = String(decoding: text, as: UTF8.self).split(whereSeparator: \.isNewline)
        return lines.last.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
    }
}
