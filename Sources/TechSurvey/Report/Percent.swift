// The one rounding rule for published percentages (SPEC §4.1): exact integer arithmetic, rounded half away
// from zero to one decimal, empty when the divisor is 0.

/// `numerator / denominator × 100` in tenths of a percent, rounded half away from zero; nil when the
/// denominator is 0, or when the result does not fit in an Int (a change of more than 10¹⁵ %). Exact for
/// every pair of Ints: the product with 1000 is taken at double width, so no input can trap or wrap.
func percentTenths(_ numerator: Int, of denominator: Int) -> Int? {
    guard denominator != 0 else { return nil }
    let negative = (numerator < 0) != (denominator < 0)
    let d = denominator.magnitude
    let wide = numerator.magnitude.multipliedFullWidth(by: 1000)
    // The quotient fits in 64 bits only when the high half is below the divisor.
    guard wide.high < d else { return nil }
    let (quotient, remainder) = d.dividingFullWidth(wide)
    // Half away from zero: round up when the remainder is at least half the divisor (2r ≥ d, without 2r).
    let up: UInt = remainder >= d - remainder ? 1 : 0
    guard quotient < UInt(Int.max) else { return nil }
    let tenths = Int(quotient + up)
    return negative ? -tenths : tenths
}

/// Tenths as `53.2` (or with another decimal mark).
func formatTenths(_ tenths: Int, decimalMark: String = ".") -> String {
    let sign = tenths < 0 ? "-" : ""
    return sign + String(tenths.magnitude / 10) + decimalMark + String(tenths.magnitude % 10)
}
