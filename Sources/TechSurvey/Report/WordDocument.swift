// `report.docx` (SPEC §4.3): the report's own Markdown, with the PNG charts in place of the SVGs, converted
// by pandoc with a reference document laid out as a Vietnamese administrative document expects: Times New
// Roman, 14 pt body (11 pt in tables, which are wide), numbered tables with their unit and source lines (they are in the
// Markdown). The reference document is pandoc's own default with its fonts and sizes changed, so it always
// matches the installed pandoc.
//
// pandoc's conversion is most of a report run (0.15–0.4 s of a core), and the report text differs from one
// run to the next only in its generation time. So pandoc converts the text with a placeholder where that
// time goes, and the time is then put in (and in the document's created and modified dates) by rewriting
// the document's zip archive with ZIPFoundation: with a content cache, a text, charts and reference
// document this pandoc has converted before are not converted again.

import Foundation
import ZIPFoundation

struct WordDocument {
    let cache: ContentCache?
    /// The installed pandoc (its file's identity), part of every key: it names pandoc's build and so its
    /// default reference document.
    private let pandoc: Result<[UInt8], Error>?

    init(cache: ContentCache?) {
        self.cache = cache
        pandoc = cache.map { _ in Result { try ExternalTool.identity("pandoc", package: "pandoc", making: "report.docx") } }
    }

    /// Makes the reference document at `path`: pandoc's own default, restyled, or the same from the cache
    /// when it was made by this pandoc (the default's own bytes carry the time it was printed) and this
    /// restyling. Independent of the report, so it is made while the charts are rendered.
    func writeReference(to path: String) throws {
        let key = try pandoc.flatMap { try ContentCache.key([Array(Self.referenceKind.utf8), $0.get(), Array(Self.referenceScript.utf8)]) }
        if let cache, let key, let stored = cache.entry(key, kind: Self.referenceKind) {
            return try AtomicFile.write([UInt8](stored), to: path, sync: false)
        }
        let defaults = try ExternalTool.run("pandoc", ["--print-default-data-file", "reference.docx"], package: "pandoc", making: "report.docx")
        try ExternalTool.run("python3", Self.python + [Self.referenceScript, path], input: defaults, package: "python3", making: "report.docx")
        if let cache, let key, let made = FileManager.default.contents(atPath: path) { cache.store([UInt8](made), key: key, kind: Self.referenceKind) }
    }

    private static let referenceKind = "reference-docx"
    private static let documentKind = "report-docx"

    /// What pandoc's text holds where the generation time goes: a word pandoc copies as it is, in one run of
    /// document.xml.
    static let timePlaceholder = "TECHSURVEYGENERATIONTIME"

    /// Writes the Word document at `path` from `text(time)`, the report's Markdown with `time` as its
    /// generation time, whose images `images` (paths) are relative to `resources`, laid out by the reference
    /// document `reference`; `created` is the document's date. `scratch` is a folder for pandoc's output.
    func write(text: (String) -> String, time: String, created: Date, images: [String], resources: String, reference: String,
               scratch: String, to path: String) throws {
        let withPlaceholder = text(Self.timePlaceholder)
        // A report whose own words hold the placeholder (a file named so) is converted with its time, whole.
        guard withPlaceholder.components(separatedBy: Self.timePlaceholder).count == 2 else {
            return try convert(text(time), resources: resources, reference: reference, scratch: scratch, to: path)
        }
        var key: String?
        if let pandoc {
            var parts = [Array(Self.documentKind.utf8), try pandoc.get(), Array(Self.pandocArguments.joined(separator: "\n").utf8)]
            parts.append(try Self.bytes(reference))
            parts.append(Array(withPlaceholder.utf8))
            for image in images { parts += [Array(image.dropFirst(resources.count).utf8), try Self.bytes(image)] }
            key = ContentCache.key(parts)
        }
        let converted: [UInt8]
        if let cache, let key, let stored = cache.entry(key, kind: Self.documentKind) {
            converted = [UInt8](stored)
        } else {
            let made = scratch + "report-placeholder.docx"
            // A fixed date, so the same text always converts to the same bytes; the real one is put in below.
            try convert(withPlaceholder, resources: resources, reference: reference, scratch: scratch, to: made, environment: ["SOURCE_DATE_EPOCH": "0"])
            converted = try Self.bytes(made)
            if let cache, let key { cache.store(converted, key: key, kind: Self.documentKind) }
        }
        try AtomicFile.write(Self.stamped(converted, time: time, date: created), to: path, sync: false)
    }

    /// pandoc's document `converted` with the placeholder of word/document.xml (there exactly once) replaced
    /// by `time`, and `date` as its created and modified dates and the date of every part.
    static func stamped(_ converted: [UInt8], time: String, date: Date) throws -> [UInt8] {
        let failed = { (why: String) in
            TechSurveyError(.cannotCreate, "cannot make report.docx: \(why); run again, and report it with the input if it happens again")
        }
        let placeholder = Array(timePlaceholder.utf8), text = Array(xmlEscape(time).utf8)
        let w3c = Array(w3cDate(date).utf8)
        let source: Archive, out: Archive
        do {
            source = try Archive(data: Data(converted), accessMode: .read, pathEncoding: nil)
            out = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        } catch { throw failed("pandoc's document is no zip archive") }
        var found = 0
        for entry in source {
            var body = Data()
            do { _ = try source.extract(entry) { body.append($0) } } catch { throw failed("a part of pandoc's document (\(entry.path)) cannot be read") }
            if entry.path == "word/document.xml" {
                let (replaced, count) = replacing(placeholder, with: text, in: [UInt8](body))
                body = Data(replaced)
                found = count
            } else if entry.path == "docProps/core.xml" {
                var xml = [UInt8](body)
                for element in ["dcterms:created", "dcterms:modified"] { xml = settingText(of: element, to: w3c, in: xml) }
                body = Data(xml)
            }
            let part = body
            do {
                try out.addEntry(with: entry.path, type: entry.type, uncompressedSize: Int64(part.count), modificationDate: date,
                                 compressionMethod: entry.type == .file ? .deflate : .none) { position, size in
                    part.subdata(in: Int(position)..<Int(position) + size)
                }
            } catch { throw failed("its part \(entry.path) cannot be written") }
        }
        guard found == 1 else { throw failed("pandoc's document holds the generation time's placeholder \(found) times, not once") }
        guard let data = out.data else { throw failed("the rewritten document is empty") }
        return [UInt8](data)
    }

    /// `xml` with the text of every element `name` (up to the next tag) set to `text`.
    private static func settingText(of name: String, to text: [UInt8], in xml: [UInt8]) -> [UInt8] {
        let start = Array("<\(name)".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(xml.count + 64)
        var i = 0
        while i < xml.count {
            let opens = i + start.count < xml.count && xml[i..<(i + start.count)].elementsEqual(start)
                && (xml[i + start.count] == UInt8(ascii: ">") || xml[i + start.count] == UInt8(ascii: " "))
            guard opens, let close = xml[i...].firstIndex(of: UInt8(ascii: ">")) else {
                out.append(xml[i])
                i += 1
                continue
            }
            out += xml[i...close]
            out += text
            i = xml[(close + 1)...].firstIndex(of: UInt8(ascii: "<")) ?? xml.count
        }
        return out
    }

    /// `bytes` with every `pattern` replaced by `replacement`, and how many there were.
    private static func replacing(_ pattern: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> ([UInt8], Int) {
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return (bytes, 0) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + replacement.count)
        var i = 0, count = 0
        while i < bytes.count {
            if i + pattern.count <= bytes.count && bytes[i] == pattern[0] && bytes[i..<(i + pattern.count)].elementsEqual(pattern) {
                out += replacement
                i += pattern.count
                count += 1
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return (out, count)
    }

    private static let pandocArguments = ["--from", "markdown-smart", "--to", "docx"]

    /// The reference document's script needs Python's standard library only: isolated (-I) and without
    /// site packages (-S), no PYTHONPATH or installed package can stand in for zipfile, and Python starts a
    /// few ms sooner.
    private static let python = ["-I", "-S", "-c"]

    /// pandoc's conversion of the Markdown `text` (written to `scratch` for it) to the Word document `path`.
    private func convert(_ text: String, resources: String, reference: String, scratch: String, to path: String, environment: [String: String] = [:]) throws {
        let input = scratch + "report-for-word.md"
        // pandoc's input, never published: not worth a wait for the disk.
        try AtomicFile.write(Array(text.utf8), to: input, sync: false)
        try ExternalTool.run("pandoc", Self.pandocArguments + ["--resource-path", resources, "--reference-doc", reference, "--output", path, input],
                             package: "pandoc", making: "report.docx", environment: environment)
    }

    private static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TechSurveyError(.cannotCreate, "cannot make report.docx: \(path) cannot be read back; check the disk and run again")
        }
        return [UInt8](data)
    }

    /// The date as the document's properties write it (W3CDTF, UTC).
    private static func w3cDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        return formatter.string(from: date)
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
