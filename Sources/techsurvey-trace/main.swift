// techsurvey-trace: the records behind one published figure, as file:row and value, and their sum.

import ArgumentParser
import TechSurvey
import TechSurveyCommand

struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "techsurvey-trace",
        abstract: "List the input records behind one cell of a published table, and their sum.",
        discussion: """
            Example: techsurvey-trace --table by_field --row biotech --measure technologies_found
            prints every contributing record as file:row with its value, then the sum, which equals the cell.
            by_period rows are QUARTER,FIELD (2015-Q3,biotech); activities_by_kind rows are KIND,YEAR.
            The row is named by its key cells as the table's CSV shows them: either one --row per key cell, \
            taken whole (--row 2015-Q3 --row biotech; --row 'Lê Chân, Kiến An'), or one --row holding the key \
            cells as a CSV line, a cell with a comma or a double quote in double quotes with quotes doubled \
            (--row '2015-Q3,biotech'; --row '"Lê Chân, Kiến An"'). The code total names the total row; a district \
            or country whose name reads like it ("Total", "Tổng") is written with a leading ' ('Tổng), as in the CSV.
            Use the same --period as the report. Exit codes: 0 ok, 64 usage, 65 data error, 66 stage files missing, 74 cannot write.
            """
    )

    @Option(name: .long, help: "Stage folder written by techsurvey-ingest.")
    var stage = "build/stage"

    @Option(name: .long, help: "The table, as its CSV file is named.")
    var table: TableID

    @Option(name: .long, help: "The row's key cells as in the CSV: one --row per cell, or one CSV line (biotech; 2015-Q3,biotech; total). Repeatable.")
    var row: [String]

    @Option(name: .long, help: "The measure column, as the table's CSV header names it.")
    var measure: Measure

    @Option(name: .long, help: "Period, as given to the report: 2015, 2015-Q3, 2013..2015. Empty: all data.")
    var period = ""

    func validate() throws {
        do { _ = try Period(parsing: period) } catch { throw ValidationError(error.message) }
    }

    func run() throws {
        let keys = try TraceQuery.keyCells(row, table: table)
        let query = TraceQuery(table: table, row: keys, measure: measure, period: try Period(parsing: period))
        // Sources and values are input text bound for a terminal: each line made safe and kept one line. The
        // lines go out in batches as they come, so a row of millions of records is never held whole.
        var out = "source\t" + measure.rawValue
        let total = try runTrace(stage: StageFolder(stage), query: query) { line in
            out += (out.isEmpty ? "" : "\n") + TerminalText.line(line.source.description) + "\t" + TerminalText.line(line.value)
            if out.utf8.count >= 1 << 16 {
                StandardStreams.say(out)
                out = ""
            }
        }
        StandardStreams.say((out.isEmpty ? "" : out + "\n") + "\(measure.combination)\t\(total)")
    }
}

/// Tables and measures are typed (Tables/), so a value that names none fails at parse time with the list.
extension TableID: ExpressibleByArgument {
    public init?(argument: String) {
        guard let table = TableID(rawValue: argument), TableID.traceable.contains(table) else { return nil }
        self = table
    }

    public static var allValueStrings: [String] { traceable.map(\.rawValue) }
}

extension Measure: ExpressibleByArgument {}

Trace.mainWithOneLineErrors(tool: "techsurvey-trace")
