// Publishable output (SPEC §4, §6): a killed run leaves the previous output whole, a second concurrent run
// exits 75, spreadsheet formulas are neutralised, Markdown tables survive `|`, and the charts are valid XML.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import TechSurvey

@Suite(.serialized) struct OutputSafetyTests {
    /// Every published file under `dir` with its content, ignoring the lock and staging folders.
    func snapshot(_ dir: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: dir)
        while let name = enumerator?.nextObject() as? String {
            if name.hasPrefix(".") { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[name] = FileManager.default.contents(atPath: dir + "/" + name)
            }
        }
        return files
    }

    func startReport(stage: String, output: String, language: String, pauseMs: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.binaries + "/techsurvey-report")
        process.arguments = ["--stage", stage, "--output", output, "--lang", language]
        var env = ProcessInfo.processInfo.environment
        env["TECHSURVEY_TEST_PAUSE_BEFORE_PUBLISH_MS"] = String(pauseMs)
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits until the report has staged its manifest, i.e. written everything and not yet published.
    func waitUntilStaged(_ output: String) -> Bool {
        for _ in 0..<200 {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
            if let staging = entries.first(where: { $0.hasPrefix(".staging-") }),
               FileManager.default.fileExists(atPath: output + "/" + staging + "/manifest.json") {
                return true
            }
            usleep(20_000)
        }
        return false
    }

    @Test func sigkillMidwayLeavesThePreviousOutputUnchanged() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let out = dir + "/out"
        try #require(try runPipeline(input: TestPaths.bundledInput, output: out, stage: dir + "/stage").status == 0)
        let before = snapshot(out)
        #expect(before.count >= 14)

        let process = try startReport(stage: dir + "/stage", output: out, language: "en", pauseMs: 5000)
        #expect(waitUntilStaged(out), "the report never staged its files")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(snapshot(out) == before, "a killed run changed the published output")

        // The next run cleans up after the killed one and publishes.
        let rerun = try runTool("techsurvey-report", ["--stage", dir + "/stage", "--output", out, "--lang", "en"])
        #expect(rerun.status == 0)
        #expect(readText(out + "/news.md").contains("66 unit-visits"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".staging-") }
        #expect(leftovers.isEmpty)
    }

    @Test func aSecondConcurrentRunExits75() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let out = dir + "/out"
        try #require(try runPipeline(input: TestPaths.bundledInput, output: out, stage: dir + "/stage").status == 0)
        let first = try startReport(stage: dir + "/stage", output: out, language: "vi", pauseMs: 3000)
        #expect(waitUntilStaged(out))
        let second = try runTool("techsurvey-report", ["--stage", dir + "/stage", "--output", out])
        #expect(second.status == 75)
        #expect(second.stderr.contains("another techsurvey run"))
        #expect(second.stderr.split(separator: "\n").count == 1)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
    }

    @Test func formulasAreNeutralisedAndPipesEscaped() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/returns/r.csv", """
            unit_id,unit_name,district,field,survey_date,technologies_found,technologies_proposed
            "=HYPERLINK(""http://x"",""y"")","=HYPERLINK(""http://x"",""y"")",@SUM(A1),biotech,2015-01-02,3,1
            U2,Đơn vị 2,Lê Chân | Kiến An,energy,2015-02-02,2,1
            U3,Đơn vị 3,-1+2,energy,2015-02-03,2,1

            """)
        try #require(try runPipeline(input: dir + "/in", output: dir + "/out", stage: dir + "/stage").status == 0)
        let districts = try readCSV(dir + "/out/tables/by_district.csv").map { $0[0] }
        #expect(districts.contains("'@SUM(A1)"))
        #expect(districts.contains("'-1+2"))
        #expect(districts.contains("Lê Chân | Kiến An"))
        for name in ["by_field", "by_period", "by_unit_type", "by_district", "activities_by_kind", "activities_by_country"] {
            for row in try readCSV(dir + "/out/tables/\(name).csv") {
                for cell in row where cell.hasPrefix("=") || cell.hasPrefix("@") || cell.hasPrefix("+") {
                    Issue.record("\(name).csv has an active formula cell: \(cell)")
                }
            }
        }
        let report = readText(dir + "/out/report.md")
        let tableLines = report.split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(report.contains("Lê Chân \\| Kiến An"))
        // Every line of the district table has the same number of unescaped column bars.
        let district = tableLines.filter { $0.contains("Kiến An") || $0.contains("SUM") }
        let districtBars = Set(district.map { $0.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count })
        #expect(districtBars.count == 1)
    }

    @Test func chartsAreValidSVGLinkedFromTheReport() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        try #require(try runPipeline(input: TestPaths.bundledInput, output: dir + "/out", stage: dir + "/stage").status == 0)
        let report = readText(dir + "/out/report.md")
        let charts = try FileManager.default.contentsOfDirectory(atPath: dir + "/out/charts").filter { $0.hasSuffix(".svg") }.sorted()
        #expect(charts == ["activities_by_year.svg", "by_field.svg", "trend_by_quarter.svg"])
        for chart in charts {
            #expect(report.contains("(charts/\(chart))"), "report.md does not link \(chart)")
            let data = try #require(FileManager.default.contents(atPath: dir + "/out/charts/" + chart))
            let parser = XMLParser(data: data)
            let delegate = RootElement()
            parser.delegate = delegate
            #expect(parser.parse(), "\(chart) is not well-formed XML: \(String(describing: parser.parserError))")
            #expect(delegate.root == "svg")
        }
    }
}

final class RootElement: NSObject, XMLParserDelegate {
    var root: String?
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        if root == nil { root = elementName }
    }
}
