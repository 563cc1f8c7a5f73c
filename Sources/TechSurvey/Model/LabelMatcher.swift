// Turns what an analyst typed into a code: built-in aliases plus `aliases.csv`, matched on folded keys,
// with the nearest known label offered when nothing matches.

/// Matches labels of one vocabulary (fields, unit types, activity kinds or column names).
struct LabelMatcher<Code: Hashable & Sendable>: Sendable {
    private var table: [String: Code]
    /// The folded keys the table started with (built-in aliases and codes), which analyst aliases may not move.
    private let builtIn: Set<String>
    /// The readable name shown in did-you-mean suggestions for each code.
    private let displayName: @Sendable (Code) -> String

    init(table: [String: Code], displayName: @escaping @Sendable (Code) -> String) {
        self.table = table
        builtIn = Set(table.keys)
        self.displayName = displayName
    }

    /// True when `label` folds to a built-in alias or code.
    func isBuiltIn(_ label: String) -> Bool { builtIn.contains(TextFold.key(label)) }

    /// Adds an analyst alias; a later alias for the same text wins.
    mutating func add(alias: String, for code: Code) {
        table[TextFold.key(alias)] = code
    }

    /// The code `label` names, or nil.
    func match(_ label: String) -> Code? {
        table[TextFold.key(label)]
    }

    /// The closest known label's code name, when it is near enough to be what was meant.
    func suggestion(for label: String) -> String? {
        nearest(to: label).map(displayName)
    }

    /// The code whose alias is nearest to `label`, within a quarter of its length (at least 2 edits).
    func nearest(to label: String) -> Code? {
        let key = TextFold.key(label)
        guard !key.isEmpty else { return nil }
        var best: (distance: Int, code: Code)?
        for (alias, code) in table {
            let d = TextFold.distance(key, alias)
            if let current = best, current.distance <= d { continue }
            best = (d, code)
        }
        guard let best, best.distance <= max(2, key.count / 4) else { return nil }
        return best.code
    }
}

extension LabelMatcher where Code: RawRepresentable, Code.RawValue == String {
    init(table: [String: Code]) {
        self.init(table: table, displayName: { $0.rawValue })
    }
}
