// Vietnamese alphabetical order (SPEC §4.5): letters a ă â b c d đ e ê …, then tones, then case.

import Testing
@testable import TechSurvey

@Suite struct VietnameseOrderTests {
    @Test(arguments: [
        ("Dương Kinh", "Đồ Sơn"),     // d before đ, whatever the tone
        ("An Lão", "Ân Thi"),         // a before â
        ("Anh", "Ăn"),                // a before ă
        ("Ăn", "Ân"),                 // ă before â
        ("Cát Hải", "Cơ quan"),
        ("Hà Lan", "Hàn Quốc"),       // a shorter name first
        ("Le", "Lê"),                 // e before ê
        ("Lê Chân", "Long Biên"),
        ("Ma", "Mà"),                 // no tone, then huyền, hỏi, ngã, sắc, nặng
        ("Mà", "Mả"), ("Mả", "Mã"), ("Mã", "Má"), ("Má", "Mạ"),
        ("Ngô Quyền", "Nhật Bản"),
        ("Tho", "Thơ"), ("Thô", "Thơ"), ("Thu", "Thư"),
        ("an", "An"),                 // case decides last
        ("An Dương", "Anh"),          // a space sorts before letters
    ])
    func sortsBefore(_ a: String, _ b: String) {
        #expect(VietnameseOrder.precedes(a, b), "\(a) should come before \(b)")
        #expect(!VietnameseOrder.precedes(b, a), "\(b) should not come before \(a)")
    }

    @Test func nfdSpellingsSortLikeNfc() {
        let nfd = "Đồ Sơn".decomposedStringWithCanonicalMapping
        #expect(VietnameseOrder.precedes("Dương Kinh", nfd))
        #expect(VietnameseOrder.precedes("Do Son", nfd))
    }

    @Test func districtsOfTheBundledDataInOrder() {
        let names = ["Đồ Sơn", "Dương Kinh", "An Lão", "An Dương", "Hải An", "Hồng Bàng", "Cát Hải", "Vĩnh Bảo", "Tiên Lãng", "Thủy Nguyên"]
        #expect(VietnameseOrder.sorted(names) { $0 } == ["An Dương", "An Lão", "Cát Hải", "Dương Kinh", "Đồ Sơn", "Hải An", "Hồng Bàng", "Thủy Nguyên", "Tiên Lãng", "Vĩnh Bảo"])
    }
}
