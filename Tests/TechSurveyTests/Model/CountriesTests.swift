// Partner countries through Debian's iso-codes plus built-in and analyst spellings (SPEC §4.5).

import Foundation
import Testing
@testable import TechSurvey

@Suite struct CountriesTests {
    @Test func theSystemCatalogueIsInstalled() {
        #expect(CountryCatalogue.system.hasCatalogue, "make deps installs iso-codes (/usr/share/iso-codes/json/iso_3166-1.json)")
    }

    @Test(arguments: [
        ("Nhật Bản", "JP"), ("NHAT BAN", "JP"), ("Japan", "JP"), ("JPN", "JP"), ("Hàn Quốc", "KR"), ("South Korea", "KR"),
        ("Hà Lan", "NL"), ("Netherlands", "NL"), ("Phần Lan", "FI"), ("Finland", "FI"), ("Việt Nam", "VN"), ("Viet Nam", "VN"),
        ("Hoa Kỳ", "US"), ("United States", "US"), ("Đức", "DE"), ("Thụy Điển", "SE"), ("Thuỵ Điển", "SE"),
    ])
    func spellingsNameTheirCountry(_ text: String, _ code: String) {
        #expect(CountryCatalogue.system.code(for: text) == code)
    }

    @Test(arguments: [("JP", "Japan", "Nhật Bản"), ("KR", "South Korea", "Hàn Quốc"), ("NL", "Netherlands", "Hà Lan"), ("FI", "Finland", "Phần Lan"), ("VN", "Vietnam", "Việt Nam")])
    func codesAreNamedInTheReportsLanguage(_ code: String, _ english: String, _ vietnamese: String) {
        #expect(CountryCatalogue.system.name(code, vietnamese: false) == english)
        #expect(CountryCatalogue.system.name(code, vietnamese: true) == vietnamese)
        #expect(Language.en.keyLabel(code, column: "partner_country") == english)
    }

    @Test func unknownTextStaysAsTyped() {
        #expect(CountryCatalogue.system.code(for: "Xứ Wakanda") == nil)
        #expect(Language.en.keyLabel("Xứ Wakanda", column: "partner_country") == "Xứ Wakanda")
    }

    @Test func analystAliasesAddSpellingsButCannotMoveOne() {
        var vocabularies = Vocabularies()
        #expect(vocabularies.add(kind: "country", alias: "Xứ Phù Tang", code: "jp") == nil)
        #expect(vocabularies.countries.code(for: "xu phu tang") == "JP")
        #expect(vocabularies.add(kind: "country", alias: "Nhật Bản", code: "KR")?.contains("built-in") == true)
        #expect(vocabularies.add(kind: "country", alias: "Somewhere", code: "ZZ")?.contains("not an ISO 3166-1") == true)
    }

    @Test(arguments: [Data(), Data([0xDE, 0x12, 0x04, 0x95]), Data(repeating: 0xFF, count: 64),
                      Data([0xDE, 0x12, 0x04, 0x95, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x00, 28, 0, 0, 0, 0xFF, 0, 0, 0])])
    func aDamagedGettextFileYieldsNoEntries(_ data: Data) {
        #expect(GettextCatalogue.entries(data).isEmpty)
    }

    @Test func theVietnameseCatalogueTranslatesFinland() throws {
        let data = try #require(FileManager.default.contents(atPath: "/usr/share/locale/vi/LC_MESSAGES/iso_3166-1.mo"))
        #expect(GettextCatalogue.entries(data)["Finland"] == "Phần Lan")
    }
}
