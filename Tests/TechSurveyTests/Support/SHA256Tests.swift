// SHA256Hasher, the manifest's file fingerprint: the FIPS 180-4 test vectors, and the same digest however
// the input is cut into update() calls.

import Testing
@testable import TechSurvey

@Suite struct SHA256Tests {
    static func digest(_ bytes: [UInt8]) -> String {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    static func digest(_ bytes: [UInt8], inPiecesOf sizes: [Int]) -> String {
        var hasher = SHA256Hasher()
        var start = 0
        var i = 0
        while start < bytes.count {
            let end = min(bytes.count, start + sizes[i % sizes.count])
            hasher.update(bytes[start..<end])
            start = end
            i += 1
        }
        return hasher.finalizeHex()
    }

    static let abc448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (abc448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(text: String, hex: String) {
        #expect(Self.digest(Array(text.utf8)) == hex)
    }

    @Test func oneMillionA() {
        let bytes = [UInt8](repeating: 0x61, count: 1_000_000)
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(Self.digest(bytes) == expected)
        #expect(Self.digest(bytes, inPiecesOf: [1000, 1, 63, 4096]) == expected)
    }

    @Test(arguments: [[1], [2], [3], [7], [55, 9], [63], [64], [65], [1, 64, 127], [200]])
    func unevenPiecesGiveTheSameDigest(sizes: [Int]) {
        // 0…199 crosses three block boundaries and the 55/56-byte padding edge.
        for length in [0, 55, 56, 63, 64, 65, 119, 128, 200] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            #expect(Self.digest(bytes, inPiecesOf: sizes) == Self.digest(bytes), "length \(length), pieces \(sizes)")
        }
    }

    @Test func the448BitVectorFedByteByByte() {
        let bytes = Array(Self.abc448.utf8)
        #expect(Self.digest(bytes, inPiecesOf: [1]) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func emptyUpdatesChangeNothing() {
        var hasher = SHA256Hasher()
        hasher.update([UInt8]())
        hasher.update(Array("ab".utf8))
        hasher.update([UInt8]())
        hasher.update(Array("c".utf8))
        #expect(hasher.finalizeHex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func digestsAreSixtyFourLowercaseHexDigits() {
        let hex = Self.digest(Array("Công nghệ sinh học".utf8))
        #expect(hex.count == 64)
        #expect(hex.allSatisfy { c in c.isHexDigit && !c.isUppercase })
    }
}
