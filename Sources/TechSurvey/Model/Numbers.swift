// Counts and budgets as returns write them (SPEC §3.3). Counts are whole numbers, plain or grouped in threes;
// budgets follow the file's locale and are kept in exact thousandths so sums never drift.

/// Why a number cell was refused; the validator turns it into a reason code.
enum NumberProblem: Error, Equatable, Sendable {
    case notANumber
    case negative
    /// A whole number above the most one cell may hold (`maxCount`, `maxBudget`).
    case tooLarge
}

/// The most one count cell may hold: 999,999,999. A unit-visit's technologies, an exhibition's visitors are
/// far below it, and a sum of such cells stays exact in Int64 (and its product with 1,000 for a share in
/// tenths of a percent) for over 9 million records at the maximum each, and for any real number of records.
let maxCount = 999_999_999

/// The most one budget cell may hold, in million VND: 999,999,999 (a billion billion đồng, far above any
/// programme's budget). Kept in thousandths that is under 10^12, so sums over millions of activities stay
/// exact in Int64.
let maxBudget = Budget(thousandths: 999_999_999_999)

/// Parses a count: `1234`, `1.234`, `1,234`, `1 234`. Rejects `1.5`, `12a`, `-0`; a leading minus is `negative`;
/// digits worth more than `maxCount` are `tooLarge`.
func parseCount(_ text: String) -> Result<Int, NumberProblem> {
    var body = Substring(text)
    var negative = false
    if body.first == "-" || body.first == "−" {
        negative = true
        body = body.dropFirst()
    }
    guard let digits = groupedDigits(body, separators: [".", ",", " ", "\u{00A0}", "\u{202F}"]) else { return .failure(.notANumber) }
    let significant = digits.drop { $0 == "0" }
    // A count is digits only (SPEC §3.3): `-0` is no count, not 0, as `+3` is not 3.
    if negative { return .failure(significant.isEmpty ? .notANumber : .negative) }
    if significant.isEmpty { return .success(0) }
    guard significant.count <= 9, let value = Int(significant), value <= maxCount else { return .failure(.tooLarge) }
    return .success(value)
}

/// A budget in thousandths of a million VND (one thousand đồng).
struct Budget: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    var thousandths: Int64
    init(thousandths: Int64) { self.thousandths = thousandths }
    static let zero = Budget(thousandths: 0)
    /// The exact sum, or the data error of `ExactSum` when it does not fit.
    func adding(_ other: Budget) throws(TechSurveyError) -> Budget {
        let (sum, overflow) = thousandths.addingReportingOverflow(other.thousandths)
        if overflow { throw ExactSum.overflowError("budgets") }
        return Budget(thousandths: sum)
    }
    static func < (a: Budget, b: Budget) -> Bool { a.thousandths < b.thousandths }

    /// Plain dot-decimal text without trailing zeros: `5132`, `5132.5`.
    var description: String { formatted(decimalMark: ".", groupSeparator: nil) }

    /// Text with the given decimal mark and optional thousands separator.
    func formatted(decimalMark: String, groupSeparator: String?) -> String {
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = thousandths.magnitude
        var whole = String(magnitude / 1000)
        if let groupSeparator { whole = group(whole, groupSeparator) }
        var fraction = pad(Int(magnitude % 1000), 3)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + whole + (fraction.isEmpty ? "" : decimalMark + fraction)
    }

    init(from decoder: Decoder) throws {
        thousandths = try decoder.singleValueContainer().decode(Int64.self)
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(thousandths)
    }
}

/// Parses a budget where `decimalMark` is `,` (in `;`-delimited and tab-separated files) or `.` (otherwise);
/// the other mark, and spaces, group thousands. At most three decimals, at most `maxBudget`.
func parseBudget(_ text: String, decimalMark: Character) -> Result<Budget, NumberProblem> {
    var body = Substring(text)
    var negative = false
    if body.first == "-" || body.first == "−" {
        negative = true
        body = body.dropFirst()
    }
    let groupMark: Character = decimalMark == "," ? "." : ","
    let pieces = body.split(separator: decimalMark, omittingEmptySubsequences: false)
    guard (1...2).contains(pieces.count),
          let whole = groupedDigits(pieces[0], separators: [groupMark, " ", "\u{00A0}", "\u{202F}"]) else { return .failure(.notANumber) }
    let significant = whole.drop { $0 == "0" }
    let wholeValue: Int64
    if significant.isEmpty {
        wholeValue = 0
    } else {
        guard significant.count <= 12, let v = Int64(significant) else { return .failure(negative ? .negative : .tooLarge) }
        wholeValue = v
    }
    var fractionValue: Int64 = 0
    if pieces.count == 2 {
        let fraction = pieces[1]
        guard (1...3).contains(fraction.count), fraction.allSatisfy(\.isASCIIDigit),
              let f = Int64(fraction + String(repeating: "0", count: 3 - fraction.count)) else { return .failure(.notANumber) }
        fractionValue = f
    }
    let value = wholeValue * 1000 + fractionValue
    // A sign is never part of an amount: `-0` is refused like a count's, not read as 0.
    if negative { return .failure(value == 0 ? .notANumber : .negative) }
    if value > maxBudget.thousandths { return .failure(.tooLarge) }
    return .success(Budget(thousandths: value))
}

/// The digits of `text` when it is plain digits or digits grouped in threes by one of `separators`
/// (the same one throughout); nil otherwise.
private func groupedDigits(_ text: Substring, separators: [Character]) -> String? {
    guard let first = text.first, first.isASCIIDigit else { return nil }
    guard let separator = text.first(where: { !$0.isASCIIDigit }) else { return String(text) }
    guard separators.contains(separator) else { return nil }
    let groups = text.split(separator: separator, omittingEmptySubsequences: false)
    guard let head = groups.first, (1...3).contains(head.count) else { return nil }
    for group in groups {
        guard group.allSatisfy(\.isASCIIDigit) else { return nil }
    }
    guard groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
    return groups.joined()
}

/// Inserts `separator` every three digits from the right.
func group(_ digits: String, _ separator: String) -> String {
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += separator }
        out.append(c)
    }
    return out
}

/// Sums are exact or refused (SPEC §6: exit 65): every count and budget is added with an overflow check, and
/// a sum beyond 64 bits stops the stage with one line instead of trapping or printing a wrapped figure.
enum ExactSum {
    static func overflowError(_ measure: String) -> TechSurveyError {
        TechSurveyError(.data, "the \(measure) of the records add up to more than can be counted exactly (9,223,372,036,854,775,807); some input values are far too large: check the largest ones for misplaced digits")
    }

    /// `a + b`, setting `overflow` instead of trapping; for hot loops that check once at the end.
    @inline(__always)
    static func add(_ a: inout Int, _ b: Int, overflow: inout Bool) {
        let (sum, o) = a.addingReportingOverflow(b)
        a = sum
        overflow = overflow || o
    }
}
