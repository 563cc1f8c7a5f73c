// How periods, dates, times and small numbers are written for print (SPEC §4.5): "quý II/2015", "năm 2014",
// "từ quý III/2013 đến quý II/2014", "02/12/2026 10:15"; in English "Q2 2015", "2 December 2026", "six".

import Foundation

extension Language {
    /// "quý II/2015" / "Q2 2015".
    func quarter(_ q: Quarter) -> String {
        self == .vi ? "quý \(romanQuarter(q.quarter))/\(q.year)" : "Q\(q.quarter) \(q.year)"
    }

    /// A period's name in running text: "quý II/2015", "năm 2014", "từ quý III/2013 đến quý II/2014";
    /// "Q2 2015", "2014", "Q3 2013 to Q2 2014". Nil for all data.
    func periodName(_ p: Period) -> String? {
        guard let first = p.first, let last = p.last else { return nil }
        let wholeYears = first.quarter == 1 && last.quarter == 4
        func bound(_ q: Quarter, year: Bool) -> String { year ? (self == .vi ? "năm \(q.year)" : String(q.year)) : quarter(q) }
        if wholeYears && first.year == last.year { return bound(first, year: true) }
        if first == last { return quarter(first) }
        return self == .vi
            ? "từ \(bound(first, year: wholeYears)) đến \(bound(last, year: wholeYears))"
            : "\(bound(first, year: wholeYears)) to \(bound(last, year: wholeYears))"
    }

    /// A date for print: "02/12/2026" / "2 December 2026".
    func printedDate(_ d: CalendarDate) -> String {
        self == .vi ? pad(d.day, 2) + "/" + pad(d.month, 2) + "/" + String(d.year) : "\(d.day) \(englishMonths[d.month - 1]) \(d.year)"
    }

    /// "tháng 01/2013" / "January 2013": a month, where an English day number would stand alone.
    func printedMonth(_ d: CalendarDate) -> String {
        self == .vi ? "tháng \(pad(d.month, 2))/\(d.year)" : "\(englishMonths[d.month - 1]) \(d.year)"
    }

    /// "từ 02/01/2013 đến 14/01/2016" / "2 January 2013 to 14 January 2016".
    func dateSpan(_ first: CalendarDate, _ last: CalendarDate) -> String {
        self == .vi ? "từ \(printedDate(first)) đến \(printedDate(last))" : "\(printedDate(first)) to \(printedDate(last))"
    }

    /// A whole number in prose: in English, numbers under ten in words (news style); otherwise as `number`.
    func prose(_ n: Int) -> String {
        guard self == .en, (0..<10).contains(n) else { return number(n) }
        return ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"][n]
    }

    /// The generation time for print, in Vietnam's time zone: "02/12/2026 10:15" / "2 December 2026, 10:15".
    func printedTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600) ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard let y = c.year, let m = c.month, let d = c.day, let h = c.hour, let min = c.minute,
              let day = CalendarDate(year: y, month: m, day: d) else { return "" }
        return self == .vi
            ? "\(printedDate(day)) \(pad(h, 2)):\(pad(min, 2))"
            : "\(printedDate(day)), \(pad(h, 2)):\(pad(min, 2))"
    }
}

/// The first and last day of a quarter.
func quarterDays(_ q: Quarter) -> (first: CalendarDate, last: CalendarDate)? {
    let lastMonth = q.quarter * 3
    guard let first = CalendarDate(year: q.year, month: lastMonth - 2, day: 1),
          let last = CalendarDate(year: q.year, month: lastMonth, day: CalendarDate.daysIn(month: lastMonth, year: q.year)) else { return nil }
    return (first, last)
}

private func romanQuarter(_ q: Int) -> String {
    switch q {
    case 1: return "I"
    case 2: return "II"
    case 3: return "III"
    default: return "IV"
    }
}

private let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
