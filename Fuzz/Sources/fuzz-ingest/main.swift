// Fuzz target: ingest's whole path on one input — decoding, delimiter sniffing, libcsv parsing,
// validation, resubmissions and the stage files — asserting what SPEC §3.4 promises for every input.
//
// The input is a returns file, optionally followed by more parts, each after a marker line:
//   ==returns2==    a second returns file (resubmissions across files)
//   ==activities==  an activities file
//   ==aliases==     aliases.csv
//   ==options==     `encoding=<name>`, `delimiter=<, ; tab |>`, `decimal=<comma dot>` (ENCODING=, DELIMITER=, DECIMAL=)

import Foundation
import CFuzzerDriver
import FuzzSupport
@testable import TechSurvey

private let knownReasons: Set<String> = ["wrong_column_count", "missing_value", "bad_field", "bad_number",
                                         "negative_count", "proposed_exceeds_found", "bad_date", "bad_encoding"]
private let scratch = scratchFolder("ingest")

/// What one ingest of the input gave: its account and every record, or the error it stopped with.
private enum Outcome {
    case done(IngestResult)
    case refused(String)
}

private func run(_ returns: [InputFile], _ activities: [InputFile], _ vocabularies: Vocabularies, _ options: ReadOptions,
                 chunkSize: Int, threads: Int) -> Outcome {
    do {
        return .done(try ingest(returnFiles: returns, activityFiles: activities, vocabularies: vocabularies, options: options,
                                chunkSize: chunkSize, threads: threads))
    } catch let error as TechSurveyError {
        invariant(!error.message.contains("internal accounting error"), "the account does not add up: \(error.message)")
        return .refused(error.message)
    } catch {
        invariant(false, "an error that is not a TechSurveyError: \(error)")
        return .refused("")
    }
}

private func readOptions(_ text: [UInt8]?) -> ReadOptions {
    var options = ReadOptions()
    guard let text else { return options }
    for word in String(decoding: text, as: UTF8.self).split(whereSeparator: \.isWhitespace) {
        let pair = word.split(separator: "=", maxSplits: 1).map(String.init)
        guard pair.count == 2 else { continue }
        if pair[0] == "encoding" { options.encoding = TextEncoding(name: pair[1]) }
        if pair[0] == "delimiter" { options.delimiter = [",": 0x2C, ";": 0x3B, "tab": 0x09, "|": 0x7C][pair[1]] }
        if pair[0] == "decimal" { options.decimal = DecimalMark(name: pair[1]) }
    }
    return options
}

private func checkStageFiles(_ result: IngestResult) {
    let summary = result.summary
    for file in summary.files {
        invariant(file.reconciles, "\(file.file): read \(file.rowsRead) ≠ accepted \(file.rowsAccepted) + rejected \(file.rowsRejected) + superseded \(file.rowsSuperseded)")
    }
    let totals = summary.totals
    invariant(totals.rowsRejected == result.rejects.count, "rejected \(totals.rowsRejected) but \(result.rejects.count) rejects listed")
    let returnsFiles = summary.files.filter { $0.kind == "returns" }
    let returnsSuperseded = returnsFiles.reduce(0) { $0 + $1.rowsSuperseded }
    let returnsAccepted = returnsFiles.reduce(0) { $0 + $1.rowsAccepted }
    invariant(returnsSuperseded == result.supersededCount, "superseded \(returnsSuperseded) returns but \(result.supersededCount) listed")
    invariant(returnsAccepted == result.returnsCount, "accepted \(returnsAccepted) returns but \(result.returnsCount) kept")
    invariant(totals.rowsAccepted - returnsAccepted == result.activities.count,
              "accepted \(totals.rowsAccepted - returnsAccepted) activities but \(result.activities.count) kept")
    for reject in result.rejects {
        invariant(knownReasons.contains(reject.reason.rawValue), "unknown reason \(reject.reason.rawValue)")
        invariant(reject.source.row >= 2 && reject.source.line >= 1, "reject at row \(reject.source.row), line \(reject.source.line)")
    }

    // The stage files, written as runIngest writes them. rejects.csv and superseded.csv are published as
    // they are, so they carry no NUL and no control sequence (SPEC §3.4); the stage's own files keep the
    // text as read (escaping is the output's business) but never a NUL.
    let rejects = StageRecords.rejectsCSV(result.rejects, neutralise: true)
    if holdsControlSequence(rejects) {
        let culprit = result.rejects.first { holdsControlSequence(StageRecords.rejectsCSV([$0], neutralise: true)) }
        invariant(false, "rejects.csv carries a NUL or a control sequence: \(culprit.map { "\($0.reason.rawValue), detail \($0.detail.debugDescription), raw \($0.raw.debugDescription)" } ?? "")")
    }
    invariant(!StageRecords.activitiesCSV(result.activities).contains(0), "activities.csv carries a NUL")
    let summaryJSON = (try? JSONEncoder().encode(summary)).map { [UInt8]($0) } ?? []
    invariant(!summaryJSON.isEmpty, "ingest.json could not be encoded")
    let superseded = scratch + "/superseded.csv"
    do {
        try result.writeSuperseded(to: superseded)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: superseded)))
        invariant(!holdsControlSequence(bytes), "superseded.csv carries a NUL or a control sequence")
        var rows = -1
        _ = try readDelimited(.bytes(bytes), displayName: "superseded.csv", options: ReadOptions(fingerprint: false)) { record, _ in
            if !record.isBlank { rows += 1 }
        }
        invariant(rows == totals.rowsSuperseded, "superseded.csv has \(rows) rows for \(totals.rowsSuperseded) superseded records")
        // returns.bin as ingest streamed it: every accepted record, the losers marked.
        let back = try result.staged.reader()
        invariant(back.winnerCount == result.returnsCount && back.loserCount == result.supersededCount,
                  "returns.bin holds \(back.winnerCount) winners and \(back.loserCount) losers for \(result.returnsCount) and \(result.supersededCount)")
        var chunked = 0
        try back.forEachChunk { chunked += $0.count }
        invariant(chunked == result.returnsCount, "returns.bin streams \(chunked) of \(result.returnsCount) returns")
        for s in back.strings { invariant(!s.utf8.contains(0), "returns.bin carries a NUL: \(s.debugDescription)") }
    } catch {
        invariant(false, "writing the stage files failed: \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIngest(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    let parts = sections(data, markers: ["==returns2==", "==activities==", "==aliases==", "==options=="])
    let options = readOptions(parts["==options=="])
    var vocabularies = Vocabularies()
    if let aliases = parts["==aliases=="] {
        let path = scratch + "/aliases.csv"
        guard FileManager.default.createFile(atPath: path, contents: Data(aliases)) else { return 0 }
        do { vocabularies = try Vocabularies.load(aliasesFile: path, displayName: "aliases.csv") } catch { return 0 }
    }
    var returns = [InputFile(name: "returns/a.csv", source: .bytes(parts[""] ?? []))]
    if let second = parts["==returns2=="] { returns.append(InputFile(name: "returns/b.csv", source: .bytes(second))) }
    let activities = parts["==activities=="].map { [InputFile(name: "activities/a.csv", source: .bytes($0))] } ?? []

    // As the ingest stage reads: 1 MiB chunks. Then in small chunks on two threads, which cuts the text
    // inside records, quoted fields and characters: the block pipeline must give the very same account.
    let whole = run(returns, activities, vocabularies, options, chunkSize: 1 << 20, threads: 1)
    guard case .done(let result) = whole else { return 0 }
    checkStageFiles(result)
    let small = 7 + count % 61
    guard case .done(let pieces) = run(returns, activities, vocabularies, options, chunkSize: small, threads: 2) else {
        // Only a file whose first chunk decides differently (encoding, delimiter) may fail in pieces.
        return 0
    }
    let sameFacts = zip(result.summary.files, pieces.summary.files).allSatisfy { $0.encoding == $1.encoding && $0.delimiter == $1.delimiter }
    guard sameFacts else { return 0 }
    invariant(result.summary == pieces.summary, "in \(small)-byte chunks the account differs:\n\(result.summary)\n\(pieces.summary)")
    invariant(result.rejects == pieces.rejects, "in \(small)-byte chunks the rejects differ:\n\(result.rejects)\n\(pieces.rejects)")
    let (wholeReturns, pieceReturns) = (try? result.returns, try? pieces.returns)
    invariant(wholeReturns != nil && wholeReturns == pieceReturns, "in \(small)-byte chunks the returns differ:\n\(String(describing: wholeReturns))\n\(String(describing: pieceReturns))")
    invariant(result.activities == pieces.activities, "in \(small)-byte chunks the activities differ")
    return 0
}

exit(runFuzzer(fuzzIngest))
