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
        let a = strings.id(canonical: ArraySlice(Array("A".utf8)))
        let b = strings.id(text: "B")
        #expect(strings.takeFresh().map { String(decoding: $0, as: UTF8.self) } == ["A", "B"])
        #expect(strings.id(canonical: ArraySlice(Array("A".utf8))) == a)
        #expect(strings.takeFresh().isEmpty)
        _ = b
    }
}
