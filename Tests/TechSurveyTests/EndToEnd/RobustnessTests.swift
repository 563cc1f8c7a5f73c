// Seeded random damage to a valid returns file — flipped bytes, truncations, stray quotes, delimiters and
// line ends — must never crash or hang ingest, and every record read must still be accounted for.

import Foundation
import Testing
@testable import TechSurvey

/// SplitMix64: small, seedable, the same sequence on every machine.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RobustnessTests {
    static let mutations = 10_000

    /// What refuses a whole returns file (DelimitedFile, Ingest): each is something damage can do to it.
    static let wholeFileRefusals = ["the file is empty", "is not a text file", "looks like UTF-16 text", "has a header but no records", "required column"]

    static func mutate(_ original: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = original
        let inserts: [[UInt8]] = [[0x22], [0x2C], [0x3B], [0x09], [0x0A], [0x0D], [0x0D, 0x0A], [0x22, 0x22], [0x00], [0xFF], [0xC3]]
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes[at] ^= 1 << UInt8.random(in: 0...7, using: &rng)
            case 2: bytes.removeSubrange(at...)
            case 3: bytes.insert(contentsOf: inserts[Int.random(in: 0..<inserts.count, using: &rng)], at: at)
            case 4: bytes.remove(at: at)
            default:
                let end = min(bytes.count, at + Int.random(in: 1...80, using: &rng))
                bytes.insert(contentsOf: bytes[at..<end], at: end)
            }
        }
        return bytes
    }

    @Test(.timeLimit(.minutes(10)))
    func damagedFilesNeverCrashAndAlwaysReconcile() throws {
        let original = Array(try #require(FileManager.default.contents(atPath: TestPaths.fixtures + "/bundled/returns-2015.csv")))
        var rng = SeededGenerator(state: 20_151_231)
        var outcomes = (reconciled: 0, refused: 0)
        for _ in 0..<Self.mutations {
            let damaged = Self.mutate(original, using: &rng)
            let chunkSize = [64, 1000, 1 << 20][Int.random(in: 0..<3, using: &rng)]
            do {
                let result = try ingest(
                    returnFiles: [InputFile(name: "returns/damaged.csv", source: .bytes(damaged))], activityFiles: [],
                    vocabularies: Vocabularies(), options: ReadOptions(), chunkSize: chunkSize
                )
                let t = result.summary.totals
                let accounted = try result.returns.count + result.rejects.count + result.supersededCount
                guard t.reconciles, accounted == t.rowsRead else {
                    Issue.record("does not reconcile: read \(t.rowsRead), accounted \(accounted); bytes: \(damaged)")
                    return
                }
                outcomes.reconciled += 1
            } catch let error as TechSurveyError {
                // A damaged header (or a file cut to nothing, or made binary) refuses the whole file, with a
                // reason the damage can explain; never an accounting failure, which is also a data error.
                let explained = error.kind == .data && error.message.hasPrefix("returns/damaged.csv: ")
                    && Self.wholeFileRefusals.contains { error.message.contains($0) }
                #expect(explained, "refused for a reason no damage explains: \(error.message); bytes: \(damaged)")
                outcomes.refused += 1
            }
        }
        #expect(outcomes.reconciled > Self.mutations / 2, "most damage is to records, not the header: \(outcomes)")
        #expect(outcomes.refused > 0, "some damage hits the header: \(outcomes)")
    }
}
