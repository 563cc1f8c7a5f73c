// The fast spelling of superseded.csv's rows gives, byte for byte, what the general CSV writer gives
// cell by cell: quoting, control-character escapes, the formula guard, dates and times.

import Testing
@testable import TechSurvey

@Suite struct SupersededRowsTests {
    static let strings = ["hp-1", "-7", "A,B", "Q \"x\"", "@u", "tab\there", "x\u{0}y", "Lê Chân"]
    static let files = ["returns/a.csv", "=b, \"c\".csv", "returns/đ.xlsx#Phiếu 1", "+x\ny.csv"]

    static func simple(_ rows: [SupersededRow]) -> [UInt8] {
        var w = CSVWriter(neutralise: true)
        let shown = { (s: String) in ControlCharacters.visible(s, keepingLayout: false) }
        for r in rows {
            w.text(shown(files[r.file]), first: true)
            w.int(Int(r.row))
            w.int(Int(r.line))
            w.text(shown(strings[Int(r.unitID)]))
            w.date(CalendarDate(packed: r.surveyDate) ?? CalendarDate.packingFallback)
            w.text(Field.allCases[Int(r.field)].rawValue)
            if let t = SubmissionTime(packed: r.submitted) { w.date(t.date, seconds: t.seconds) } else { w.empty() }
            w.text(shown(SourceRef(file: files[r.winnerFile], row: Int(r.winnerRow), line: 0).description))
            w.endRow()
        }
        return w.bytes
    }

    @Test func fastRowsMatchTheGeneralWriter() {
        var rng = SeededGenerator(state: 11)
        let rows = (0..<2_000).map { i in
            SupersededRow(
                file: Int.random(in: 0..<Self.files.count, using: &rng), row: Int32.random(in: 0...Int32.max, using: &rng), line: Int32(i),
                unitID: Int32.random(in: 0..<Int32(Self.strings.count), using: &rng), surveyDate: 2015_02_28 - Int32(i % 27),
                field: UInt8(i % 5), submitted: i % 4 == 0 ? -1 : SubmissionTime(date: CalendarDate(year: 2016, month: 1 + i % 12, day: 1 + i % 28) ?? .packingFallback, seconds: i * 37 % 86_400).packed,
                winnerFile: Int.random(in: 0..<Self.files.count, using: &rng), winnerRow: UInt32.random(in: 0...UInt32(Int32.max), using: &rng)
            )
        }
        var fast = SupersededRows(strings: Self.strings, files: Self.files)
        let out = ByteBuffer(capacity: 64)
        for r in rows { fast.append(r, to: out) }
        let expected = Self.simple(rows)
        #expect(Array(out.bytes) == expected, "fast:\n\(String(decoding: out.bytes, as: UTF8.self))\nsimple:\n\(String(decoding: expected, as: UTF8.self))")
    }
}
