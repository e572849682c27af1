import Foundation
import TestSupport
import Testing

@testable import Reports

/// The printable HTML report: escaping, the SVG charts, and the page as a real browser
/// (Debian's headless Chromium) builds and draws it.
@Suite struct HTMLReportTests {
    /// A report whose strings came from the network: a host name that is a script, a title with
    /// quotes and a control character, a department name with an ampersand.
    static func hostile() -> ReportDocument {
        ReportDocument(
            title: "软件正版化工作报告 <b>", subtitle: "范围：全校", language: .zh,
            sections: [
                ReportSection(
                    title: "软件正版化情况",
                    lines: ["正版率 <i>95%</i>"],
                    charts: [
                        ReportChart(
                            title: "各类软件正版率",
                            bars: [
                                ReportBar(label: "操作系统(PC)", value: 260, of: 280, target: 1),
                                ReportBar(label: "办公软件", value: 140, of: 140, target: 1),
                                ReportBar(label: "<script>alert(1)</script>", value: 0, of: 0, target: 0.5),
                            ]),
                        ReportChart(
                            title: "设备",
                            bars: [ReportBar(label: "办公电脑", value: 40), ReportBar(label: "打印机", value: 10)]),
                    ],
                    tables: [
                        ReportSheet(
                            name: "未授权安装", header: ["主机名", "软件", "部门", "安装数", "正版率"],
                            rows: [
                                [
                                    .text("<script>document.title='pwned'</script>"),
                                    .text("Office \"Pro\" 'Plus'\u{7}"),
                                    .text("财务处 & 审计"), .int(3), .share(0.875),
                                ],
                                [.text("=cmd|' /C calc'!A0"), .empty, .text(""), .number(2.5), .share(1)],
                            ]),
                        ReportSheet(name: "空表", header: ["a"], rows: []),
                    ])
            ])
    }

    @Test func everyStringIsEscapedAndControlCharactersAreReplaced() {
        let page = HTMLReport.render(Self.hostile())
        #expect(!page.contains("<script"))
        #expect(!page.contains("<b>") && !page.contains("<i>"))
        #expect(page.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"))
        #expect(page.contains("Office &quot;Pro&quot; &#39;Plus&#39;\u{FFFD}"))
        #expect(page.contains("财务处 &amp; 审计"))
        #expect(page.contains("<td class=\"n\">87.5%</td>") && page.contains("<td class=\"n\">2.5</td>"))
        #expect(page.contains("<td class=\"none\" colspan=\"1\">无</td>"))
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(HTMLReport.escape("a\u{1B}[31mb\u{85}") == "a\u{FFFD}[31mb\u{FFFD}")
        // No script and nothing loaded from outside.
        #expect(!page.contains(" src=") && !page.contains(" href=\"http"))
        #expect(!page.contains("<link") && !page.contains("@import"))
    }

    @Test func shareBarsAreDrawnToScaleWithTheirTarget() {
        let chart = ReportChart(
            title: "t",
            bars: [
                ReportBar(label: "half", value: 1, of: 2, target: 0.6),
                ReportBar(label: "all", value: 5, of: 5, target: 1),
                ReportBar(label: "none", value: 0, of: 0),
            ])
        let svg = SVGChart.bars(chart)
        // Track 380 wide from x=230: half → 190, all → 380; below target red, met green.
        #expect(svg.contains("<rect x=\"230.0\" y=\"32.0\" width=\"190.0\" height=\"16.0\" fill=\"#c62828\"/>"))
        #expect(svg.contains("<rect x=\"230.0\" y=\"56.0\" width=\"380.0\" height=\"16.0\" fill=\"#2e7d32\"/>"))
        #expect(svg.contains("<rect x=\"230.0\" y=\"80.0\" width=\"0.0\" height=\"16.0\" fill=\"#1565c0\"/>"))
        // The target mark at 60 %: 230 + 228.
        #expect(svg.contains("x1=\"458.0\""))
        #expect(svg.contains(">50.0% (1/2)<") && svg.contains(">100.0% (5/5)<") && svg.contains(">0.0% (0/0)<"))
        // Count bars scale to the largest.
        let counts = SVGChart.bars(
            ReportChart(title: "c", bars: [ReportBar(label: "a", value: 40), ReportBar(label: "b", value: 10)]))
        #expect(counts.contains("width=\"380.0\"") && counts.contains("width=\"95.0\""))
    }

    @Test func longTablesAreCutOnThePageAndSaySo() {
        let rows = (0..<(HTMLReport.maxRows + 5)).map { [ReportCell.int($0)] }
        let doc = ReportDocument(
            title: "t", subtitle: "s", language: .en,
            sections: [ReportSection(title: "x", tables: [ReportSheet(name: "n", header: ["h"], rows: rows)])])
        let page = HTMLReport.render(doc)
        #expect(page.components(separatedBy: "<tr>").count - 1 == HTMLReport.maxRows + 1)
        #expect(page.contains("5 more rows in the workbook and the CSV."))
        #expect(doc.sheets.first?.rows.count == HTMLReport.maxRows + 5)
    }

    /// The page in a real browser: Chromium parses it into a DOM with no script element (the
    /// hostile host name stays text), draws the SVG charts, and the Chinese text is in it.
    @Test func chromiumBuildsThePageWithoutScriptsAndDrawsIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("al-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("report.html").path
        try Data(HTMLReport.render(Self.hostile()).utf8).write(to: URL(fileURLWithPath: file))
        let dom = try Programs.Chromium.dumpDOM(file)
        #expect(dom.contains("<title>软件正版化工作报告 &lt;b&gt;</title>"))
        #expect(!dom.contains("<script"))
        #expect(!dom.contains("pwned</title>"))
        #expect(dom.components(separatedBy: "<svg").count - 1 == 2)
        #expect(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"))
        let png = dir.appendingPathComponent("report.png").path
        try Programs.Chromium.screenshot(file, to: png, width: 900, height: 900)
        let image = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        // A drawn page, not a blank one: a blank 900×900 PNG compresses to a few hundred bytes.
        #expect(image.count > 20_000)
    }
}
