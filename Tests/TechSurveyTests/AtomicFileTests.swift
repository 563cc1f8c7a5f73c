// AtomicFile.swift: a folder that cannot be made because a file stands in its way is named in one line
// (the report executable run alone with --output pointing at a file); many files sync at once.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct AtomicFileTests {
    @Test(arguments: ["", "/tables", "/tables/charts"])
    func aFileWhereAFolderShouldBeIsNamed(below: String) throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/out", "a file\n")
        #expect {
            try AtomicFile.makeDirectory(dir + "/out" + below)
        } throws: { error in
            let message = (error as? TechSurveyError)?.message ?? ""
            return message.hasPrefix("\(dir)/out is a file, not a folder") && !message.contains("\n")
        }
    }

    @Test func syncAllSyncsFilesAndFoldersAndNamesOneThatIsMissing() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let files = (0..<20).map { dir + "/f\($0).txt" }
        for file in files { writeFile(file, "x") }
        try AtomicFile.syncAll(files + [dir])
        #expect {
            try AtomicFile.syncAll(files + [dir + "/missing.txt"])
        } throws: { error in
            ((error as? TechSurveyError)?.message ?? "").contains("missing.txt")
        }
    }
}
