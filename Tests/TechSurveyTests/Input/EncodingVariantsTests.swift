// The same twelve records exported eight different ways (Tests/Fixtures/encodings, made by generate.py)
// must give the same by_field.csv as the clean original (SPEC §3.3).

import Foundation
import Testing
@testable import TechSurvey

@Suite struct EncodingVariantsTests {
    static let root = TestPaths.fixtures + "/encodings"

    static func byField(_ variant: String, ingest: [String] = []) throws -> (table: String, manifest: Manifest) {
        let dir = scratchFolder(variant)
        defer { removeFolder(dir) }
        let result = try runPipeline(input: root + "/" + variant + "/input", output: dir + "/out", stage: dir + "/stage", extraIngest: ingest)
        #expect(result.status == 0, "\(variant): \(result.stderr)")
        let manifest = try JSONDecoder().decode(Manifest.self, from: FileManager.default.contents(atPath: dir + "/out/manifest.json") ?? Data())
        // by_district carries decoded text (district names), so a wrong decoding shows there too.
        return (readText(dir + "/out/tables/by_field.csv") + readText(dir + "/out/tables/by_district.csv"), manifest)
    }

    @Test(arguments: ["utf8-bom", "utf16le-tab", "windows-1258", "semicolon-crlf", "nfd", "vietnamese-caps-headers", "day-first"])
    func variantGivesTheCleanTable(_ variant: String) throws {
        let clean = try Self.byField("clean")
        let other = try Self.byField(variant)
        #expect(other.table == clean.table)
        #expect(other.manifest.rowsRejected == 0)
        #expect(other.manifest.rowsAccepted == 12)
    }

    @Test func tcvn3IsReadWhenNamed() throws {
        let clean = try Self.byField("clean")
        let tcvn3 = try Self.byField("tcvn3", ingest: ["--encoding", "tcvn3"])
        #expect(tcvn3.table == clean.table)
        #expect(tcvn3.manifest.files.first?.encoding == "tcvn3")
    }

    @Test func windows1258IsDetectedAndCanBeNamed() throws {
        let detected = try Self.byField("windows-1258")
        #expect(detected.manifest.files.first?.encoding == "windows-1258")
        #expect(detected.manifest.files.first?.encodingSource == "fallback")
        let named = try Self.byField("windows-1258", ingest: ["--encoding", "cp1258"])
        #expect(named.manifest.files.first?.encodingSource == "option")
        #expect(named.table == detected.table)
    }

    @Test func detectedDelimitersAndEncodingsAreInTheManifest() throws {
        let tab = try Self.byField("utf16le-tab")
        #expect(tab.manifest.files.first?.delimiter == "tab")
        #expect(tab.manifest.files.first?.encoding == "utf-16le")
        #expect(tab.manifest.files.first?.encodingSource == "bom")
        let semicolon = try Self.byField("semicolon-crlf")
        #expect(semicolon.manifest.files.first?.delimiter == ";")
    }
}
