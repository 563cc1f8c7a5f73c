// Title rows above the header (SPEC §3.6), in CSV files: the header is the first of the first 20 rows that
// holds the required columns, the rows above are counted as title rows, and rows keep Excel's numbers, on
// the sequential path and through the parallel block pipeline alike.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct HeaderSearchTests {
    static let header = "Mã đơn vị;Lĩnh vực;Ngày khảo sát;Số công nghệ tìm kiếm;Số công nghệ đề xuất"
    /// A title block of four rows (one blank, one holding commas and a stray known column name), the
    /// header on row 5, records from row 6; the bad field is on row 8.
    static let titled = "PHIẾU KHẢO SÁT CÔNG NGHỆ, NĂM 2015;;;;\nSở KH&CN Hải Phòng, Lĩnh vực;;;;\n;;;;\nMã đơn vị;Ghi chú;;;\n"
        + header + "\nU1;CNSH;01/03/2015;3;1\nU2;Môi trường;02/03/2015;2;2\nU3;xx;03/03/2015;1;0\n"

    @Test(arguments: [1 << 20, 64, 17])
    func titleRowsAreNotRecordsAndRowsStayExcels(chunkSize: Int) throws {
        let result = try ingest(
            returnFiles: [InputFile(name: "returns/t.csv", source: .bytes(Array(Self.titled.utf8)))], activityFiles: [],
            vocabularies: Vocabularies(), options: ReadOptions(), chunkSize: chunkSize, threads: 3
        )
        let file = try #require(result.summary.files.first)
        #expect(file.titleRows == 4)
        #expect(file.delimiter == ";", "sniffed from the header, not from the title's commas")
        #expect(file.rowsRead == 3 && file.rowsAccepted == 2 && file.rowsRejected == 1)
        #expect(try result.returns.map(\.source.row) == [6, 7])
        let reject = try #require(result.rejects.first)
        #expect(reject.source.row == 8 && reject.source.line == 8 && reject.reason == .badField, "\(reject)")
    }

    @Test func activitiesHaveTitleRowsToo() throws {
        let text = "NHẬT KÝ HOẠT ĐỘNG\n\nNgày,Loại hoạt động,Tên hoạt động\n01/05/2015,Triển lãm,Triển lãm 1\n"
        let result = try ingest(
            returnFiles: [InputFile(name: "returns/r.csv", source: .bytes(Array("unit_id,field,survey_date,technologies_found,technologies_proposed\nU1,biotech,2015-01-01,1,1\n".utf8)))],
            activityFiles: [InputFile(name: "activities/a.csv", source: .bytes(Array(text.utf8)))],
            vocabularies: Vocabularies(), options: ReadOptions()
        )
        #expect(result.activities.map(\.source.row) == [4])
        #expect(result.summary.files[1].titleRows == 2)
    }

    @Test func aHeaderBelowRow20IsNotFound() throws {
        let title = (1...20).map { "tiêu đề \($0)" }.joined(separator: "\n")
        let text = title + "\nunit_id,field,survey_date,technologies_found,technologies_proposed\nU1,biotech,2015-01-01,1,1\n"
        #expect {
            try ingest(returnFiles: [InputFile(name: "returns/r.csv", source: .bytes(Array(text.utf8)))], activityFiles: [],
                       vocabularies: Vocabularies(), options: ReadOptions())
        } throws: { error in
            guard let e = error as? TechSurveyError else { return false }
            return e.kind == .data && e.message.contains("required column") && e.message.contains("one of the first 20")
        }
    }

    @Test func aHeaderOnRow20IsFound() throws {
        let title = (1...19).map { "tiêu đề \($0)" }.joined(separator: "\n")
        let text = title + "\nunit_id,field,survey_date,technologies_found,technologies_proposed\nU1,biotech,2015-01-01,1,1\n"
        let result = try ingest(returnFiles: [InputFile(name: "returns/r.csv", source: .bytes(Array(text.utf8)))], activityFiles: [],
                                vocabularies: Vocabularies(), options: ReadOptions())
        #expect(result.summary.files[0].titleRows == 19)
        #expect(try result.returns.map(\.source.row) == [21])
    }

    @Test(arguments: [
        ("a;b\nunit_id,field,survey_date,technologies_found,technologies_proposed\n", UInt8(0x2C)),
        ("TIÊU ĐỀ, có dấu phẩy, nhiều\nunit_id;field;survey_date;technologies_found;technologies_proposed\n", UInt8(0x3B)),
        ("TIÊU ĐỀ|1\n\nunit_id\tfield\tsurvey_date\ttechnologies_found\ttechnologies_proposed\n", UInt8(0x09)),
        ("unit_id|field|survey_date|technologies_found|technologies_proposed\n", UInt8(0x7C)),
    ])
    func theDelimiterIsTheOneThatMakesAHeader(_ text: String, _ expected: UInt8) {
        let matcher = Vocabularies().returnColumns
        #expect(sniffDelimiter(Array(text.utf8), holdsHeader: { HeaderSearch.holdsHeader($0, matcher: matcher) }) == expected)
    }
}
