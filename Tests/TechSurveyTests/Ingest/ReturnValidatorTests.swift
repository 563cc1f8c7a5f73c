// A return id as a parsing thread carries it to the stage file: its bytes in place, or a String when long,
// always the UTF-8 the String of the id would give.

import Testing
@testable import TechSurvey

@Suite struct ReturnIDTextTests {
    @Test(arguments: ["", "A", "PK-000000001", "Số phiếu 12", String(repeating: "x", count: 23), String(repeating: "y", count: 24),
                      String(repeating: "z", count: 25), "PK-" + String(repeating: "ế", count: 8), String(repeating: "Đơn vị ", count: 20)])
    func holdsTheTextsUTF8(_ text: String) {
        let fromString = ReturnIDText(text)
        let fromBytes = Array(text.utf8).withUnsafeBufferPointer { ReturnIDText(bytes: $0) }
        #expect(fromString.withUTF8 { Array($0) } == Array(text.utf8))
        #expect(fromBytes.withUTF8 { Array($0) } == Array(text.utf8))
        #expect(fromString == fromBytes)
        #expect(fromString.description == text)
    }

    @Test func differentTextsDiffer() {
        #expect(ReturnIDText("PK-1") != ReturnIDText("PK-2"))
        #expect(ReturnIDText("PK-1") != ReturnIDText("PK-1 "))
        #expect(ReturnIDText(String(repeating: "a", count: 30)) != ReturnIDText(String(repeating: "a", count: 31)))
    }
}
