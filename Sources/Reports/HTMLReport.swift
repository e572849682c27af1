import Foundation

/// A report as one printable HTML page: no script, no external resource, the charts drawn as
/// inline SVG here on the server. Every string is escaped (`escape`): host names, titles and
/// department names come from the network and from users' machines.
public enum HTMLReport {
    /// Rows of one table shown on the page; the rest are in the workbook and CSV (said under
    /// the table), so a campus-wide list stays printable.
    public static let maxRows = 1000

    public static func render(_ doc: ReportDocument) -> String {
        let lang = doc.language
        var out = """
            <!DOCTYPE html>
            <html lang="\(lang == .zh ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(doc.title))</title>
            <style>\(style)</style>
            </head>
            <body>
            <header><h1>\(escape(doc.title))</h1><p class="subtitle">\(escape(doc.subtitle))</p></header>

            """
        if doc.sections.count > 1 {
            out += "<nav><ol>"
            for (n, s) in doc.sections.enumerated() { out += "<li><a href=\"#s\(n + 1)\">\(escape(s.title))</a></li>" }
            out += "</ol></nav>\n"
        }
        for (n, section) in doc.sections.enumerated() {
            out += "<section id=\"s\(n + 1)\">\n<h2>\(n + 1). \(escape(section.title))</h2>\n"
            for line in section.lines { out += "<p>\(escape(line))</p>\n" }
            for chart in section.charts where !chart.bars.isEmpty { out += SVGChart.bars(chart) + "\n" }
            for table in section.tables { out += self.table(table, lang) }
            out += "</section>\n"
        }
        out += "</body>\n</html>\n"
        return out
    }

    static func table(_ sheet: ReportSheet, _ lang: ReportLanguage) -> String {
        var out = "<table>\n<caption>\(escape(sheet.name))</caption>\n<thead><tr>"
        for h in sheet.header { out += "<th>\(escape(h))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        if sheet.rows.isEmpty {
            out +=
                "<tr><td class=\"none\" colspan=\"\(max(sheet.header.count, 1))\">\(lang.pick("无", "none"))</td></tr>\n"
        }
        for row in sheet.rows.prefix(maxRows) {
            out += "<tr>"
            for cell in row {
                switch cell {
                case .text(let s): out += "<td>\(escape(s))</td>"
                case .number, .share: out += "<td class=\"n\">\(escape(text(cell)))</td>"
                case .empty: out += "<td></td>"
                }
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if sheet.rows.count > maxRows {
            out +=
                "<p class=\"more\">"
                + escape(
                    lang.pick(
                        "另有 \(sheet.rows.count - maxRows) 行，见工作簿或 CSV。",
                        "\(sheet.rows.count - maxRows) more rows in the workbook and the CSV."))
                + "</p>\n"
        }
        return out
    }

    /// A cell as text: whole numbers without decimals, shares as percentages with one decimal.
    public static func text(_ cell: ReportCell) -> String {
        switch cell {
        case .text(let s): s
        case .number(let v): v.isFinite && v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .share(let v): percent(v)
        case .empty: ""
        }
    }

    /// `0.875` → `87.5%`.
    public static func percent(_ share: Double) -> String {
        guard share.isFinite else { return "–" }
        return String(format: "%.1f%%", share * 100)
    }

    /// Text for HTML element content and attribute values (quotes included). Control
    /// characters other than tab and line ends, which no page should show, become U+FFFD.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static let style = """
        body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei",sans-serif;\
        margin:24px auto;padding:0 20px;max-width:1100px;color:#1a1a1a;font-size:14px;line-height:1.5}\
        h1{font-size:24px;margin:0}.subtitle{color:#555;margin:4px 0 16px}\
        h2{font-size:18px;border-bottom:2px solid #1565c0;padding-bottom:4px;margin-top:28px}\
        nav ol{columns:2;margin:0 0 8px;padding-left:20px}nav a{color:#1565c0;text-decoration:none}\
        table{border-collapse:collapse;margin:8px 0 16px;width:100%}\
        caption{text-align:left;font-weight:bold;padding:4px 0}\
        th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top;word-break:break-word}\
        th{background:#e8eef7}td.n{text-align:right;font-variant-numeric:tabular-nums}\
        td.none{color:#777;text-align:center}.more{color:#555;font-style:italic}\
        svg{display:block;margin:8px 0;max-width:100%}\
        @page{size:A4;margin:14mm}\
        @media print{body{margin:0;max-width:none;font-size:11px}nav{display:none}\
        thead{display:table-header-group}tr,svg{break-inside:avoid}h2{break-after:avoid}}
        """
}

/// Charts as inline SVG: horizontal bars, a label on the left, the value on the right; a
/// share bar on a 0–100 % track with its target marked.
public enum SVGChart {
    static let width = 720.0
    static let labelWidth = 230.0
    static let barWidth = 380.0
    static let rowHeight = 24.0

    public static func bars(_ chart: ReportChart) -> String {
        let top = 28.0
        let height = top + Double(chart.bars.count) * rowHeight + 8
        let largest = chart.bars.map { $0.share == nil ? $0.value : 0 }.max() ?? 0
        let e = HTMLReport.escape
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(Int(width))\" "
            + "height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
            + "aria-label=\"\(e(chart.title))\">"
            + "<text x=\"0\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(e(chart.title))</text>"
        for (n, bar) in chart.bars.enumerated() {
            let y = top + Double(n) * rowHeight
            let fraction: Double
            let value: String
            let color: String
            if let share = bar.share {
                fraction = share
                value = HTMLReport.percent(share) + " (\(count(bar.value))/\(count(bar.of ?? 0)))"
                color = bar.target.map { share >= $0 ? "#2e7d32" : "#c62828" } ?? "#1565c0"
                out += rect(labelWidth, y + 4, barWidth, rowHeight - 8, "#e0e0e0")
            } else {
                fraction = largest > 0 ? max(bar.value, 0) / largest : 0
                value = count(bar.value)
                color = "#1565c0"
            }
            out +=
                "<text x=\"\(labelWidth - 8)\" y=\"\(fmt(y + rowHeight / 2 + 5))\" font-size=\"12\" "
                + "text-anchor=\"end\">\(e(clipped(bar.label)))</text>"
            out += rect(labelWidth, y + 4, max(barWidth * fraction, fraction > 0 ? 1 : 0), rowHeight - 8, color)
            if let target = bar.target, bar.share != nil {
                let x = labelWidth + barWidth * min(max(target, 0), 1)
                out +=
                    "<line x1=\"\(fmt(x))\" y1=\"\(fmt(y + 1))\" x2=\"\(fmt(x))\" y2=\"\(fmt(y + rowHeight - 1))\" "
                    + "stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"3,2\"/>"
            }
            out +=
                "<text x=\"\(labelWidth + barWidth + 8)\" y=\"\(fmt(y + rowHeight / 2 + 5))\" "
                + "font-size=\"12\">\(e(value))</text>"
        }
        return out + "</svg>"
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ fill: String) -> String {
        "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(w))\" height=\"\(fmt(h))\" fill=\"\(fill)\"/>"
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    static func count(_ v: Double) -> String { HTMLReport.text(.number(v)) }

    /// Long labels are cut for the chart (the table below has them whole).
    static func clipped(_ s: String) -> String { s.count > 28 ? String(s.prefix(27)) + "…" : s }
}
