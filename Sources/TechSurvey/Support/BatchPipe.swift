// A bounded hand-off between two threads: one produces batches in order, the other consumes them in the
// same order. Ingest uses it to parse and validate a file on one core while the other resolves
// resubmissions.

import Foundation

/// A FIFO of batches with room for `capacity` of them; the producer waits when it is full.
final class BatchPipe<Item: Sendable, Result: Sendable>: @unchecked Sendable {
    // Every stored property is touched only with `condition` locked: that is what makes it Sendable.
    private let condition = NSCondition()
    private var batches: [[Item]] = []
    private var outcome: Swift.Result<Result, Error>?
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Producer: adds a batch, waiting while the pipe is full.
    func send(_ batch: [Item]) {
        condition.lock()
        while batches.count >= capacity { condition.wait() }
        batches.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// Producer: no more batches; `result` (or the error) is what the consumer gets at the end.
    func finish(_ result: Swift.Result<Result, Error>) {
        condition.lock()
        outcome = result
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the next batch, or nil once the producer has finished and every batch was taken.
    func receive() -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && outcome == nil { condition.wait() }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Consumer, after `receive()` returned nil: the producer's result, or its error rethrown.
    func result() throws -> Result {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        switch outcome {
        case .success(let value): return value
        case .failure(let error): throw error
        case nil: throw TechSurveyError(.ioError, "internal error: the reading thread stopped without a result; please report this")
        }
    }
}
