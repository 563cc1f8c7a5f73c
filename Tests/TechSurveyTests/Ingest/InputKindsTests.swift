// The two kinds of input: what each file's notes add up to when its parts are read apart (blocks on
// threads, sheets), and the validator each kind makes for a text file and for a workbook sheet.

import Testing
@testable import TechSurvey

@Suite struct InputKindsTests {
    @Test func ambiguousBudgetsKeepTheFirstAtItsRowInTheFile() {
        var notes = AmbiguousBudgets()
        notes.append(AmbiguousBudgets(), rowBase: 100)
        #expect(notes.first == nil && notes.count == 0)
        notes.append(AmbiguousBudgets(first: ("1.250", 3), count: 2), rowBase: 100)
        notes.append(AmbiguousBudgets(first: ("2.500", 1), count: 1), rowBase: 200)
        #expect(notes.first?.text == "1.250" && notes.first?.row == 103 && notes.count == 3)
    }

    @Test func unknownUnitTypesAddUpOverTheParts() {
        var notes = UnknownUnitTypes(counts: ["Xưởng": 1])
        notes.append(UnknownUnitTypes(counts: ["Xưởng": 2, "Trạm": 1]), rowBase: 40)
        #expect(notes.counts == ["Xưởng": 3, "Trạm": 1])
    }

    @Test func anActivityWorkbooksTextBudgetsAreReadTheVietnameseWayUnlessDecimalIsSet() {
        let columns = ColumnMap(header: ["date", "kind", "title", "budget_million_vnd"], matcher: Vocabularies().activityColumns)
        let plain = ActivityInput(vocabularies: Vocabularies(), decimal: nil)
        #expect(plain.validator(columns: columns, source: "a.xlsx#S", delimiter: 0x2C, isWorkbook: true).decimal == .comma)
        #expect(plain.validator(columns: columns, source: "a.csv", delimiter: 0x2C, isWorkbook: false).decimal == .dot)
        #expect(plain.validator(columns: columns, source: "a.csv", delimiter: 0x3B, isWorkbook: false).decimal == .comma)
        let forced = ActivityInput(vocabularies: Vocabularies(), decimal: .dot)
        #expect(forced.validator(columns: columns, source: "a.xlsx#S", delimiter: 0x2C, isWorkbook: true).decimal == .dot)
        let validator = forced.validator(columns: columns, source: "a.csv", delimiter: 0x3B, isWorkbook: false)
        #expect(validator.decimal == .dot)
        let warning = forced.warnings(AmbiguousBudgets(first: ("1.250", 7), count: 1), validator: validator, isWorkbook: false)
        #expect(warning.count == 1 && warning.allSatisfy { $0.contains("at row 7 is read as") && $0.contains("DECIMAL=dot is set") }, "\(warning)")
        #expect(forced.warnings(AmbiguousBudgets(), validator: validator, isWorkbook: false).isEmpty)
    }
}
