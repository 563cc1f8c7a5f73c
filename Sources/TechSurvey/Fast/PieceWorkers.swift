// A file read in pieces by one thread and worked on by several: the reader (the calling thread) fills the
// next free piece and hands it to the first idle worker. Reading and checking the order-dependent parts
// (where records start, a running checksum) stay on one thread; what each record costs after that
// (decoding, counting) is spread over every core. Pieces are reused, so memory is a few pieces, never the
// file. Workers see pieces in no particular order: what they produce must merge the same whatever the order.
// Unlike `inOrder` (OrderedBatches.swift), which hands results back in order and lets its threads end on
// their own, this joins its threads before it returns: so its workers may call a closure of the caller's
// that does not escape, and pieces are reused rather than handed back.

import Foundation

/// Bytes read as one piece, and what the reader learnt of them.
struct FilePiece: Sendable {
    var bytes: [UInt8]
    /// Bytes of `bytes` that hold whole records.
    var count = 0
    /// Records in the piece, and the ordinal of its first.
    var records = 0
    var firstOrdinal: UInt32 = 0

    init(capacity: Int) { bytes = [UInt8](repeating: 0, count: capacity) }
}

/// Runs `fill` here until it returns false, each time on a free piece, and `work(worker, piece)` on
/// `workers` threads (numbered 0 ..< workers; one worker never runs two pieces at once) for every piece
/// filled. Returns once every filled piece is worked on; throws the first error of either side, after
/// every thread has stopped (a worker's error stops the reading, a reading error the workers).
func withPieceWorkers(_ workers: Int, pieceBytes: Int, fill: (inout FilePiece) throws -> Bool,
                      work: (Int, FilePiece) throws -> Void) throws {
    try withoutActuallyEscaping(work) { work in
        let queue = PieceQueue(pieces: workers + 2, bytes: pieceBytes)
        let box = WorkBox(work)
        let done = DispatchSemaphore(value: 0)
        for w in 0..<max(1, workers) {
            let thread = Thread {
                while let piece = queue.next() {
                    do { try box.work(w, piece) } catch { queue.fail(error) }
                    // Handed back with this thread's hold on its bytes ended, so the reader refills them in place.
                    queue.giveBack(consume piece)
                }
                done.signal()
            }
            thread.start()
        }
        do {
            while var piece = queue.free() {
                guard try fill(&piece) else {
                    queue.giveBack(consume piece)
                    break
                }
                queue.submit(consume piece)
            }
        } catch {
            queue.fail(error)
        }
        queue.close()
        for _ in 0..<max(1, workers) { done.wait() }
        // A finished thread may still hold its block (and so the box) for a moment: the box lets go of
        // `work` here, before `work` stops being valid.
        box.release()
        if let error = queue.failure { throw error }
    }
}

/// The worker's closure, called from the worker threads only while `withPieceWorkers` waits for them.
private final class WorkBox: @unchecked Sendable {
    // Set once, then read by the workers; cleared once they have all signalled that they are done.
    private var stored: ((Int, FilePiece) throws -> Void)?
    init(_ work: @escaping (Int, FilePiece) throws -> Void) { stored = work }

    func work(_ worker: Int, _ piece: FilePiece) throws { try stored?(worker, piece) }

    func release() { stored = nil }
}

/// Free pieces, filled pieces waiting for a worker, and the first error.
private final class PieceQueue: @unchecked Sendable {
    // Every property is touched only with `condition` locked: that makes it Sendable.
    private let condition = NSCondition()
    private var spare: [FilePiece]
    private var filled: [FilePiece] = []
    private var closed = false
    private var stored: Error?

    init(pieces: Int, bytes: Int) {
        spare = (0..<pieces).map { _ in FilePiece(capacity: bytes) }
    }

    /// A free piece for the reader; nil once a worker failed.
    func free() -> FilePiece? {
        condition.lock()
        defer { condition.unlock() }
        while spare.isEmpty && stored == nil { condition.wait() }
        return stored == nil ? spare.removeLast() : nil
    }

    func submit(_ piece: consuming FilePiece) {
        condition.lock()
        filled.append(consume piece)
        condition.broadcast()
        condition.unlock()
    }

    /// The oldest filled piece for a worker; nil once reading is over and none is left, or on failure.
    func next() -> FilePiece? {
        condition.lock()
        defer { condition.unlock() }
        while filled.isEmpty && !closed && stored == nil { condition.wait() }
        guard stored == nil, !filled.isEmpty else { return nil }
        return filled.removeFirst()
    }

    func giveBack(_ piece: consuming FilePiece) {
        condition.lock()
        spare.append(consume piece)
        condition.broadcast()
        condition.unlock()
    }

    func fail(_ error: Error) {
        condition.lock()
        if stored == nil { stored = error }
        condition.broadcast()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    var failure: Error? {
        condition.lock()
        defer { condition.unlock() }
        return stored
    }
}
