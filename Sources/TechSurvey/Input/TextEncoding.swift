// The character sets real returns arrive in (SPEC §3.3), how a file's set is chosen, and the streaming
// transcoder that turns any of them into UTF-8 with LF line ends before libcsv sees a byte.

import Foundation

/// A character set ingest can read.
public enum TextEncoding: String, Codable, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case windows1258 = "windows-1258"
    /// TCVN 5712:1993 VN3, the "ABC" encoding of .VnTime fonts; never detected, only named.
    case tcvn3 = "tcvn3"

    /// Parses the names analysts type (`cp1258`, `UTF8`, `windows-1258`, …).
    public init?(name: String) {
        let key = name.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "utf8": self = .utf8
        case "utf16le", "utf16": self = .utf16LE
        case "utf16be": self = .utf16BE
        case "cp1258", "windows1258", "win1258", "1258": self = .windows1258
        case "tcvn3", "tcvn", "tcvn5712", "tcvn57121", "vn3", "abc": self = .tcvn3
        default: return nil
        }
    }
}

/// How the encoding of a file was decided; the manifest records it so an analyst can check.
enum EncodingSource: String, Codable, Sendable {
    case byteOrderMark = "bom"
    case option = "option"
    case detected = "detected"
    /// Not valid UTF-8 and no encoding named: decoded as Windows-1258 (SPEC §3.3).
    case fallback = "fallback"
    /// An encoding was named, but the file is valid UTF-8 text, so it was read as UTF-8: `ENCODING=` is for
    /// the files that are not (SPEC §3.3), and a valid UTF-8 file decoded as Windows-1258 would be garbled.
    case notApplied = "detected, option not applied"
}

/// Chooses a file's encoding. `census` covers the whole file, so a decision never rests on its beginning
/// alone (a Windows-1258 export whose first MiB is ASCII is still Windows-1258); without one, the census of
/// `prefix` is taken. Returns the encoding, how it was chosen, and how many leading bytes are a byte-order
/// mark to skip. A named encoding applies only to a file that is not UTF-8 text (see `looksLikeUTF8`) or
/// holds NUL bytes (UTF-16 without a byte-order mark).
func detectEncoding(prefix: [UInt8], named: TextEncoding?, census: ByteCensus? = nil) -> (TextEncoding, EncodingSource, bomLength: Int) {
    if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, .byteOrderMark, 3) }
    if prefix.starts(with: [0xFF, 0xFE]) { return (.utf16LE, .byteOrderMark, 2) }
    if prefix.starts(with: [0xFE, 0xFF]) { return (.utf16BE, .byteOrderMark, 2) }
    let whole = census ?? ByteCensus.of(prefix)
    if let named {
        // UTF-8 text as detection sees it (valid, or but for a few stray bytes whose records are rejected)
        // stays UTF-8: decoding it as Windows-1258 would turn every Vietnamese letter into two wrong ones.
        return whole.looksLikeUTF8 && whole.nul == 0 && named != .utf8 ? (.utf8, .notApplied, 0) : (named, .option, 0)
    }
    return whole.looksLikeUTF8 ? (.utf8, .detected, 0) : (.windows1258, .fallback, 0)
}

/// What a whole file's bytes say about its encoding: UTF-8 sequences well-formed and malformed, and NUL
/// bytes with how many stand at odd offsets (UTF-16 text without a byte-order mark puts them all on one side).
struct ByteCensus: Sendable, Equatable {
    var bytes = 0
    var multiByte = 0
    var malformed = 0
    var nul = 0
    var nulAtOdd = 0
    /// Well-formed sequences that are still not clean text as `isCleanUTF8` has it: an overlong form, a
    /// surrogate, a code point past U+10FFFF, or U+FFFD.
    var unclean = 0

    init() {}

    /// Every byte is valid UTF-8 holding no U+FFFD and no NUL: each cell of such a UTF-8 file is clean
    /// (`isCleanUTF8`), since cells are cut at ASCII bytes, which never stand inside a sequence.
    var isCleanUTF8Text: Bool { malformed == 0 && nul == 0 && unclean == 0 }

    /// The census of `bytes`, a whole file.
    static func of(_ bytes: [UInt8]) -> ByteCensus {
        var census = ByteCensus()
        bytes.withUnsafeBufferPointer { _ = census.add($0, isLast: true) }
        return census
    }

    /// A file that is UTF-8 but for a few stray bytes is still UTF-8 (the stray records are rejected as
    /// `bad_encoding`); one where malformed sequences outnumber good ones is a Windows-1258 export.
    var looksLikeUTF8: Bool { malformed == 0 || multiByte > malformed }

    /// UTF-16 without a byte-order mark: a fifth of the bytes or more are NUL, nine in ten on one side.
    var looksLikeUTF16: Bool { nul >= 2 && nul * 5 >= bytes && max(nulAtOdd, nul - nulAtOdd) * 10 >= nul * 9 }
    /// Which UTF-16 it looks like: ASCII letters have their NUL after them in little-endian order.
    var likelyUTF16: TextEncoding { nulAtOdd * 2 >= nul ? .utf16LE : .utf16BE }

    /// Too many NUL bytes for a text file with a stray one: a binary file (a workbook, an image, a zip).
    var looksBinary: Bool { (nul >= 8 && nul * 100 >= bytes) || nul > 10_000 }

    /// Counts `chunk`, the next bytes of the file. Returns how many bytes at its end were left uncounted
    /// because a UTF-8 sequence is cut there; the caller hands them again at the start of the next chunk.
    /// With `isLast`, everything is counted.
    mutating func add(_ chunk: UnsafeBufferPointer<UInt8>, isLast: Bool) -> Int {
        guard let p = chunk.baseAddress else { return 0 }
        let raw = UnsafeRawBufferPointer(chunk)
        let n = chunk.count
        var i = 0
        scan: while i < n {
            // ASCII without NUL, nearly every byte of a file, is skipped eight bytes at a time.
            i = asciiRunEnd(raw, from: i)
            guard i < n else { break }
            let b = p[i]
            if b < 0x80 {
                if b == 0 {
                    nul += 1
                    if (bytes + i) & 1 == 1 { nulAtOdd += 1 }
                }
                i += 1
                continue
            }
            // Vietnamese letters are two-byte sequences and three-byte ones led by E1 (U+1E00–U+1FFF),
            // which no overlong form, surrogate or U+FFFD shares: whole, they are counted at once, as the
            // general steps below would count them.
            if i + 1 < n, b >= 0xC2 && b <= 0xDF, p[i + 1] & 0xC0 == 0x80 {
                multiByte += 1
                i += 2
                continue
            }
            if i + 2 < n, b == 0xE1, p[i + 1] & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80 {
                multiByte += 1
                i += 3
                continue
            }
            guard let length = utf8SequenceLength(lead: b) else {
                malformed += 1
                i += 1
                continue
            }
            if i + length > n && !isLast {
                bytes += i
                return n - i
            }
            for k in 1..<length {
                if i + k >= n || p[i + k] & 0xC0 != 0x80 {
                    malformed += 1
                    i += 1
                    continue scan
                }
            }
            multiByte += 1
            if length >= 3 && !isCleanSequence(p + i, length: length) { unclean += 1 }
            i += length
        }
        bytes += n
        return 0
    }
}

/// Where the run of ASCII bytes other than NUL that starts at `start` ends: the first byte at or after
/// `start` that is NUL or not ASCII, read eight bytes at a time, or where fewer than eight bytes are left. Landing on the byte itself matters in Vietnamese text, whose letters stand a few bytes apart:
/// stepping byte by byte to it cost a failed word test per byte.
@inline(__always)
func asciiRunEnd(_ raw: UnsafeRawBufferPointer, from start: Int) -> Int {
    var i = start
    while i + 8 <= raw.count {
        let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        // A byte's NUL flag can be set falsely only above a NUL byte (the borrow): the lowest flag is exact.
        let flags = (w | ((w &- 0x0101_0101_0101_0101) & ~w)) & 0x8080_8080_8080_8080
        if flags != 0 { return i + flags.trailingZeroBitCount / 8 }
        i += 8
    }
    return i
}

/// Whether a well-formed sequence of three or four bytes at `p` is clean text: not overlong, not a
/// surrogate, not past U+10FFFF, not U+FFFD. The one statement of the rule, for `isCleanUTF8` and the census.
@inline(__always)
func isCleanSequence(_ p: UnsafePointer<UInt8>, length: Int) -> Bool {
    let b = p[0], b1 = p[1]
    if length == 3 {
        return !(b == 0xE0 && b1 < 0xA0) && !(b == 0xED && b1 >= 0xA0) && !(b == 0xEF && b1 == 0xBF && p[2] == 0xBD)
    }
    return !(b == 0xF0 && b1 < 0x90) && !(b == 0xF4 && b1 >= 0x90)
}

/// How many bytes a UTF-8 sequence starting with `lead` (≥ 0x80) takes; nil when it cannot start one.
@inline(__always)
func utf8SequenceLength(lead: UInt8) -> Int? {
    switch lead {
    case 0xC2...0xDF: return 2
    case 0xE0...0xEF: return 3
    case 0xF0...0xF4: return 4
    default: return nil
    }
}

/// A text whose malformed sequences do not outnumber its good ones is UTF-8 (see `ByteCensus.looksLikeUTF8`).
func looksLikeUTF8(_ bytes: [UInt8]) -> Bool { ByteCensus.of(bytes).looksLikeUTF8 }

/// Streams bytes of one encoding into UTF-8 with every CR LF and lone CR turned into LF, carrying partial
/// characters and a trailing CR across chunk boundaries.
struct Transcoder: Sendable {
    let encoding: TextEncoding
    private var carry: [UInt8] = []
    private var pendingCR = false
    private var highSurrogate: UInt32? = nil

    init(encoding: TextEncoding) { self.encoding = encoding }

    /// Transcodes one chunk. Pass `isLast` with the final chunk so a dangling CR or half character is flushed.
    mutating func transcode(_ chunk: [UInt8], isLast: Bool) -> [UInt8] {
        switch encoding {
        case .utf8:
            return normaliseLineEnds(chunk, isLast: isLast)
        case .windows1258, .tcvn3:
            let high = encoding == .tcvn3 ? tcvn3High : windows1258High
            var out: [UInt8] = []
            out.reserveCapacity(chunk.count + chunk.count / 4)
            for b in chunk {
                if b < 0x80 { out.append(b) } else { appendScalar(UInt32(high[Int(b) - 0x80]), to: &out) }
            }
            return normaliseLineEnds(out, isLast: isLast)
        case .utf16LE, .utf16BE:
            var input = carry
            input.append(contentsOf: chunk)
            let usable = input.count & ~1
            carry = Array(input[usable...])
            var out: [UInt8] = []
            out.reserveCapacity(usable)
            var i = 0
            while i < usable {
                let unit = encoding == .utf16LE
                    ? UInt32(input[i]) | UInt32(input[i + 1]) << 8
                    : UInt32(input[i]) << 8 | UInt32(input[i + 1])
                i += 2
                if let high = highSurrogate {
                    highSurrogate = nil
                    if (0xDC00...0xDFFF).contains(unit) {
                        appendScalar(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00), to: &out)
                        continue
                    }
                    appendScalar(0xFFFD, to: &out)
                }
                if (0xD800...0xDBFF).contains(unit) { highSurrogate = unit; continue }
                appendScalar((0xDC00...0xDFFF).contains(unit) ? 0xFFFD : unit, to: &out)
            }
            if isLast && (highSurrogate != nil || !carry.isEmpty) {
                appendScalar(0xFFFD, to: &out)
                highSurrogate = nil
                carry = []
            }
            return normaliseLineEnds(out, isLast: isLast)
        }
    }

    private mutating func normaliseLineEnds(_ bytes: [UInt8], isLast: Bool) -> [UInt8] {
        // The common case, a file with LF ends, is passed through without a copy.
        if !pendingCR && !containsCR(bytes) { return bytes }
        // Nothing decoded yet (half a UTF-16 unit): a waiting CR must still see what follows it.
        if bytes.isEmpty && !isLast { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 1)
        var index = 0
        if pendingCR {
            out.append(0x0A)
            pendingCR = false
            if bytes.first == 0x0A { index = 1 }
        }
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            guard b == 0x0D else { out.append(b); continue }
            if index == bytes.count {
                if isLast { out.append(0x0A) } else { pendingCR = true }
            } else {
                out.append(0x0A)
                if bytes[index] == 0x0A { index += 1 }
            }
        }
        return out
    }
}

private func containsCR(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return false }
        return memchr(base, 0x0D, buffer.count) != nil
    }
}

func appendScalar(_ value: UInt32, to out: inout [UInt8]) {
    let v = (0xD800...0xDFFF).contains(value) || value > 0x10FFFF ? 0xFFFD : value
    switch v {
    case 0..<0x80:
        out.append(UInt8(v))
    case 0x80..<0x800:
        out.append(UInt8(0xC0 | (v >> 6)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    case 0x800..<0x10000:
        out.append(UInt8(0xE0 | (v >> 12)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    default:
        out.append(UInt8(0xF0 | (v >> 18)))
        out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    }
}

/// Windows-1258 bytes 0x80–0xFF as Unicode scalars; the bytes the code page leaves undefined map to U+FFFD so
/// the record holding them is rejected as `bad_encoding` instead of being misread.
private let windows1258High: [UInt16] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0xFFFD, 0x2039, 0x0152, 0xFFFD, 0xFFFD, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0xFFFD, 0x203A, 0x0153, 0xFFFD, 0xFFFD, 0x0178,
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
        0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
        0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
        0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
        0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF,
        0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7,
        0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF,
        0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
        0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF,
        0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7,
        0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF,
]

/// TCVN3 (VN3) bytes 0x80–0xFF as Unicode scalars, as glibc's TCVN5712-1 decodes them; 0xB0–0xB4 are the
/// combining tone marks, composed by the NFC step after decoding.
private let tcvn3High: [UInt16] = [
        0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8,
        0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,
        0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,
        0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,
        0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,
        0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,
        0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3,
        0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,
        0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,
        0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,
        0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,
        0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
        0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,
        0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,
        0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,
        0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,
]
