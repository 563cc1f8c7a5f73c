// The kept tools: a tool's identity, which names it in the content cache's keys, stays while its file does
// and changes when the file is replaced, even by one of the same size and date (an upgrade, a copy); a tool
// run gets the environment it is given.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct ExternalToolsTests {
    @Test func aReplacedToolHasAnotherIdentity() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let tool = dir + "/tool"
        writeFile(tool, "version 1")
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: tool)
        let first = try #require(ExternalTool.fileIdentity(tool))
        #expect(ExternalTool.fileIdentity(tool) == first)
        // The same size and modification date, as `cp -p` or an unpacked package keeps them.
        writeFile(dir + "/new", "version 2")
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: dir + "/new")
        try #require(rename(dir + "/new", tool) == 0)
        #expect(ExternalTool.fileIdentity(tool) != first)
        #expect(ExternalTool.fileIdentity(dir + "/missing") == nil)
    }

    @Test func anInstalledToolHasAnIdentityAndAMissingOneIsNamedWithItsPackage() throws {
        #expect(try !ExternalTool.identity("pandoc", package: "pandoc", making: "report.docx").isEmpty)
        #expect(throws: TechSurveyError.self) { try ExternalTool.identity("techsurvey-no-such-tool", package: "some-package", making: "x") }
    }

    @Test func aToolRunsWithTheEnvironmentItIsGiven() throws {
        let out = try ExternalTool.run("sh", ["-c", "printf '%s' \"$TECHSURVEY_TEST_VALUE\""], package: "dash", making: "a test", environment: ["TECHSURVEY_TEST_VALUE": "given"])
        #expect(String(decoding: out, as: UTF8.self) == "given")
    }
}
