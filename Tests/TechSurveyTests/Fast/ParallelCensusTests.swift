// The census counted in parts on several threads gives what one pass over the whole file gives: UTF-8
// sequences near the cuts and piece ends, stray bytes, NULs at odd and even offsets.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct ParallelCensusTests {
    static func sample(_ seed: UInt64) -> [UInt8] {
        var rng = SeededGenerator(state: seed)
        let pieces: [[UInt8]] = [Array("Lê Chân, Hải Phòng, ".utf8), Array("abc,123\n".utf8), [0], [0xC3], [0xE1, 0xBB], [0xFF], Array("Đồ Sơn 🌊 ".utf8)]
        var bytes: [UInt8] = []
        while bytes.count < 40_000 { bytes += pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
        return bytes
    }

    @Test(arguments: [1, 2, 3, 7])
    func partsAddUpToOnePass(_ parts: Int) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        for seed: UInt64 in [1, 2, 3] {
            let bytes = Self.sample(seed)
            let path = dir + "/f.csv"
            writeFile(path, bytes: bytes)
            let handle = try #require(fopen(path, "rb"))
            defer { fclose(handle) }
            for piece in [4, 5, 1000, 1 << 20] {
                let counted = try ByteCensus.counted(handle: handle, size: bytes.count, parts: parts, pieceSize: piece, displayName: "f.csv")
                #expect(counted == ByteCensus.of(bytes), "seed \(seed), \(parts) parts, pieces of \(piece)")
            }
        }
    }
}
