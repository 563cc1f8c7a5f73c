// The libcsv reader and readDelimitedFile (SPEC §3.3–3.4): spreadsheet rows and physical lines, quoting,
// blank lines, CRLF and CR line ends, delimiter sniffing, and records split across feed() calls.

import Foundation
import Testing
@testable import TechSurvey

/// A record as the tests compare it: its cells' raw text and where it stands.
struct ReadRecord: Equatable, CustomStringConvertible {
    var fields: [String]
    var row: Int
    var line: Int
    var unclosed: UnclosedQuote?
    var description: String { "row \(row) line \(line) \(fields)" + (unclosed.map { " unclosed \($0)" } ?? "") }

    init(_ fields: [String], row: Int, line: Int, unclosed: UnclosedQuote? = nil) {
        self.fields = fields
        self.row = row
        self.line = line
        self.unclosed = unclosed
    }

    init(_ record: CSVRecord) {
        fields = (0..<record.count).map { String(decoding: record.field($0), as: UTF8.self) }
        row = record.row
        line = record.line
        unclosed = record.unclosedQuote
    }
}

@Suite struct CSVReaderTests {
    /// Feeds `text` to a fresh reader in pieces of `chunk` bytes (all at once when nil), then finishes it;
    /// `recordCells`, when given, is the header's number of cells, known to the reader from the start.
    static func read(_ text: String, delimiter: UInt8 = 0x2C, recordCells: Int? = nil, chunk: Int? = nil) throws -> [ReadRecord] {
        let reader = try CSVReader(delimiter: delimiter)
        if let recordCells { reader.recordCells = recordCells }
        var records: [ReadRecord] = []
        let bytes = Array(text.utf8)
        let size = max(1, chunk ?? bytes.count)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            try reader.feed(Array(bytes[start..<end])) { records.append(ReadRecord($0)) }
            start = end
        }
        try reader.finish { records.append(ReadRecord($0)) }
        return records
    }

    /// A header, a record whose quoted field holds two newlines, a blank line, quoting, and a last record
    /// without a line end.
    static let sample = "id,note,n\n1,\"first\nsecond\nthird\",7\n\n2,\"a,b\",\"say \"\"hi\"\"\"\n3,plain,9"

    static let sampleRecords: [ReadRecord] = [
        ReadRecord(["id", "note", "n"], row: 1, line: 1),
        ReadRecord(["1", "first\nsecond\nthird", "7"], row: 2, line: 2),
        ReadRecord([], row: 3, line: 5),
        ReadRecord(["2", "a,b", "say \"hi\""], row: 4, line: 6),
        ReadRecord(["3", "plain", "9"], row: 5, line: 7),
    ]

    @Test func rowsCountRecordsAndLinesCountPhysicalLines() throws {
        let records = try Self.read(Self.sample)
        #expect(records == Self.sampleRecords, "\(records)")
    }

    @Test func aBlankLineIsARowAndIsBlank() throws {
        let reader = try CSVReader(delimiter: 0x2C)
        var blank: [Bool] = []
        try reader.feed(Array("a,b\n\n ,\t\n1,2\n".utf8)) { blank.append($0.isBlank) }
        try reader.finish { blank.append($0.isBlank) }
        #expect(blank == [false, true, true, false])
    }

    @Test func lineIsWhereTheRecordStartsAfterSeveralMultiLineFields() throws {
        let text = "h\n\"a\nb\"\n\"c\n\nd\"\ne\n"
        let records = try Self.read(text)
        let positions = records.map { [$0.row, $0.line] }
        #expect(positions == [[1, 1], [2, 2], [3, 4], [4, 7]])
        #expect(records.map { $0.fields } == [["h"], ["a\nb"], ["c\n\nd"], ["e"]])
    }

    @Test func quotedDelimitersAndDoubledQuotesStayInTheField() throws {
        let records = try Self.read("\"a,b\",\"\"\"x\"\"\",\"\",\"she said \"\"no\"\", twice\"\n")
        #expect(records.map { $0.fields } == [["a,b", "\"x\"", "", "she said \"no\", twice"]])
    }

    @Test func emptyFieldsAreKept() throws {
        let records = try Self.read("a,,c,\n,,,\n")
        #expect(records.map { $0.fields } == [["a", "", "c", ""], ["", "", "", ""]])
    }

    @Test func theLastRecordWithoutALineEndIsFlushedByFinish() throws {
        let reader = try CSVReader(delimiter: 0x2C)
        var fed: [ReadRecord] = []
        var finished: [ReadRecord] = []
        try reader.feed(Array("a,b\nc,d".utf8)) { fed.append(ReadRecord($0)) }
        try reader.finish { finished.append(ReadRecord($0)) }
        #expect(fed == [ReadRecord(["a", "b"], row: 1, line: 1)])
        #expect(finished == [ReadRecord(["c", "d"], row: 2, line: 2)])
    }

    @Test(arguments: [(UInt8(0x3B), ";"), (0x09, "\t"), (0x7C, "|")])
    func otherDelimiters(delimiter: UInt8, mark: String) throws {
        let text = ["a", "", "\"x\(mark)y\"", "d"].joined(separator: mark) + "\n1\(mark)2\(mark)3\(mark)4\n"
        let records = try Self.read(text, delimiter: delimiter)
        #expect(records.map { $0.fields } == [["a", "", "x\(mark)y", "d"], ["1", "2", "3", "4"]])
    }

    @Test func aCommaIsDataInASemicolonFile() throws {
        let records = try Self.read("budget;kind\n5.132,5;research_task\n", delimiter: 0x3B)
        #expect(records.map { $0.fields } == [["budget", "kind"], ["5.132,5", "research_task"]])
    }

    @Test func nonASCIITextPassesThroughAsUTF8() throws {
        let records = try Self.read("Lĩnh vực,Số công nghệ\nCông nghệ sinh học,94\n")
        #expect(records.last?.fields == ["Công nghệ sinh học", "94"])
    }

    // MARK: records split across feed() calls

    static let awkward: [String] = [
        sample,
        sample + "\n",
        "a,\"b\"\"\",\"c\nd\"\n\n\n\"\"\"\",e\n",
        "\"x\",\"\"\n\"multi\n\n\nline\",\"q\"\"q\"\"\"\nlast",
        "Lĩnh vực,\"Công nghệ\nsinh học\",94\n",
        // Pieces inside the quoted field hold line ends and no quote: they still count as its lines.
        "1,\"open\nno quote here\nnor here\n\",2\n3,4,5\n",
    ]

    @Test(arguments: awkward)
    func splittingTheInputNeverChangesRecordsRowsOrLines(_ text: String) throws {
        let whole = try Self.read(text)
        #expect(!whole.isEmpty)
        for chunk in [1, 2, 3, 5, 7, 16] {
            let pieces = try Self.read(text, chunk: chunk)
            #expect(pieces == whole, "chunks of \(chunk) bytes:\n\(pieces)\nwhole:\n\(whole)")
        }
    }

    // MARK: stray quotes

    /// A header and `rows` records `i,name i,i`, with `edit` applied to the lines (0 = header).
    static func file(rows: Int, edit: (Int, String) -> String = { $1 }) -> String {
        (0...rows).map { edit($0, $0 == 0 ? "id,name,n" : "\($0),name \($0),\($0)") + "\n" }.joined()
    }

    @Test func anUnclosedQuoteCostsOneRecord() throws {
        let text = Self.file(rows: 300) { $0 == 2 ? "2,\"name 2,2" : $1 }
        let records = try Self.read(text)
        #expect(records.count == 301)
        let stray = records[2]
        #expect(stray.row == 3 && stray.line == 3)
        #expect(stray.fields == ["2,\"name 2,2"])
        #expect(stray.unclosed == UnclosedQuote(cell: 1, lineInRecord: 0, reason: .pastLimits))
        #expect(records[3] == ReadRecord(["3", "name 3", "3"], row: 4, line: 4))
        #expect(records.last == ReadRecord(["300", "name 300", "300"], row: 301, line: 301))
    }

    @Test func aStrayQuoteNearTheEndIsNeverClosed() throws {
        let text = Self.file(rows: 20) { $0 == 18 ? "18,\"name 18,18" : $1 }
        let records = try Self.read(text)
        #expect(records.count == 21)
        #expect(records[18].unclosed == UnclosedQuote(cell: 1, lineInRecord: 0, reason: .neverClosed))
        #expect(records[19] == ReadRecord(["19", "name 19", "19"], row: 20, line: 20))
    }

    /// Found by make fuzz: a piece that ends inside a record's leading spaces left libcsv between records,
    /// so the spaces were dropped from the stray quote's record when it was read in pieces.
    @Test func aPieceEndingInLeadingSpacesKeepsThemInAStrayQuotesRecord() throws {
        let text = "a,b\n   \"open,1\nx,y\n"
        let whole = try Self.read(text)
        #expect(whole.count == 3 && whole[1].fields == ["   \"open,1"] && whole[1].unclosed != nil)
        for cut in 1..<text.utf8.count {
            let bytes = Array(text.utf8)
            let reader = try CSVReader(delimiter: 0x2C)
            var pieces: [ReadRecord] = []
            try reader.feed(Array(bytes[..<cut])) { pieces.append(ReadRecord($0)) }
            try reader.feed(Array(bytes[cut...])) { pieces.append(ReadRecord($0)) }
            try reader.finish { pieces.append(ReadRecord($0)) }
            #expect(pieces == whole, "cut at \(cut): \(pieces) against \(whole)")
        }
    }

    @Test func twoStrayQuotesFarApartCostTwoRecordsNotTheRowsBetween() throws {
        // Without limits the first quote would swallow rows 4–250 into one cell ending at the second quote.
        let text = Self.file(rows: 400) { i, line in i == 3 || i == 250 ? "\(i),\"name \(i),\(i)" : line }
        let records = try Self.read(text)
        #expect(records.count == 401)
        #expect(records.filter { $0.unclosed != nil }.map(\.row) == [4, 251])
        #expect(records.filter { $0.unclosed == nil }.count == 399)
        #expect(records.allSatisfy { $0.row == $0.line })
    }

    @Test func aCellPastTheSpreadsheetLimitIsNotACell() throws {
        let long = String(repeating: "ệ", count: CSVReader.maxCellCharacters + 1)
        let text = Self.file(rows: 5) { $0 == 2 ? "2,\"\(long)\",2" : $1 }
        let records = try Self.read(text)
        #expect(records.count == 6)
        #expect(records[2].unclosed?.reason == .pastLimits)
        #expect(records[3] == ReadRecord(["3", "name 3", "3"], row: 4, line: 4))
        // One character less is a cell.
        let fits = String(repeating: "ệ", count: CSVReader.maxCellCharacters)
        let ok = try Self.read(Self.file(rows: 3) { $0 == 2 ? "2,\"\(fits)\",2" : $1 })
        #expect(ok[2].unclosed == nil && ok[2].fields[1] == fits)
    }

    @Test func realMultiLineCellsStayCells() throws {
        let note = (1...CSVReader.maxRecordLines).map { "line \($0)" }.joined(separator: "\n")
        let records = try Self.read(Self.file(rows: 4) { $0 == 2 ? "2,\"\(note)\",2" : $1 })
        #expect(records.count == 5)
        #expect(records[2].unclosed == nil && records[2].fields[1] == note)
        #expect(records[3].line == 3 + CSVReader.maxRecordLines)
    }

    @Test(arguments: [1, 7, 64, 333, 4096])
    func strayQuotesReadTheSameInAnyPieces(chunk: Int) throws {
        let text = Self.file(rows: 400) { i, line in
            switch i {
            case 3, 250, 398: return "\(i),\"name \(i),\(i)"
            case 120: return "\(i),\"multi\nline\",\(i)"
            default: return line
            }
        }
        let whole = try Self.read(text)
        #expect(whole.filter { $0.unclosed != nil }.count == 3)
        #expect(try Self.read(text, chunk: chunk) == whole)
    }

    /// Found by `make fuzz` (Tests/Fixtures/fuzz/ingest/long-quote-last-line.csv): a quoted cell past the
    /// line limit that closes on the file's last line, which has no line end. Read whole, the record was
    /// still open when the limit was checked, and the message blamed the cell after the quoted one, 101 lines
    /// down; read in pieces it named the quoted cell on the first line.
    @Test(arguments: [nil, 1, 7, 64])
    func aLongQuotedCellOnTheLastLineIsNamedWhereItsQuoteOpens(chunk: Int?) throws {
        let text = "id,name,n\n1,\"o" + String(repeating: "\n", count: CSVReader.maxRecordLines + 1) + "c\",x"
        let records = try Self.read(text, chunk: chunk)
        #expect(records.count > 1 && records[1].unclosed == UnclosedQuote(cell: 1, lineInRecord: 0, reason: .pastLimits),
                "\(records.prefix(3))")
        #expect(records == (try Self.read(text)))
    }

    /// Found by `make fuzz` (Tests/Fixtures/fuzz/ingest/long-quote-then-open-quote.csv): a quoted cell that
    /// passes the line limit and closes, then a later cell whose quote never closes. Read whole, the later
    /// cell was blamed (for the fuzz input "column 15, 120 lines below"); in pieces, the first ("column 10
    /// on the record's first line"). The record passed the limit in the first, named however it is cut.
    @Test(arguments: [nil, 1, 7, 64])
    func theCellWhereARecordPassesTheLineLimitIsNamed(chunk: Int?) throws {
        let lines = String(repeating: "\n", count: CSVReader.maxRecordLines + 5)
        let text = "a,b,c,d\n1,\"x" + lines + "y\",z,\"open" + String(repeating: "\n", count: 15) + "end"
        let records = try Self.read(text, chunk: chunk)
        #expect(records.count > 1 && records[1].unclosed == UnclosedQuote(cell: 1, lineInRecord: 0, reason: .pastLimits),
                "\(records.prefix(3))")
        #expect(records == (try Self.read(text)))
    }

    @Test func oneByteChunksGiveTheSampleRecords() throws {
        #expect(try Self.read(Self.sample, chunk: 1) == Self.sampleRecords)
    }

    // MARK: files: CRLF and CR line ends

    /// The sample as it is read from a file with `lineEnd` line ends, in chunks of `chunkSize` bytes.
    static func readFile(_ text: String, lineEnd: String, chunkSize: Int = 1 << 20, options: ReadOptions = ReadOptions()) throws -> (records: [ReadRecord], facts: FileFacts) {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let path = dir + "/data.csv"
        writeFile(path, bytes: Array(text.replacingOccurrences(of: "\n", with: lineEnd).utf8))
        var records: [ReadRecord] = []
        let facts = try readDelimitedFile(path: path, displayName: "data.csv", options: options, chunkSize: chunkSize) { record, _ in
            records.append(ReadRecord(record))
        }
        return (records, facts)
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func everyLineEndGivesTheSameRowsAndLines(_ lineEnd: String) throws {
        let (records, facts) = try Self.readFile(Self.sample, lineEnd: lineEnd)
        #expect(records == Self.sampleRecords, "\(records)")
        #expect(facts.delimiter == 0x2C)
        #expect(facts.encoding == .utf8)
    }

    @Test(arguments: ["\r\n", "\r"])
    func lineEndsSplitAcrossChunksCountOnce(_ lineEnd: String) throws {
        let text = Self.sample + "\n"
        let expected = try Self.readFile(text, lineEnd: "\n").records
        let options = ReadOptions(delimiter: 0x2C)
        for chunkSize in 1...12 {
            let records = try Self.readFile(text, lineEnd: lineEnd, chunkSize: chunkSize, options: options).records
            #expect(records == expected, "chunks of \(chunkSize) bytes:\n\(records)")
        }
    }

    @Test func aFileWithABOMReadsItsFirstHeaderCleanly() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("unit_id;field\r\nU1;biotech\r\n".utf8))
        let rows = try readCSV(dir + "/bom.csv")
        #expect(rows == [["unit_id", "field"], ["U1", "biotech"]])
    }

    @Test func factsNameTheSniffedDelimiterAndTheFingerprint() throws {
        let text = "a;b;c\n1;2;3\n"
        let (records, facts) = try Self.readFile(text, lineEnd: "\n")
        #expect(facts.delimiter == 0x3B)
        #expect(records.map { $0.fields } == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(facts.bytes == text.utf8.count)
        var hasher = SHA256Hasher()
        hasher.update(Array(text.utf8))
        #expect(facts.sha256 == hasher.finalizeHex())
    }

    @Test func aForcedDelimiterOverridesTheSniffer() throws {
        let (records, facts) = try Self.readFile("a;b,c\n", lineEnd: "\n", options: ReadOptions(delimiter: 0x2C))
        #expect(facts.delimiter == 0x2C)
        #expect(records.map { $0.fields } == [["a;b", "c"]])
    }

    @Test func aMissingFileIsNoInput() {
        #expect {
            _ = try readDelimitedFile(path: "/nonexistent/techsurvey/none.csv", displayName: "none.csv", options: ReadOptions()) { _, _ in }
        } throws: { error in
            (error as? TechSurveyError)?.kind == .noInput
        }
    }

    // MARK: sniffing

    @Test(arguments: [
        ("a,b,c\n", UInt8(0x2C)),
        ("a;b;c\n", 0x3B),
        ("a\tb\tc\n", 0x09),
        ("a|b|c\n", 0x7C),
        ("a;b;c\n1,5;2,5;3,5\n1,5;2,5;3,5\n", 0x3B),      // only the header line counts
        ("\"x,y,z\";b;c\n", 0x3B),                        // delimiters inside quotes do not count
        ("\n\nunit_id;field;n\n", 0x3B),                   // leading blank lines are skipped
        ("a,b;c\n", 0x2C),                                 // a tie goes to the comma
        ("a;b|c\n", 0x3B),                                 // then ; before TAB before |
        ("single\n", 0x2C),                                // nothing found: comma
        ("", 0x2C),
        ("Mã đơn vị\tLĩnh vực\tNgày khảo sát\n", 0x09),
    ])
    func sniffsTheHeaderLine(text: String, expected: UInt8) {
        #expect(sniffDelimiter(Array(text.utf8)) == expected)
    }

    // MARK: stray quotes told by the records they swallow (issue 10 class 10)

    @Test(arguments: [nil, 1, 13, 100] as [Int?])
    func aStrayQuotePairWithinTheLineLimitCostsOneRecord(chunk: Int?) throws {
        // Quote at row 4 closed by an inch mark at row 14: rows 5–13 are whole records inside the "cell".
        let text = Self.file(rows: 30) { i, line in
            switch i {
            case 3: return "3,\"name 3,3"
            case 13: return "13,name 13\",13"
            default: return line
            }
        }
        let records = try Self.read(text, recordCells: 3, chunk: chunk)
        #expect(records.count == 31, "\(records)")
        #expect(records[3] == ReadRecord(["3,\"name 3,3"], row: 4, line: 4, unclosed: UnclosedQuote(cell: 1, lineInRecord: 0, reason: .holdsRecords)))
        #expect(records[4] == ReadRecord(["4", "name 4", "4"], row: 5, line: 5))
        #expect(records[13] == ReadRecord(["13", "name 13\"", "13"], row: 14, line: 14))
        #expect(records.allSatisfy { $0.row == $0.line })
    }

    @Test func aStrayQuotePairOnAdjacentLinesIsNotOneRecord() throws {
        // No line lies wholly inside the "cell": its opening line (quote read as a character) and its closing
        // line are both whole records.
        let text = Self.file(rows: 6) { i, line in
            switch i {
            case 2: return "2,\"name 2,2"
            case 3: return "3,name 3\",3"
            default: return line
            }
        }
        let records = try Self.read(text, recordCells: 3)
        #expect(records.count == 7, "\(records)")
        #expect(records[2].unclosed?.reason == .holdsRecords)
        #expect(records[3] == ReadRecord(["3", "name 3\"", "3"], row: 4, line: 4))
    }

    @Test func realMultiLineCellsStayCellsWhenRecordsAreKnown() throws {
        // An address over three lines in the middle column, a note with line breaks and commas (but never a
        // whole record's worth on one line) in the first column, and a note whose first line has many commas.
        let text = "id,name,n\n"
            + "1,\"12 Lê Lợi,\nP. Máy Tơ,\nNgô Quyền\",1\n"
            + "\"note, first\nsecond, line\",name 2,2\n"
            + "3,\"a, b, c, d\nend\",3\n"
            + "4,name 4,4\n"
        let records = try Self.read(text, recordCells: 3)
        #expect(records == [
            ReadRecord(["id", "name", "n"], row: 1, line: 1),
            ReadRecord(["1", "12 Lê Lợi,\nP. Máy Tơ,\nNgô Quyền", "1"], row: 2, line: 2),
            ReadRecord(["note, first\nsecond, line", "name 2", "2"], row: 3, line: 5),
            ReadRecord(["3", "a, b, c, d\nend", "3"], row: 4, line: 7),
            ReadRecord(["4", "name 4", "4"], row: 5, line: 9),
        ])
    }

    @Test(arguments: [nil, 64, 1000] as [Int?])
    func theContinuationOfARejectedLongCellNeverSwallowsTheNextRecords(chunk: Int?) throws {
        // A cell holding 200 line breaks is past the line limit; reading resumes on its second line. Its
        // last line, `",9`, opens a quote of its own that would run over M10 and M11 to the quote in M12.
        let text = "id,name,n\nM9,\"" + String(repeating: "\n", count: 200) + "\",9\nM10,name 10,10\nM11,name 11,11\nM12,a \"b\",12\n"
        let records = try Self.read(text, recordCells: 3, chunk: chunk)
        #expect(records.suffix(4) == [
            ReadRecord(["\",9"], row: 202, line: 202, unclosed: UnclosedQuote(cell: 0, lineInRecord: 0, reason: .holdsRecords)),
            ReadRecord(["M10", "name 10", "10"], row: 203, line: 203),
            ReadRecord(["M11", "name 11", "11"], row: 204, line: 204),
            ReadRecord(["M12", "a \"b\"", "12"], row: 205, line: 205),
        ], "\(records.suffix(6))")
    }

    // MARK: through ingest (tester findings): returns and activities

    static let returnsHeader = "unit_id,unit_name,district,field,survey_date,technologies_found,technologies_proposed\n"

    /// 100 records `U<i>,Unit <i>,D,biotech,2015-01-01,1,0`, with `edit` applied to record `i` (0-based).
    static func returns(_ edit: (Int, String) -> String) -> String {
        returnsHeader + (0..<100).map { edit($0, "U\($0),Unit \($0),D,biotech,2015-01-01,1,0") + "\n" }.joined()
    }

    /// An unquoted cell past what a spreadsheet cell holds costs its record only, and the reason given
    /// does not claim a quote the cell never had.
    @Test func aCellTooLongWithoutAnyQuoteIsNotCalledAQuote() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        let long = String(repeating: "x", count: 5 << 20)
        writeFile(dir + "/in/returns/r.csv", Self.returns { i, line in i == 5 ? "U5,\(long),D,biotech,2015-01-01,1,0" : line })
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        let rejects = try readCSV(dir + "/stage/rejects.csv").dropFirst()
        #expect(summary.totals.rowsAccepted == 99, "accepted \(summary.totals.rowsAccepted)")
        #expect(rejects.map { [$0[1], $0[3]] } == [["7", "wrong_column_count"]], "\(rejects.map { $0.prefix(5) })")
        let detail = try #require(rejects.first?[4])
        #expect(detail.hasPrefix("unit_name (column 2)") && detail.contains("32,767 characters") && detail.contains("too long"), "\(detail)")
        #expect(!detail.hasPrefix("unclosed quote") && !detail.contains("the quote (\") opening"), "\(detail)")
    }

    /// A stray quote (`"Sao Do Co.`) closed ten rows later by an inch mark (`Ong nhua 5"`) in the same column
    /// made ONE accepted record whose unit name held ten whole rows: 90 of 100 read, exit 0.
    @Test func aStrayQuotePairInOneColumnNeverSwallowsTheRowsBetween() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/returns/r.csv", Self.returns { i, line in
            switch i {
            case 1: return "U1,\"Sao Do Co.,D,biotech,2015-01-01,1,0"
            case 11: return "U11,Ong nhua 5\",D,biotech,2015-01-01,1,0"
            default: return line
            }
        })
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        let records = try PackedReturnsFile.Reader(dir + "/stage/returns.bin").returnRecords()
        let rejects = try readCSV(dir + "/stage/rejects.csv").dropFirst()
        let swallowed = records.filter { $0.unitName.contains("\n") }
        #expect(swallowed.isEmpty, "records whose unit name holds whole rows: \(swallowed.map(\.unitName))")
        #expect(summary.totals.rowsRead == 100, "the file holds 100 records; read \(summary.totals.rowsRead)")
        #expect(summary.totals.rowsAccepted == 99, "accepted \(summary.totals.rowsAccepted)")
        #expect(rejects.map { [$0[1], $0[3]] } == [["3", "wrong_column_count"]], "\(Array(rejects))")
        #expect(rejects.first.map { $0[4].contains("unclosed quote") && $0[4].contains("unit_name") } == true, "\(Array(rejects))")
    }

    /// The same with the closing quote in another column: one reject (row 23) held rows 23–43 in its raw
    /// cell; 20 valid records were lost and rows_read said 80 for 100.
    @Test func aStrayQuotePairAcrossColumnsCostsOneRecordNotTwenty() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        writeFile(dir + "/in/returns/r.csv", Self.returns { i, line in
            switch i {
            case 21: return "U21,Unit 21,D,biotech,2015-01-01,1,\"0"
            case 41: return "U41,Unit 41,\"D\",biotech,2015-01-01,1,0"
            default: return line
            }
        })
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        let rejects = try readCSV(dir + "/stage/rejects.csv").dropFirst()
        #expect(summary.totals.rowsRead == 100, "read \(summary.totals.rowsRead); rejects: \(rejects.map { [$0[1], $0[4]] })")
        #expect(summary.totals.rowsAccepted == 99, "accepted \(summary.totals.rowsAccepted); rejects: \(rejects.map { [$0[1], $0[4]] })")
        #expect(rejects.map(\.count).allSatisfy { $0 == 6 } && rejects.map { $0[5] } == ["U21,Unit 21,D,biotech,2015-01-01,1,\"0"], "\(Array(rejects))")
    }

    /// Activities go through `readDelimited`, which learns the header's width from its caller.
    @Test func aStrayQuotePairInAnActivityLogCostsOneRecord() throws {
        let dir = scratchFolder()
        defer { removeFolder(dir) }
        var text = "date,kind,title,partner\n"
        for i in 0..<30 {
            switch i {
            case 4: text += "2015-01-01,training,\"Khoá \(i),VAST\n"
            case 9: text += "2015-01-01,training,Khoá \(i) 5\",VAST\n"
            default: text += "2015-01-01,training,Khoá \(i),VAST\n"
            }
        }
        writeFile(dir + "/in/returns/r.csv", Self.returns { _, line in line })
        writeFile(dir + "/in/activities/a.csv", text)
        let summary = try runIngest(IngestRequest(inputDirectory: dir + "/in", stage: StageFolder(dir + "/stage")))
        let activities = summary.files.first { $0.kind == "activities" }
        #expect(activities?.rowsRead == 30, "\(String(describing: activities))")
        #expect(activities?.rowsAccepted == 29, "\(String(describing: activities))")
    }
}
