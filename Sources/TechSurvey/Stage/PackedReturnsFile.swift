// STAGE/returns.bin: the accepted returns as ingest hands them to aggregate and trace. Re-parsing millions
// of CSV rows and building Strings for each cost aggregate most of its time; this file is read with a few
// large reads into fixed-size records and one table of distinct strings. Everything read is checked, so a
// truncated, damaged or older file stops the stage with one line, never a crash. `techsurvey-stage
// returns` prints it as CSV for analysts.

import Foundation

/// Writes and reads `PackedReturns` in this layout, every number little-endian:
///
///     "TSRETURN"  version: u32  record size: u32
///     string count: u64  string bytes: u64  record count: u64
///     strings: for each, length: u32, then its UTF-8
///     records: `recordSize` bytes each (offsets in `Layout`)
///     checksum: u64 (`StageChecksum` of every byte before it)
public enum PackedReturnsFile {
    static let magic: [UInt8] = Array("TSRETURN".utf8)
    /// Raise when the layout changes: a stage of another version then asks for `make clean report`.
    static let version: UInt32 = 1
    static let headerSize = 40
    static let recordSize = 58
    /// Records per read or write: about 3.6 MiB.
    static let recordsPerPiece = 65_536
    static let pieceBytes = 4 << 20

    /// Byte offsets of a record's fields.
    enum Layout {
        static let file = 0, row = 4, line = 8, returnID = 12, unitID = 16, unitName = 20, district = 24
        static let unitType = 28, field = 29, surveyDate = 30, found = 34, proposed = 42, submitted = 50
    }

    // MARK: writing

    /// Writes `packed` to `path` atomically, in pieces of a few MiB.
    public static func write(_ packed: PackedReturns, to path: String) throws(TechSurveyError) {
        let file = try AtomicFile.Stream(path: path)
        var out = Pieces(file: file)
        var stringBytes = 0
        for s in packed.strings {
            guard s.utf8.count <= Int(UInt32.max) else {
                throw TechSurveyError(.data, "a text cell of \(s.utf8.count) bytes is too long for \(path); split the input file")
            }
            stringBytes += s.utf8.count
        }
        guard packed.strings.count <= Int(Int32.max) else {
            throw TechSurveyError(.data, "\(packed.strings.count) distinct texts are too many for \(path); split the input folder")
        }

        out.bytes.append(contentsOf: magic)
        out.append(version)
        out.append(UInt32(recordSize))
        out.append(UInt64(packed.strings.count))
        out.append(UInt64(stringBytes))
        out.append(UInt64(packed.records.count))

        for var s in packed.strings {
            out.append(UInt32(s.utf8.count))
            s.withUTF8 { out.bytes.append(contentsOf: $0) }
            if out.bytes.count >= pieceBytes { try out.flush() }
        }
        try out.flush()

        var start = 0
        while start < packed.records.count {
            let end = min(start + recordsPerPiece, packed.records.count)
            out.bytes = [UInt8](repeating: 0, count: (end - start) * recordSize)
            out.bytes.withUnsafeMutableBytes { raw in
                var o = 0
                for i in start..<end {
                    encode(packed.records[i], into: raw, at: o)
                    o += recordSize
                }
            }
            try out.flush()
            start = end
        }

        let sum = out.checksum.value
        out.append(sum)
        try file.write(out.bytes)
        try file.commit()
    }

    private static func encode(_ r: PackedReturn, into raw: UnsafeMutableRawBufferPointer, at o: Int) {
        raw.storeBytes(of: r.file.littleEndian, toByteOffset: o + Layout.file, as: Int32.self)
        raw.storeBytes(of: r.row.littleEndian, toByteOffset: o + Layout.row, as: Int32.self)
        raw.storeBytes(of: r.line.littleEndian, toByteOffset: o + Layout.line, as: Int32.self)
        raw.storeBytes(of: r.returnID.littleEndian, toByteOffset: o + Layout.returnID, as: Int32.self)
        raw.storeBytes(of: r.unitID.littleEndian, toByteOffset: o + Layout.unitID, as: Int32.self)
        raw.storeBytes(of: r.unitName.littleEndian, toByteOffset: o + Layout.unitName, as: Int32.self)
        raw.storeBytes(of: r.district.littleEndian, toByteOffset: o + Layout.district, as: Int32.self)
        raw.storeBytes(of: r.unitType, toByteOffset: o + Layout.unitType, as: UInt8.self)
        raw.storeBytes(of: r.field, toByteOffset: o + Layout.field, as: UInt8.self)
        raw.storeBytes(of: r.surveyDate.littleEndian, toByteOffset: o + Layout.surveyDate, as: Int32.self)
        raw.storeBytes(of: r.found.littleEndian, toByteOffset: o + Layout.found, as: Int64.self)
        raw.storeBytes(of: r.proposed.littleEndian, toByteOffset: o + Layout.proposed, as: Int64.self)
        raw.storeBytes(of: r.submitted.littleEndian, toByteOffset: o + Layout.submitted, as: Int64.self)
    }

    /// Bytes on their way to the file, and the checksum of all handed over so far.
    private struct Pieces {
        let file: AtomicFile.Stream
        var bytes: [UInt8] = []
        var checksum = StageChecksum()

        init(file: AtomicFile.Stream) {
            self.file = file
            bytes.reserveCapacity(PackedReturnsFile.pieceBytes + 65_536)
        }

        mutating func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func flush() throws(TechSurveyError) {
            checksum.add(bytes)
            try file.write(bytes)
            bytes.removeAll(keepingCapacity: true)
        }
    }

    // MARK: reading

    /// Reads `path`, checking every index, code, date and count.
    public static func read(_ path: String) throws(TechSurveyError) -> PackedReturns {
        var input = try Input(path)
        let damaged = TechSurveyError(.data, "\(path) is damaged; run `make clean report` to rebuild the stage folder")

        var header = [UInt8](repeating: 0, count: headerSize)
        guard try input.fill(&header, count: headerSize), header.starts(with: magic) else { throw damaged }
        let fileVersion: UInt32 = load(header, 8), fileRecordSize: UInt32 = load(header, 12)
        guard fileVersion == version, fileRecordSize == UInt32(recordSize) else {
            throw TechSurveyError(.data, "\(path) was written by another version of techsurvey; run `make clean report` to rebuild the stage folder")
        }
        let stringCount: UInt64 = load(header, 16), stringBytes: UInt64 = load(header, 24), recordCount: UInt64 = load(header, 32)
        // Counts checked against the file's size before anything is allocated for them.
        let size = UInt64(input.size)
        guard stringCount <= UInt64(Int32.max), stringBytes <= size, recordCount <= size / UInt64(recordSize),
              UInt64(headerSize) + stringCount * 4 + stringBytes + recordCount * UInt64(recordSize) + 8 == size else { throw damaged }
        var checksum = StageChecksum()
        header.withUnsafeBytes { checksum.add($0) }

        let strings = try readStrings(&input, count: Int(stringCount), bytes: Int(stringCount * 4 + stringBytes), checksum: &checksum, damaged: damaged)
        let records = try readRecords(&input, count: Int(recordCount), strings: Int32(stringCount), checksum: &checksum, damaged: damaged)

        var trailer = [UInt8](repeating: 0, count: 8)
        guard try input.fill(&trailer, count: 8), load(trailer, 0) == checksum.value else { throw damaged }
        return PackedReturns(strings: strings, records: records)
    }

    private static func readStrings(_ input: inout Input, count: Int, bytes: Int, checksum: inout StageChecksum, damaged: TechSurveyError) throws(TechSurveyError) -> [String] {
        var section = [UInt8](repeating: 0, count: bytes)
        guard try input.fill(&section, count: bytes) else { throw damaged }
        var strings: [String] = []
        strings.reserveCapacity(count)
        let complete = section.withUnsafeBufferPointer { buffer -> Bool in
            let raw = UnsafeRawBufferPointer(buffer)
            checksum.add(raw)
            var o = 0
            for _ in 0..<count {
                guard o + 4 <= raw.count else { return false }
                let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
                o += 4
                guard length <= raw.count - o else { return false }
                strings.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[o..<(o + length)]), as: UTF8.self))
                o += length
            }
            return o == raw.count
        }
        guard complete else { throw damaged }
        return strings
    }

    private static func readRecords(_ input: inout Input, count: Int, strings: Int32, checksum: inout StageChecksum, damaged: TechSurveyError) throws(TechSurveyError) -> [PackedReturn] {
        var records: [PackedReturn] = []
        records.reserveCapacity(count)
        var piece = [UInt8](repeating: 0, count: min(count, recordsPerPiece) * recordSize)
        var done = 0
        while done < count {
            let n = min(count - done, recordsPerPiece)
            guard try input.fill(&piece, count: n * recordSize) else { throw damaged }
            let valid = piece.withUnsafeBytes { raw -> Bool in
                let bytes = UnsafeRawBufferPointer(rebasing: raw[0..<(n * recordSize)])
                checksum.add(bytes)
                for i in 0..<n {
                    guard let r = decode(bytes, at: i * recordSize, strings: strings) else { return false }
                    records.append(r)
                }
                return true
            }
            guard valid else { throw damaged }
            done += n
        }
        return records
    }

    /// The record at `o`, or nil when any of its indices, codes, dates or counts is out of range.
    private static func decode(_ raw: UnsafeRawBufferPointer, at o: Int, strings: Int32) -> PackedReturn? {
        func int32(_ at: Int) -> Int32 { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: o + at, as: Int32.self)) }
        func int64(_ at: Int) -> Int64 { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: o + at, as: Int64.self)) }
        let r = PackedReturn(
            file: int32(Layout.file), row: int32(Layout.row), line: int32(Layout.line), returnID: int32(Layout.returnID),
            unitID: int32(Layout.unitID), unitName: int32(Layout.unitName), district: int32(Layout.district),
            unitType: raw[o + Layout.unitType], field: raw[o + Layout.field], surveyDate: int32(Layout.surveyDate),
            found: int64(Layout.found), proposed: int64(Layout.proposed), submitted: int64(Layout.submitted)
        )
        func text(_ index: Int32) -> Bool { index >= 0 && index < strings }
        guard text(r.file), text(r.returnID), text(r.unitID), text(r.unitName), text(r.district), r.row >= 0, r.line >= 0, Int(r.unitType) < UnitType.allCases.count, Int(r.field) < Field.allCases.count,
              CalendarDate(packed: r.surveyDate) != nil, r.found >= 0, r.proposed >= 0,
              r.submitted == -1 || SubmissionTime(packed: r.submitted) != nil else { return nil }
        return r
    }

    private static func load<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int) -> T {
        bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }

    /// An open file read in large pieces.
    private struct Input: ~Copyable {
        let descriptor: Int32
        let path: String
        let size: Int

        init(_ path: String) throws(TechSurveyError) {
            self.path = path
            descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                let missing = errno == ENOENT, reason = String(cString: strerror(errno))
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

        /// Reads exactly `count` bytes into the start of `buffer`; false at the end of the file.
        mutating func fill(_ buffer: inout [UInt8], count: Int) throws(TechSurveyError) -> Bool {
            let fd = descriptor
            let outcome = buffer.withUnsafeMutableBytes { raw -> Int in
                var done = 0
                while done < count {
                    let n = readBytes(fd, raw.baseAddress.map { $0 + done }, count - done)
                    if n < 0 && errno == EINTR { continue }
                    if n < 0 { return -1 }
                    if n == 0 { break }
                    done += n
                }
                return done
            }
            guard outcome >= 0 else {
                throw TechSurveyError(.noInput, "cannot read \(path) (\(String(cString: strerror(errno)))); copy the stage folder locally and retry")
            }
            return outcome == count
        }
    }
}

/// `read(2)`, named apart from `PackedReturnsFile.read`.
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
