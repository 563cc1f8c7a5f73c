// The report's SVG charts: found vs proposed per field, the quarterly trend, and activities per year.
// Plain SVG 1.1 with escaped text, so any browser renders it and any XML parser reads it.

/// One chart: its file name under charts/ and its SVG text.
struct Chart {
    let name: String
    let title: String
    let svg: String
}

/// A series of bars or points with its legend label and colour.
struct ChartSeries {
    let label: String
    let colour: String
    let values: [Int]
}

func reportCharts(_ a: Aggregates, language: Language) -> [Chart] {
    let vi = language == .vi
    let fieldRows = a.byField.rows.filter { !$0.isTotal }
    let fieldLabels = fieldRows.compactMap { $0.keys.last.flatMap(Field.init(rawValue:)).map(language.field) }
    let found = vi ? "Công nghệ tìm kiếm" : "Technologies found"
    let proposed = vi ? "Công nghệ đề xuất" : "Technologies proposed"
    var charts: [Chart] = []

    let fieldTitle = vi ? "Công nghệ tìm kiếm và đề xuất theo lĩnh vực" : "Technologies found and proposed by field"
    charts.append(Chart(name: "by_field", title: fieldTitle, svg: barChart(
        title: fieldTitle, categories: fieldLabels,
        series: [
            ChartSeries(label: found, colour: "#1f77b4", values: fieldRows.map(\.measures.technologiesFound)),
            ChartSeries(label: proposed, colour: "#ff7f0e", values: fieldRows.map(\.measures.technologiesProposed)),
        ], language: language)))

    let quarterTotals = a.byPeriod.rows.filter(\.isTotal)
    let trendTitle = vi ? "Xu hướng theo quý" : "Trend by quarter"
    charts.append(Chart(name: "trend_by_quarter", title: trendTitle, svg: lineChart(
        title: trendTitle, categories: quarterTotals.compactMap { $0.keys.first.map { language.keyLabel($0, column: "period") } },
        series: [
            ChartSeries(label: found, colour: "#1f77b4", values: quarterTotals.map(\.measures.technologiesFound)),
            ChartSeries(label: proposed, colour: "#ff7f0e", values: quarterTotals.map(\.measures.technologiesProposed)),
        ], language: language)))

    var perYear: [String: Int] = [:]
    for row in a.activitiesByKind.rows where !row.isTotal {
        let year = row.keys[row.keys.count - 1]
        perYear[year] = (perYear[year] ?? 0).addingReportingOverflow(row.measures.activities).partialValue
    }
    let years = perYear.keys.sorted()
    let activitiesTitle = vi ? "Hoạt động hợp tác theo năm" : "Programme activities by year"
    charts.append(Chart(name: "activities_by_year", title: activitiesTitle, svg: barChart(
        title: activitiesTitle, categories: years,
        series: [ChartSeries(label: vi ? "Số hoạt động" : "Activities", colour: "#2ca02c", values: years.map { perYear[$0] ?? 0 })],
        language: language)))
    return charts
}

private let width = 760.0, height = 380.0
private let left = 60.0, right = 20.0, top = 64.0, bottom = 100.0

private func svgDocument(title: String, body: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Arial, Helvetica, sans-serif" font-size="12">
    <title>\(xmlEscape(title))</title>
    <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#ffffff"/>
    <text x="\(Int(width / 2))" y="24" text-anchor="middle" font-size="16" font-weight="bold">\(xmlEscape(title))</text>
    \(body)</svg>

    """
}

/// A round axis maximum and a tick step of 1, 2 or 5 × 10ⁿ giving at most five intervals. Division only, so
/// a maximum near Int.max cannot overflow.
private func axis(_ maximum: Int) -> (top: Int, step: Int) {
    guard maximum > 0 else { return (5, 1) }
    var magnitude = 1
    while magnitude <= Int.max / 100 {
        for m in [1, 2, 5] {
            let step = m * magnitude
            let ticks = maximum / step + (maximum % step == 0 ? 0 : 1)
            if ticks <= 5 { return (ticks * step, step) }
        }
        magnitude *= 10
    }
    return (maximum, maximum)
}

private func frame(_ maxValue: Int, _ language: Language) -> (String, (Int) -> Double) {
    let (axisTop, step) = axis(maxValue)
    let plotHeight = height - top - bottom
    let y = { (v: Int) -> Double in top + plotHeight - Double(v) / Double(axisTop) * plotHeight }
    var out = ""
    for tick in stride(from: 0, through: axisTop, by: step) {
        out += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y(tick)))\" x2=\"\(fmt(width - right))\" y2=\"\(fmt(y(tick)))\" stroke=\"#dddddd\"/>\n"
        out += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(y(tick) + 4))\" text-anchor=\"end\">\(xmlEscape(language.number(tick)))</text>\n"
    }
    out += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y(0)))\" x2=\"\(fmt(width - right))\" y2=\"\(fmt(y(0)))\" stroke=\"#333333\"/>\n"
    return (out, y)
}

private func legend(_ series: [ChartSeries]) -> String {
    var out = ""
    for (i, s) in series.enumerated() {
        let x = left + Double(i) * 220
        out += "<rect x=\"\(fmt(x))\" y=\"36\" width=\"12\" height=\"12\" fill=\"\(s.colour)\"/>\n"
        out += "<text x=\"\(fmt(x + 18))\" y=\"46\">\(xmlEscape(s.label))</text>\n"
    }
    return out
}

private func categoryLabel(_ text: String, x: Double, y: Double, rotate: Bool) -> String {
    rotate
        ? "<text x=\"\(fmt(x))\" y=\"\(fmt(y))\" text-anchor=\"end\" transform=\"rotate(-35 \(fmt(x)) \(fmt(y)))\">\(xmlEscape(text))</text>\n"
        : "<text x=\"\(fmt(x))\" y=\"\(fmt(y))\" text-anchor=\"middle\">\(xmlEscape(text))</text>\n"
}

func barChart(title: String, categories: [String], series: [ChartSeries], language: Language) -> String {
    let maxValue = series.flatMap(\.values).max() ?? 0
    var (body, y) = frame(maxValue, language)
    let slot = (width - left - right) / Double(max(1, categories.count))
    let barWidth = min(40, slot * 0.8 / Double(max(1, series.count)))
    let rotate = categories.contains { $0.count > 12 } || categories.count > 8
    for (c, category) in categories.enumerated() {
        let groupStart = left + slot * Double(c) + (slot - barWidth * Double(series.count)) / 2
        for (s, serie) in series.enumerated() where c < serie.values.count {
            let value = serie.values[c]
            let x = groupStart + barWidth * Double(s)
            body += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y(value)))\" width=\"\(fmt(barWidth - 2))\" height=\"\(fmt(y(0) - y(value)))\" fill=\"\(serie.colour)\"><title>\(xmlEscape(category)): \(xmlEscape(language.number(value)))</title></rect>\n"
            body += "<text x=\"\(fmt(x + (barWidth - 2) / 2))\" y=\"\(fmt(y(value) - 3))\" text-anchor=\"middle\" font-size=\"10\">\(xmlEscape(language.number(value)))</text>\n"
        }
        body += categoryLabel(category, x: left + slot * (Double(c) + 0.5), y: y(0) + 16, rotate: rotate)
    }
    return svgDocument(title: title, body: body + legend(series))
}

func lineChart(title: String, categories: [String], series: [ChartSeries], language: Language) -> String {
    let maxValue = series.flatMap(\.values).max() ?? 0
    var (body, y) = frame(maxValue, language)
    let slot = (width - left - right) / Double(max(1, categories.count))
    let x = { (i: Int) in left + slot * (Double(i) + 0.5) }
    for serie in series where !serie.values.isEmpty {
        let points = serie.values.enumerated().map { "\(fmt(x($0.offset))),\(fmt(y($0.element)))" }.joined(separator: " ")
        body += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(serie.colour)\" stroke-width=\"2\"/>\n"
        for (i, v) in serie.values.enumerated() {
            body += "<circle cx=\"\(fmt(x(i)))\" cy=\"\(fmt(y(v)))\" r=\"3\" fill=\"\(serie.colour)\"><title>\(xmlEscape(i < categories.count ? categories[i] : "")): \(xmlEscape(language.number(v)))</title></circle>\n"
        }
    }
    let every = max(1, categories.count / 16)
    for (i, category) in categories.enumerated() where i % every == 0 {
        body += categoryLabel(category, x: x(i), y: y(0) + 16, rotate: categories.count > 8)
    }
    return svgDocument(title: title, body: body + legend(series))
}

/// Escapes text for XML content and attributes. Control characters (SPEC §4) go first, as in every other
/// medium — line ends and TABs become spaces, since a chart label is one line — and with them every
/// character XML 1.0 forbids; the noncharacters U+FFFE and U+FFFF go too.
func xmlEscape(_ text: String) -> String {
    var out = ""
    for scalar in ControlCharacters.removed(text, keepingLayout: false).unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\u{FFFE}", "\u{FFFF}": continue
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

private func fmt(_ v: Double) -> String {
    // Coordinates lie on the canvas; clamping keeps the Int conversion total for any value a table holds.
    let rounded = (min(max(v.isFinite ? v : 0, -1e9), 1e9) * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}
