// STAGE/returns.bin: every return ingest accepted, in input order, appended as it was validated, and which
// of them a resubmission superseded (a loser is its ordinal: its place among the accepted records). Read
// back in pieces into reused buffers (one, or a few shared with worker threads) — never whole, never mapped
// (mapped pages count in a process's memory) — handing out the winners only, with every index, code, date and count checked and the
// checksums verified as it streams, so a truncated, damaged or older file stops the stage with one line,
// never a crash and never a figure. `techsurvey-stage returns` prints it as CSV for analysts.

import Foundation

/// The layout, every number little-endian:
///
///     header   "TSRETURN"  version: u32  record size: u32
///     records  per accepted record, by ordinal: `recordSize` bytes (offsets in `Layout`; `file` is the
///              file's rank, `returnID` the byte length of the return_id text), then that text
///     strings  per string: length u32, then its UTF-8; the last `file count` are the files' names by rank
///     losers   one bit per record, u64 words (bit i % 64 of word i / 64 for ordinal i): set when superseded
///     footer   record count, records bytes, string count, strings bytes, file count, loser count,
///              winner count, records checksum, tables checksum (strings and losers), footer checksum (of
///              the nine words before it): ten u64, then "TSRETEND"
///
/// The footer is read first; everything's size is checked against the file's before it is allocated.
enum PackedReturnsFile {
    static let magic: [UInt8] = Array("TSRETURN".utf8)
    static let endMagic: [UInt8] = Array("TSRETEND".utf8)
    /// Raise when the layout changes: a stage of another version then asks for `make clean report`.
    /// 2: records streamed with their return ids inline, losers as a bit set, the footer. 3: the checksums
    /// in four lanes (StageChecksum.swift).
    static let version: UInt32 = 3
    static let headerSize = 16
    static let footerSize = 88
    static let recordSize = 58
    /// Bytes per write or read: a few MiB.
    static let pieceBytes = 4 << 20
    /// Bytes per piece handed to a worker thread (Fast/PieceWorkers): small enough that a piece is still in
    /// the cache when a worker takes it, large enough that handing over costs little.
    static let parallelPieceBytes = 1 << 20
    /// Records per chunk handed to a `ReturnStream` reader.
    static let chunkRecords = 16_384

    /// Byte offsets of a record's fields.
    enum Layout {
        static let file = 0, row = 4, line = 8, returnID = 12, unitID = 16, unitName = 20, district = 24
        static let unitType = 28, field = 29, surveyDate = 30, found = 34, proposed = 42, submitted = 50
    }

    static func damaged(_ path: String) -> TechSurveyError {
        TechSurveyError(.data, "\(path) is damaged; run `make clean report` to rebuild the stage folder")
    }

    // MARK: writing

    /// Appends accepted returns as they are validated, then the tables and the footer. Nothing reaches
    /// `path` until `commit()`; `writtenPath` can be read once `finish` is done.
    final class Writer {
        private let file: AtomicFile.Stream
        let path: String
        private let buffer = ByteBuffer(capacity: PackedReturnsFile.pieceBytes + 65_536)
        private var checksum = StageChecksum()
        private(set) var count = 0
        private var recordBytes: UInt64 = 0

        init(path: String) throws(TechSurveyError) {
            self.path = path
            file = try AtomicFile.Stream(path: path)
            buffer.reserve(headerSize)
            magic.withUnsafeBufferPointer { buffer.append($0) }
            buffer.store(version)
            buffer.store(UInt32(recordSize))
            try file.write(buffer.bytes)
            buffer.removeAll()
        }

        /// Where the bytes are until `commit()`.
        var writtenPath: String { file.temporaryPath }

        /// Appends `r`, of the file ranked `file`, as the next ordinal.
        func append(_ r: ParsedReturn, file rank: Int32) throws(TechSurveyError) {
            let id = r.returnID
            let length = id.withUTF8 { $0.count }
            guard length <= Int(Int32.max) else {
                throw TechSurveyError(.data, "a return_id of \(length) bytes is too long for \(path); split the input file")
            }
            buffer.reserve(recordSize + length)
            let p = r.packed
            buffer.store(rank)
            buffer.store(p.row)
            buffer.store(p.line)
            buffer.store(Int32(length))
            buffer.store(p.unitID)
            buffer.store(p.unitName)
            buffer.store(p.district)
            buffer.byte(p.unitType)
            buffer.byte(p.field)
            buffer.store(p.surveyDate)
            buffer.store(p.found)
            buffer.store(p.proposed)
            buffer.store(p.submitted)
            id.withUTF8 { buffer.append($0) }
            count += 1
            if buffer.count >= pieceBytes { try flushRecords() }
        }

        private func flushRecords() throws(TechSurveyError) {
            checksum.add(buffer.bytes)
            recordBytes += UInt64(buffer.count)
            try file.write(buffer.bytes)
            buffer.removeAll()
        }

        /// Writes the strings (`strings` in number order, then `files` by rank), the loser bits and the
        /// footer, and flushes. The texts go out as the interner holds them: made into Strings first, the
        /// 600,000 of a national rollup cost a tenth of a second.
        func finish(strings: ByteInterner, files: [String], losers: OrdinalBits) throws(TechSurveyError) {
            try flushRecords()
            var tables = StageChecksum()
            var stringBytes: UInt64 = 0
            let fileTexts = files.map { Array($0.utf8) }
            let appended = { (text: UnsafeRawBufferPointer) -> Bool in
                guard text.count <= Int(UInt32.max) else { return false }
                self.buffer.reserve(4 + text.count)
                self.buffer.store(UInt32(text.count))
                self.buffer.append(text.assumingMemoryBound(to: UInt8.self))
                return true
            }
            for i in 0..<(strings.count + fileTexts.count) {
                let fits = i < strings.count ? strings.withBytes(i, appended) : fileTexts[i - strings.count].withUnsafeBytes(appended)
                guard fits else {
                    let what = i < strings.count ? "a text cell" : "an input file's name"
                    throw TechSurveyError(.data, "\(what) of more than \(group(String(UInt32.max), ",")) bytes is too long for \(path); shorten it or split the input file")
                }
                if buffer.count >= pieceBytes {
                    tables.add(buffer.bytes)
                    stringBytes += UInt64(buffer.count)
                    try file.write(buffer.bytes)
                    buffer.removeAll()
                }
            }
            tables.add(buffer.bytes)
            stringBytes += UInt64(buffer.count)
            try file.write(buffer.bytes)
            buffer.removeAll()
            guard strings.count + files.count <= Int(Int32.max) else {
                throw TechSurveyError(.data, "\(strings.count) distinct texts are too many for \(path); split the input folder")
            }

            let words = losers.words(for: count)
            let loserCount = words.reduce(0) { $0 + $1.nonzeroBitCount }
            buffer.reserve(words.count * 8)
            for w in words { buffer.store(w) }
            tables.add(buffer.bytes)
            try file.write(buffer.bytes)
            buffer.removeAll()

            let footer: [UInt64] = [
                UInt64(count), recordBytes, UInt64(strings.count + files.count), stringBytes, UInt64(files.count),
                UInt64(loserCount), UInt64(count - loserCount), checksum.value, tables.value,
            ]
            var sum = StageChecksum()
            buffer.reserve(footerSize)
            for w in footer { buffer.store(w) }
            sum.add(buffer.bytes)
            buffer.store(sum.value)
            endMagic.withUnsafeBufferPointer { buffer.append($0) }
            try file.write(buffer.bytes)
            buffer.removeAll()
            try file.flush()
        }

        /// Flushes to disk and renames the file into place.
        func commit() throws(TechSurveyError) { try file.commit() }

        /// Flushes to disk without renaming (see `AtomicFile.Stream.sync()`).
        func sync() throws(TechSurveyError) { try file.sync() }
    }

    // MARK: reading

    /// The file's winners as a `ReturnStream`. Opening reads the footer, the strings and the loser bits;
    /// the records are read on each pass.
    final class Reader: ReturnStream {
        let path: String
        /// What messages call the file: its published path while it is read from its temporary one.
        let shownPath: String
        let strings: [String]
        let losers: OrdinalBits
        /// Accepted records (winners and losers), winners, and where the file names start in `strings`.
        let recordCount: Int
        let winnerCount: Int
        let loserCount: Int
        let fileBase: Int32
        private let recordBytes: Int
        private let recordsChecksum: UInt64
        private let input: Input
        /// Bytes `forEachChunk(threads:)` reads at a time (smaller in tests, so a small file is many pieces).
        let pieceBytes: Int

        /// Opens the file at `path`; messages name it `shownAs` (by default `path`).
        init(_ path: String, shownAs: String? = nil, pieceBytes: Int = PackedReturnsFile.parallelPieceBytes) throws(TechSurveyError) {
            self.path = path
            let shown = shownAs ?? path
            shownPath = shown
            self.pieceBytes = pieceBytes
            let input = try Input(path, shownAs: shown)
            self.input = input
            let damaged = PackedReturnsFile.damaged(shown)

            guard input.size >= headerSize + footerSize else { throw damaged }
            let header = try input.read(at: 0, count: headerSize)
            guard header.starts(with: magic) else { throw damaged }
            guard load(header, 8) as UInt32 == version, load(header, 12) as UInt32 == UInt32(recordSize) else {
                throw TechSurveyError(.data, "\(shown) was written by another version of techsurvey; run `make clean report` to rebuild the stage folder")
            }
            let footer = try input.read(at: input.size - footerSize, count: footerSize)
            var sum = StageChecksum()
            footer.withUnsafeBytes { sum.add(UnsafeRawBufferPointer(rebasing: $0[0..<72])) }
            guard Array(footer[80...]) == endMagic, load(footer, 72) == sum.value else { throw damaged }
            let words: [UInt64] = (0..<9).map { load(footer, $0 * 8) }
            let (records, recordBytes, stringCount, stringBytes, fileCount, losers, winners) = (words[0], words[1], words[2], words[3], words[4], words[5], words[6])
            // Every size checked against the file's before anything is allocated for it.
            let size = UInt64(input.size)
            guard records <= UInt64(UInt32.max), recordBytes <= size, recordBytes >= records * UInt64(recordSize),
                  stringBytes <= size, stringCount <= UInt64(Int32.max), stringCount * 4 <= stringBytes,
                  fileCount <= stringCount, losers <= records, winners == records - losers else { throw damaged }
            let loserWords = (records + 63) / 64
            guard UInt64(headerSize) + recordBytes + stringBytes + loserWords * 8 + UInt64(footerSize) == size else { throw damaged }

            var tables = StageChecksum()
            let stringSection = try input.read(at: headerSize + Int(recordBytes), count: Int(stringBytes))
            tables.add(stringSection)
            var strings: [String] = []
            strings.reserveCapacity(Int(stringCount))
            let complete = stringSection.withUnsafeBytes { raw -> Bool in
                var o = 0
                for _ in 0..<stringCount {
                    guard o + 4 <= raw.count else { return false }
                    let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
                    o += 4
                    guard length <= raw.count - o else { return false }
                    strings.append(String(decoding: UnsafeRawBufferPointer(rebasing: raw[o..<(o + length)]), as: UTF8.self))
                    o += length
                }
                return o == raw.count
            }
            guard complete else { throw damaged }
            let bitBytes = try input.read(at: headerSize + Int(recordBytes) + Int(stringBytes), count: Int(loserWords) * 8)
            tables.add(bitBytes)
            guard load(footer, 64) == tables.value else { throw damaged }
            let bits = OrdinalBits(words: (0..<Int(loserWords)).map { load(bitBytes, $0 * 8) })
            guard bits.count == Int(losers) else { throw damaged }

            self.strings = strings
            self.losers = bits
            recordCount = Int(records)
            winnerCount = Int(winners)
            loserCount = Int(losers)
            fileBase = Int32(stringCount - fileCount)
            self.recordBytes = Int(recordBytes)
            recordsChecksum = load(footer, 56)
        }

        /// Calls `body` with the winners, in input order, a chunk at a time.
        func forEachChunk(_ body: (UnsafeBufferPointer<PackedReturn>) throws -> Void) throws {
            var chunk: [PackedReturn] = []
            chunk.reserveCapacity(chunkRecords)
            try scan(only: { !losers.contains($0) }) { _, record, _ in
                chunk.append(record)
                if chunk.count == chunkRecords {
                    try chunk.withUnsafeBufferPointer(body)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            if !chunk.isEmpty { try chunk.withUnsafeBufferPointer(body) }
        }

        /// The winners `forEachChunk` gives, on `threads` threads (Fast/PieceWorkers): this thread reads
        /// the file a piece at a time, checksums it and finds where its records start, and the workers
        /// decode and check the pieces' winners and call `body` with each piece's, by their number. Throws
        /// when the file is damaged, at the latest after the last record, once every thread has stopped.
        func forEachChunk(threads: Int, _ body: (Int, UnsafeBufferPointer<PackedReturn>) throws -> Void) throws {
            let damaged = PackedReturnsFile.damaged(shownPath)
            let pieceBytes = max(self.pieceBytes, 2 * recordSize)
            var checksum = StageChecksum()
            var offset = headerSize
            let end = headerSize + recordBytes
            // The record cut by the end of the last piece read, and the bytes it needs when known.
            var carry: [UInt8] = []
            var need = 0
            var ordinal: UInt32 = 0
            let recordCount = UInt64(self.recordCount)
            let strings = Int32(self.strings.count), fileBase = self.fileBase, losers = self.losers
            let chunks = (0..<max(1, threads)).map { _ in WorkerChunk() }
            try withPieceWorkers(threads, pieceBytes: pieceBytes, fill: { piece in
                guard offset < end || !carry.isEmpty else { return false }
                guard offset < end else { throw damaged }
                let held = carry.count
                let room = max(pieceBytes, need)
                if piece.bytes.count < room { piece.bytes.append(contentsOf: repeatElement(0, count: room - piece.bytes.count)) }
                piece.bytes.replaceSubrange(0..<held, with: carry)
                let n = min(piece.bytes.count - held, end - offset)
                try piece.bytes.withUnsafeMutableBytes { raw in
                    let target = UnsafeMutableRawBufferPointer(rebasing: raw[held..<(held + n)])
                    try input.fill(target, at: offset)
                    checksum.add(UnsafeRawBufferPointer(target))
                }
                offset += n
                let available = held + n
                var records = 0
                let o: Int
                (o, need) = try piece.bytes.withUnsafeBytes { raw in
                    try Self.wholeRecords(in: raw, available: available, more: end - offset, damaged: damaged) { _, _ in
                        guard UInt64(ordinal) + UInt64(records) < recordCount else { throw damaged }
                        records += 1
                    }
                }
                carry.removeAll(keepingCapacity: true)
                carry.append(contentsOf: piece.bytes[o..<available])
                guard carry.isEmpty || offset < end else { throw damaged }
                piece.count = o
                piece.records = records
                piece.firstOrdinal = ordinal
                ordinal += UInt32(records)
                return true
            }, work: { worker, piece in
                let chunk = chunks[worker]
                chunk.records.removeAll(keepingCapacity: true)
                try piece.bytes.withUnsafeBytes { raw in
                    var o = 0
                    for k in 0..<piece.records {
                        let length = Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: o + Layout.returnID, as: Int32.self)))
                        if !losers.contains(piece.firstOrdinal + UInt32(k)) {
                            guard let r = decode(raw, at: o, strings: strings, fileBase: fileBase) else { throw damaged }
                            chunk.records.append(r)
                        }
                        o += recordSize + length
                    }
                }
                if !chunk.records.isEmpty { try chunk.records.withUnsafeBufferPointer { try body(worker, $0) } }
            })
            guard UInt64(ordinal) == recordCount, checksum.value == recordsChecksum else { throw damaged }
        }

        /// Every accepted record, winners and losers, in input order, with its ordinal and its return_id's
        /// bytes (valid during the call). `returnID` in the record is -1: return ids are one per record, so
        /// they stay in the file rather than in `strings`. Throws when the file is damaged, at the latest
        /// after the last record: callers publish nothing before this returns. Records whose ordinal `only`
        /// refuses are checksummed but neither decoded nor visited.
        func scan(only: (UInt32) -> Bool = { _ in true }, _ visit: (UInt32, PackedReturn, UnsafeRawBufferPointer) throws -> Void) throws {
            let damaged = PackedReturnsFile.damaged(shownPath)
            var buffer = [UInt8](repeating: 0, count: pieceBytes)
            var checksum = StageChecksum()
            var offset = headerSize, end = headerSize + recordBytes
            var held = 0
            var ordinal: UInt32 = 0
            let strings = Int32(self.strings.count), fileBase = self.fileBase
            while offset < end || held > 0 {
                let room = buffer.count - held
                let n = min(room, end - offset)
                if n > 0 {
                    try buffer.withUnsafeMutableBytes { raw in
                        try input.fill(UnsafeMutableRawBufferPointer(rebasing: raw[held..<(held + n)]), at: offset)
                        checksum.add(UnsafeRawBufferPointer(rebasing: raw[held..<(held + n)]))
                    }
                    offset += n
                }
                let available = held + n
                let (o, need) = try buffer.withUnsafeBytes { raw in
                    try Self.wholeRecords(in: raw, available: available, more: end - offset, damaged: damaged) { o, length in
                        guard UInt64(ordinal) < UInt64(recordCount) else { throw damaged }
                        if only(ordinal) {
                            guard let r = decode(raw, at: o, strings: strings, fileBase: fileBase) else { throw damaged }
                            try visit(ordinal, r, UnsafeRawBufferPointer(rebasing: raw[(o + recordSize)..<(o + recordSize + length)]))
                        }
                        ordinal += 1
                    }
                }
                // A record cut by the end of the piece moves to the front and is completed by the next read.
                held = available - o
                if held > 0 {
                    guard offset < end else { throw damaged }
                    buffer.withUnsafeMutableBytes { raw in
                        guard let base = raw.baseAddress else { return }
                        memmove(base, base + o, held)
                    }
                    // A return_id longer than a piece: room for the whole record.
                    if need > buffer.count { buffer.append(contentsOf: repeatElement(0, count: need - buffer.count)) }
                }
            }
            guard Int(ordinal) == recordCount, checksum.value == recordsChecksum else { throw damaged }
        }

        /// Calls `record(offset, idLength)` for each whole record at the start of `raw[0..<available]`, with
        /// `more` bytes of the file still unread after them; returns where the first record that is not whole
        /// starts and the bytes it needs (0 when none is cut). A length past what the file still holds is
        /// damage, not a record to make room for: a flipped high byte would otherwise ask for gigabytes
        /// before the checksum said so.
        private static func wholeRecords(in raw: UnsafeRawBufferPointer, available: Int, more: Int, damaged: TechSurveyError,
                                         _ record: (Int, Int) throws -> Void) throws -> (end: Int, need: Int) {
            var o = 0
            while o + recordSize <= available {
                let length = Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: o + Layout.returnID, as: Int32.self)))
                guard length >= 0 else { throw damaged }
                guard o + recordSize + length <= available else {
                    guard length <= available - o - recordSize + more else { throw damaged }
                    return (o, recordSize + length)
                }
                try record(o, length)
                o += recordSize + length
            }
            return (o, 0)
        }

        /// Every winner unpacked, with its own Strings (tests and small stages; not for millions of records).
        func returnRecords() throws -> [ReturnRecord] {
            var out: [ReturnRecord] = []
            try scan(only: { !losers.contains($0) }) { _, p, id in
                out.append(ReturnRecord(
                    source: SourceRef(file: strings[Int(p.file)], row: Int(p.row), line: Int(p.line)),
                    returnID: String(decoding: id, as: UTF8.self), unitID: strings[Int(p.unitID)], unitName: strings[Int(p.unitName)],
                    unitType: p.unitTypeCode, district: strings[Int(p.district)], field: p.fieldCode, surveyDate: p.date,
                    found: Int(p.found), proposed: Int(p.proposed), submittedAt: SubmissionTime(packed: p.submitted)
                ))
            }
            return out
        }
    }

    /// One worker's decoded winners of a piece, reused from piece to piece; touched by that worker only.
    private final class WorkerChunk: @unchecked Sendable {
        var records: [PackedReturn] = []
    }

    /// The record at `o`, or nil when any of its indices, codes, dates or counts is out of range.
    private static func decode(_ raw: UnsafeRawBufferPointer, at o: Int, strings: Int32, fileBase: Int32) -> PackedReturn? {
        func int32(_ at: Int) -> Int32 { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: o + at, as: Int32.self)) }
        func int64(_ at: Int) -> Int64 { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: o + at, as: Int64.self)) }
        let rank = int32(Layout.file)
        guard rank >= 0, rank < strings - fileBase else { return nil }
        let r = PackedReturn(
            file: fileBase + rank, row: int32(Layout.row), line: int32(Layout.line), returnID: -1,
            unitID: int32(Layout.unitID), unitName: int32(Layout.unitName), district: int32(Layout.district),
            unitType: raw[o + Layout.unitType], field: raw[o + Layout.field], surveyDate: int32(Layout.surveyDate),
            found: int64(Layout.found), proposed: int64(Layout.proposed), submitted: int64(Layout.submitted)
        )
        func text(_ index: Int32) -> Bool { index >= 0 && index < fileBase }
        guard text(r.unitID), text(r.unitName), text(r.district), r.row >= 0, r.line >= 0,
              Int(r.unitType) < UnitType.allCases.count, Int(r.field) < Field.allCases.count,
              CalendarDate(packed: r.surveyDate) != nil, r.found >= 0, r.proposed >= 0,
              r.submitted == -1 || SubmissionTime(packed: r.submitted) != nil else { return nil }
        return r
    }

    private static func load<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int) -> T {
        bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }

    /// An open file read at offsets.
    fileprivate final class Input {
        let descriptor: Int32
        /// The file's name in messages.
        let path: String
        let size: Int

        init(_ file: String, shownAs path: String) throws(TechSurveyError) {
            self.path = path
            descriptor = open(file, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                let missing = errno == ENOENT, reason = String(cString: strerror(errno))
                if file != path {
                    // Ingest reading back what it is writing: the stage is not missing, its temporary file is.
                    throw TechSurveyError(.ioError, "cannot read \(path) back while writing it (\(reason)): its temporary file \(file) was removed or replaced during the run; run again, with no other program writing to the stage folder")
                }
                let folder = (path as NSString).deletingLastPathComponent
                if missing && FileManager.default.fileExists(atPath: folder + "/returns.csv") {
                    throw TechSurveyError(.data, "\(folder) was written by an older version of techsurvey (returns.csv, no returns.bin); run `make clean report` to rebuild the stage folder")
                }
                throw TechSurveyError(.noInput, "cannot read \(path) (\(reason)); run the ingest stage first (make report does it)")
            }
            var info = stat()
            guard fstat(descriptor, &info) == 0 else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw TechSurveyError(.noInput, "cannot read \(path) (\(reason)); copy the stage folder locally and retry")
            }
            size = Int(info.st_size)
        }

        deinit { close(descriptor) }

        /// Exactly `count` bytes at `offset` (the caller has checked they lie inside the file).
        func read(at offset: Int, count: Int) throws(TechSurveyError) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            let filled = bytes.withUnsafeMutableBytes { raw in Result { () throws(TechSurveyError) in try fill(raw, at: offset) } }
            try filled.get()
            return bytes
        }

        /// Fills `buffer` from `offset`; a file that ends early is damaged.
        func fill(_ buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(TechSurveyError) {
            var done = 0
            while done < buffer.count {
                let n = pread(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done, off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                if n < 0 {
                    throw TechSurveyError(.noInput, "cannot read \(path) (\(String(cString: strerror(errno)))); copy the stage folder locally and retry")
                }
                if n == 0 { throw PackedReturnsFile.damaged(path) }
                done += n
            }
        }
    }
}
