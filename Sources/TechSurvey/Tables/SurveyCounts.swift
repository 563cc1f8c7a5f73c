// Counting returns into survey tables, streamed (SPEC §7): a first pass learns what the layouts need (the
// period's dates and district spellings, the quarters with data, the units), a second adds every return
// to its rows. Aggregate counts every table at once, on both cores; trace counts one table the same way and
// lists the returns of one row, so a traced figure is the published one.

import Foundation

/// What the layouts need to know of the returns before their rows are counted. Memory follows distinct
/// strings (unit ids, district spellings), never records.
struct ReturnKeys {
    /// Returns read, and those in the period.
    private(set) var read = 0
    private(set) var inPeriod = 0
    /// First and last survey date in the period, packed.
    private var firstDate = Int32.max, lastDate = Int32.min
    /// First and last quarter of any return (the trend's bounds).
    private(set) var firstQuarter = Int.max, lastQuarter = Int.min
    /// Per string index: how many returns in the period name it as their district.
    private(set) var districtCounts: [Int32]
    private(set) var units: UnitNumbers
    let period: Period

    init(_ stream: some ReturnStream, period: Period) throws {
        self.period = period
        let strings = stream.strings
        let range = QuarterRange(period)
        var keys = (read: 0, inPeriod: 0, firstDate: Int32.max, lastDate: Int32.min, firstQuarter: Int.max, lastQuarter: Int.min)
        var districts = [Int32](repeating: 0, count: strings.count)
        var units = UnitNumbers(strings: strings.count)
        try stream.forEachChunk { chunk in
            for r in chunk {
                keys.read += 1
                units.see(r.unitID, strings: strings)
                let q = QuarterRange.index(packedDate: r.surveyDate)
                keys.firstQuarter = min(keys.firstQuarter, q)
                keys.lastQuarter = max(keys.lastQuarter, q)
                guard range.contains(quarter: q) else { continue }
                keys.inPeriod += 1
                keys.firstDate = min(keys.firstDate, r.surveyDate)
                keys.lastDate = max(keys.lastDate, r.surveyDate)
                districts[Int(r.district)] &+= 1
            }
        }
        (read, inPeriod, firstDate, lastDate, firstQuarter, lastQuarter) = keys
        districtCounts = districts
        self.units = units
    }

    /// Keys learnt some other way (Fast/ParallelReturnPasses: in parts on several threads, then merged).
    init(period: Period, read: Int, inPeriod: Int, dates: (first: Int32, last: Int32), quarters: (first: Int, last: Int),
         districtCounts: [Int32], units: UnitNumbers) {
        self.period = period
        self.read = read
        self.inPeriod = inPeriod
        (firstDate, lastDate) = dates
        (firstQuarter, lastQuarter) = quarters
        self.districtCounts = districtCounts
        self.units = units
    }

    var firstSurveyDate: CalendarDate? { CalendarDate(packed: firstDate) }
    var lastSurveyDate: CalendarDate? { CalendarDate(packed: lastDate) }

    /// by_period's quarters: the period's, else from the first to the last return counted.
    var periodQuarters: (first: Int, count: Int) {
        guard let first = period.first.map(QuarterRange.index) ?? firstSurveyDate.map({ QuarterRange.index($0.quarter) }),
              let last = period.last.map(QuarterRange.index) ?? lastSurveyDate.map({ QuarterRange.index($0.quarter) }),
              first <= last else { return (0, 0) }
        return (first, last - first + 1)
    }

    /// The trend's quarters (see `Aggregates.trend`): up to the period's last, from up to eight before its
    /// first, never before the first return; for all data every quarter from the first return to the last.
    var trendQuarters: (first: Int, count: Int) {
        guard firstQuarter <= lastQuarter else { return (0, 0) }
        let end = period.last.map(QuarterRange.index) ?? lastQuarter
        let start = max(firstQuarter, period.first.map { QuarterRange.index($0) - 8 } ?? firstQuarter)
        return start <= end ? (start, end - start + 1) : (0, 0)
    }
}

extension SurveyLayout {
    /// The layout of survey table `id` for the period of `keys`, or of `period` when given (a comparison).
    init(_ id: TableID, _ keys: ReturnKeys, strings: [String], period: Period? = nil) {
        let range = QuarterRange(period ?? keys.period)
        switch id {
        case .byUnitType: self.init(.unitType, range: range)
        case .byDistrict: self.init(.district, range: range, districts: DistrictRows(strings, counts: keys.districtCounts))
        case .byPeriod:
            let quarters = keys.periodQuarters
            self.init(.quarterField(first: quarters.first), range: range, quarters: quarters.count)
        default: self.init(.field, range: range)
        }
    }

    /// The trend's layout: one total row per quarter.
    init(trend keys: ReturnKeys) {
        let quarters = keys.trendQuarters
        self.init(.quarter(first: quarters.first), range: QuarterRange(first: quarters.first, last: quarters.first + quarters.count - 1), quarters: quarters.count)
    }
}

/// One survey table's rows being counted.
struct SurveyCounts {
    let layout: SurveyLayout
    private(set) var tallies: [SurveyTally]

    init(_ layout: SurveyLayout, units: Int) {
        self.layout = layout
        tallies = SurveyTally.rows(layout.keys.count, units: units)
    }

    /// Counts return `r` (of quarter `q`, unit number `unit`) in its row and its total row when the table
    /// counts its quarter; returns those rows, nil when it does not count it.
    @inline(__always) @discardableResult
    mutating func add(_ r: PackedReturn, quarter q: Int, unit: Int) -> (row: Int, total: Int)? {
        let layout = layout
        return tallies.withUnsafeMutableBufferPointer { Self.add(r, quarter: q, unit: unit, layout, to: $0) }
    }

    /// Counts a block of returns as `add` counts one: the tallies' storage is taken once per block. Each
    /// return's unit bit is a cache miss in a bit set of a row of thousands: the bit of the return
    /// `ReturnBlock.ahead` places on is asked for early (Fast/MemoryTuning's hint), so the misses overlap.
    mutating func add(_ block: ReturnBlock) {
        let layout = layout
        tallies.withUnsafeMutableBufferPointer { tallies in
            for i in 0..<block.count {
                let next = i + ReturnBlock.ahead
                if next < block.count {
                    let q = block.quarters[next]
                    if layout.range.contains(quarter: q) {
                        let row = layout.place(block.records[next], quarter: q).row
                        if row >= 0 { tallies[row].prefetch(unit: block.units[next]) }
                    }
                }
                Self.add(block.records[i], quarter: block.quarters[i], unit: block.units[i], layout, to: tallies)
            }
        }
    }

    /// The one rule: a return the table counts goes to its row and to that row's total row.
    @inline(__always) @discardableResult
    private static func add(_ r: PackedReturn, quarter q: Int, unit: Int, _ layout: SurveyLayout,
                            to tallies: UnsafeMutableBufferPointer<SurveyTally>) -> (row: Int, total: Int)? {
        guard layout.range.contains(quarter: q) else { return nil }
        let (row, total) = layout.place(r, quarter: q)
        if row >= 0 { tallies[row].add(r, unit: unit) }
        if total != row && layout.countsTotal { tallies[total].add(r, unit: unit) }
        return (row, total)
    }

    /// Sets row `i` to `parts` merged: the tally of the records they counted, as if `add` had counted them
    /// here (Fast/QuarterFieldCounts counts the rows apart and joins them).
    mutating func setRow(_ i: Int, merging parts: [SurveyTally]) {
        guard let first = parts.first else { return }
        var tally = first
        for part in parts.dropFirst() { tally.merge(part) }
        tallies[i] = tally
    }

    /// Takes the total row of `other`, a table over the same range that counted it.
    mutating func takeTotal(of other: SurveyCounts) {
        if let mine = tallies.indices.last, let theirs = other.tallies.last { tallies[mine] = theirs }
    }

    /// Adds the same table counted over other returns.
    mutating func merge(_ other: SurveyCounts) {
        for i in tallies.indices { tallies[i].merge(other.tallies[i]) }
    }

    /// Throws the data error when a sum did not fit.
    func checked() throws -> SurveyCounts {
        if tallies.contains(where: \.overflowed) { throw ExactSum.overflowError("technologies found or proposed") }
        return self
    }

    /// The counted rows as table `id` publishes them: each row's share divides by its total row's found.
    func table(_ id: TableID) -> SurveyTable {
        // Each row's measures once: a unit count is a count of bits, and 150,000 district rows share one total.
        let measures = tallies.map(\.measures)
        let rows = layout.keys.indices.map { i in
            SurveyRow(keys: layout.keys[i], measures: measures[i],
                      shareBase: measures[layout.totalRow(of: i)].technologiesFound, isTotal: layout.isTotal[i])
        }
        return SurveyTable(keyColumns: id.keyColumns, rows: rows)
    }
}

extension SurveyCounts {
    /// A trend layout's quarters, each with its total.
    var trend: [TrendPoint] {
        guard case .quarter(let first) = layout.rows else { return [] }
        return tallies.indices.map { TrendPoint(quarter: QuarterRange.quarter(first + $0), measures: tallies[$0].measures) }
    }
}

/// Counts every return of `stream` into each of `tables`, on two threads: a piece of a chunk goes to the
/// counting thread when it is idle, else is counted here, so the reader and both cores stay busy. Each
/// thread counts into its own tables, merged at the end: sums add and unit sets unite, so the figures are
/// the same whichever thread counted which return.
func count(_ stream: some ReturnStream, units: UnitNumbers, into tables: inout [SurveyCounts]) throws {
    let here = ThreadTables(tables)
    var helper: CountingThread?
    let pieces = { (chunk: UnsafeBufferPointer<PackedReturn>) in
        var start = 0
        while start < chunk.count {
            let end = min(start + piece, chunk.count)
            let records = chunk[start..<end]
            start = end
            if records.count < piece / 2 { here.add(records, units); continue }
            if helper == nil {
                // The second thread's tables get their bit sets only when there is enough to share.
                helper = CountingThread(ThreadTables(tables.map { SurveyCounts($0.layout, units: units.count) }), units: units)
            }
            if helper?.offer(records) != true { here.add(records, units) }
        }
    }
    do {
        try stream.forEachChunk(pieces)
    } catch {
        _ = helper?.finish()
        throw error
    }
    tables = here.tables
    if let other = helper?.finish() {
        for k in tables.indices { tables[k].merge(other.tables[k]) }
    }
    tables = try tables.map { try $0.checked() }
}

/// Records handed over at a time: large enough that handing over costs little, small enough to share.
private let piece = 1 << 14

/// The second counting thread: takes a copy of a piece when idle, counts it into its own tables.
private final class CountingThread: @unchecked Sendable {
    // `job`, `spare`, `finished` and `exited` are touched only with `condition` locked: that makes it Sendable.
    private let condition = NSCondition()
    private var job: [PackedReturn]?
    private var spare: [PackedReturn] = []
    private var finished = false
    private var exited = false
    private let tables: ThreadTables
    private let units: UnitNumbers

    init(_ tables: ThreadTables, units: UnitNumbers) {
        self.tables = tables
        self.units = units
        Thread { [self] in run() }.start()
    }

    private func run() {
        condition.lock()
        while true {
            while job == nil && !finished { condition.wait() }
            guard let records = job else { break }
            condition.unlock()
            records.withUnsafeBufferPointer { tables.add($0[...], units) }
            condition.lock()
            job = nil
            spare = records
        }
        exited = true
        condition.broadcast()
        condition.unlock()
    }

    /// Hands a copy of `records` over when the thread is idle; false when it is still counting.
    func offer(_ records: Slice<UnsafeBufferPointer<PackedReturn>>) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard job == nil else { return false }
        var copy = spare
        spare = []
        copy.removeAll(keepingCapacity: true)
        copy.append(contentsOf: records)
        job = copy
        condition.broadcast()
        return true
    }

    /// Waits for the last piece to be counted, ends the thread, and returns its tables.
    func finish() -> ThreadTables {
        condition.lock()
        finished = true
        condition.broadcast()
        while !exited { condition.wait() }
        condition.unlock()
        return tables
    }
}

/// Returns with their quarter and unit number worked out once for every table.
struct ReturnBlock {
    static let size = 2_048
    /// How many returns ahead a cache line is asked for: enough misses in flight to keep memory busy.
    static let ahead = 16
    var records = UnsafeBufferPointer<PackedReturn>(start: nil, count: 0)
    var quarters = [Int](repeating: 0, count: size)
    var units = [Int](repeating: 0, count: size)
    var count: Int { records.count }
}

/// The tables one thread counts into; each thread has its own, so none is shared while counting.
final class ThreadTables: @unchecked Sendable {
    var tables: [SurveyCounts]

    init(_ tables: [SurveyCounts]) { self.tables = tables }

    /// Counts `records` a block at a time, every table over the block before the next block.
    func add(_ records: Slice<UnsafeBufferPointer<PackedReturn>>, _ units: UnitNumbers) {
        var block = ReturnBlock()
        var start = records.startIndex
        while start < records.endIndex {
            let end = min(start + ReturnBlock.size, records.endIndex)
            block.records = UnsafeBufferPointer(rebasing: records[start..<end])
            for (i, r) in block.records.enumerated() {
                if i + ReturnBlock.ahead < block.count { units.prefetch(block.records[i + ReturnBlock.ahead].unitID) }
                block.quarters[i] = QuarterRange.index(packedDate: r.surveyDate)
                block.units[i] = units[r.unitID]
            }
            for k in tables.indices { tables[k].add(block) }
            start = end
        }
    }
}

/// Counts every return of `stream` into `table`, one thread, calling `each` in input order with every return
/// counted in row `target` (as the row itself or as its total row).
func count(_ stream: some ReturnStream, units: UnitNumbers, into table: inout SurveyCounts, listing target: Int,
           _ each: (PackedReturn) throws -> Void) throws {
    try stream.forEachChunk { chunk in
        for r in chunk {
            guard let (row, total) = table.add(r, quarter: QuarterRange.index(packedDate: r.surveyDate), unit: units[r.unitID]) else { continue }
            if row == target || total == target { try each(r) }
        }
    }
    table = try table.checked()
}
