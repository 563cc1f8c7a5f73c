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
}
