// techsurvey-stage: the stage folder's binary files as text, for analysts (returns.bin as CSV).

import ArgumentParser
import TechSurvey
import TechSurveyCommand

struct StageFiles: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "techsurvey-stage",
        abstract: "Print a stage folder's binary files as text.",
        discussion: "Example: techsurvey-stage returns --stage build/stage/<hash> > returns.csv (make stage-csv finds the folder)",
        subcommands: [ReturnsCSV.self]
    )
}

struct ReturnsCSV: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "returns",
        abstract: "Print returns.bin as CSV on standard output.",
        discussion: """
            The accepted returns after resubmissions, one row per unit-visit, with the columns returns.csv had: \
            file,row,line, then the canonical return columns (codes, ISO dates, plain numbers).
            Exit codes: 0 ok, 64 usage, 65 damaged or older stage folder, 66 stage file missing, 74 cannot write.
            """
    )

    @Option(name: .long, help: "Stage folder written by techsurvey-ingest.")
    var stage = "build/stage"

    func run() throws {
        try StageReturnsCSV.write(stage: StageFolder(stage), StandardStreams.outBytes)
    }
}

StageFiles.mainWithOneLineErrors(tool: "techsurvey-stage")
