// The one rounding rule for published percentages (SPEC §4.1): exact integer arithmetic, rounded half away
// from zero to one decimal, empty when the divisor is 0.

/// `numerator / denominator × 100` in tenths of a percent, rounded half away from zero; nil when the
/// denominator is 0.
public func percentTenths(_ numerator: Int, of denominator: Int) -> Int? {
    guard denominator != 0 else { return nil }
    let negative = (numerator < 0) != (denominator < 0)
    let n = numerator.magnitude * 2000, d = denominator.magnitude
    let tenths = Int((n + d) / (2 * d))
    return negative ? -tenths : tenths
}

/// Tenths as `53.2` (or with another decimal mark).
public func formatTenths(_ tenths: Int, decimalMark: String = ".") -> String {
    let sign = tenths < 0 ? "-" : ""
    return sign + String(tenths.magnitude / 10) + decimalMark + String(tenths.magnitude % 10)
}
