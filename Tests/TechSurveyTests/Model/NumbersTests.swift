// Counts and budgets as returns write them (SPEC §3.3): parseCount, parseBudget in both locales, and how a
// Budget is written back.

import Testing
@testable import TechSurvey

@Suite struct NumbersTests {
    // MARK: counts

    @Test(arguments: [
        ("1234", 1234), ("1.234", 1234), ("1,234", 1234), ("1 234", 1234),
        ("1\u{00A0}234", 1234), ("1.234.567", 1_234_567), ("1,234,567", 1_234_567),
        ("0", 0), ("94", 94), ("007", 7),
    ])
    func countsPlainOrGroupedInThrees(text: String, value: Int) {
        #expect(parseCount(text) == .success(value))
    }

    @Test(arguments: ["1.5", "12a", "1.23", "1,2345", "1234.567", "1.234,567", "1.234 567", "", "a", "1.", ".5", "1..234", "+3", "1e3", "12 ", "0x10", "-0", "-000", "\u{2212}0"])
    func anythingElseIsNotANumber(_ text: String) {
        #expect(parseCount(text) == .failure(.notANumber))
    }

    @Test(arguments: ["-3", "-1.234", "\u{2212}3"])
    func aLeadingMinusIsNegative(_ text: String) {
        #expect(parseCount(text) == .failure(.negative))
    }

    @Test(arguments: ["1000000000", "1234567890123", "1.234.567.890", "99999999999999999999999999", "0001000000000"])
    func aCountAboveTheMaximumIsTooLargeNotGarbage(_ text: String) {
        #expect(parseCount(text) == .failure(.tooLarge))
    }

    @Test func theMaximumCountItselfIsFine() {
        #expect(parseCount("999999999") == .success(maxCount))
        #expect(parseCount("999.999.999") == .success(maxCount))
        #expect(parseCount("000000000000000") == .success(0))
    }

    @Test func sumsOfMaximalCellsStayExact() {
        // Nine million records at the maximum each, and the product a share in tenths of a percent takes.
        let (sum, overflow) = Int64(maxCount).multipliedReportingOverflow(by: 9_000_000)
        #expect(!overflow)
        #expect(!sum.multipliedReportingOverflow(by: 1000).overflow)
        let (budgets, budgetOverflow) = maxBudget.thousandths.multipliedReportingOverflow(by: 9_000_000)
        #expect(!budgetOverflow && budgets > 0)
    }

    @Test func aBudgetAboveTheMaximumIsTooLarge() {
        #expect(parseBudget("1.000.000.000", decimalMark: ",") == .failure(.tooLarge))
        #expect(parseBudget("99999999999999999999", decimalMark: ".") == .failure(.tooLarge))
        #expect(parseBudget("999,999,999.999", decimalMark: ".") == .success(maxBudget))
    }

    @Test func aMinusInFrontOfGarbageIsStillNotANumber() {
        #expect(parseCount("-12a") == .failure(.notANumber))
    }

    // MARK: budgets

    struct BudgetCase: Sendable, CustomTestStringConvertible {
        let text: String
        let decimalMark: Character
        let thousandths: Int64
        var testDescription: String { "'\(text)' with decimal mark '\(decimalMark)'" }
    }

    static let budgets: [BudgetCase] = [
        // `;`-delimited files: `.` groups thousands, `,` is the decimal mark (the review's "5.132 triệu đồng").
        BudgetCase(text: "5.132,5", decimalMark: ",", thousandths: 5_132_500),
        BudgetCase(text: "5.132", decimalMark: ",", thousandths: 5_132_000),
        BudgetCase(text: "5132", decimalMark: ",", thousandths: 5_132_000),
        BudgetCase(text: "0,125", decimalMark: ",", thousandths: 125),
        BudgetCase(text: "1 250,75", decimalMark: ",", thousandths: 1_250_750),
        // Every other file: `,` groups thousands, `.` is the decimal mark.
        BudgetCase(text: "5,132.5", decimalMark: ".", thousandths: 5_132_500),
        BudgetCase(text: "5132", decimalMark: ".", thousandths: 5_132_000),
        BudgetCase(text: "5132.5", decimalMark: ".", thousandths: 5_132_500),
        BudgetCase(text: "0.125", decimalMark: ".", thousandths: 125),
        BudgetCase(text: "5.132", decimalMark: ".", thousandths: 5_132),   // the same text, read in the other locale
        BudgetCase(text: "0", decimalMark: ".", thousandths: 0),
        BudgetCase(text: "1,000,000.001", decimalMark: ".", thousandths: 1_000_000_001),
    ]

    @Test(arguments: budgets)
    func budgetsFollowTheFileLocale(_ c: BudgetCase) {
        #expect(parseBudget(c.text, decimalMark: c.decimalMark) == .success(Budget(thousandths: c.thousandths)))
    }

    static let badBudgets: [BudgetCase] = [
        BudgetCase(text: "0.1255", decimalMark: ".", thousandths: 0),    // more than three decimals
        BudgetCase(text: "0,1255", decimalMark: ",", thousandths: 0),
        BudgetCase(text: "5.132,5", decimalMark: ".", thousandths: 0),   // the `;` form in a `,` file
        BudgetCase(text: "5,132.5", decimalMark: ",", thousandths: 0),
        BudgetCase(text: "1,5", decimalMark: ".", thousandths: 0),
        BudgetCase(text: "1.2.3", decimalMark: ".", thousandths: 0),
        BudgetCase(text: "12,", decimalMark: ",", thousandths: 0),
        BudgetCase(text: "abc", decimalMark: ".", thousandths: 0),
        BudgetCase(text: "", decimalMark: ".", thousandths: 0),
        BudgetCase(text: "1.5a", decimalMark: ".", thousandths: 0),
        BudgetCase(text: "-0", decimalMark: ".", thousandths: 0),        // a sign: refused as counts are
        BudgetCase(text: "-0,000", decimalMark: ",", thousandths: 0),
    ]

    @Test(arguments: badBudgets)
    func malformedBudgetsAreRefused(_ c: BudgetCase) {
        #expect(parseBudget(c.text, decimalMark: c.decimalMark) == .failure(.notANumber))
    }

    @Test func aNegativeBudgetIsRefused() {
        #expect(parseBudget("-2.5", decimalMark: ".") == .failure(.negative))
        #expect(parseBudget("-2,5", decimalMark: ",") == .failure(.negative))
    }

    // MARK: writing budgets back

    @Test(arguments: [
        (Int64(5_132_500), "5132.5"), (5_132_000, "5132"), (125, "0.125"), (100, "0.1"),
        (120, "0.12"), (0, "0"), (1_000_000_001, "1000000.001"), (-1_500, "-1.5"),
    ])
    func descriptionIsPlainDotDecimalWithoutTrailingZeros(thousandths: Int64, text: String) {
        #expect(Budget(thousandths: thousandths).description == text)
    }

    @Test func formattedUsesTheLocaleMarks() {
        let budget = Budget(thousandths: 5_132_500)
        #expect(budget.formatted(decimalMark: ",", groupSeparator: ".") == "5.132,5")
        #expect(budget.formatted(decimalMark: ".", groupSeparator: ",") == "5,132.5")
        #expect(budget.formatted(decimalMark: ".", groupSeparator: nil) == "5132.5")
        #expect(Budget(thousandths: 1_234_567_000).formatted(decimalMark: ",", groupSeparator: ".") == "1.234.567")
        #expect(Budget(thousandths: 999_000).formatted(decimalMark: ",", groupSeparator: ".") == "999")
    }

    @Test func parsedBudgetsSumExactly() throws {
        let texts = ["0.1", "0.2", "5,132.5", "0.001"]
        var sum = Budget.zero
        for text in texts {
            sum = try sum.adding(try parseBudget(text, decimalMark: ".").get())
        }
        #expect(sum == Budget(thousandths: 5_132_801))
        #expect(sum.description == "5132.801")
    }

    @Test func aBudgetRoundTripsThroughItsText() throws {
        for thousandths: Int64 in [0, 1, 10, 999, 1_000, 5_132_500, 123_456_789] {
            let budget = Budget(thousandths: thousandths)
            #expect(try parseBudget(budget.description, decimalMark: ".").get() == budget)
            let vi = budget.formatted(decimalMark: ",", groupSeparator: ".")
            #expect(try parseBudget(vi, decimalMark: ",").get() == budget, "\(vi)")
        }
    }
}
