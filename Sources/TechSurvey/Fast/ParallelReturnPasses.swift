// Aggregate's two passes over the returns (ReturnKeys, then the counting) on every core: the stage file's
// reader hands each thread pieces of the file (PackedReturnsFile.Reader.forEachChunk(threads:)), each
// thread learns or counts into its own parts, and the parts are merged once the pass is over. Every merge is
// the same whichever thread saw which records: counts add, first and last dates are the least and the
// greatest, unit sets unite (ParallelReturnPassesTests compares both passes with the one-thread rule).

import Foundation

/// Threads aggregate counts on: one per core, at most four (each keeps its own tables).
let countingThreads = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))

extension ReturnKeys {
    /// The keys `init(_:period:)` learns, learnt on `threads` threads. Unit numbers are given in string
    /// order rather than in the order the units are first read: a unit's number only ever picks its bit,
    /// so every count is the same.
    init(_ stream: some ReturnStream, period: Period, threads: Int) throws {
        let strings = stream.strings
        let range = QuarterRange(period)
        let parts = (0..<max(1, threads)).map { _ in KeyPart() }
        try stream.forEachChunk(threads: threads) { t, chunk in parts[t].add(chunk, range: range, strings: strings.count) }

        var read = 0, inPeriod = 0, dates = (first: Int32.max, last: Int32.min), quarters = (first: Int.max, last: Int.min)
        var districts = [Int32](repeating: 0, count: strings.count)
        var seen = [UInt64](repeating: 0, count: (strings.count + 63) / 64)
        for part in parts where !part.districts.isEmpty {
            read += part.read
            inPeriod += part.inPeriod
            dates = (min(dates.first, part.firstDate), max(dates.last, part.lastDate))
            quarters = (min(quarters.first, part.firstQuarter), max(quarters.last, part.lastQuarter))
            for i in districts.indices { districts[i] &+= part.districts[i] }
            for w in seen.indices { seen[w] |= part.seen[w] }
        }
        self.init(period: period, read: read, inPeriod: inPeriod, dates: dates, quarters: quarters,
                  districtCounts: districts, units: UnitNumbers(seen: seen, strings: strings))
    }
}

extension UnitNumbers {
    /// The units of the strings whose bits are set in `seen`, numbered as `see` numbers them called in
    /// string order. Hashing 200,000 unit ids as Strings took a third of a second on one core with both
    /// passes threaded; ASCII texts are equal as Strings exactly when their bytes are, so they are told
    /// apart by a hash of their bytes. Any other text may equal a different spelling (canonical
    /// equivalence: "K" and the Kelvin sign), so then every unit is numbered by `see`.
    init(seen: [UInt64], strings: [String]) {
        var indices: [Int32] = []
        var hashes: [UInt64] = []
        var ascii = true
        for w in seen.indices {
            var bits = seen[w]
            while bits != 0 {
                let i = w << 6 | bits.trailingZeroBitCount
                bits &= bits - 1
                guard i < strings.count else { continue }
                var text = strings[i]
                let (hash, isASCII) = text.withUTF8 { bytes -> (UInt64, Bool) in
                    var h: UInt64 = 0xCBF2_9CE4_8422_2325, high: UInt8 = 0
                    for b in bytes {
                        h = (h ^ UInt64(b)) &* 0x100_0000_01B3
                        high |= b
                    }
                    return (h, high < 0x80)
                }
                ascii = ascii && isASCII
                indices.append(Int32(i))
                hashes.append(hash)
            }
        }
        guard ascii else {
            var units = UnitNumbers(strings: strings.count)
            for i in indices { units.see(i, strings: strings) }
            self = units
            return
        }
        var numbers = [Int32](repeating: -1, count: strings.count)
        var capacity = 16
        while capacity < 2 * indices.count { capacity *= 2 }
        let mask = capacity - 1
        // Open addressing: each slot holds the string index of the first text of its hash seen, or -1.
        var slots = [Int32](repeating: -1, count: capacity)
        var next: Int32 = 0
        for (k, i) in indices.enumerated() {
            var b = Int(truncatingIfNeeded: (hashes[k] &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
            while true {
                let held = slots[b]
                if held < 0 {
                    slots[b] = i
                    numbers[Int(i)] = next
                    next += 1
                    break
                }
                if strings[Int(held)] == strings[Int(i)] {
                    numbers[Int(i)] = numbers[Int(held)]
                    break
                }
                b = (b + 1) & mask
            }
        }
        self.init(numberOfString: numbers, count: Int(next))
    }
}

/// What one thread learnt of the records it was handed: as `ReturnKeys`, with the unit ids seen as one bit
/// per string index (numbered after the merge). Touched by its thread only until the pass is over.
private final class KeyPart: @unchecked Sendable {
    var read = 0, inPeriod = 0
    var firstDate = Int32.max, lastDate = Int32.min
    var firstQuarter = Int.max, lastQuarter = Int.min
    var districts: [Int32] = []
    var seen: [UInt64] = []

    func add(_ chunk: UnsafeBufferPointer<PackedReturn>, range: QuarterRange, strings: Int) {
        if districts.isEmpty {
            districts = [Int32](repeating: 0, count: strings)
            seen = [UInt64](repeating: 0, count: (strings + 63) / 64)
        }
        var read = read, inPeriod = inPeriod, firstDate = firstDate, lastDate = lastDate
        var firstQuarter = firstQuarter, lastQuarter = lastQuarter
        districts.withUnsafeMutableBufferPointer { districts in
            seen.withUnsafeMutableBufferPointer { seen in
                for r in chunk {
                    read += 1
                    let u = Int(r.unitID)
                    seen[u >> 6] |= 1 << UInt64(u & 63)
                    let q = QuarterRange.index(packedDate: r.surveyDate)
                    firstQuarter = min(firstQuarter, q)
                    lastQuarter = max(lastQuarter, q)
                    guard range.contains(quarter: q) else { continue }
                    inPeriod += 1
                    firstDate = min(firstDate, r.surveyDate)
                    lastDate = max(lastDate, r.surveyDate)
                    districts[Int(r.district)] &+= 1
                }
            }
        }
        (self.read, self.inPeriod, self.firstDate, self.lastDate) = (read, inPeriod, firstDate, lastDate)
        (self.firstQuarter, self.lastQuarter) = (firstQuarter, lastQuarter)
    }
}

/// Counts every return of `stream` into each of `tables` as `count(_:units:into:)` does, on `threads`
/// threads, each into tables of its own (made on its first chunk), merged into `tables` at the end.
func count(_ stream: some ReturnStream, units: UnitNumbers, into tables: inout [SurveyCounts], threads: Int) throws {
    let layouts = tables.map(\.layout)
    let parts = (0..<max(1, threads)).map { _ in CountPart() }
    try stream.forEachChunk(threads: threads) { t, chunk in
        let part = parts[t]
        let own = part.tables ?? ThreadTables(layouts.map { SurveyCounts($0, units: units.count) })
        part.tables = own
        own.add(chunk[...], units)
    }
    for part in parts {
        guard let counted = part.tables?.tables else { continue }
        for k in tables.indices { tables[k].merge(counted[k]) }
    }
    tables = try tables.map { try $0.checked() }
}

/// One thread's tables, made when it is first handed records.
private final class CountPart: @unchecked Sendable {
    var tables: ThreadTables?
}
