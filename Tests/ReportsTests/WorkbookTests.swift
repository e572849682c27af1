import Foundation
import TestSupport
import Testing

@testable import Reports

/// Workbooks written here, read back by an independent reader: Python's openpyxl.
@Suite struct WorkbookTests {
    /// The workbook read back by openpyxl.
    static func readBack(_ path: String) throws -> [String: Any] { try Programs.openpyxl(path) }

    @Test func aWorkbookReadsBackWithItsSheetsHeadersTextAndNumbers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("al-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("report.xlsx").path
        try Workbook.write(
            [
                ReportSheet(
                    name: "合规情况", header: ["类别", "软件", "部门", "安装数", "签署率"],
                    rows: [
                        [.text("操作系统(PC)"), .text("Microsoft Windows"), .text("财务处"), .int(42), .share(0.5)],
                        [.text("办公软件"), .text("=cmd|' /C calc'!A0"), .empty, .number(-3), .share(1)],
                        [.text("+1"), .text("@SUM(A1)"), .text("-2"), .int(0), .share(0)],
                    ]),
                ReportSheet(name: "设备明细", header: ["设备"], rows: [[.int(7)]]),
                // Excel refuses these characters in a sheet name, and duplicate names.
                ReportSheet(name: "设备明细", header: ["a/b"], rows: []),
            ], to: path)
        let back = try Self.readBack(path)
        #expect(back["sheets"] as? [String] == ["合规情况", "设备明细", "设备明细 (2)"])
        let cells = try #require((back["cells"] as? [String: Any])?["合规情况"] as? [[Any]])
        #expect(cells[0].compactMap { $0 as? String } == ["类别", "软件", "部门", "安装数", "签署率"])
        #expect(cells[1][2] as? String == "财务处")
        #expect(cells[1][3] as? Double == 42 || cells[1][3] as? Int == 42)
        #expect((cells[1][4] as? NSNumber)?.doubleValue == 0.5)
        // Text that looks like a formula is a string cell, exactly as given (no apostrophe).
        #expect(cells[2][1] as? String == "=cmd|' /C calc'!A0")
        #expect(
            cells[3][0] as? String == "+1" && cells[3][1] as? String == "@SUM(A1)" && cells[3][2] as? String == "-2")
        let types = try #require((back["types"] as? [String: Any])?["合规情况"] as? [[String]])
        #expect(types[2][1] == "s" && types[1][3] == "n" && types[2][3] == "n")
        #expect((back["bold"] as? [String: [Bool]])?["合规情况"] == [true, true, true, true, true])
        #expect((back["frozen"] as? [String: Any])?["合规情况"] as? String == "A2")
        // Widths from content: "操作系统(PC)" is 12 display cells (4 CJK doubled + 4), plus 2.
        let widths = try #require((back["widths"] as? [String: Any])?["合规情况"] as? [String: Double])
        #expect(widths["A"].map { abs($0 - 14) < 1 } == true)
    }

    @Test func sheetNamesAreMadeAcceptable() {
        var used = Set<String>()
        #expect(Workbook.uniqueName("a/b:c", used: &used) == "a_b_c")
        #expect(Workbook.uniqueName(String(repeating: "长", count: 40), used: &used).count == 31)
        #expect(Workbook.uniqueName("A_B_C", used: &used) == "A_B_C (2)")
        #expect(Workbook.uniqueName(" ", used: &used) == "Sheet")
    }
}
