// The aggregate stage: reads the normalised records of the stage folder and writes the aggregates file.

/// Runs the aggregate stage for `period`, writing to `output` (default: the stage folder's aggregates file
/// of the period).
public func runAggregate(stage: StageFolder, period: Period, output: String? = nil) throws -> Aggregates {
    let returns = try PackedReturnsFile.Reader(stage.returns)
    let result = try aggregate(returns: returns, activities: StageActivities(path: stage.activities), period: period)
    try JSONFile.write(result, to: output ?? stage.aggregates(period))
    return result
}
