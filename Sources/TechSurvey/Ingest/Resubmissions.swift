// Resolves resubmissions (SPEC §3.4) as accepted returns stream past: records with the same (unit_id,
// survey_date, field) are one return, and `WinnerRule` picks its winner. Records go to the stage file as
// they arrive, each with its ordinal (its place among the accepted records, in input order); this keeps
// only what the rule and superseded.csv need — per key the winner's submission time and ordinal, and the
// rows as runs — and a loser is just its ordinal, one bit. Memory follows distinct keys, never records
// (SPEC §7).

/// Keys and positions of every accepted return, and which records lost.
struct Resubmissions {
    private var table = ClaimTable()
    /// The row of every accepted record, by ordinal.
    private var rows = OrdinalRows()
    /// Ordinals of the records a resubmission superseded.
    private(set) var losers = OrdinalBits()
    /// File names by rank: "the later file" is the one ranked later (a workbook's sheets, in its order).
    private(set) var files: [String] = []
    /// The ordinal of each file's first record, by rank.
    private var firstOrdinals: [UInt32] = []
    private var supersededByRank: [Int] = []
    /// Ordinals handed out: the accepted records so far.
    private(set) var recordCount = 0
    private(set) var supersededCount = 0

    /// Ranks `name` after every file so far and returns its rank.
    mutating func addFile(_ name: String) -> Int32 {
        files.append(name)
        firstOrdinals.append(UInt32(clamping: recordCount))
        supersededByRank.append(0)
        return Int32(files.count - 1)
    }

    static func key(unitID: Int32, surveyDate: Int32, field: UInt8) -> UInt64 {
        UInt64(UInt32(bitPattern: unitID)) << 32 | UInt64(UInt32(bitPattern: surveyDate)) << 3 | UInt64(field & 7)
    }

    static func key(_ r: PackedReturn) -> UInt64 { key(unitID: r.unitID, surveyDate: r.surveyDate, field: r.field) }

    /// Adds the records of a batch, in input order, from the file ranked last. Each key lands at random in
    /// a table of tens of MiB: the entries of the records eight ahead are asked for early, so the lookups
    /// mostly find them in cache.
    mutating func add(_ batch: [ParsedReturn]) throws(TechSurveyError) {
        for i in batch.indices {
            if i + 8 < batch.count { table.prefetch(Self.key(batch[i + 8].packed)) }
            try add(batch[i].packed)
        }
    }

    /// Adds the next accepted record, of the file ranked last; it takes the next ordinal.
    mutating func add(_ r: PackedReturn) throws(TechSurveyError) {
        guard recordCount < Int(UInt32.max) else {
            throw TechSurveyError(.data, "more than \(UInt32.max) accepted returns are more than one run can take; split the input folder")
        }
        guard ClaimTable.submittedRange.contains(r.submitted) else {
            throw TechSurveyError(.data, "internal error: a submission time of row \(r.row) packs to \(r.submitted), outside what the resubmission table holds; please report this with the input")
        }
        let ordinal = UInt32(recordCount)
        recordCount += 1
        rows.append(ordinal: ordinal, row: UInt32(clamping: r.row))
        let entry = ClaimEntry(key: Self.key(r), submitted: r.submitted, ordinal: ordinal)
        let claim = WinnerClaim(submitted: r.submitted, place: UInt64(ordinal))
        var replaced = false
        guard let stored = table.claim(entry, replace: { old in
            replaced = WinnerRule.beats(claim, WinnerClaim(submitted: old.submitted, place: UInt64(old.ordinal)))
            return replaced
        }) else { return }
        let loser = replaced ? stored.ordinal : ordinal
        losers.insert(loser)
        supersededByRank[rank(of: loser)] += 1
        supersededCount += 1
    }

    var winnerCount: Int { recordCount - supersededCount }

    /// The rank of the file that holds the record `ordinal`.
    func rank(of ordinal: UInt32) -> Int {
        // The last file whose first ordinal is at or before `ordinal` (a file with no accepted record
        // shares its first ordinal with the next, and holds none).
        var low = 0, high = firstOrdinals.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if firstOrdinals[mid] <= ordinal { low = mid } else { high = mid }
        }
        return low
    }

    /// Where the final winner of `key` stands: its file's rank and its row.
    func winner(of key: UInt64) -> (rank: Int, row: UInt32)? {
        table.find(key).map { (rank(of: $0.ordinal), rows.row(of: $0.ordinal)) }
    }

    /// Asks for the cache line `winner(of: key)` reads, ahead of it.
    func prefetchWinner(of key: UInt64) { table.prefetch(key) }

    /// Superseded records per file name.
    func supersededPerFile() -> [String: Int] {
        var byName: [String: Int] = [:]
        for (rank, n) in supersededByRank.enumerated() where n > 0 { byName[files[rank], default: 0] += n }
        return byName
    }
}
