// The one rounding rule for published percentages (SPEC §4.1): percentTenths and formatTenths.

import Testing
@testable import TechSurvey

@Suite struct PercentTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let numerator: Int
        let denominator: Int
        let tenths: Int?
        var testDescription: String { "\(numerator)/\(denominator) → \(tenths.map(String.init) ?? "nil")" }
    }

    static let rounding: [Case] = [
        Case(numerator: 50, denominator: 94, tenths: 532),   // 53.19… → 53.2, the worked example's biotech rate
        Case(numerator: 1, denominator: 3, tenths: 333),     // 33.33…
        Case(numerator: 2, denominator: 3, tenths: 667),     // 66.66…
        Case(numerator: 1, denominator: 8, tenths: 125),     // exactly 12.5
        Case(numerator: 1, denominator: 16, tenths: 63),     // 6.25 → 6.3, half away from zero
        Case(numerator: 1, denominator: 80, tenths: 13),     // 1.25 → 1.3
        Case(numerator: 3, denominator: 80, tenths: 38),     // 3.75 → 3.8
        Case(numerator: 1, denominator: 2000, tenths: 1),    // 0.05 → 0.1
        Case(numerator: 1, denominator: 2001, tenths: 0),    // 0.049… → 0.0
        Case(numerator: 0, denominator: 5, tenths: 0),
        Case(numerator: 5, denominator: 5, tenths: 1000),
        Case(numerator: 7, denominator: 5, tenths: 1400),    // over 100 % is not clamped
        Case(numerator: 126, denominator: 209, tenths: 603), // 60.28… → 60.3, the worked example's total rate
        Case(numerator: 94, denominator: 209, tenths: 450),  // 44.97… → 45.0
        Case(numerator: 3, denominator: 0, tenths: nil),
        Case(numerator: 0, denominator: 0, tenths: nil),
    ]

    @Test(arguments: rounding)
    func roundsHalfAwayFromZeroToOneDecimal(_ c: Case) {
        #expect(percentTenths(c.numerator, of: c.denominator) == c.tenths)
    }

    static let negatives: [Case] = [
        Case(numerator: -1, denominator: 16, tenths: -63),   // -6.25 → -6.3, away from zero, not up
        Case(numerator: 1, denominator: -80, tenths: -13),
        Case(numerator: -1, denominator: -8, tenths: 125),
        Case(numerator: -1, denominator: 3, tenths: -333),
    ]

    @Test(arguments: negatives)
    func negativeSharesRoundAwayFromZeroToo(_ c: Case) {
        #expect(percentTenths(c.numerator, of: c.denominator) == c.tenths)
    }

    @Test(arguments: [
        (532, ".", "53.2"),
        (532, ",", "53,2"),
        (63, ".", "6.3"),
        (5, ".", "0.5"),
        (0, ".", "0.0"),
        (1000, ".", "100.0"),
        (1000, ",", "100,0"),
        (-63, ".", "-6.3"),
        (-5, ",", "-0,5"),
    ])
    func formatsTenthsWithTheDecimalMark(tenths: Int, mark: String, expected: String) {
        #expect(formatTenths(tenths, decimalMark: mark) == expected)
    }

    @Test func formatDefaultsToADot() {
        #expect(formatTenths(532) == "53.2")
    }

    @Test func theWorkedExampleRatesFormatAsPublished() throws {
        let tenths = try #require(percentTenths(50, of: 94))
        #expect(formatTenths(tenths, decimalMark: ",") == "53,2")
    }

    // MARK: no input can trap (issue 11 class 2)

    /// The rule computed in 128 bits, where nothing a 64-bit input gives can overflow.
    static func reference(_ n: Int, _ d: Int) -> Int? {
        guard d != 0 else { return nil }
        let num = Int128(n).magnitude * 2000, den = Int128(d).magnitude
        let tenths = (num + den) / (2 * den)
        guard tenths < UInt128(Int.max) else { return nil }
        return (n < 0) != (d < 0) ? -Int(tenths) : Int(tenths)
    }

    @Test func everyPairOfIntsGivesTheExactRoundedFigure() {
        var rng = SeededGenerator(state: 64)
        let edges = [0, 1, -1, 2, 999_999_999_999, 9_299_999_999_990_700, Int.max, Int.max - 1, Int.min, Int.min + 1, Int.max / 1000, Int.max / 1000 + 1]
        var pairs = edges.flatMap { a in edges.map { (a, $0) } }
        for _ in 0..<20_000 {
            let bits = Int.random(in: 1...62, using: &rng)
            let a = Int.random(in: -(1 << bits)...(1 << bits), using: &rng), b = Int.random(in: Int.min...Int.max, using: &rng) >> Int.random(in: 0...63, using: &rng)
            pairs.append((a, b))
            pairs.append((b, a))
        }
        for (n, d) in pairs {
            #expect(percentTenths(n, of: d) == Self.reference(n, d), "\(n) / \(d)")
        }
    }

    /// 9,300 returns of 999,999,999,999 technologies each: 2000 × the sum is beyond 64 bits.
    @Test func theRateOfHugeSumsIsExact() {
        let sum = 9_300 * 999_999_999_999
        #expect(percentTenths(sum, of: sum) == 1000)
        #expect(percentTenths(sum / 3, of: sum) == 333)
        #expect(percentTenths(Int.max, of: 1) == nil)
    }
}
