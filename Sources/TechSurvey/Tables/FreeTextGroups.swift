// Free-text rows (districts, countries): spellings that fold to the same text are one row, named by the
// most frequent spelling; an empty value is the `unknown` row.

/// The key written for a free-text group (district, country) that was left empty.
let unknownGroupKey = "unknown"

/// Groups free text (districts, countries) the way labels are matched, so "Lê Chân", "LÊ CHÂN" and
/// "Le Chan" are one group, shown by its most frequent spelling.
struct FreeTextGroups {
    private var labelByKey: [String: String] = [:]
    private var labelBySpelling: [String: String] = [:]
    /// Labels in folded-key order, the unknown group last.
    let orderedLabels: [String]

    init(_ values: [String]) {
        var counts: [String: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        self.init(counts: counts)
    }

    /// From how many records carry each distinct spelling: each spelling is folded once, however many
    /// records carry it.
    init(counts: [String: Int]) {
        var spellings: [String: [String: Int]] = [:]
        var keyBySpelling: [String: String] = [:]
        for (v, n) in counts {
            let key = Self.groupKey(v)
            keyBySpelling[v] = key
            spellings[key, default: [:]][v] = n
        }
        var labels: [String: String] = [:]
        for (key, counts) in spellings {
            let best = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key ?? ""
            labels[key] = key.isEmpty ? unknownGroupKey : best
        }
        labelByKey = labels
        labelBySpelling = keyBySpelling.mapValues { labels[$0] ?? unknownGroupKey }
        orderedLabels = spellings.keys.sorted { a, b in
            a.isEmpty != b.isEmpty ? !a.isEmpty : a < b
        }.compactMap { labels[$0] }
    }

    func label(for value: String) -> String {
        labelBySpelling[value] ?? labelByKey[Self.groupKey(value)] ?? unknownGroupKey
    }

    /// The folded key, with a value written as "unknown" put in the same group as an empty one, so two
    /// rows can never share the label.
    private static func groupKey(_ value: String) -> String {
        let key = TextFold.key(value)
        return key == TextFold.key(unknownGroupKey) ? "" : key
    }
}
