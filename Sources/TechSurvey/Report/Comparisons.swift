// Change against the previous period and the same period a year earlier (SPEC §2, make quarterly): the
// comparison table, and the sentences news.md prints ("tăng 12,5% so với quý trước").

/// The measures compared, in the order they are printed: the sums, which a difference keeps meaningful.
let comparedMeasures: [Measure] = [.unitVisits, .technologiesFound, .technologiesProposed]

extension Measure {
    /// A compared measure's value in `m` (0 for a measure that is not compared).
    func value(_ m: SurveyMeasures) -> Int { count(m) ?? 0 }
}

/// The comparisons the report prints: those whose period has data (SPEC §4.5).
func printedComparisons(_ a: Aggregates) -> [Comparison] {
    let total = a.byField.rows.last?.measures.unitVisits ?? 0
    return total > 0 ? a.comparisons.filter(\.hasData) : []
}

/// `tables/comparison.csv`: one row per field (and total) and measure, with the value now, then, the change
/// and the change in percent, against each comparison period that has data: a year compares with the
/// previous year only, so it has no year-earlier columns. Nil when no comparison has data.
func comparisonTable(_ a: Aggregates) -> PublishedTable? {
    let printed = printedComparisons(a)
    guard !printed.isEmpty else { return nil }
    let bases = printed.map(\.basis)
    var rows: [[TableValue]] = []
    var totals = Set<Int>()
    for (index, row) in a.byField.rows.enumerated() {
        for measure in comparedMeasures {
            let now = measure.value(row.measures)
            var cells: [TableValue] = keyCells(row.keys, isTotal: row.isTotal) + [.key(measure.rawValue), .count(now)]
            for comparison in printed {
                guard index < comparison.byField.rows.count else {
                    cells += [.missing, .missing, .missing]
                    continue
                }
                let then = measure.value(comparison.byField.rows[index].measures)
                let (change, overflow) = now.subtractingReportingOverflow(then)
                cells += overflow ? [.count(then), .missing, .missing] : [.count(then), .count(change), .percent(percentTenths(change, of: then))]
            }
            if row.isTotal { totals.insert(rows.count) }
            rows.append(cells)
        }
    }
    let columns = TableID.comparison.keyColumns + ["current"] + bases.flatMap { basis -> [String] in
        basis == .previousPeriod
            ? ["previous_period", "change_vs_previous", "change_pct_vs_previous"]
            : ["year_earlier", "change_vs_year_earlier", "change_pct_vs_year_earlier"]
    }
    return PublishedTable(.comparison, columns: columns, rows: rows, totalRows: totals)
}

/// How the comparison period is named in a sentence: "quý trước", "the same quarter a year earlier".
func comparisonName(_ c: Comparison, current: Period, _ language: Language) -> String {
    let length = current.first.flatMap { f in current.last.map { f.distance(to: $0) + 1 } } ?? 0
    switch (language, c.basis) {
    case (.vi, .previousPeriod): return length == 1 ? "quý trước" : length == 4 ? "năm trước" : "kỳ trước"
    case (.vi, .yearEarlier): return "cùng kỳ năm trước"
    case (.en, .previousPeriod): return length == 1 ? "the previous quarter" : length == 4 ? "the previous year" : "the previous period"
    case (.en, .yearEarlier): return length == 1 ? "the same quarter a year earlier" : "the same period a year earlier"
    }
}

/// One sentence per compared measure of the total row, e.g. "Số công nghệ tìm kiếm là 18, tăng 12,5% so
/// với quý trước (quý I/2015: 16) và giảm 5,3% so với cùng kỳ năm trước (quý II/2014: 19)." Only periods
/// with data are compared; nil when none has.
func comparisonParagraph(_ a: Aggregates, _ language: Language) -> String? {
    let printed = printedComparisons(a)
    guard !printed.isEmpty, let total = a.byField.rows.last else { return nil }
    let names: [String: (vi: String, en: String)] = [
        "unit_visits": ("Số lượt đơn vị được khảo sát", "The number of unit-visits"),
        "technologies_found": ("Số công nghệ/tiến bộ kỹ thuật tìm kiếm được", "The number of technologies found"),
        "technologies_proposed": ("Số công nghệ đề xuất chuyển giao, ứng dụng", "The number proposed for transfer"),
    ]
    var sentences: [String] = []
    for measure in comparedMeasures {
        let now = measure.value(total.measures)
        let parts = printed.compactMap { c -> String? in
            guard let then = c.byField.rows.last.map({ measure.value($0.measures) }) else { return nil }
            let period = language.periodName(c.period) ?? c.period.text
            return change(now: now, then: then, against: comparisonName(c, current: a.period, language), period: period, language)
        }
        let name = names[measure.rawValue].map { language == .vi ? $0.vi : $0.en } ?? measure.rawValue
        sentences.append(language == .vi
            ? "\(name) là \(language.number(now)), \(viList(parts))."
            : "\(name), \(language.prose(now)), was \(enList(parts)).")
    }
    return sentences.joined(separator: " ")
}

private func change(now: Int, then: Int, against name: String, period: String, _ language: Language) -> String {
    let vi = language == .vi
    let was = "(\(period): \(language.prose(then)))"
    if now == then { return vi ? "không đổi so với \(name) \(was)" : "unchanged from \(name) \(was)" }
    let up = now > then
    let (difference, overflow) = now.subtractingReportingOverflow(then)
    guard !overflow, let signed = percentTenths(difference, of: then) else {
        return vi ? "\(up ? "tăng" : "giảm") so với \(name) \(was)" : "\(up ? "up" : "down") from \(name) \(was)"
    }
    let amount = language.percent(abs(signed))
    if vi { return "\(up ? "tăng" : "giảm") \(amount) so với \(name) \(was)" }
    return "\(up ? "up" : "down") \(amount) on \(name) \(was)"
}
