// `report.docx` (SPEC §4.3): the report's own Markdown, with the PNG charts in place of the SVGs, converted
// by pandoc with a reference document laid out as a Vietnamese administrative document expects: Times New
// Roman, 14 pt body (11 pt in tables, which are wide), numbered tables with their unit and source lines (they are in the
// Markdown). The reference document is pandoc's own default with its fonts and sizes changed, so it always
// matches the installed pandoc.

import Foundation

enum WordDocument {
    /// Makes the reference document at `path`: pandoc's own default, restyled, or the same from `cache`
    /// when it was made by this pandoc (its version text names its default; the default's own bytes carry
    /// the time it was printed) and this restyling. Independent of the report, so it is made while the
    /// charts are rendered.
    static func writeReference(to path: String, cache: ContentCache?) throws {
        var key: String?
        if let cache {
            let version = try ExternalTool.run("pandoc", ["--version"], package: "pandoc", making: "report.docx")
            key = ContentCache.key([Array(referenceKind.utf8), [UInt8](version), Array(referenceScript.utf8)])
            if let key, let stored = cache.entry(key, kind: referenceKind) {
                return try AtomicFile.write([UInt8](stored), to: path, sync: false)
            }
        }
        let defaults = try ExternalTool.run("pandoc", ["--print-default-data-file", "reference.docx"], package: "pandoc", making: "report.docx")
        try ExternalTool.run("python3", ["-c", referenceScript, path], input: defaults, package: "python3", making: "report.docx")
        if let cache, let key, let made = FileManager.default.contents(atPath: path) { cache.store([UInt8](made), key: key, kind: referenceKind) }
    }

    private static let referenceKind = "reference-docx"

    /// Writes the Word document at `path` from the Markdown file `input`, whose images are relative to
    /// `resources`, laid out by the reference document `reference`.
    static func write(input: String, resources: String, reference: String, to path: String) throws {
        try ExternalTool.run("pandoc", ["--from", "markdown-smart", "--to", "docx", "--resource-path", resources, "--reference-doc", reference,
                                        "--output", path, input], package: "pandoc", making: "report.docx")
    }

    /// Reads pandoc's default reference.docx on stdin and writes it to argv[1] with every theme font replaced by
    /// Times New Roman, the body at 14 pt (sz is in half-points) and table cells ("Compact") at 11 pt.
    static let referenceScript = #"""
    import io, re, sys, zipfile
    source = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
    fonts = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman" />'
    replaced = False
    with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "word/styles.xml":
                styles = body.decode("utf-8")
                styles = re.sub(r'<w:rFonts w:asciiTheme="[^"]*"[^>]*/>', fonts, styles)
                def body_size(m):
                    return re.sub(r'w:val="\d+"', 'w:val="28"', m.group(0))
                styles = re.sub(r'<w:rPrDefault>.*?</w:rPrDefault>', body_size, styles, count=1, flags=re.S)
                styles = re.sub(r'(<w:style [^>]*w:styleId="Compact"[^>]*>.*?)(</w:style>)',
                                lambda m: m.group(1) + '<w:rPr><w:sz w:val="22" /><w:szCs w:val="22" /></w:rPr>' + m.group(2)
                                if '<w:rPr>' not in m.group(1) else m.group(0), styles, count=1, flags=re.S)
                replaced = fonts in styles
                body = styles.encode("utf-8")
            target.writestr(item, body)
    if not replaced:
        sys.exit("pandoc's reference.docx has no theme font to replace")
    """#
}
