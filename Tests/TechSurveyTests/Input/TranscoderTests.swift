// Encodings of SPEC §3.3: detectEncoding (BOMs, a named encoding, the Windows-1258 fallback), the census,
// and the streaming Transcoder — UTF-16 with surrogates and split code units, Windows-1258 Vietnamese, and
// CRLF / CR line ends carried across chunk boundaries.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct TranscoderTests {
    /// Transcodes `chunks` in order with one transcoder, the last marked `isLast`.
    static func transcode(_ chunks: [[UInt8]], as encoding: TextEncoding) -> [UInt8] {
        var t = Transcoder(encoding: encoding)
        var out: [UInt8] = []
        for (i, chunk) in chunks.enumerated() {
            out += t.transcode(chunk, isLast: i == chunks.count - 1)
        }
        return out
    }

    /// `bytes` cut into pieces of `size`.
    static func pieces(_ bytes: [UInt8], of size: Int) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min(bytes.count, $0 + size)]) }
    }

    static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).precomposedStringWithCanonicalMapping
    }

    static func utf16LE(_ s: String) -> [UInt8] { s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
    static func utf16BE(_ s: String) -> [UInt8] { s.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } }

    // MARK: detection

    @Test func byteOrderMarksDecideAndAreSkipped() {
        let utf8 = detectEncoding(prefix: [0xEF, 0xBB, 0xBF, 0x61], named: nil)
        #expect(utf8.0 == .utf8)
        #expect(utf8.1 == .byteOrderMark)
        #expect(utf8.bomLength == 3)
        let le = detectEncoding(prefix: [0xFF, 0xFE, 0x61, 0x00], named: nil)
        #expect(le.0 == .utf16LE)
        #expect(le.1 == .byteOrderMark)
        #expect(le.bomLength == 2)
        let be = detectEncoding(prefix: [0xFE, 0xFF, 0x00, 0x61], named: nil)
        #expect(be.0 == .utf16BE)
        #expect(be.1 == .byteOrderMark)
        #expect(be.bomLength == 2)
    }

    @Test func aBOMOutranksANamedEncoding() {
        let detected = detectEncoding(prefix: [0xEF, 0xBB, 0xBF, 0x61], named: .windows1258)
        #expect(detected.0 == .utf8)
        #expect(detected.1 == .byteOrderMark)
    }

    @Test func aNamedEncodingIsUsedWithoutABOMOnTextThatIsNotUTF8() {
        // "Việt" in TCVN3: 0xD6 is "ệ".
        let detected = detectEncoding(prefix: [0x56, 0x69, 0xD6, 0x74], named: .tcvn3)
        #expect(detected.0 == .tcvn3)
        #expect(detected.1 == .option)
        #expect(detected.bomLength == 0)
    }

    @Test func aNamedEncodingLeavesValidUTF8AsUTF8() {
        // ENCODING=cp1258 is for the Windows-1258 exports; the valid UTF-8 files of the same folder stay UTF-8.
        for named in [TextEncoding.windows1258, .tcvn3, .utf16LE] {
            let detected = detectEncoding(prefix: Array("Vi\u{1EC7}t Nam,1.250\n".utf8), named: named)
            #expect(detected.0 == .utf8, "\(named)")
            #expect(detected.1 == .notApplied, "\(named)")
        }
        // UTF-8 but for one stray byte is still UTF-8 text: the stray record is rejected, the rest kept.
        let stray = Array("Công nghệ sinh học,Môi trường\n".utf8) + [0xFF] + Array("\n".utf8)
        #expect(detectEncoding(prefix: stray, named: .windows1258).1 == .notApplied)
    }

    @Test func theWholeFileDecidesNotItsFirstBytes() {
        // ASCII up front, Windows-1258 further on: the census of the whole file says Windows-1258.
        let head = Array(String(repeating: "ascii,only\n", count: 1000).utf8)
        let tail: [UInt8] = [0x56, 0x69, 0xEA, 0xF2, 0x74, 0x0A]
        let census = ByteCensus.of(head + tail)
        #expect(detectEncoding(prefix: head, named: nil).0 == .utf8)
        #expect(detectEncoding(prefix: head, named: nil, census: census).0 == .windows1258)
    }

    @Test func aCensusInPiecesCountsLikeOneOfTheWhole() {
        let text = Array("Công nghệ sinh học,Đồ Sơn\u{0}\n".utf8) + [0xEA, 0xF2, 0x74] + Array("ệ😀".utf8)
        let whole = ByteCensus.of(text)
        for cut in 1..<text.count {
            var pieces = ByteCensus()
            let first = Array(text[..<cut])
            let left = first.withUnsafeBufferPointer { pieces.add($0, isLast: false) }
            let second = Array(first.suffix(left)) + Array(text[cut...])
            _ = second.withUnsafeBufferPointer { pieces.add($0, isLast: true) }
            #expect(pieces == whole, "cut at \(cut)")
        }
    }

    @Test func validUTF8IsDetected() {
        let detected = detectEncoding(prefix: Array("Lĩnh vực,Ngày\nCông nghệ sinh học,2015-01-01\n".utf8), named: nil)
        #expect(detected.0 == .utf8)
        #expect(detected.1 == .detected)
        #expect(detected.bomLength == 0)
    }

    @Test func notUTF8FallsBackToWindows1258() {
        // "Việt Nam,Đà Nẵng" as Excel writes it on Vietnamese Windows.
        let bytes: [UInt8] = [0x56, 0x69, 0xEA, 0xF2, 0x74, 0x20, 0x4E, 0x61, 0x6D, 0x2C, 0xD0, 0x61, 0xCC, 0x20, 0x4E, 0xE3, 0xDE, 0x6E, 0x67, 0x0A]
        let detected = detectEncoding(prefix: bytes, named: nil)
        #expect(detected.0 == .windows1258)
        #expect(detected.1 == .fallback)
        #expect(detected.bomLength == 0)
    }

    @Test func aFewStrayBytesInUTF8StayUTF8() {
        let bytes = Array("Công nghệ sinh học,Môi trường\n".utf8) + [0xFF] + Array("\n".utf8)
        #expect(detectEncoding(prefix: bytes, named: nil).0 == .utf8)
    }

    @Test(arguments: [
        ([UInt8](), 0, 0),
        (Array("abc".utf8), 0, 0),
        (Array("Vi\u{1EC7}t".utf8), 1, 0),            // one three-byte sequence
        (Array("ĐĐ😀".utf8), 3, 0),
        ([0xC3], 0, 1),                                // cut short at the end of the file: malformed
        ([0x61, 0xE1, 0xBB], 0, 2),                    // the lead, then a continuation byte without one
        ([0xC3, 0x41], 0, 1),
        ([0x80], 0, 1),
        ([0xFF, 0xFE], 0, 2),
        ([0xEA, 0xF2, 0x74], 0, 2),                    // Windows-1258 "ệt"
        ([0xC3, 0xA9, 0xC3], 1, 1),
    ])
    func theCensusCountsGoodAndMalformedSequences(bytes: [UInt8], multiByte: Int, malformed: Int) {
        let census = ByteCensus.of(bytes)
        #expect(census.multiByte == multiByte)
        #expect(census.malformed == malformed)
    }

    /// The census rule one byte at a time, with no fast path: an ASCII byte (NULs counted, with those at odd
    /// offsets), a whole well-formed sequence (the unclean ones counted too), or one malformed byte.
    static func censusByteByByte(_ bytes: [UInt8]) -> ByteCensus {
        var census = ByteCensus()
        census.bytes = bytes.count
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                if b == 0 {
                    census.nul += 1
                    if i & 1 == 1 { census.nulAtOdd += 1 }
                }
                i += 1
                continue
            }
            guard let length = utf8SequenceLength(lead: b), i + length <= bytes.count,
                  (1..<length).allSatisfy({ bytes[i + $0] & 0xC0 == 0x80 }) else {
                census.malformed += 1
                i += 1
                continue
            }
            census.multiByte += 1
            let clean = bytes.withUnsafeBufferPointer { $0.baseAddress.map { isCleanSequence($0 + i, length: length) } ?? true }
            if length >= 3 && !clean { census.unclean += 1 }
            i += length
        }
        return census
    }

    /// Byte soups of Vietnamese letters (two bytes, three led by E1), other sequences clean and unclean,
    /// stray and cut bytes, NULs and ASCII: the census, with its fast paths, counts what the byte-by-byte rule does.
    @Test(arguments: 0..<40)
    func theCensusCountsAsTheByteByByteRule(seed: Int) {
        var rng = SeededGenerator(state: UInt64(seed) &* 7919 &+ 3)
        let pieces: [[UInt8]] = [Array("ệ".utf8), Array("Đ".utf8), Array("ư".utf8), Array("ả".utf8), Array("a".utf8), [0x2C], [0x0A], [0x00],
                                 [0xE1], [0xE1, 0xBB], [0xC3], [0xE1, 0x41, 0x80], [0xC3, 0xC3, 0xA0], [0xEF, 0xBF, 0xBD], [0xED, 0xA0, 0x80],
                                 [0xE0, 0x80, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xFF], [0xC0, 0xAF]]
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0..<300, using: &rng) { bytes += pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
        #expect(ByteCensus.of(bytes) == Self.censusByteByByte(bytes), "\(bytes)")
    }

    @Test(arguments: [("cp1258", TextEncoding.windows1258), ("Windows-1258", .windows1258), ("UTF8", .utf8), ("utf-16le", .utf16LE), ("UTF-16BE", .utf16BE), ("TCVN3", .tcvn3), ("vn3", .tcvn3)])
    func encodingNamesAnalystsType(name: String, encoding: TextEncoding) {
        #expect(TextEncoding(name: name) == encoding)
    }

    @Test func unknownEncodingNamesAreRefused() {
        #expect(TextEncoding(name: "VNI") == nil)
        #expect(TextEncoding(name: "latin1") == nil)
    }

    // MARK: UTF-8

    @Test func utf8PassesThrough() {
        let bytes = Array("Lĩnh vực,Số công nghệ\nCông nghệ sinh học,94\n".utf8)
        #expect(Self.transcode([bytes], as: .utf8) == bytes)
    }

    // MARK: UTF-16

    static let sampleText = "Lĩnh vực\tSố\nCông nghệ sinh học 😀\t94\n"

    @Test func utf16LEAndBEDecode() {
        #expect(Self.text(Self.transcode([Self.utf16LE(Self.sampleText)], as: .utf16LE)) == Self.sampleText)
        #expect(Self.text(Self.transcode([Self.utf16BE(Self.sampleText)], as: .utf16BE)) == Self.sampleText)
    }

    @Test func aSurrogatePairBecomesOneFourByteCharacter() {
        // U+1F600 is D83D DE00 in UTF-16.
        let out = Self.transcode([[0x3D, 0xD8, 0x00, 0xDE]], as: .utf16LE)
        #expect(out == [0xF0, 0x9F, 0x98, 0x80])
        let outBE = Self.transcode([[0xD8, 0x3D, 0xDE, 0x00]], as: .utf16BE)
        #expect(outBE == [0xF0, 0x9F, 0x98, 0x80])
    }

    @Test(arguments: [1, 2, 3, 5, 7])
    func utf16SplitAnywhereDecodesTheSame(chunkSize: Int) {
        // Odd sizes cut code units in half; 2 and 3 also cut between the halves of the surrogate pair.
        let le = Self.transcode(Self.pieces(Self.utf16LE(Self.sampleText), of: chunkSize), as: .utf16LE)
        let be = Self.transcode(Self.pieces(Self.utf16BE(Self.sampleText), of: chunkSize), as: .utf16BE)
        #expect(Self.text(le) == Self.sampleText)
        #expect(Self.text(be) == Self.sampleText)
    }

    @Test func aCodeUnitSplitInItsMiddleIsCarried() {
        // "Đ" is U+0110: LE bytes 10 01, cut after the first byte.
        var t = Transcoder(encoding: .utf16LE)
        let first = t.transcode([0x41, 0x00, 0x10], isLast: false)
        let second = t.transcode([0x01, 0x42, 0x00], isLast: true)
        #expect(first == [0x41])
        #expect(Self.text(first + second) == "AĐB")
    }

    @Test func brokenUTF16BecomesReplacementCharacters() {
        let loneHigh = Self.transcode([[0x3D, 0xD8, 0x41, 0x00]], as: .utf16LE)       // high surrogate, then "A"
        #expect(Self.text(loneHigh) == "\u{FFFD}A")
        let loneLow = Self.transcode([[0x00, 0xDE, 0x41, 0x00]], as: .utf16LE)
        #expect(Self.text(loneLow) == "\u{FFFD}A")
        let highAtEnd = Self.transcode([[0x41, 0x00, 0x3D, 0xD8]], as: .utf16LE)
        #expect(Self.text(highAtEnd) == "A\u{FFFD}")
        let oddByteAtEnd = Self.transcode([[0x41, 0x00, 0x42]], as: .utf16LE)
        #expect(Self.text(oddByteAtEnd) == "A\u{FFFD}")
    }

    // MARK: Windows-1258

    @Test(arguments: [
        ([UInt8]([0x56, 0x69, 0xEA, 0xF2, 0x74, 0x20, 0x4E, 0x61, 0x6D]), "Vi\u{1EC7}t Nam"),           // ê + combining dot below
        ([0xD0, 0x61, 0xCC, 0x20, 0x4E, 0xE3, 0xDE, 0x6E, 0x67], "\u{0110}\u{00E0} N\u{1EB5}ng"),      // Đà Nẵng, tones as marks
        ([0xD0, 0xE0, 0x20, 0x4E, 0xE3, 0xDE, 0x6E, 0x67], "\u{0110}\u{00E0} N\u{1EB5}ng"),            // à precomposed
        ([0x43, 0xF4, 0x6E, 0x67, 0x20, 0x6E, 0x67, 0x68, 0xEA, 0xF2], "C\u{00F4}ng ngh\u{1EC7}"),
        ([0x54, 0xFD, 0xEC, 0x20, 0xFE], "T\u{1EE9} \u{20AB}"),                                          // ư + acute, the đồng sign
    ])
    func windows1258ComposesToNFC(bytes: [UInt8], expected: String) {
        let out = Self.transcode([bytes], as: .windows1258)
        #expect(Self.text(out) == expected.precomposedStringWithCanonicalMapping)
    }

    @Test func windows1258UndefinedBytesBecomeReplacementCharacters() {
        let out = Self.transcode([[0x41, 0x81, 0x42]], as: .windows1258)
        #expect(Self.text(out) == "A\u{FFFD}B")
    }

    @Test func windows1258SplitIntoSingleBytesDecodesTheSame() {
        let bytes: [UInt8] = [0x56, 0x69, 0xEA, 0xF2, 0x74, 0x0D, 0x0A, 0xD0, 0x61, 0xCC, 0x0D]
        let whole = Self.transcode([bytes], as: .windows1258)
        let split = Self.transcode(Self.pieces(bytes, of: 1), as: .windows1258)
        #expect(split == whole)
        #expect(Self.text(whole) == "Vi\u{1EC7}t\n\u{0110}\u{00E0}\n")
    }

    // MARK: line ends

    @Test(arguments: [
        ("a\r\nb\r\n", "a\nb\n"),
        ("a\rb\r", "a\nb\n"),
        ("a\nb", "a\nb"),
        ("a\r\n\r\nb", "a\n\nb"),
        ("a\r\rb", "a\n\nb"),
        ("a\n\rb", "a\n\nb"),
        ("\"x\r\ny\"\r\n", "\"x\ny\"\n"),
    ])
    func lineEndsBecomeLF(input: String, expected: String) {
        let out = Self.transcode([Array(input.utf8)], as: .utf8)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test func aCRLFSplitBetweenChunksGivesOneLF() {
        var t = Transcoder(encoding: .utf8)
        let first = t.transcode(Array("a,b\r".utf8), isLast: false)
        let second = t.transcode(Array("\nc,d\r\n".utf8), isLast: true)
        #expect(String(decoding: first + second, as: UTF8.self) == "a,b\nc,d\n")
    }

    @Test func aCRAtTheEndOfAChunkThenTextGivesOneLF() {
        var t = Transcoder(encoding: .utf8)
        let out = t.transcode(Array("a\r".utf8), isLast: false) + t.transcode(Array("b".utf8), isLast: true)
        #expect(String(decoding: out, as: UTF8.self) == "a\nb")
    }

    @Test func aCRAtTheVeryEndIsFlushed() {
        var t = Transcoder(encoding: .utf8)
        let out = t.transcode(Array("a\r".utf8), isLast: false) + t.transcode([], isLast: true)
        #expect(String(decoding: out, as: UTF8.self) == "a\n")
        var u = Transcoder(encoding: .utf8)
        #expect(u.transcode(Array("a\r".utf8), isLast: true) == Array("a\n".utf8))
    }

    @Test(arguments: [TextEncoding.utf8, .windows1258])
    func crlfCutAtEveryPointGivesTheSameText(encoding: TextEncoding) {
        let bytes = Array("h1,h2\r\n\r\n1,2\r3,4\r\n".utf8)
        let expected = Array("h1,h2\n\n1,2\n3,4\n".utf8)
        for cut in 0...bytes.count {
            let out = Self.transcode([Array(bytes[..<cut]), Array(bytes[cut...])], as: encoding)
            #expect(out == expected, "cut at \(cut)")
        }
    }

    @Test(arguments: [2, 4, 6])
    func utf16CRLFInEvenChunksGivesOneLF(chunkSize: Int) {
        let bytes = Self.utf16LE("a\r\nb\r\n")
        let out = Self.transcode(Self.pieces(bytes, of: chunkSize), as: .utf16LE)
        #expect(String(decoding: out, as: UTF8.self) == "a\nb\n", "chunks of \(chunkSize)")
    }

    @Test func utf16CRLFWithTheLFCodeUnitCutInHalfGivesOneLF() {
        // "a\r\n" in UTF-16LE is 61 00 0D 00 0A 00. The CR ends the first chunk and the LF's two bytes land
        // in two further chunks, so the middle chunk decodes to nothing.
        let out = Self.transcode([[0x61, 0x00, 0x0D, 0x00], [0x0A], [0x00, 0x62, 0x00]], as: .utf16LE)
        #expect(String(decoding: out, as: UTF8.self) == "a\nb")
    }
}
