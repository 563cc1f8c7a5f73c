// Batches worked on several threads come back in the order they went in, whatever order the threads
// finish them in; a failure in handing in or taking out stops the threads and reaches the caller.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct OrderedBatchesTests {
    struct Stop: Error {}

    /// The simple version is a map on one thread: the same outputs, in the same order.
    @Test(arguments: [1, 2, 5])
    func outputsComeBackInOrder(workers: Int) throws {
        let batches = (0..<300).map { i in (0..<(i % 13)).map { i * 100 + $0 } }
        var taken: [[Int]] = []
        try inOrder(workers: workers, makeWorker: { _ in
            var spelled = 0
            return { (batch: [Int]) -> [Int] in
                // Uneven work, so later batches often finish first.
                if batch.count % 3 == 0 { usleep(200) }
                spelled += 1
                return batch.map { $0 * 2 }
            }
        }, produce: { hand in
            for batch in batches { try hand(batch) }
        }, take: { taken.append($0) })
        #expect(taken == batches.map { $0.map { $0 * 2 } })
    }

    /// Holds each thread on its first batch until every thread holds one (or a few seconds pass), so every
    /// thread works whatever the scheduler does.
    final class Gathering: @unchecked Sendable {
        private let condition = NSCondition()
        private var arrived = 0

        func arrive(waitingFor count: Int) {
            condition.lock()
            arrived += 1
            condition.broadcast()
            let deadline = Date().addingTimeInterval(5)
            while arrived < count && condition.wait(until: deadline) {}
            condition.unlock()
        }
    }

    /// Each thread's worker is made with a number of its own, so a worker can name what it makes (the
    /// block parser numbers its texts by it): every thread had one number, and no two the same.
    @Test(arguments: [1, 3])
    func eachWorkerHasANumberOfItsOwn(workers: Int) throws {
        var threadsByNumber: [Int: Set<UInt>] = [:]
        let gathering = Gathering()
        try inOrder(workers: workers, makeWorker: { number in
            var first = true
            return { (_: Int) -> (number: Int, thread: UInt) in
                if first { gathering.arrive(waitingFor: workers) }
                first = false
                return (number, UInt(pthread_self()))
            }
        }, produce: { hand in
            for n in 0..<50 { try hand(n) }
        }, take: { threadsByNumber[$0.number, default: []].insert($0.thread) })
        #expect(Set(threadsByNumber.keys).isSubset(of: Set(0..<workers)))
        #expect(threadsByNumber.values.allSatisfy { $0.count == 1 }, "a number given to two threads: \(threadsByNumber)")
        #expect(threadsByNumber.count == workers, "every thread worked, each under its own number: \(threadsByNumber)")
    }

    @Test func aFailureWhileTakingStopsAndIsRethrown() {
        var taken = 0
        #expect(throws: Stop.self) {
            try inOrder(workers: 2, makeWorker: { _ in { (n: Int) in n } }, produce: { hand in
                for n in 0..<1_000 { try hand(n) }
            }, take: { _ in
                taken += 1
                if taken == 10 { throw Stop() }
            })
        }
        #expect(taken == 10)
    }

    @Test func aFailureWhileHandingInIsRethrown() {
        var taken: [Int] = []
        #expect(throws: Stop.self) {
            try inOrder(workers: 2, makeWorker: { _ in { (n: Int) in n } }, produce: { hand in
                for n in 0..<5 { try hand(n) }
                throw Stop()
            }, take: { taken.append($0) })
        }
        #expect(taken == Array(taken.indices), "what was taken came in order")
    }
}
