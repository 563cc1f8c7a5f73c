// The byte census of a large file (which encoding it is in, decided on all of it before decoding starts)
// counted on every core: the file is cut where an ASCII byte stands, so no UTF-8 sequence spans a cut and
// the parts' counts add up to exactly what one pass over the whole gives (ParallelCensusTests). The census
// is the one pass over a file that nothing can overlap, so its wall time is ingest's.

import Foundation

extension ByteCensus {
    /// The census of the regular file open as `handle` (read with pread, its position untouched), in
    /// `parts` parts; nil when no cut point is found near where a part would end (not text: the caller
    /// counts it in one pass).
    static func counted(handle: UnsafeMutablePointer<FILE>, size: Int, parts: Int, pieceSize: Int,
                        displayName: String) throws -> ByteCensus? {
        let fd = fileno(handle)
        var cuts = [0]
        for k in 1..<max(1, parts) {
            var probe = [UInt8](repeating: 0, count: 64)
            let at = size / parts * k
            let n = probe.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 64, off_t(at)) }
            guard n > 0, let ascii = probe[0..<n].firstIndex(where: { $0 < 0x80 }) else { return nil }
            cuts.append(max(cuts[cuts.count - 1], at + ascii))
        }
        cuts.append(size)
        let bounds = cuts
        let counts = CensusParts(count: bounds.count - 1)
        DispatchQueue.concurrentPerform(iterations: bounds.count - 1) { k in
            var census = ByteCensus()
            census.bytes = bounds[k]
            var buffer = [UInt8](repeating: 0, count: max(4, pieceSize))
            var offset = bounds[k]
            while offset < bounds[k + 1] {
                let want = min(buffer.count, bounds[k + 1] - offset)
                var got = 0
                while got < want {
                    let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress.map { $0 + got }, want - got, off_t(offset + got)) }
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else {
                        counts.fail(TechSurveyError(.noInput, "\(displayName): reading failed (\(n < 0 ? String(cString: strerror(errno)) : "the file got shorter while it was read")); copy the file locally and retry"))
                        return
                    }
                    got += n
                }
                let isLast = offset + want == bounds[k + 1]
                // A UTF-8 sequence cut by the piece's end (at most three bytes) is read again with the next piece.
                let left = buffer.withUnsafeBufferPointer { census.add(UnsafeBufferPointer(rebasing: $0[0..<want]), isLast: isLast) }
                offset += want - left
            }
            census.bytes -= bounds[k]
            counts.set(k, census)
        }
        return try counts.total()
    }

    /// The counts of two parts of a file, the first ending where the second starts.
    static func + (a: ByteCensus, b: ByteCensus) -> ByteCensus {
        var sum = a
        sum.bytes += b.bytes
        sum.multiByte += b.multiByte
        sum.malformed += b.malformed
        sum.nul += b.nul
        sum.nulAtOdd += b.nulAtOdd
        sum.unclean += b.unclean
        return sum
    }
}

/// Each part's census, handed back from the counting threads under a lock.
private final class CensusParts: @unchecked Sendable {
    // Touched only with `lock` held: that makes it Sendable.
    private let lock = NSLock()
    private var parts: [ByteCensus]
    private var failure: TechSurveyError?

    init(count: Int) { parts = [ByteCensus](repeating: ByteCensus(), count: count) }

    func set(_ k: Int, _ census: ByteCensus) {
        lock.lock()
        parts[k] = census
        lock.unlock()
    }

    func fail(_ error: TechSurveyError) {
        lock.lock()
        if failure == nil { failure = error }
        lock.unlock()
    }

    func total() throws -> ByteCensus {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        return parts.reduce(ByteCensus(), +)
    }
}
