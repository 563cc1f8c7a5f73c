// Free-text rows (districts, countries): spellings that fold alike are one row, named by the most frequent
// spelling (the first in code order on a tie); empty and "unknown" are the `unknown` row, listed last.

import Testing
@testable import TechSurvey

@Suite struct FreeTextGroupsTests {
    @Test(arguments: [
        (["Lê Chân", "LÊ CHÂN", "Le Chan", "LÊ CHÂN"], ["LÊ CHÂN"]),
        (["Le Chan", "Lê Chân"], ["Le Chan"]),
        (["", "unknown", "UNKNOWN", "Kiến An"], ["Kiến An", "unknown"]),
        (["Ngô Quyền", "An Dương", " Hồng Bàng"], ["An Dương", " Hồng Bàng", "Ngô Quyền"]),
    ])
    func spellingsAreOneRowNamedByTheMostFrequent(_ values: [String], labels: [String]) {
        let groups = FreeTextGroups(values)
        #expect(groups.orderedLabels == labels)
        #expect(values.allSatisfy { labels.contains(groups.label(for: $0)) })
    }
}
