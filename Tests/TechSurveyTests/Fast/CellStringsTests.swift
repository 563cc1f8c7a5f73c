// The byte interner behind unit ids, names and districts: one number per distinct text, kept across the
// table's growth, and never two texts under one number (a merged unit would move published figures).

import Testing
@testable import TechSurvey

@Suite struct ByteInternerTests {
    @Test func sameTextSameNumberAcrossGrowth() {
        var interner = ByteInterner()
        let texts = (0..<5_000).map { "HP-\($0)" } + ["", "Lê Chân", "Công ty TNHH Đơn vị 000123, chi nhánh Hải An"]
        let first = texts.map { interner.id(ArraySlice(Array($0.utf8))) }
        #expect(Set(first).count == texts.count)
        #expect(first == texts.map { interner.id(ArraySlice(Array($0.utf8))) })
        #expect(interner.count == texts.count)
        #expect(interner.strings == texts)
    }

    /// The simple version: a Dictionary from bytes to the next number. Texts of every length (the empty
    /// one, one byte, eight, past eight), many of the same length, through several growths.
    @Test func numbersMatchADictionary() {
        var rng = SeededGenerator(state: 29)
        var interner = ByteInterner()
        var reference: [[UInt8]: Int32] = [:]
        for i in 0..<60_000 {
            let length = i % 5 == 0 ? Int.random(in: 0..<3, using: &rng) : i % 5 == 1 ? 8 : Int.random(in: 0..<40, using: &rng)
            let text = (0..<length).map { _ in UInt8.random(in: 0x41..<0x45, using: &rng) }
            let isNew = reference[text] == nil
            let want = reference[text] ?? Int32(reference.count)
            reference[text] = want
            let got = text.withUnsafeBytes { interner.id($0) }
            #expect(got.id == want && got.isNew == isNew, "text \(i)")
        }
        #expect(interner.count == reference.count)
        for (text, id) in reference { #expect(Array(interner.bytes(Int(id))) == text) }
    }

    @Test func textsThatShareAPrefixOrLengthStayApart() {
        var interner = ByteInterner()
        let texts = ["HP-00000001", "HP-00000010", "HP-0000001", "HP-000000010", "hp-00000001", "HP-00000001 "]
        let ids = texts.map { interner.id(ArraySlice(Array($0.utf8))) }
        #expect(Set(ids).count == texts.count)
    }

    @Test func aThreadsNewTextsAreHandedOverOnce() {
        let strings = CellStrings()
        #expect(Array("A".utf8).withUnsafeBufferPointer { strings.queue(canonical: $0) } == 0)
        #expect(strings.queue(text: "B") == 1)
        #expect(Array("A".utf8).withUnsafeBufferPointer { strings.queue(canonical: $0) } == 2)
        let first = strings.numberQueued()
        #expect(first.count == 3 && first[0] == first[2] && first[0] != first[1])
        #expect(strings.takeFresh().map { String(decoding: $0, as: UTF8.self) } == ["A", "B"])
        #expect(strings.queue(text: "A") == 0, "the queue starts again after numbering")
        #expect(strings.numberQueued() == [first[0]])
        #expect(strings.takeFresh().isEmpty)
    }

    /// Numbering a queue at once (with lookahead) gives what numbering one cell at a time gives, across
    /// the table's growth and with repeats inside one batch.
    @Test func numberingInBatchesMatchesOneAtATime() {
        let texts = (0..<20_000).map { "HP-\(($0 * 7919) % 6_000)" + ($0 % 3 == 0 ? " Lê Chân" : "") }
        var single = ByteInterner()
        let expected = texts.map { single.id(ArraySlice(Array($0.utf8))) }
        let strings = CellStrings()
        var numbers: [Int32] = []
        for batch in stride(from: 0, to: texts.count, by: 777) {
            for text in texts[batch..<min(batch + 777, texts.count)] { _ = strings.queue(text: text) }
            numbers += strings.numberQueued()
        }
        #expect(numbers == expected)
    }
    /// The hash's tail read in one load gives the word the byte-by-byte tail gave, at every length.
    @Test func theHashReadsItsTailAsTheByteLoopDid() {
        var rng = SeededGenerator(state: 7)
        for length in 0..<80 {
            for _ in 0..<20 {
                let text = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let got = text.withUnsafeBytes { ByteInterner.hash($0) }
                #expect(got == referenceHash(text), "length \(length)")
            }
        }
    }

    /// The hash as first written: whole words, then the tail byte by byte.
    private func referenceHash(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            var word: UInt64 = 0
            for k in 0..<8 { word |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
            h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        h ^= tail
        h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        h = (h ^ (h >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 33)
    }

    /// A unit id is canonical exactly when each byte is visible ASCII and no lower-case letter.
    @Test func canonicalUnitIDsByteByByte() {
        for b in 0...255 {
            let byte = UInt8(b)
            let simple = byte > 0x20 && byte < 0x7F && !(0x61...0x7A).contains(byte)
            #expect([byte, 0x41].withUnsafeBufferPointer { isCanonicalUnitID($0) } == simple, "byte \(b)")
        }
        #expect(Array("HP-022180".utf8).withUnsafeBufferPointer { isCanonicalUnitID($0) })
        #expect(!Array("HP-02218a".utf8).withUnsafeBufferPointer { isCanonicalUnitID($0) })
    }
}
