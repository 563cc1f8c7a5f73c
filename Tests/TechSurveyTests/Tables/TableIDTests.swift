// The tables of the spec (SPEC §4.1): each one's CSV header is its key columns then its measures, as the
// spec writes them, and every table the report publishes is traceable but the comparison.

import Testing
@testable import TechSurvey

@Suite struct TableIDTests {
    @Test(arguments: [
        (TableID.byField, "field,unit_visits,distinct_units,technologies_found,technologies_proposed,proposal_rate_pct,share_of_found_pct"),
        (.byPeriod, "period,field,unit_visits,distinct_units,technologies_found,technologies_proposed,proposal_rate_pct,share_of_found_pct"),
        (.byUnitType, "unit_type,unit_visits,distinct_units,technologies_found,technologies_proposed,proposal_rate_pct,share_of_found_pct"),
        (.byDistrict, "district,unit_visits,distinct_units,technologies_found,technologies_proposed,proposal_rate_pct,share_of_found_pct"),
        (.activitiesByKind, "kind,year,activities,businesses,visitors,connections,budget_million_vnd"),
        (.activitiesByCountry, "partner_country,activities,businesses,visitors,connections,budget_million_vnd"),
    ])
    func theHeaderIsTheSpecs(_ table: TableID, header: String) {
        #expect((table.keyColumns + table.measures.map(\.rawValue)).joined(separator: ",") == header)
    }

    @Test func everyTableButTheComparisonIsTraceable() {
        #expect(TableID.traceable.map(\.rawValue) == ["by_field", "by_period", "by_unit_type", "by_district", "activities_by_kind", "activities_by_country"])
        #expect(TableID.comparison.measures.isEmpty)
    }
}
