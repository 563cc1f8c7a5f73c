// One reader and several workers over pieces (Fast/PieceWorkers): every piece filled is worked on exactly
// once, one piece at a time per worker, and an error on either side stops both and is the one thrown.

import Foundation
import Testing
@testable import TechSurvey

@Suite struct PieceWorkersTests {
    /// What the workers saw, under a lock.
    final class Seen: @unchecked Sendable {
        let lock = NSLock()
        var firsts: [UInt32] = []
        var busy = Set<Int>()
        var overlapped = false

        func start(_ worker: Int, _ piece: FilePiece) {
            lock.lock()
            firsts.append(piece.firstOrdinal)
            overlapped = overlapped || !busy.insert(worker).inserted
            lock.unlock()
        }

        func end(_ worker: Int) {
            lock.lock()
            busy.remove(worker)
            lock.unlock()
        }
    }

    @Test(arguments: [1, 2, 4], [0, 1, 5, 300])
    func everyPieceIsWorkedOnOnce(_ workers: Int, pieces: Int) throws {
        let seen = Seen()
        var filled: UInt32 = 0
        try withPieceWorkers(workers, pieceBytes: 64, fill: { piece in
            guard filled < pieces else { return false }
            piece.firstOrdinal = filled
            piece.bytes[0] = UInt8(filled % 251)
            filled += 1
            return true
        }, work: { worker, piece in
            seen.start(worker, piece)
            #expect(piece.bytes[0] == UInt8(piece.firstOrdinal % 251), "a piece's bytes changed under its worker")
            seen.end(worker)
        })
        #expect(seen.firsts.sorted() == (0..<UInt32(pieces)).map { $0 })
        #expect(!seen.overlapped)
    }

    struct Stop: Error, Equatable {}

    @Test func aWorkersErrorStopsTheReadingAndIsThrown() {
        var filled = 0
        #expect(throws: Stop()) {
            try withPieceWorkers(2, pieceBytes: 64, fill: { piece in
                filled += 1
                piece.firstOrdinal = UInt32(filled)
                return filled < 1_000_000
            }, work: { _, piece in
                if piece.firstOrdinal == 10 { throw Stop() }
            })
        }
        #expect(filled < 1_000_000)
    }

    @Test func aReadingErrorIsThrownOnceTheWorkersStop() {
        var filled = 0
        let seen = Seen()
        #expect(throws: Stop()) {
            try withPieceWorkers(2, pieceBytes: 64, fill: { piece in
                filled += 1
                if filled == 20 { throw Stop() }
                piece.firstOrdinal = UInt32(filled)
                return true
            }, work: { worker, piece in
                seen.start(worker, piece)
                seen.end(worker)
            })
        }
        #expect(seen.firsts.allSatisfy { $0 < 20 })
    }
}
