// techsurvey-aggregate: normalised records → every grouping the report needs, totals included (SPEC §4).

import ArgumentParser
import TechSurvey
import TechSurveyCommand

struct Aggregate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "techsurvey-aggregate",
        abstract: "Aggregate the normalised records of a stage folder for a period.",
        discussion: """
            Reads returns.bin and activities.csv from the stage folder and writes the aggregates file: \
            by field, by quarter and field, by unit type, by district, activities by kind and year and by country. \
            Records outside the period are counted as out of period, never dropped silently.
            Exit codes: 0 ok, 64 usage, 65 data error, 66 stage files missing, 73/74 cannot write.
            """
    )

    @Option(name: .long, help: "Stage folder written by techsurvey-ingest.")
    var stage = "build/stage"

    @Option(name: .long, help: "Period: 2015, 2015-Q3, 2013..2015 or 2013-Q1..2015-Q4. Empty: all data.")
    var period = ""

    @Option(name: .long, help: "The aggregates file to write (default: STAGE/aggregates-PERIOD.json, aggregates-all.json for all data).")
    var output: String?

    func validate() throws {
        do { _ = try Period(parsing: period) } catch { throw ValidationError(error.message) }
    }

    func run() throws {
        let result = try runAggregate(stage: StageFolder(stage), period: try Period(parsing: period), output: output)
        let total = result.byField.rows.last?.measures ?? SurveyMeasures()
        StandardStreams.say("aggregate: period \(result.period), \(total.unitVisits) unit-visits, \(result.returnsOutOfPeriod) out of period")
    }
}

Aggregate.mainWithOneLineErrors(tool: "techsurvey-aggregate")
