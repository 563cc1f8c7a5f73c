// techsurvey-stage: the binary returns of a stage ingest wrote, printed as the CSV returns.csv was, and
// one clear line with the right exit code when the stage folder is missing, damaged or older.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct StageToolTests {
    static func ingested(_ dir: String) throws -> String {
        let stage = dir + "/stage"
        let run = try runTool("techsurvey-ingest", ["--input", TestPaths.bundledInput, "--stage", stage])
        try #require(run.status == 0, "\(run.stderr)")
        return stage
    }

    @Test func returnsPrintAsTheCSVTheStageUsedToHold() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let stage = try Self.ingested(dir)
        let run = try runTool("techsurvey-stage", ["returns", "--stage", stage])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)

        writeFile(dir + "/returns.csv", run.stdout)
        let rows = try readCSV(dir + "/returns.csv")
        #expect(rows.first == StageRecords.returnsHeader)
        let records = rows.dropFirst()
        #expect(records.count == 66)
        #expect(records.allSatisfy { $0.count == StageRecords.returnsHeader.count })
        #expect(records.allSatisfy { $0[0].hasPrefix("returns/") && Field(rawValue: $0[8]) != nil && CalendarDate(parsing: $0[9]) != nil })
        #expect(records.map { Int($0[10]) ?? -1 }.reduce(0, +) == 209)
        #expect(records.map { Int($0[11]) ?? -1 }.reduce(0, +) == 126)

        // Row for row what the stage holds, LF line ends as stage files have.
        var expected: [UInt8] = []
        try StageReturnsCSV.write(stage: StageFolder(stage)) { expected += $0 }
        #expect(Array(run.stdout.utf8) == expected)
        #expect(!run.stdout.contains("\r\n"))
    }

    @Test func aDamagedStageFileExits65WithOneLine() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let stage = try Self.ingested(dir)
        let path = stage + "/returns.bin"
        let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
        writeFile(path, bytes: Array(bytes.prefix(bytes.count / 2)))
        let run = try runTool("techsurvey-stage", ["returns", "--stage", stage])
        #expect(run.status == 65)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "techsurvey-stage: \(path) is damaged; run `make clean report` to rebuild the stage folder\n")

        let aggregate = try runTool("techsurvey-aggregate", ["--stage", stage])
        #expect(aggregate.status == 65)
        #expect(aggregate.stderr.split(separator: "\n").count == 1)
    }

    @Test func aStageOfTheCSVEraExits65AndAMissingOneExits66() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/old/returns.csv", StageRecords.returnsHeader.joined(separator: ",") + "\n")
        let old = try runTool("techsurvey-stage", ["returns", "--stage", dir + "/old"])
        #expect(old.status == 65)
        #expect(old.stderr.contains("older version of techsurvey"), "\(old.stderr)")
        #expect(old.stderr.contains("run `make clean report`"))

        let missing = try runTool("techsurvey-stage", ["returns", "--stage", dir + "/nowhere"])
        #expect(missing.status == 66)
        #expect(missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
    }

    @Test func explainsItself() throws {
        let help = try runTool("techsurvey-stage", ["returns", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE"))
        #expect(help.stdout.contains("--stage"))
        let top = try runTool("techsurvey-stage", ["--help"])
        #expect(top.status == 0)
        #expect(top.stdout.contains("returns"))
    }

    /// `make stage-csv` output is opened in spreadsheets like tables/*.csv: text cells that a spreadsheet
    /// would run as a formula (= + - @ TAB CR NUL first) get a leading ' (SPEC §4); they came out as typed.
    @Test func formulaLookingTextIsNeutralisedAsInTheTables() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let header = "unit_id,unit_name,district,field,survey_date,technologies_found,technologies_proposed\n"
        writeFile(dir + "/in/returns/r.csv", header
            + "=1+2,\"=HYPERLINK(\"\"http://x\"\")\",+84,biotech,2015-01-01,3,1\n"
            + "@SUM,-Đơn vị,-Q1,biotech,2015-01-02,2,0\n"
            + "U3,Đơn vị 3,Lê Chân,biotech,2015-01-03,1,1\n")
        let ingest = try runTool("techsurvey-ingest", ["--input", dir + "/in", "--stage", dir + "/stage"])
        try #require(ingest.status == 0, "\(ingest.stderr)")
        let run = try runTool("techsurvey-stage", ["returns", "--stage", dir + "/stage"])
        #expect(run.status == 0, "\(run.stderr)")
        writeFile(dir + "/returns.csv", run.stdout)
        let rows = try readCSV(dir + "/returns.csv").dropFirst()
        let cells = rows.map { [$0[4], $0[5], $0[7]] }
        #expect(cells == [["'=1+2", "'=HYPERLINK(\"http://x\")", "'+84"], ["'@SUM", "'-Đơn vị", "'-Q1"], ["U3", "Đơn vị 3", "Lê Chân"]], "\(run.stdout)")
        // Numbers stay numbers.
        #expect(rows.map { $0[10] } == ["3", "2", "1"])
    }
}
