// Budgets follow the file's convention (SPEC §3.3): tab-separated files (Excel "Unicode text") and
// `;`-delimited ones write `.` between thousands and `,` before decimals, as Vietnamese Windows does;
// `,`-delimited files the reverse; DECIMAL= overrides; a budget the other convention reads differently is
// named once per file in the warnings.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct ActivityValidatorTests {
    static func budgets(_ text: String, delimiter: String, decimal: DecimalMark? = nil, utf16: Bool = false) throws -> (budgets: [Int64], warnings: [String]) {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/returns/r.csv", "unit_id,field,survey_date,technologies_found,technologies_proposed\nU1,biotech,2015-01-01,3,1\n")
        let body = text.replacingOccurrences(of: "|", with: delimiter)
        if utf16 {
            writeFile(dir + "/in/activities/a.txt", bytes: [0xFF, 0xFE] + body.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        } else {
            writeFile(dir + "/in/activities/a.csv", body)
        }
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage"), readOptions: ReadOptions(decimal: decimal)))
        let activities = try StageRecords.readActivities(dir + "/stage/activities.csv")
        return (activities.map(\.budget.thousandths), summary.files.filter { $0.kind == "activities" }.flatMap(\.warnings))
    }

    static let log = "date|kind|title|budget_million_vnd\n2015-01-01|research_task|A|1.250\n2015-02-01|research_task|B|5.132,5\n2015-03-01|research_task|C|2.500\n2015-04-01|research_task|D|700\n"

    @Test func unicodeTextFromExcelReadsTheVietnameseWay() throws {
        // Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated.
        let read = try Self.budgets(Self.log, delimiter: "\t", utf16: true)
        #expect(read.budgets == [1_250_000, 5_132_500, 2_500_000, 700_000])
    }

    @Test(arguments: ["\t", ";"])
    func tabAndSemicolonFilesGroupWithADot(delimiter: String) throws {
        let read = try Self.budgets(Self.log, delimiter: delimiter)
        #expect(read.budgets == [1_250_000, 5_132_500, 2_500_000, 700_000])
        // "1.250" and "2.500" would be 1.25 and 2.5 the other way: named once, with the count.
        #expect(read.warnings.count == 1, "\(read.warnings)")
        let warning = read.warnings.first ?? ""
        #expect(warning.contains("'1.250'") && warning.contains("row 2") && warning.contains("1 more") && warning.contains("DECIMAL=dot"), "\(warning)")
    }

    @Test func decimalOverridesTheConvention() throws {
        let read = try Self.budgets("date,kind,title,budget_million_vnd\n2015-01-01,research_task,A,\"1.250\"\n2015-01-02,research_task,B,\"5.132,5\"\n", delimiter: ",", decimal: .comma)
        #expect(read.budgets == [1_250_000, 5_132_500])
        let dot = try Self.budgets("date;kind;title;budget_million_vnd\n2015-01-01;research_task;A;1.250\n2015-01-02;research_task;B;5,132.5\n", delimiter: ";", decimal: .dot)
        #expect(dot.budgets == [1_250, 5_132_500])
        #expect(dot.warnings.count == 1 && dot.warnings[0].contains("DECIMAL=dot is set"), "\(dot.warnings)")
    }

    @Test func aCommaFileNamesAnAmbiguousBudget() throws {
        let read = try Self.budgets("date,kind,title,budget_million_vnd\n2015-01-01,research_task,A,1.250\n2015-01-02,research_task,B,700\n", delimiter: ",")
        #expect(read.budgets == [1_250, 700_000])
        #expect(read.warnings.count == 1 && read.warnings[0].contains("DECIMAL=comma"), "\(read.warnings)")
    }

    @Test func unambiguousBudgetsGiveNoWarning() throws {
        let read = try Self.budgets("date|kind|title|budget_million_vnd\n2015-01-01|research_task|A|5.132,5\n2015-01-02|research_task|B|650\n", delimiter: ";")
        #expect(read.warnings.isEmpty, "\(read.warnings)")
    }

    @Test func theIngestExecutableTakesDecimal() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/returns/r.csv", "unit_id,field,survey_date,technologies_found,technologies_proposed\nU1,biotech,2015-01-01,3,1\n")
        writeFile(dir + "/in/activities/a.csv", "date,kind,title,budget_million_vnd\n2015-01-01,research_task,A,\"1.250\"\n")
        let comma = try runTool("techsurvey-ingest", ["--input", dir + "/in", "--stage", dir + "/stage", "--decimal", "comma"])
        #expect(comma.status == 0, "\(comma.stderr)")
        #expect(try StageRecords.readActivities(dir + "/stage/activities.csv").first?.budget == Budget(thousandths: 1_250_000))
        let bad = try runTool("techsurvey-ingest", ["--input", dir + "/in", "--stage", dir + "/stage", "--decimal", "koma"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("'comma' and 'dot'") && bad.stderr.contains("DECIMAL="), "\(bad.stderr)")
    }
}
