// The PNG copy of each chart (SPEC §4.3): rsvg-convert at 2× scale, marked 192 dpi so it keeps the SVG's
// size on the page. A PNG is a function of the SVG's bytes, the renderer and the fonts it draws with, so
// with a content cache an unchanged chart is not drawn again (each drawing costs about 55 ms of a core):
// the key holds the SVG, the installed rsvg-convert (its file's identity) and the DejaVu fonts' bytes (the
// charts' first font).

import Foundation

struct ChartImages {
    let cache: ContentCache?
    /// The renderer and fonts, part of every key; found once, on a thread of its own.
    private let renderer: ToolJob<[UInt8]>?

    private static let kind = "chart-png"
    private static let fonts = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"]

    init(cache: ContentCache?) {
        self.cache = cache
        renderer = cache.map { _ in
            ToolJob {
                let renderer = try ExternalTool.identity("rsvg-convert", package: "librsvg2-bin", making: "the PNG charts")
                var hasher = SHA256Hasher()
                for font in Self.fonts { hasher.update(FileManager.default.contents(atPath: font).map { [UInt8]($0) } ?? Array("no \(font)".utf8)) }
                return renderer + Array(hasher.finalizeHex().utf8)
            }
        }
    }

    /// Renders the SVG `svg` (whose bytes are `content`) as the PNG `png`, named `name` in messages.
    func render(svg: String, content: String, to png: String, name: String) throws {
        let key = try renderer.flatMap { try ContentCache.key([Array(Self.kind.utf8), $0.wait(), Array(content.utf8)]) }
        if let cache, let key, let stored = cache.entry(key, kind: Self.kind) {
            return try AtomicFile.write([UInt8](stored), to: png, sync: false)
        }
        try ExternalTool.run("rsvg-convert", ["--zoom", "2", "--dpi-x", "192", "--dpi-y", "192", "--format", "png", "--output", png, svg],
                             package: "librsvg2-bin", making: name)
        if let cache, let key, let made = FileManager.default.contents(atPath: png) { cache.store([UInt8](made), key: key, kind: Self.kind) }
    }
}
