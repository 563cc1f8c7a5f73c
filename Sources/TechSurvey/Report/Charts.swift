// The report's SVG charts (SPEC §4.5): found vs proposed per field (horizontal bars: the field names are
// long), the quarterly trend (the period's quarters against up to eight before them), the period against
// the previous period and a year earlier, and programme activities. Each carries a title with the period,
// axis titles with the unit, and says "Không có dữ liệu" / "No data" when it has nothing to draw.
// Plain SVG 1.1 with escaped text and a font list that carries Vietnamese, so rsvg-convert, browsers and
// XML parsers all read it. Layout sizes come from the longest label, so no label is cut.

/// One chart: its file name under charts/, its title (with the period) and its SVG text.
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

private let blue = "#1f77b4", orange = "#ff7f0e", green = "#2ca02c", grey = "#7f7f7f"

func reportCharts(_ a: Aggregates, language: Language) -> [Chart] {
    let vi = language == .vi
    let period = language.periodName(a.period) ?? describePeriod(a, language)
    let fieldRows = a.byField.rows.filter { !$0.isTotal }
    let fieldLabels = fieldRows.compactMap { $0.keys.last.flatMap(Field.init(rawValue:)).map(language.field) }
    let found = vi ? "Công nghệ tìm kiếm" : "Technologies found"
    let proposed = vi ? "Công nghệ đề xuất" : "Technologies proposed"
    let technologies = vi ? "Số công nghệ/tiến bộ kỹ thuật" : "Number of technologies"
    var charts: [Chart] = []

    let fieldTitle = vi ? "Công nghệ tìm kiếm và đề xuất theo lĩnh vực" : "Technologies found and proposed by field"
    charts.append(Chart(name: "by_field", title: "\(fieldTitle), \(period)", svg: horizontalBarChart(
        title: fieldTitle, subtitle: period, categories: fieldLabels,
        series: [
            ChartSeries(label: found, colour: blue, values: fieldRows.map(\.measures.technologiesFound)),
            ChartSeries(label: proposed, colour: orange, values: fieldRows.map(\.measures.technologiesProposed)),
        ], valueAxis: technologies, categoryAxis: vi ? "Lĩnh vực" : "Field", language: language)))

    // The trend: every quarter of the data for all data; for a period, its quarters and up to eight before.
    let trendTitle = vi ? "Xu hướng theo quý" : "Trend by quarter"
    // "and the quarters before" only when there are some: the first quarter of the data has none.
    let hasEarlierQuarters = a.period.first.map { first in a.trend.contains { $0.quarter < first } } ?? false
    let highlighted = a.trend.map { point -> Bool in
        guard let first = a.period.first else { return false }
        return first <= point.quarter
    }
    charts.append(Chart(name: "trend_by_quarter", title: "\(trendTitle), \(period)", svg: lineChart(
        title: trendTitle, subtitle: hasEarlierQuarters ? (vi ? "\(period) và các quý trước" : "\(period) and the quarters before") : period,
        categories: a.trend.map { quarterLines($0.quarter, language) }, highlighted: highlighted,
        series: [
            ChartSeries(label: found, colour: blue, values: a.trend.map(\.measures.technologiesFound)),
            ChartSeries(label: proposed, colour: orange, values: a.trend.map(\.measures.technologiesProposed)),
        ], valueAxis: technologies, categoryAxis: vi ? "Quý" : "Quarter", language: language)))

    // The period against the previous period and a year earlier, when those have data.
    let compared = printedComparisons(a)
    if !compared.isEmpty, let total = a.byField.rows.last {
        let title = vi ? "So sánh với các kỳ trước" : "Change against earlier periods"
        var series = [ChartSeries(label: sentence(period), colour: blue, values: comparedMeasures.map { $0.value(total.measures) })]
        for (c, colour) in zip(compared, [grey, green]) {
            guard let then = c.byField.rows.last else { continue }
            let name = language.periodName(c.period) ?? c.period.text
            series.append(ChartSeries(label: "\(sentence(comparisonName(c, current: a.period, language))) (\(name))", colour: colour, values: comparedMeasures.map { $0.value(then.measures) }))
        }
        charts.append(Chart(name: "comparison", title: "\(title), \(period)", svg: verticalBarChart(
            title: title, subtitle: period, categories: comparedMeasures.map { [language.heading($0.rawValue)] }, series: series,
            valueAxis: vi ? "Số lượt đơn vị, số công nghệ" : "Unit-visits, technologies", categoryAxis: vi ? "Chỉ tiêu" : "Measure", language: language)))
    }

    // Activities per year; a period inside one year is one bar named by the period, not by its year.
    var perYear: [String: Int] = [:]
    for row in a.activitiesByKind.rows where !row.isTotal {
        perYear[row.keys[row.keys.count - 1], default: 0] += row.measures.activities
    }
    let years = perYear.keys.sorted()
    let wholeYears = a.period.isAll || (a.period.first?.quarter == 1 && a.period.last?.quarter == 4)
    let activitiesTitle = vi ? "Hoạt động hợp tác theo năm" : "Programme activities by year"
    charts.append(Chart(name: "activities_by_year", title: "\(activitiesTitle), \(period)", svg: verticalBarChart(
        title: activitiesTitle, subtitle: period,
        categories: years.map { wholeYears || years.count > 1 ? [$0] : [sentence(period)] },
        series: [ChartSeries(label: vi ? "Số hoạt động" : "Activities", colour: green, values: years.map { perYear[$0] ?? 0 })],
        valueAxis: vi ? "Số hoạt động" : "Number of activities",
        categoryAxis: wholeYears || years.count > 1 ? (vi ? "Năm" : "Year") : (vi ? "Kỳ báo cáo" : "Period"), language: language)))
    return charts
}

/// A quarter's axis label on two lines ("Quý II", "2015"), so twelve quarters fit without rotating.
private func quarterLines(_ q: Quarter, _ language: Language) -> [String] {
    let roman = ["I", "II", "III", "IV"][max(0, min(3, q.quarter - 1))]
    return language == .vi ? ["Quý \(roman)", String(q.year)] : ["Q\(q.quarter)", String(q.year)]
}

// MARK: - Layout

private let width = 800.0
private let fontFamily = "DejaVu Sans, Liberation Sans, Noto Sans, Arial, Helvetica, sans-serif"

/// A generous estimate of a text's width in DejaVu Sans (the widest of the fonts listed), so a label
/// never overruns the room made for it.
private func textWidth(_ text: String, size: Double) -> Double {
    Double(MarkdownTable.displayWidth(text)) * size * 0.64
}

private struct Frame {
    let left: Double, top: Double, right: Double, bottom: Double
    var plotWidth: Double { right - left }
    var plotHeight: Double { bottom - top }
}

private func svgDocument(title: String, subtitle: String, height: Double, body: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="\(fontFamily)" font-size="12">
    <title>\(xmlEscape(title + ", " + subtitle))</title>
    <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#ffffff"/>
    <text x="\(Int(width / 2))" y="26" text-anchor="middle" font-size="17" font-weight="bold">\(xmlEscape(title))</text>
    <text x="\(Int(width / 2))" y="46" text-anchor="middle" font-size="13" fill="#333333">\(xmlEscape(subtitle))</text>
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

/// The legend, one row under the subtitle, items spaced by their own widths; returns its SVG.
private func legend(_ series: [ChartSeries], y: Double) -> String {
    let widths = series.map { 18 + textWidth($0.label, size: 12) + 24 }
    var x = max(10, (width - widths.reduce(0, +)) / 2)
    var out = ""
    for (s, w) in zip(series, widths) {
        out += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y - 10))\" width=\"12\" height=\"12\" fill=\"\(s.colour)\"/>\n"
        out += "<text x=\"\(fmt(x + 18))\" y=\"\(fmt(y))\">\(xmlEscape(s.label))</text>\n"
        x += w
    }
    return out
}

private func noData(_ language: Language, x: Double, y: Double) -> String {
    "<text x=\"\(fmt(x))\" y=\"\(fmt(y))\" text-anchor=\"middle\" font-size=\"16\" fill=\"#666666\">\(language == .vi ? "Không có dữ liệu" : "No data")</text>\n"
}

private func axisTitles(value: String, category: String, frame f: Frame, horizontal: Bool, height: Double) -> String {
    let (x, y) = horizontal ? (value, category) : (category, value)
    return "<text x=\"\(fmt(f.left + f.plotWidth / 2))\" y=\"\(fmt(height - 12))\" text-anchor=\"middle\" font-weight=\"bold\">\(xmlEscape(x))</text>\n"
        + "<text x=\"18\" y=\"\(fmt(f.top + f.plotHeight / 2))\" text-anchor=\"middle\" font-weight=\"bold\" transform=\"rotate(-90 18 \(fmt(f.top + f.plotHeight / 2)))\">\(xmlEscape(y))</text>\n"
}

/// Grid lines and tick labels along the value axis (vertical for column and line charts).
private func valueTicksVertical(_ f: Frame, _ axisTop: Int, _ step: Int, _ language: Language) -> (String, (Int) -> Double) {
    let y = { (v: Int) -> Double in f.bottom - Double(v) / Double(axisTop) * f.plotHeight }
    var out = ""
    for tick in stride(from: 0, through: axisTop, by: step) {
        out += "<line x1=\"\(fmt(f.left))\" y1=\"\(fmt(y(tick)))\" x2=\"\(fmt(f.right))\" y2=\"\(fmt(y(tick)))\" stroke=\"#dddddd\"/>\n"
        out += "<text x=\"\(fmt(f.left - 6))\" y=\"\(fmt(y(tick) + 4))\" text-anchor=\"end\">\(xmlEscape(language.number(tick)))</text>\n"
    }
    out += "<line x1=\"\(fmt(f.left))\" y1=\"\(fmt(f.bottom))\" x2=\"\(fmt(f.right))\" y2=\"\(fmt(f.bottom))\" stroke=\"#333333\"/>\n"
    out += "<line x1=\"\(fmt(f.left))\" y1=\"\(fmt(f.top))\" x2=\"\(fmt(f.left))\" y2=\"\(fmt(f.bottom))\" stroke=\"#333333\"/>\n"
    return (out, y)
}

/// Multi-line category labels centred under `x`.
private func categoryLabel(_ lines: [String], x: Double, y: Double, bold: Bool = false) -> String {
    var out = ""
    for (i, line) in lines.enumerated() {
        out += "<text x=\"\(fmt(x))\" y=\"\(fmt(y + Double(i) * 14))\" text-anchor=\"middle\"\(bold ? " font-weight=\"bold\"" : "")>\(xmlEscape(line))</text>\n"
    }
    return out
}

// MARK: - Chart kinds

/// Bars from a left axis of category names: the names get the room their longest one needs.
func horizontalBarChart(title: String, subtitle: String, categories: [String], series: [ChartSeries], valueAxis: String, categoryAxis: String, language: Language) -> String {
    let maxValue = series.flatMap(\.values).max() ?? 0
    let labelRoom = min(360, (categories.map { textWidth($0, size: 12) }.max() ?? 40) + 12)
    let barHeight = 14.0, gap = 14.0
    let groupHeight = barHeight * Double(max(1, series.count)) + gap
    let top = 84.0
    let plot = max(120, groupHeight * Double(max(1, categories.count)))
    let height = top + plot + 56
    let (axisTop, step) = axis(maxValue)
    // Room right of the longest bar for its value label.
    let valueRoom = textWidth(language.number(axisTop), size: 10) + 8
    let f = Frame(left: 36 + labelRoom, top: top, right: width - 20 - valueRoom, bottom: top + plot)
    var body = legend(series, y: 68)
    guard maxValue > 0 else {
        return svgDocument(title: title, subtitle: subtitle, height: height, body: body + noData(language, x: width / 2, y: top + plot / 2)
            + axisTitles(value: valueAxis, category: categoryAxis, frame: f, horizontal: true, height: height))
    }
    let x = { (v: Int) -> Double in f.left + Double(v) / Double(axisTop) * f.plotWidth }
    for tick in stride(from: 0, through: axisTop, by: step) {
        body += "<line x1=\"\(fmt(x(tick)))\" y1=\"\(fmt(f.top))\" x2=\"\(fmt(x(tick)))\" y2=\"\(fmt(f.bottom))\" stroke=\"#dddddd\"/>\n"
        body += "<text x=\"\(fmt(x(tick)))\" y=\"\(fmt(f.bottom + 16))\" text-anchor=\"middle\">\(xmlEscape(language.number(tick)))</text>\n"
    }
    body += "<line x1=\"\(fmt(f.left))\" y1=\"\(fmt(f.top))\" x2=\"\(fmt(f.left))\" y2=\"\(fmt(f.bottom))\" stroke=\"#333333\"/>\n"
    for (c, category) in categories.enumerated() {
        let groupTop = f.top + groupHeight * Double(c) + gap / 2
        body += "<text x=\"\(fmt(f.left - 8))\" y=\"\(fmt(groupTop + groupHeight / 2 - gap / 2 + 4))\" text-anchor=\"end\">\(xmlEscape(category))</text>\n"
        for (s, serie) in series.enumerated() where c < serie.values.count {
            let value = serie.values[c]
            let y = groupTop + barHeight * Double(s)
            body += "<rect x=\"\(fmt(f.left))\" y=\"\(fmt(y))\" width=\"\(fmt(x(value) - f.left))\" height=\"\(fmt(barHeight - 2))\" fill=\"\(serie.colour)\"><title>\(xmlEscape(category)): \(xmlEscape(language.number(value)))</title></rect>\n"
            body += "<text x=\"\(fmt(x(value) + 4))\" y=\"\(fmt(y + barHeight - 4))\" font-size=\"10\">\(xmlEscape(language.number(value)))</text>\n"
        }
    }
    body += axisTitles(value: valueAxis, category: categoryAxis, frame: f, horizontal: true, height: height)
    return svgDocument(title: title, subtitle: subtitle, height: height, body: body)
}

/// Columns over short category names (years, measures), each name on as many lines as it has.
func verticalBarChart(title: String, subtitle: String, categories: [[String]], series: [ChartSeries], valueAxis: String, categoryAxis: String, language: Language) -> String {
    let maxValue = series.flatMap(\.values).max() ?? 0
    let lines = Double(categories.map(\.count).max() ?? 1)
    let height = 400.0
    let top = 84.0
    let f = Frame(left: 84, top: top, right: width - 20, bottom: height - 40 - 14 * lines)
    var body = legend(series, y: 68)
    guard maxValue > 0, !categories.isEmpty else {
        return svgDocument(title: title, subtitle: subtitle, height: height, body: body + noData(language, x: width / 2, y: top + f.plotHeight / 2)
            + axisTitles(value: valueAxis, category: categoryAxis, frame: f, horizontal: false, height: height))
    }
    // One unit of headroom, so the value printed above the tallest column stays inside the plot.
    let (axisTop, step) = axis(maxValue == Int.max ? maxValue : maxValue + 1)
    let (ticks, y) = valueTicksVertical(f, axisTop, step, language)
    body += ticks
    let slot = f.plotWidth / Double(categories.count)
    let barWidth = min(56, slot * 0.8 / Double(max(1, series.count)))
    for (c, category) in categories.enumerated() {
        let groupStart = f.left + slot * Double(c) + (slot - barWidth * Double(series.count)) / 2
        for (s, serie) in series.enumerated() where c < serie.values.count {
            let value = serie.values[c]
            let x = groupStart + barWidth * Double(s)
            body += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y(value)))\" width=\"\(fmt(barWidth - 2))\" height=\"\(fmt(f.bottom - y(value)))\" fill=\"\(serie.colour)\"><title>\(xmlEscape(category.joined(separator: " "))): \(xmlEscape(language.number(value)))</title></rect>\n"
            body += "<text x=\"\(fmt(x + (barWidth - 2) / 2))\" y=\"\(fmt(y(value) - 4))\" text-anchor=\"middle\" font-size=\"10\">\(xmlEscape(language.number(value)))</text>\n"
        }
        body += categoryLabel(category, x: f.left + slot * (Double(c) + 0.5), y: f.bottom + 16)
    }
    body += axisTitles(value: valueAxis, category: categoryAxis, frame: f, horizontal: false, height: height)
    return svgDocument(title: title, subtitle: subtitle, height: height, body: body)
}

/// Points joined by lines; the period's own quarters are shaded and their labels bold.
func lineChart(title: String, subtitle: String, categories: [[String]], highlighted: [Bool], series: [ChartSeries], valueAxis: String, categoryAxis: String, language: Language) -> String {
    let maxValue = series.flatMap(\.values).max() ?? 0
    let height = 400.0
    let top = 84.0
    let f = Frame(left: 84, top: top, right: width - 20, bottom: height - 40 - 28)
    var body = legend(series, y: 68)
    guard maxValue > 0, !categories.isEmpty else {
        return svgDocument(title: title, subtitle: subtitle, height: height, body: body + noData(language, x: width / 2, y: top + f.plotHeight / 2)
            + axisTitles(value: valueAxis, category: categoryAxis, frame: f, horizontal: false, height: height))
    }
    let (axisTop, step) = axis(maxValue)
    let slot = f.plotWidth / Double(categories.count)
    let x = { (i: Int) in f.left + slot * (Double(i) + 0.5) }
    for (i, on) in highlighted.enumerated() where on {
        body += "<rect x=\"\(fmt(f.left + slot * Double(i)))\" y=\"\(fmt(f.top))\" width=\"\(fmt(slot))\" height=\"\(fmt(f.plotHeight))\" fill=\"#fff2cc\"/>\n"
    }
    let (ticks, y) = valueTicksVertical(f, axisTop, step, language)
    body += ticks
    for serie in series where !serie.values.isEmpty {
        let points = serie.values.enumerated().map { "\(fmt(x($0.offset))),\(fmt(y($0.element)))" }.joined(separator: " ")
        body += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(serie.colour)\" stroke-width=\"2\"/>\n"
        for (i, v) in serie.values.enumerated() {
            let label = i < categories.count ? categories[i].joined(separator: " ") : ""
            body += "<circle cx=\"\(fmt(x(i)))\" cy=\"\(fmt(y(v)))\" r=\"3.5\" fill=\"\(serie.colour)\"><title>\(xmlEscape(label)): \(xmlEscape(language.number(v)))</title></circle>\n"
        }
    }
    // Labels of every quarter while they fit (about 56 px each), else every second, third…
    let every = max(1, Int((56 / slot).rounded(.up)))
    for (i, category) in categories.enumerated() where (categories.count - 1 - i) % every == 0 {
        body += categoryLabel(category, x: x(i), y: f.bottom + 16, bold: i < highlighted.count && highlighted[i])
    }
    body += axisTitles(value: valueAxis, category: categoryAxis, frame: f, horizontal: false, height: height)
    return svgDocument(title: title, subtitle: subtitle, height: height, body: body)
}

/// Escapes text for XML content and attributes, dropping control characters (the one control filter)
/// and the noncharacters XML 1.0 forbids.
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

/// A coordinate with one decimal; clamped, so an absurd figure (a negative count from a damaged stage
/// file) draws off the canvas instead of trapping in the conversion.
private func fmt(_ v: Double) -> String {
    let clamped = v.isFinite ? min(max(v, -1e9), 1e9) : 0
    let rounded = (clamped * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}
