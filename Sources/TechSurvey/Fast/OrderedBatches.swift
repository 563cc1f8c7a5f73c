// Batches worked on several threads and taken back in the order they were handed in: for work that costs
// a core per piece but whose results must land in file order — a text file's blocks, parsed and validated
// (TextInput.swift), and superseded.csv's rows (5.5 million at the 1 GB benchmark, once spelled on one core
// after every record was read).
// Work whose order does not matter and whose workers call back into the caller goes through
// `withPieceWorkers` (PieceWorkers.swift) instead, which joins its threads.

import Foundation

/// Calls `produce`, which hands in batches in order; each batch is worked on one of `workers` threads by
/// a worker of that thread's own (`makeWorker`, called on it with the thread's number, 0 to `workers` - 1),
/// and `take` gets the outputs in the order the batches came in, on this thread. A few batches are in
/// flight at most. Whatever `produce` or `take` throws stops the threads and is rethrown.
func inOrder<Batch: Sendable, Output: Sendable>(
    workers: Int, makeWorker: @escaping @Sendable (Int) -> (Batch) -> Output,
    produce: ((Batch) throws -> Void) throws -> Void, take: (Output) throws -> Void
) throws {
    let batches = OrderedBatches<Batch, Output>(workers: max(1, workers), makeWorker: makeWorker)
    defer { batches.stop() }
    try withoutActuallyEscaping(take) { take in
        try produce { batch in try batches.add(batch, take: take) }
        try batches.finish(take: take)
    }
}

private final class OrderedBatches<Batch: Sendable, Output: Sendable>: @unchecked Sendable {
    // Every stored property but `limit` is touched only with `condition` locked: that makes it Sendable.
    private let condition = NSCondition()
    private var queue: [(index: Int, batch: Batch)] = []
    private var outputs: [Int: Output] = [:]
    private var handedIn = 0
    private var nextOut = 0
    private var noMore = false
    private let limit: Int

    init(workers: Int, makeWorker: @escaping @Sendable (Int) -> (Batch) -> Output) {
        limit = workers * 2 + 2
        for number in 0..<workers {
            let thread = Thread { [self] in work(makeWorker(number)) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    func add(_ batch: Batch, take: (Output) throws -> Void) throws {
        condition.lock()
        queue.append((handedIn, batch))
        handedIn += 1
        condition.broadcast()
        condition.unlock()
        try takeReady(leavingInFlight: limit, take)
    }

    /// Takes every output left, once the last batch was handed in.
    func finish(take: (Output) throws -> Void) throws {
        condition.lock()
        noMore = true
        condition.broadcast()
        condition.unlock()
        try takeReady(leavingInFlight: 0, take)
    }

    /// Lets the threads end: each finishes the batch it holds, and takes no other.
    func stop() {
        condition.lock()
        noMore = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Takes the outputs that are ready, in order, waiting for the next while more than `left` are out.
    private func takeReady(leavingInFlight left: Int, _ take: (Output) throws -> Void) throws {
        while true {
            condition.lock()
            while outputs[nextOut] == nil && handedIn - nextOut > left { condition.wait() }
            guard let output = outputs.removeValue(forKey: nextOut) else {
                condition.unlock()
                return
            }
            nextOut += 1
            condition.unlock()
            try take(output)
        }
    }

    private func work(_ worker: (Batch) -> Output) {
        while true {
            condition.lock()
            while queue.isEmpty && !noMore { condition.wait() }
            guard !queue.isEmpty else {
                condition.unlock()
                return
            }
            let job = queue.removeFirst()
            condition.unlock()
            let output = worker(job.batch)
            condition.lock()
            outputs[job.index] = output
            condition.broadcast()
            condition.unlock()
        }
    }
}

/// Moves a value to another thread that alone uses it from then on.
struct SendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
