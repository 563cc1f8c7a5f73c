// Opens one delimited text file the way every stage must: fingerprint it, pick its encoding and delimiter,
// transcode it and hand its records over one by one. No stage builds a CSV reader itself.

import Foundation

/// What was learnt about a file while reading it; the manifest reports it.
public struct FileFacts: Sendable, Equatable {
    public var sha256: String
    public var encoding: TextEncoding
    public var encodingSource: EncodingSource
    public var delimiter: UInt8
    public var bytes: Int
    /// The census found the whole file clean UTF-8 (`ByteCensus.isCleanUTF8Text`) and it is read as UTF-8,
    /// so no record of it needs its bytes checked again.
    var textIsClean = false
}

/// The delimiters sniffed from a header line, in order of preference on a tie.
let sniffableDelimiters: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]

/// The decimal mark of budgets (SPEC §3.3 `DECIMAL=comma|dot`).
public enum DecimalMark: String, Sendable, Equatable, CaseIterable {
    case comma, dot

    /// Parses `comma`/`,` and `dot`/`.`/`point`.
    public init?(name: String) {
        switch name.lowercased() {
        case "comma", ",": self = .comma
        case "dot", ".", "point", "period": self = .dot
        default: return nil
        }
    }

    /// The file's own convention: `;`-delimited and tab-separated files are what Excel writes on Vietnamese
    /// Windows ("CSV", "Unicode text"), with `,` as the decimal mark; every other file uses `.`.
    public static func convention(delimiter: UInt8) -> DecimalMark {
        delimiter == 0x3B || delimiter == 0x09 ? .comma : .dot
    }

    public var character: Character { self == .comma ? "," : "." }
    public var other: DecimalMark { self == .comma ? .dot : .comma }
}

/// Reading options an analyst can force.
public struct ReadOptions: Sendable, Equatable {
    public var encoding: TextEncoding?
    public var delimiter: UInt8?
    /// The decimal mark of budgets; nil follows each file's convention.
    public var decimal: DecimalMark?
    /// Compute the file's SHA-256 (input files); the stages' own files need none.
    public var fingerprint: Bool
    /// Where workbooks' cell streams are kept between runs; nil runs the workbook reader every time.
    public var workbookCache: ContentCache?
    public init(encoding: TextEncoding? = nil, delimiter: UInt8? = nil, decimal: DecimalMark? = nil, fingerprint: Bool = true,
                workbookCache: ContentCache? = nil) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.decimal = decimal
        self.fingerprint = fingerprint
        self.workbookCache = workbookCache
    }
}

/// Where a delimited text comes from: a file, or bytes already in memory (tests, fuzzing).
public enum ByteSource: Sendable {
    case file(String)
    case bytes([UInt8])
}

/// Reads `path` and calls `onRecord` for every record, blank ones included. Throws `noInput` when the file
/// cannot be read and `data` when it is empty or binary.
func readDelimitedFile(
    path: String,
    displayName: String,
    options: ReadOptions,
    chunkSize: Int = 1 << 20,
    onRecord: (CSVRecord, FileFacts) throws -> Void
) throws -> FileFacts {
    try readDelimited(.file(path), displayName: displayName, options: options, chunkSize: chunkSize, onRecord: onRecord)
}

/// Reads `source` chunk by chunk: fingerprint, encoding, delimiter, then every record to `onRecord`.
/// `holdsHeader` tells a header row from title rows, so the delimiter is sniffed from the header (§3.6).
/// `recordCells`, asked after each record until it answers, gives the header's number of cells once the
/// caller has found the header (see `CSVReader.recordCells`).
func readDelimited(
    _ source: ByteSource,
    displayName: String,
    options: ReadOptions,
    chunkSize: Int = 1 << 20,
    holdsHeader: (([String]) -> Bool)? = nil,
    recordCells: (() -> Int?)? = nil,
    onRecord: (CSVRecord, FileFacts) throws -> Void
) throws -> FileFacts {
    var blocks = try TextBlocks(source, displayName: displayName, options: options, chunkSize: chunkSize, holdsHeader: holdsHeader)
    let facts = blocks.facts
    let reader = try CSVReader(delimiter: facts.delimiter, textIsClean: facts.textIsClean)
    // Once the caller has found the header, stray quotes are also told by the records they swallow.
    let handle = { (record: CSVRecord) throws in
        try onRecord(record, facts)
        if reader.recordCells == nil, let recordCells { reader.recordCells = recordCells() }
    }
    while let block = try blocks.next() {
        try reader.feed(block, onRecord: handle)
    }
    try reader.finish(onRecord: handle)
    return blocks.finish()
}

/// A delimited text opened for reading: fingerprinted as it is read, its encoding and delimiter decided
/// from the first chunk, its text handed out in blocks of UTF-8 with LF line ends. Every block but the
/// last ends just after a line end, so a block may start a parser of its own (if no quoted field spans
/// the cut, which the parser of the block before tells).
struct TextBlocks {
    /// Encoding and delimiter; `sha256` and `bytes` are filled in by `finish()`.
    let facts: FileFacts
    private let chunks: ChunkReader
    private var transcoder: Transcoder
    private var hasher: SHA256Hasher?
    private let chunkSize: Int
    private var firstText: [UInt8]?
    private var carry: [UInt8] = []
    private var readAll: Bool
    private var total: Int

    /// - Parameter holdsHeader: whether a row's cells are the header; the delimiter is the one that makes
    ///   a header of a row among the first 20 (nil, or none does: the first line decides).
    init(_ source: ByteSource, displayName: String, options: ReadOptions, chunkSize: Int, holdsHeader: (([String]) -> Bool)? = nil) throws {
        let chunks = try ChunkReader(source, displayName: displayName, chunkSize: chunkSize)
        self.chunks = chunks
        self.chunkSize = max(1, chunkSize)
        hasher = options.fingerprint ? SHA256Hasher() : nil
        let chunk = try chunks.next()
        total = chunk.count
        readAll = chunk.count < self.chunkSize
        hasher?.update(chunk)
        guard !chunk.isEmpty else {
            throw TechSurveyError(.data, "\(displayName): the file is empty; export the sheet again or remove the file")
        }
        // The encoding is decided once, from the whole file (a byte-order mark decides at once); the
        // delimiter from the header line.
        // The stages' own files (read without a fingerprint) are UTF-8 by construction: no census.
        let census = Self.hasByteOrderMark(chunk) || !options.fingerprint ? nil : try Self.census(of: source, displayName: displayName, chunkSize: self.chunkSize)
        let (encoding, encodingSource, bomLength) = detectEncoding(prefix: chunk, named: options.encoding, census: census)
        if let census, encoding != .utf16LE && encoding != .utf16BE {
            if options.encoding == nil && census.looksLikeUTF16 {
                let other: TextEncoding = census.likelyUTF16 == .utf16LE ? .utf16BE : .utf16LE
                throw TechSurveyError(.data, "\(displayName): this looks like UTF-16 text without a byte-order mark; run again with ENCODING=\(census.likelyUTF16.rawValue) (or ENCODING=\(other.rawValue) if the letters come out wrong), or save the sheet as CSV UTF-8")
            }
            // A header is text: a NUL in the first line, or NULs throughout, is a binary file (a workbook,
            // an image); a stray NUL further down only costs its record.
            let headerHasNUL = chunk.prefix(4096).prefix { $0 != 0x0A }.contains(0)
            if headerHasNUL || census.looksBinary {
                // An .xlsx file is a zip archive: one renamed .csv is read once it is named .xlsx again.
                if chunk.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
                    throw TechSurveyError(.data, "\(displayName): this is not a text file but a zip archive, most likely an Excel workbook; name it .xlsx to have it read as a workbook")
                }
                throw TechSurveyError(.data, "\(displayName): this is not a text file (it holds \(census.nul) NUL bytes); save the sheet as CSV and retry")
            }
        }
        transcoder = Transcoder(encoding: encoding)
        var text = transcoder.transcode(bomLength == 0 ? chunk : Array(chunk.dropFirst(bomLength)), isLast: readAll)
        // The header may sit below a title block (SPEC §3.6): the delimiter is sniffed from the first rows,
        // so they are read whole even when the first chunk is shorter.
        if holdsHeader != nil && options.delimiter == nil {
            while !readAll && text.count < 256 << 10 && text.lazy.filter({ $0 == 0x0A }).count < 4 * titleRowLimit {
                let more = try chunks.next()
                readAll = more.count < self.chunkSize
                hasher?.update(more)
                total += more.count
                text.append(contentsOf: transcoder.transcode(more, isLast: readAll))
            }
        }
        firstText = text
        facts = FileFacts(sha256: "", encoding: encoding, encodingSource: encodingSource,
                          delimiter: options.delimiter ?? sniffDelimiter(text, holdsHeader: holdsHeader), bytes: 0,
                          textIsClean: encoding == .utf8 && census?.isCleanUTF8Text == true)
    }

    private static func hasByteOrderMark(_ chunk: [UInt8]) -> Bool {
        chunk.starts(with: [0xEF, 0xBB, 0xBF]) || chunk.starts(with: [0xFF, 0xFE]) || chunk.starts(with: [0xFE, 0xFF])
    }

    /// The census of every byte of `source`, read once ahead of decoding: a file's encoding is decided on
    /// the whole of it, and memory stays one chunk.
    private static func census(of source: ByteSource, displayName: String, chunkSize: Int) throws -> ByteCensus {
        var census = ByteCensus()
        switch source {
        case .bytes(let bytes):
            bytes.withUnsafeBufferPointer { _ = census.add($0, isLast: true) }
        case .file(let path):
            // A large file is counted on every core (Fast/ParallelCensus.swift).
            let handle = try openRegularFile(path, displayName: displayName)
            defer { fclose(handle) }
            var info = stat()
            let parts = ProcessInfo.processInfo.activeProcessorCount
            if fstat(fileno(handle), &info) == 0, Int(info.st_size) >= 16 << 20, parts > 1,
               let counted = try ByteCensus.counted(handle: handle, size: Int(info.st_size), parts: parts, pieceSize: chunkSize, displayName: displayName) {
                return counted
            }
            let reader = try ChunkReader(source, displayName: displayName, chunkSize: chunkSize)
            var carry: [UInt8] = []
            while true {
                var chunk = try reader.next()
                let isLast = chunk.count < chunkSize
                if !carry.isEmpty {
                    chunk.insert(contentsOf: carry, at: 0)
                    carry = []
                }
                let left = chunk.withUnsafeBufferPointer { census.add($0, isLast: isLast) }
                if isLast { break }
                carry = Array(chunk.suffix(left))
            }
        }
        return census
    }

    /// The next block of text, nil when the file is done.
    mutating func next() throws -> [UInt8]? {
        while true {
            var text: [UInt8]
            if let first = firstText {
                text = first
                firstText = nil
            } else if readAll {
                guard !carry.isEmpty else { return nil }
                defer { carry = [] }
                return carry
            } else {
                let chunk = try chunks.next()
                readAll = chunk.count < chunkSize
                hasher?.update(chunk)
                total += chunk.count
                text = transcoder.transcode(chunk, isLast: readAll)
            }
            if !carry.isEmpty {
                carry.append(contentsOf: text)
                text = carry
                carry = []
            }
            if readAll { return text.isEmpty ? nil : text }
            // Cut after the last line end; the rest waits for the next chunk (a line longer than a chunk
            // simply makes the next block bigger).
            guard let cut = lastLineEnd(text) else {
                carry = text
                continue
            }
            carry = Array(text[(cut + 1)...])
            text.removeLast(text.count - cut - 1)
            return text
        }
    }

    /// The facts with the fingerprint and size of everything read.
    mutating func finish() -> FileFacts {
        var done = facts
        done.sha256 = hasher?.finalizeHex() ?? ""
        done.bytes = total
        return done
    }
}

// A backward scan: the last line end is usually within a line's length of the end.
private func lastLineEnd(_ text: [UInt8]) -> Int? { text.lastIndex(of: 0x0A) }

/// The delimiter under which one of the first 20 rows of `text` is a header (`holdsHeader`), the earliest
/// such row deciding and the order of `sniffableDelimiters` breaking a tie; a title block above the header
/// so never decides. Without a header test, or when no delimiter makes a header, the first line decides.
func sniffDelimiter(_ text: [UInt8], holdsHeader: (([String]) -> Bool)?) -> UInt8 {
    guard let holdsHeader else { return sniffDelimiter(text) }
    // The first rows' text: 20 lines and a margin for quoted line ends, never more than 256 KiB.
    var end = 0, lines = 0
    while end < text.count && end < 256 << 10 && lines < 4 * titleRowLimit {
        if text[end] == 0x0A { lines += 1 }
        end += 1
    }
    let head = Array(text[..<end])
    var best: (delimiter: UInt8, row: Int)?
    for delimiter in sniffableDelimiters {
        guard let reader = try? CSVReader(delimiter: delimiter) else { continue }
        var found: Int?
        let look = { (record: CSVRecord) in
            guard found == nil, record.row <= titleRowLimit, !record.isBlank else { return }
            if holdsHeader((0..<record.count).map { record.text($0) ?? "" }) { found = record.row }
        }
        try? reader.feed(head, onRecord: look)
        try? reader.finish(onRecord: look)
        if let row = found, row < (best?.row ?? Int.max) { best = (delimiter, row) }
    }
    return best?.delimiter ?? sniffDelimiter(text)
}

/// Picks the delimiter that occurs most often outside quotes in the first non-blank line; comma on a tie
/// or when none occurs.
public func sniffDelimiter(_ text: [UInt8]) -> UInt8 {
    var counts: [UInt8: Int] = [:]
    var quoted = false
    var seenContent = false
    for b in text {
        if b == 0x22 { quoted.toggle(); continue }
        if b == 0x0A && !quoted {
            if seenContent { break }
            continue
        }
        seenContent = true
        if !quoted && sniffableDelimiters.contains(b) { counts[b, default: 0] += 1 }
    }
    var best: UInt8 = 0x2C
    var bestCount = 0
    for d in sniffableDelimiters where counts[d, default: 0] > bestCount {
        best = d
        bestCount = counts[d, default: 0]
    }
    return best
}

/// Opens `path` for reading when it is a regular file (or a link to one). A named pipe, a device, a folder
/// or a socket is refused at once, without waiting on it: opening is non-blocking and the open file is
/// checked, so nothing can be swapped in between the check and the read.
func openRegularFile(_ path: String, displayName: String) throws -> UnsafeMutablePointer<FILE> {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else {
        let code = errno
        throw TechSurveyError(.noInput, "\(displayName): cannot open the file (\(String(cString: strerror(code)))); \(code == ELOOP ? "it is a symbolic link that loops; replace it with the file" : code == ENOENT ? "it is a symbolic link to a file that does not exist; replace it with the file" : "check that it exists and is readable")")
    }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
        let kind = fileKind(info.st_mode)
        close(fd)
        throw TechSurveyError(.noInput, "\(displayName): \(kind), not a regular file; only files are read, so move it out of the input folder or replace it with the CSV file")
    }
    // A regular file never blocks, but reads should not see EAGAIN either.
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    guard let handle = fdopen(fd, "rb") else {
        close(fd)
        throw TechSurveyError(.noInput, "\(displayName): cannot read the file (\(String(cString: strerror(errno)))); check that it is readable")
    }
    return handle
}

/// What a file that is not a regular file is, for a message.
func fileKind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFDIR: return "it is a folder"
    case S_IFIFO: return "it is a named pipe"
    case S_IFCHR, S_IFBLK: return "it is a device"
    case S_IFSOCK: return "it is a socket"
    default: return "it is not a file"
    }
}

/// Hands out a source's bytes in chunks of `chunkSize`; a chunk shorter than that is the last.
private final class ChunkReader {
    private let handle: UnsafeMutablePointer<FILE>?
    private let bytes: [UInt8]
    private var offset = 0
    private let chunkSize: Int
    private let displayName: String
    private let path: String
    private var opened = FileIdentity()

    init(_ source: ByteSource, displayName: String, chunkSize: Int) throws {
        self.chunkSize = max(1, chunkSize)
        self.displayName = displayName
        switch source {
        case .bytes(let b):
            bytes = b
            handle = nil
            path = ""
        case .file(let path):
            bytes = []
            let h = try openRegularFile(path, displayName: displayName)
            handle = h
            self.path = path
            opened = FileIdentity(descriptor: fileno(h))
        }
    }

    deinit { if let handle { fclose(handle) } }

    func next() throws -> [UInt8] {
        guard let handle else {
            let end = min(bytes.count, offset + chunkSize)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, chunkSize, handle) }
        if count < chunkSize && ferror(handle) != 0 {
            throw TechSurveyError(.noInput, "\(displayName): reading failed (\(String(cString: strerror(errno)))); copy the file locally and retry")
        }
        if count < chunkSize {
            buffer.removeSubrange(count...)
            try checkUnchanged(handle)
        }
        return buffer
    }

    /// A file written to (or replaced) while it was read gives figures and a fingerprint of neither
    /// version: the run stops instead. Compared at the end, against the file as opened and the name now.
    private func checkUnchanged(_ handle: UnsafeMutablePointer<FILE>) throws {
        var now = stat()
        let sameName = stat(path, &now) == 0 && FileIdentity(now) == opened
        guard FileIdentity(descriptor: fileno(handle)) == opened, sameName else {
            throw TechSurveyError(.noInput, "\(displayName): the file changed while it was being read; wait until it is completely saved or copied, then run again")
        }
    }
}

/// What changes when a file's content does: size, modification and change times (the change time cannot
/// be set back, even by `cp -p` or unzip), and the file itself (device and inode, when it is replaced).
struct FileIdentity: Equatable {
    var device: UInt64 = 0, inode: UInt64 = 0, size: Int64 = -1
    var modified = timespec(), changed = timespec()

    init() {}

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = info.st_mtim
        changed = info.st_ctim
    }

    init(descriptor: Int32) {
        var info = stat()
        if fstat(descriptor, &info) == 0 { self.init(info) } else { self.init() }
    }

    static func == (a: FileIdentity, b: FileIdentity) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size
            && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
            && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
    }
}
