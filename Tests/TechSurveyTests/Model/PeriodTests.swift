// PERIOD as written (Period.swift): a period outside the years a survey date can have is a usage error
// naming PERIOD, never an aggregates file that the report then calls damaged.

import Testing
@testable import TechSurvey

@Suite struct PeriodTests {
    @Test(arguments: ["0000", "1000..9999", "0000-Q1", "1899", "2015..2201"])
    func yearsOutsideSurveyDatesAreAUsageError(text: String) {
        #expect {
            _ = try Period(parsing: text)
        } throws: { error in
            guard let e = error as? TechSurveyError else { return false }
            return e.kind == .usage && e.message.hasPrefix("PERIOD='\(text)'") && !e.message.contains("make clean")
        }
    }

    @Test func theEdgesOfTheRangeAreAccepted() throws {
        #expect(try Period(parsing: "1900..2200").text == "1900..2200")
        #expect(try Period(parsing: "2015-Q3").first == Quarter(year: 2015, quarter: 3))
    }

    /// Issue 11 class 8 ("PERIOD=0000 … must be exit 64 naming the variable"; no `make clean` for a usage
    /// error), at the executables: before the 1900–2200 year range aggregate accepted `--period 0000` (and 0001, 0003-Q4,
    /// 1000..9999) with exit 0, then report said the aggregates were damaged and suggested `make clean report`.
    @Test(arguments: ["0000", "0000-Q1", "0001", "0003-Q4", "1000..9999", "+015-Q1"])
    func aPeriodNoReportCanPrintIsAUsageErrorAtAggregate(period: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let ingest = try runTool("techsurvey-ingest", ["--input", TestPaths.bundledInput, "--stage", dir + "/stage"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let aggregate = try runTool("techsurvey-aggregate", ["--stage", dir + "/stage", "--period", period])
        if aggregate.status == 0 {
            let report = try runTool("techsurvey-report", ["--stage", dir + "/stage", "--output", dir + "/out"])
            #expect(report.status == 0, "aggregate took PERIOD=\(period) but report fails: \(report.stderr)")
            #expect(!report.stderr.contains("make clean"), "\(report.stderr)")
        } else {
            #expect(aggregate.status == 64, "\(aggregate.stderr)")
            #expect(aggregate.stderr.contains("PERIOD"), "\(aggregate.stderr)")
        }
    }

    /// Issue 11 class 6 / README "Safe output": every stderr line quotes input through one escaper. A period
    /// holding a newline was cut at it ("PERIOD='2015; see …"), losing what is wrong.
    @Test func aPeriodWithANewlineIsQuotedWholeOnOneLine() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let ingest = try runTool("techsurvey-ingest", ["--input", TestPaths.bundledInput, "--stage", dir + "/stage"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let run = try runTool("techsurvey-aggregate", ["--stage", dir + "/stage", "--period", "2015\nQ9"])
        #expect(run.status == 64)
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("is not a period") && run.stderr.contains("2015\\nQ9"), "\(run.stderr)")
        #expect(!run.stderr.contains("make clean"), "\(run.stderr)")
        // A 5,000-character argument is quoted cut, on one line.
        let long = try runTool("techsurvey-aggregate", ["--stage", dir + "/stage", "--period", String(repeating: "9", count: 5000)])
        #expect(long.status == 64 && long.stderr.split(separator: "\n").count == 1 && long.stderr.count < 400, "\(long.stderr.prefix(500))")
    }

    /// Periods are digits only; the case of `q` is canonicalised, and the text printed is the canonical form.
    @Test(arguments: ["+015-Q1", "2015-Q+3", "2015-Q03", "2015-Q 3", "2015-Q3..2016-Q+1", "+2015"])
    func aPeriodWithSignsOrPaddingIsRefused(_ text: String) {
        #expect(throws: TechSurveyError.self) { try Period(parsing: text) }
    }

    @Test(arguments: [("2015-q3", "2015-Q3"), ("2013-q1..2015-q4", "2013-Q1..2015-Q4"), ("2015", "2015"), (" 2013..2015 ", "2013..2015")])
    func thePrintedTextIsTheCanonicalForm(_ typed: String, _ canonical: String) throws {
        #expect(try Period(parsing: typed).text == canonical)
    }
}
