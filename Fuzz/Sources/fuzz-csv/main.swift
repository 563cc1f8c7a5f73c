// Fuzz target: the CSV writer and the one CSV reader (libcsv) against each other. Every cell written must
// read back as it was, in the stage form, in the published form (BOM, CR LF, formula guard) and in
// `rejects.csv`'s raw column for each delimiter; no published text cell may start a formula; and libcsv
// must give the same records however the text is cut into pieces.
//
// The input is rows of cells: 0x1E ends a row, 0x1F ends a cell, the bytes between are the cell's
// UTF-8 (invalid sequences become U+FFFD, and CR becomes LF: text reaching the writer has been through
// the transcoder, and the reader reads text with LF line ends).

import Foundation
import CFuzzerDriver
import FuzzSupport
@testable import TechSurvey

private let formulaStarts: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D, 0x00]

private func records(_ text: [UInt8], delimiter: UInt8, cuts: [Int] = []) -> [[[UInt8]]] {
    var out: [[[UInt8]]] = []
    do {
        let reader = try CSVReader(delimiter: delimiter)
        var from = 0
        for cut in cuts.sorted() where cut > from && cut < text.count {
            try reader.feed(Array(text[from..<cut])) { r in out.append((0..<r.count).map { Array(r.field($0)) }) }
            from = cut
        }
        try reader.feed(Array(text[from...])) { r in out.append((0..<r.count).map { Array(r.field($0)) }) }
        try reader.finish { r in out.append((0..<r.count).map { Array(r.field($0)) }) }
    } catch {
        invariant(false, "the reader refused text: \(error)")
    }
    return out
}

/// What the input path makes of a published cell's line ends (SPEC §3.3: CR LF and lone CR read as LF).
private func lineEndsAsLF(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
        if bytes[i] == 0x0D {
            out.append(0x0A)
            if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
        } else {
            out.append(bytes[i])
        }
        i += 1
    }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    // Every row starts with a row number, as every stage and published row does, so no row is blank.
    let rows: [[String]] = data.split(separator: 0x1E, omittingEmptySubsequences: false).enumerated().map { n, row in
        ["\(n + 1)"] + row.split(separator: 0x1F, omittingEmptySubsequences: false).map { String(decoding: lineEndsAsLF(Array($0)), as: UTF8.self) }
    }
    // The reader takes a record spanning 100 lines or more, or a cell past Excel's 32,767 characters, for a
    // stray quote (CSVReader.maxRecordLines): no record read from input is that large, so none is written.
    let fits = rows.allSatisfy { row in row.reduce(0) { $0 + $1.utf8.count { $0 == 0x0A } } < 100 && row.allSatisfy { $0.utf16.count <= 32_767 } }
    guard fits else { return 0 }

    // The stage form: LF, no guard; read back byte for byte, however libcsv is fed.
    var stage = CSVWriter(crlf: false)
    for row in rows { stage.writeRow(row) }
    let expected = rows.map { $0.map { Array($0.utf8) } }
    let read = records(stage.bytes, delimiter: 0x2C)
    invariant(read == expected, "stage CSV does not read back:\n\(rows)\n\(read.map { $0.map { String(decoding: $0, as: UTF8.self) } })")
    let cuts = data.prefix(4).map { Int($0) * stage.bytes.count / 256 }
    invariant(records(stage.bytes, delimiter: 0x2C, cuts: cuts) == expected, "stage CSV reads differently when cut at \(cuts)")

    // The published form: BOM, CR LF, formula guard; read back through the input path as a file.
    var published = CSVWriter(byteOrderMark: true, neutralise: true)
    for row in rows { published.writeRow(row.enumerated().map { $0 == 0 ? .number($1) : .text($1) }) }
    let guarded = rows.map { row in row.enumerated().map { Array(lineEndsAsLF(Array(($0 == 0 ? $1 : CSVWriter.neutralised($1)).utf8))) } }
    if !published.bytes.contains(0) {
        var back: [[[UInt8]]] = []
        do {
            // Comma named, as a reader of a table with its fixed header would sniff it.
            _ = try readDelimited(.bytes(published.bytes), displayName: "table.csv", options: ReadOptions(delimiter: 0x2C, fingerprint: false)) { r, _ in
                back.append((0..<r.count).map { Array(r.field($0)) })
            }
        } catch {
            invariant(false, "a published table does not read back: \(error)")
        }
        invariant(back == guarded, "published CSV does not read back:\n\(rows)\n\(back.map { $0.map { String(decoding: $0, as: UTF8.self) } })")
    }
    for row in rows {
        for cell in row.dropFirst() {
            let first = Array(CSVWriter.neutralised(cell).utf8).first
            invariant(first.map { !formulaStarts.contains($0) } ?? true, "a text cell still starts a formula: \(cell.debugDescription)")
        }
    }

    // rejects.csv's raw column: the record in its own file's delimiter.
    for delimiter: UInt8 in [0x2C, 0x3B, 0x09, 0x7C] {
        let line = rows.map { row in row.map { CSVWriter.quoteIfNeeded($0, delimiter: delimiter) }.joined(separator: String(UnicodeScalar(delimiter))) }
            .joined(separator: "\n")
        invariant(records(Array(line.utf8), delimiter: delimiter) == expected, "quoted cells do not read back with delimiter \(delimiter):\n\(rows)")
    }

    // The reader on the raw input (line ends made LF, as the transcoder hands text on), whole and in pieces.
    let text = lineEndsAsLF(data)
    let cutsRaw = data.suffix(3).map { Int($0) * text.count / 256 }
    let whole = records(text, delimiter: 0x2C), pieces = records(text, delimiter: 0x2C, cuts: cutsRaw)
    invariant(whole == pieces, "the reader reads the input differently when cut at \(cutsRaw):\n\(whole)\n\(pieces)")
    return 0
}

exit(runFuzzer(fuzzCSV))
