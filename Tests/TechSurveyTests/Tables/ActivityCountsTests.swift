// The activity tables' rows (SPEC §4.1): by kind and year with a total per kind and a grand total, by the
// partner country's group with a total; what rows an activity counts in, as trace lists them.

import Testing
@testable import TechSurvey

@Suite struct ActivityCountsTests {
    static func activity(_ kind: ActivityKind, _ day: String, country: String = "", visitors: Int = 0) -> ActivityRecord {
        ActivityRecord(source: SourceRef(file: "a.csv", row: 2, line: 2), activityID: "", date: CalendarDate(parsing: day) ?? CalendarDate.packingFallback,
                       kind: kind, title: "t", partner: "", partnerCountry: country, field: nil, businesses: 0, visitors: visitors, connections: 0,
                       budget: Budget.zero)
    }

    @Test func kindRowsAreYearsThenTheKindsTotalThenTheGrandTotal() throws {
        let activities = [Self.activity(.training, "2015-02-01", visitors: 5), Self.activity(.exhibition, "2015-01-01", visitors: 700),
                          Self.activity(.training, "2014-02-01", visitors: 3), Self.activity(.exhibition, "2013-01-01", visitors: 1)]
        let table = try ActivityCounts(activities, period: .all).table(.activitiesByKind)
        #expect(table.keyColumns == ["kind", "year"])
        #expect(table.rows.map(\.keys) == [["exhibition", "2013"], ["exhibition", "2015"], ["exhibition", "total"],
                                           ["training", "2014"], ["training", "2015"], ["training", "total"], ["total", "total"]])
        #expect(table.rows.map(\.measures.visitors) == [1, 700, 701, 3, 5, 8, 709])
        #expect(table.rows.map(\.isTotal) == [false, false, true, false, false, true, true])
    }

    @Test func aCountryNamedTotalIsNotTheTotalRow() throws {
        let activities = [Self.activity(.delegation, "2015-02-01", country: "total", visitors: 2), Self.activity(.delegation, "2015-03-01", country: "Nhật Bản", visitors: 3),
                          Self.activity(.delegation, "2015-04-01", country: "NHẬT BẢN", visitors: 4), Self.activity(.delegation, "2016-04-01", country: "Hàn Quốc", visitors: 9)]
        let counts = try ActivityCounts(activities, period: try Period(parsing: "2015"))
        let table = try counts.table(.activitiesByCountry)
        // One record each: the tie goes to the first spelling in code order.
        #expect(table.rows.map(\.keys) == [["NHẬT BẢN"], ["total"], ["total"]])
        #expect(table.rows.map(\.measures.visitors) == [7, 2, 9] && table.rows.map(\.isTotal) == [false, false, true])
        #expect(counts.outOfPeriod == 1 && counts.read == 4)
        let rows = ActivityCounts.rows(of: activities[0], in: .activitiesByCountry, countries: counts.countries)
        #expect(rows == [ActivityRowKey(keys: ["total"], isTotal: false), ActivityRowKey(keys: ["total"], isTotal: true)])
    }
}
