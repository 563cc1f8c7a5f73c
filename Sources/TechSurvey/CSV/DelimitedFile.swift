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
}

/// The delimiters sniffed from a header line, in order of preference on a tie.
public let sniffableDelimiters: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]

/// Reading options an analyst can force.
public struct ReadOptions: Sendable, Equatable {
    public var encoding: TextEncoding?
    public var delimiter: UInt8?
    public init(encoding: TextEncoding? = nil, delimiter: UInt8? = nil) {
        self.encoding = encoding
        self.delimiter = delimiter
    }
}

/// Reads `path` and calls `onRecord` for every record, blank ones included. Throws `noInput` when the file
/// cannot be read and `data` when it is empty or binary.
public func readDelimitedFile(
    path: String,
    displayName: String,
    options: ReadOptions,
    chunkSize: Int = 1 << 20,
    onRecord: (CSVRecord, FileFacts) throws -> Void
) throws -> FileFacts {
    guard let handle = fopen(path, "rb") else {
        throw TechSurveyError(.noInput, "\(displayName): cannot open the file (\(String(cString: strerror(errno)))); check that it exists and is readable")
    }
    defer { fclose(handle) }
    var hasher = SHA256Hasher()
    var buffer = [UInt8](repeating: 0, count: chunkSize)
    var facts: FileFacts?
    var transcoder: Transcoder?
    var reader: CSVReader?
    var total = 0

    while true {
        let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, chunkSize, handle) }
        if count < chunkSize && ferror(handle) != 0 {
            throw TechSurveyError(.noInput, "\(displayName): reading failed after \(total) bytes (\(String(cString: strerror(errno)))); copy the file locally and retry")
        }
        let isLast = count < chunkSize
        var chunk = count == chunkSize ? buffer : Array(buffer[0..<count])
        hasher.update(chunk)
        total += count

        if facts == nil {
            if count == 0 {
                throw TechSurveyError(.data, "\(displayName): the file is empty; export the sheet again or remove the file")
            }
            let (encoding, source, bomLength) = detectEncoding(prefix: chunk, named: options.encoding)
            if encoding != .utf16LE && encoding != .utf16BE, chunk.contains(0) {
                throw TechSurveyError(.data, "\(displayName): this is not a text file (it holds NUL bytes); save the sheet as CSV and retry")
            }
            chunk.removeFirst(bomLength)
            var t = Transcoder(encoding: encoding)
            let text = t.transcode(chunk, isLast: isLast)
            let delimiter = options.delimiter ?? sniffDelimiter(text)
            facts = FileFacts(sha256: "", encoding: encoding, encodingSource: source, delimiter: delimiter, bytes: 0)
            transcoder = t
            reader = try CSVReader(delimiter: delimiter)
            try feed(text, into: reader, facts: facts, onRecord: onRecord)
        } else {
            let text = transcoder?.transcode(chunk, isLast: isLast) ?? chunk
            try feed(text, into: reader, facts: facts, onRecord: onRecord)
        }
        if isLast { break }
    }
    guard var result = facts else {
        throw TechSurveyError(.data, "\(displayName): the file is empty; export the sheet again or remove the file")
    }
    try reader?.finish { try onRecord($0, result) }
    result.sha256 = hasher.finalizeHex()
    result.bytes = total
    return result
}

private func feed(_ text: [UInt8], into reader: CSVReader?, facts: FileFacts?, onRecord: (CSVRecord, FileFacts) throws -> Void) throws {
    guard let reader, let facts else { return }
    try reader.feed(text) { try onRecord($0, facts) }
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
