// The PNG charts with a content cache: the first drawing is rsvg-convert's own, byte for byte, and is kept;
// the next one of the same SVG is the kept entry (one rewritten with other bytes shows them); another SVG
// is drawn anew.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct ChartImagesTests {
    static let svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="2" y="15" font-family="DejaVu Sans">Bảng</text></svg>"#

    @Test func anUnchangedChartComesFromTheCache() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/a.svg", Self.svg)
        try ChartImages(cache: nil).render(svg: dir + "/a.svg", content: Self.svg, to: dir + "/direct.png", name: "a.png")
        let cache = ContentCache(folder: dir + "/cache")
        try ChartImages(cache: cache).render(svg: dir + "/a.svg", content: Self.svg, to: dir + "/first.png", name: "a.png")
        let direct = try Data(contentsOf: URL(fileURLWithPath: dir + "/direct.png"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/first.png")) == direct)
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.folder)
        try #require(names.count == 1, "one entry: \(names)")
        let key = String(names[0].prefix(64))
        cache.store(Array("not a PNG: from the cache".utf8), key: key, kind: "chart-png")
        try ChartImages(cache: cache).render(svg: dir + "/a.svg", content: Self.svg, to: dir + "/second.png", name: "a.png")
        #expect(readText(dir + "/second.png") == "not a PNG: from the cache")

        let other = Self.svg.replacingOccurrences(of: "Bảng", with: "Biểu đồ")
        writeFile(dir + "/b.svg", other)
        try ChartImages(cache: cache).render(svg: dir + "/b.svg", content: other, to: dir + "/other.png", name: "b.png")
        let drawn = try Data(contentsOf: URL(fileURLWithPath: dir + "/other.png"))
        #expect(drawn.starts(with: [0x89, 0x50, 0x4E, 0x47]) && drawn != direct, "another SVG is drawn by rsvg-convert")
    }
}
