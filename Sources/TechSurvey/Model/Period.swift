// The reporting period of SPEC §5: a year, a quarter, or a range of either; nothing means all data.

import Foundation

/// An inclusive range of quarters, or all data.
public struct Period: Sendable, Equatable, Codable, CustomStringConvertible {
    let first: Quarter?
    let last: Quarter?
    /// As the analyst wrote it (`2013..2015`); empty for all data.
    let text: String

    static let all = Period(first: nil, last: nil, text: "")

    /// The years a period can name: those CalendarDate accepts in a survey date.
    static let years = 1900...2200

    init(first: Quarter?, last: Quarter?, text: String) {
        self.first = first
        self.last = last
        self.text = text
    }

    /// Parses `2015`, `2015-Q3`, `2013..2015`, `2013-Q1..2015-Q4`; empty is all data.
    public init(parsing raw: String) throws(TechSurveyError) {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { self = .all; return }
        let parts = text.components(separatedBy: "..")
        guard (1...2).contains(parts.count),
              let start = Self.bounds(parts[0])?.0, let end = Self.bounds(parts[parts.count - 1])?.1 else {
            throw TechSurveyError(.usage, "PERIOD=\(quotedCell(raw)) is not a period; write 2015, 2015-Q3, 2013..2015 or 2013-Q1..2015-Q4")
        }
        // Survey dates run over CalendarDate's years; a period outside them counts nothing and its
        // comparison periods would fall before year 1.
        guard Period.years.contains(start.year), Period.years.contains(end.year) else {
            throw TechSurveyError(.usage, "PERIOD=\(quotedCell(raw)) is outside the years \(Period.years.lowerBound)–\(Period.years.upperBound) that survey dates can have; write a period such as 2015 or 2013..2015")
        }
        guard start <= end else {
            throw TechSurveyError(.usage, "PERIOD=\(quotedCell(raw)) ends before it starts; write the earlier bound first")
        }
        // The text printed in report, news and manifest is the canonical form (2015-Q3), not as typed (2015-q3).
        let canonical = parts.map { piece in Quarter(parsing: piece)?.description ?? piece }.joined(separator: "..")
        self.init(first: start, last: end, text: canonical)
    }

    private static func bounds(_ piece: String) -> (Quarter, Quarter)? {
        if piece.count == 4, piece.allSatisfy(\.isASCIIDigit), let year = Int(piece) {
            return (Quarter(year: year, quarter: 1), Quarter(year: year, quarter: 4))
        }
        if let q = Quarter(parsing: piece) { return (q, q) }
        return nil
    }

    func contains(_ date: CalendarDate) -> Bool {
        let q = date.quarter
        if let first, q < first { return false }
        if let last, last < q { return false }
        return true
    }

    var isAll: Bool { first == nil && last == nil }

    /// The period of the same length just before this one (nil for all data).
    var previous: Period? {
        guard let first, let last else { return nil }
        let length = first.distance(to: last) + 1
        return Period(quarters: first.advanced(by: -length), last.advanced(by: -length))
    }

    /// The same period one year earlier (nil for all data).
    var yearEarlier: Period? {
        guard let first, let last else { return nil }
        return Period(quarters: first.advanced(by: -4), last.advanced(by: -4))
    }

    /// A period from `first` to `last`, written the shortest way (`2015`, `2015-Q3`, `2013-Q2..2014-Q1`).
    init(quarters first: Quarter, _ last: Quarter) {
        let text: String
        if first == last {
            text = first.description
        } else if first.quarter == 1, last.quarter == 4 {
            text = first.year == last.year ? String(first.year) : "\(first.year)..\(last.year)"
        } else {
            text = "\(first)..\(last)"
        }
        self.init(first: first, last: last, text: text)
    }
    public var description: String { isAll ? "all" : text }
}
