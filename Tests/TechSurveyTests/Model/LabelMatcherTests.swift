// How headers and labels match (SPEC §3.1, §3.3): TextFold.key, every built-in alias of the spec's tables,
// and the did-you-mean suggestion offered when nothing matches.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct LabelMatchingTests {
    // MARK: folding

    @Test(arguments: [
        ["SỐ CÔNG NGHỆ ĐỀ XUẤT", "so_cong_nghe_de_xuat", "Số công nghệ đề xuất", "số-công-nghệ  đề.xuất"],
        ["Công nghệ tự động hóa", "Công nghệ tự động hoá", "CONG NGHE TU DONG HOA", "cong nghe tu dong hoa"],
        ["Đà Nẵng", "đà nẵng", "Da Nang", "DA-NANG"],
        ["Quận/Huyện", "quan huyen", "QUẬN HUYỆN"],
        ["Lê Chân", "LÊ CHÂN", "Le Chan"],
    ])
    func spellingsOfOneLabelFoldEqual(_ spellings: [String]) {
        let keys = spellings.map(TextFold.key)
        let first = keys[0]
        for (spelling, key) in zip(spellings, keys) {
            #expect(key == first, "'\(spelling)' folds to '\(key)', '\(spellings[0])' to '\(first)'")
        }
    }

    @Test(arguments: [
        ("SỐ CÔNG NGHỆ ĐỀ XUẤT", "socongnghedexuat"),
        ("Đ đ", "dd"),
        ("hóa", "hoa"),
        ("hoá", "hoa"),
        ("Mã ĐV", "madv"),
        ("Kinh phí (triệu đồng)", "kinhphitrieudong"),
        ("technologies_found", "technologiesfound"),
        ("2015-Q3", "2015q3"),
        ("  ", ""),
        ("", ""),
    ])
    func keysAreLowercaseLettersAndDigitsOnly(text: String, key: String) {
        #expect(TextFold.key(text) == key)
    }

    @Test func decomposedInputFoldsLikePrecomposedInput() {
        let labels = ["Công nghệ sinh học", "Số công nghệ đề xuất", "Ngày khảo sát", "Cơ quan nhà nước", "Trường đại học"]
        for label in labels {
            let nfc = label.precomposedStringWithCanonicalMapping
            let nfd = label.decomposedStringWithCanonicalMapping
            #expect(Array(nfc.unicodeScalars) != Array(nfd.unicodeScalars), "the test needs two spellings of '\(label)'")
            #expect(TextFold.key(nfd) == TextFold.key(nfc), "'\(label)'")
        }
    }

    @Test func hoaWithEitherAccentPlacementIsOneLabel() {
        // "hóa" puts the acute on the o, "hoá" on the a: both Vietnamese spellings are in use.
        let oAcute = "h\u{00F3}a", aAcute = "ho\u{00E1}"
        #expect(oAcute != aAcute)
        #expect(TextFold.key(oAcute) == TextFold.key(aAcute))
        #expect(Vocabularies().fields.match("Công nghệ tự động ho\u{00E1}") == .automation)
        #expect(Vocabularies().fields.match("Công nghệ tự động h\u{00F3}a") == .automation)
    }

    @Test func distanceIsEditDistance() {
        #expect(TextFold.distance("", "") == 0)
        #expect(TextFold.distance("abc", "") == 3)
        #expect(TextFold.distance("", "ab") == 2)
        #expect(TextFold.distance("kitten", "sitting") == 3)
        #expect(TextFold.distance("congnghesinhhocc", "congnghesinhhoc") == 1)
    }

    // MARK: built-in aliases (SPEC §3.1)

    struct Alias<Code: Sendable>: Sendable, CustomTestStringConvertible {
        let label: String
        let code: Code
        var testDescription: String { "'\(label)' → \(code)" }
    }

    static let fieldAliases: [Alias<Field>] = [
        ("Công nghệ sinh học", Field.biotech), ("CN sinh học", .biotech), ("CNSH", .biotech), ("Sinh học", .biotech),
        ("biotechnology", .biotech), ("biotech", .biotech),
        ("Công nghệ môi trường", .environment), ("CN môi trường", .environment), ("Môi trường", .environment),
        ("environmental technology", .environment), ("environment", .environment),
        ("Công nghệ năng lượng mới", .energy), ("CN năng lượng mới", .energy), ("Năng lượng mới", .energy),
        ("Năng lượng", .energy), ("new energy", .energy), ("energy", .energy),
        ("Công nghệ tự động hóa", .automation), ("CN tự động hóa", .automation), ("Tự động hóa", .automation),
        ("automation", .automation),
        ("Công nghệ vật liệu mới", .materials), ("CN vật liệu mới", .materials), ("Vật liệu mới", .materials),
        ("Vật liệu", .materials), ("new materials", .materials), ("materials", .materials),
    ].map { Alias(label: $0.0, code: $0.1) }

    static let unitTypeAliases: [Alias<UnitType>] = [
        ("Doanh nghiệp", UnitType.enterprise), ("DN", .enterprise), ("Công ty", .enterprise), ("enterprise", .enterprise),
        ("Viện", .institute), ("Viện nghiên cứu", .institute), ("institute", .institute),
        ("Trường", .university), ("Trường đại học", .university), ("Đại học", .university), ("Cao đẳng", .university),
        ("university", .university),
        ("Cơ quan", .agency), ("Cơ quan nhà nước", .agency), ("Sở", .agency), ("Ban", .agency), ("agency", .agency),
        ("other", .other),
    ].map { Alias(label: $0.0, code: $0.1) }

    static let returnColumnAliases: [Alias<ReturnColumn>] = [
        ("Số phiếu", ReturnColumn.returnID), ("Mã phiếu", .returnID),
        ("Mã đơn vị", .unitID), ("Mã ĐV", .unitID),
        ("Tên đơn vị", .unitName),
        ("Loại hình", .unitType), ("Loại hình đơn vị", .unitType),
        ("Quận/Huyện", .district), ("Địa bàn", .district),
        ("Lĩnh vực", .field),
        ("Ngày khảo sát", .surveyDate),
        ("Số công nghệ tìm kiếm", .technologiesFound), ("Số công nghệ khảo sát", .technologiesFound),
        ("Công nghệ tìm kiếm", .technologiesFound),
        ("Số công nghệ đề xuất", .technologiesProposed), ("Công nghệ đề xuất", .technologiesProposed),
        ("Ngày nộp", .submittedAt), ("Thời gian nộp", .submittedAt),
    ].map { Alias(label: $0.0, code: $0.1) }
        + ReturnColumn.allCases.map { Alias(label: $0.rawValue, code: $0) }

    @Test(arguments: fieldAliases)
    func fieldAliasesMatch(_ alias: Alias<Field>) {
        let fields = Vocabularies().fields
        #expect(fields.match(alias.label) == alias.code)
        #expect(fields.match(alias.label.uppercased()) == alias.code, "upper case")
        #expect(fields.match(alias.label.decomposedStringWithCanonicalMapping) == alias.code, "NFD")
        #expect(fields.match(stripDiacritics(alias.label)) == alias.code, "without diacritics")
    }

    @Test(arguments: unitTypeAliases)
    func unitTypeAliasesMatch(_ alias: Alias<UnitType>) {
        let unitTypes = Vocabularies().unitTypes
        #expect(unitTypes.match(alias.label) == alias.code)
        #expect(unitTypes.match(alias.label.uppercased()) == alias.code, "upper case")
        #expect(unitTypes.match(stripDiacritics(alias.label)) == alias.code, "without diacritics")
    }

    @Test(arguments: returnColumnAliases)
    func returnColumnAliasesMatch(_ alias: Alias<ReturnColumn>) {
        let columns = Vocabularies().returnColumns
        #expect(columns.match(alias.label) == alias.code)
        #expect(columns.match(alias.label.uppercased()) == alias.code, "upper case")
        #expect(columns.match(stripDiacritics(alias.label)) == alias.code, "without diacritics")
    }

    @Test func everyFieldAndUnitTypeOfTheSpecIsCovered() {
        let fieldCodes = Set(Self.fieldAliases.map { $0.code })
        let unitCodes = Set(Self.unitTypeAliases.map { $0.code })
        let columnCodes = Set(Self.returnColumnAliases.map { $0.code })
        #expect(fieldCodes == Set(Field.allCases))
        #expect(unitCodes == Set(UnitType.allCases))
        #expect(columnCodes == Set(ReturnColumn.allCases))
    }

    @Test(arguments: ["Công nghệ thông tin", "xyzzy", "", "Sinh", "CN"])
    func unknownLabelsMatchNoField(_ label: String) {
        #expect(Vocabularies().fields.match(label) == nil)
    }

    @Test func theSpecsThreeSpellingsAreOneColumn() {
        let columns = Vocabularies().returnColumns
        for header in ["SỐ CÔNG NGHỆ ĐỀ XUẤT", "so_cong_nghe_de_xuat", "Số công nghệ đề xuất"] {
            #expect(columns.match(header) == .technologiesProposed, "'\(header)'")
        }
    }

    // MARK: did you mean

    @Test(arguments: [
        ("Cong nghe sinh hocc", "biotech"),
        ("Công nghệ môi trườn", "environment"),
        ("biotechnolgy", "biotech"),
        ("Vat lieu moi", "materials"),
    ])
    func nearMissesSuggestTheCode(label: String, code: String) {
        #expect(Vocabularies().fields.suggestion(for: label) == code)
    }

    @Test(arguments: ["xyzzy", "", "Công nghệ thông tin và truyền thông"])
    func farMissesSuggestNothing(_ label: String) {
        #expect(Vocabularies().fields.suggestion(for: label) == nil)
    }

    @Test func columnSuggestionsNameTheColumn() {
        #expect(Vocabularies().returnColumns.suggestion(for: "technologies_fund") == "technologies_found")
    }

    /// The label with every combining mark removed and đ → d, the way a keyboard without Telex types it.
    private func stripDiacritics(_ text: String) -> String {
        let scalars = text.decomposedStringWithCanonicalMapping.unicodeScalars.compactMap { s -> Unicode.Scalar? in
            if s.properties.generalCategory == .nonspacingMark { return nil }
            if s == "đ" { return "d" }
            if s == "Đ" { return "D" }
            return s
        }
        return String(String.UnicodeScalarView(scalars))
    }
}

/// Column ordinals index the column map's array: they must be each column's place in allCases.
@Test func columnOrdinalsArePositionsInAllCases() {
    for (i, c) in ReturnColumn.allCases.enumerated() { #expect(c.ordinal == i) }
    for (i, c) in ActivityColumn.allCases.enumerated() { #expect(c.ordinal == i) }
}
