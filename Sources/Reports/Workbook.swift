import CXLSXWriter
import Foundation
import LedgerModel

/// One cell of a report sheet.
public enum ReportCell: Equatable, Sendable {
    /// Written as a string cell: never a formula, whatever its first character.
    case text(String)
    case number(Double)
    /// A share 0…1, shown as a percentage (`0.0%`); the value stays the number.
    case share(Double)
    case empty

    public static func int(_ n: Int) -> ReportCell { .number(Double(n)) }
}

/// One sheet: a header row and rows of cells.
public struct ReportSheet: Sendable {
    public var name: String
    public var header: [String]
    public var rows: [[ReportCell]]

    public init(name: String, header: [String], rows: [[ReportCell]]) {
        self.name = name
        self.header = header
        self.rows = rows
    }
}

/// A real XLSX workbook through libxlsxwriter (Debian's `libxlsxwriter-dev`): one sheet per
/// table, a bold header row frozen in place, column widths from the content (CJK characters
/// count double), numbers as numbers.
///
/// Text is written with `worksheet_write_string`, a shared-string cell that Excel, LibreOffice
/// and WPS show and never evaluate, so text that came from the network (`=cmd|...`) stays text
/// without the apostrophe CSV needs; the cell holds the text exactly as it came.
public enum Workbook {
    /// Excel's limit on one cell's text.
    public static let maxCellLength = 32_767
    static let maxWidth = 60.0

    /// Writes the sheets to `path` (replacing a file there).
    public static func write(_ sheets: [ReportSheet], to path: String) throws {
        guard let book = workbook_new(path) else { throw LedgerError(.io, "\(path): cannot create the workbook") }
        let bold = workbook_add_format(book)
        format_set_bold(bold)
        let percent = workbook_add_format(book)
        format_set_num_format(percent, "0.0%")
        var used = Set<String>()
        for sheet in sheets {
            let name = uniqueName(sheet.name, used: &used)
            guard let ws = workbook_add_worksheet(book, name) else {
                _ = workbook_close(book)
                throw LedgerError(.io, "\(path): cannot add sheet '\(name)'")
            }
            var widths = sheet.header.map { Double(displayWidth($0)) }
            func check(_ e: lxw_error, _ row: Int) throws {
                guard e == LXW_NO_ERROR else {
                    let reason = String(cString: lxw_strerror(e))
                    _ = workbook_close(book)
                    throw LedgerError(.io, "\(path): sheet '\(name)' row \(row + 1): \(reason)")
                }
            }
            for (c, h) in sheet.header.enumerated() {
                try check(worksheet_write_string(ws, 0, lxw_col_t(c), clipped(h), bold), 0)
            }
            for (r, row) in sheet.rows.enumerated() {
                let rowIndex = lxw_row_t(r + 1)
                for (c, cell) in row.enumerated() {
                    if c >= widths.count { widths.append(0) }
                    switch cell {
                    case .text(let s):
                        try check(worksheet_write_string(ws, rowIndex, lxw_col_t(c), clipped(s), nil), r + 1)
                        widths[c] = max(widths[c], Double(displayWidth(s)))
                    case .number(let n):
                        try check(worksheet_write_number(ws, rowIndex, lxw_col_t(c), n, nil), r + 1)
                        widths[c] = max(widths[c], Double(Self.number(n).count))
                    case .share(let n):
                        try check(worksheet_write_number(ws, rowIndex, lxw_col_t(c), n, percent), r + 1)
                        widths[c] = max(widths[c], 6)
                    case .empty:
                        break
                    }
                }
            }
            worksheet_freeze_panes(ws, 1, 0)
            for (c, w) in widths.enumerated() {
                _ = worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), min(maxWidth, w + 2), nil)
            }
        }
        let e = workbook_close(book)
        guard e == LXW_NO_ERROR else {
            throw LedgerError(.io, "\(path): cannot write the workbook: \(String(cString: lxw_strerror(e)))")
        }
    }

    /// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, not empty, unique
    /// in the workbook (case-insensitively).
    static func uniqueName(_ wanted: String, used: inout Set<String>) -> String {
        var base = String(wanted.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        if base.trimmingCharacters(in: .whitespaces).isEmpty { base = "Sheet" }
        var name = base
        var n = 2
        while used.contains(name.lowercased()) {
            let suffix = " (\(n))"
            name = String(base.prefix(31 - suffix.count)) + suffix
            n += 1
        }
        used.insert(name.lowercased())
        return name
    }

    static func clipped(_ s: String) -> String {
        s.count <= maxCellLength ? s : String(s.prefix(maxCellLength))
    }

    static func number(_ n: Double) -> String {
        n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
    }

    /// Display width: CJK and other wide characters take two cells (as in a terminal, and
    /// roughly as in a spreadsheet's default font).
    public static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { width, scalar in
            let v = scalar.value
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return width + (wide ? 2 : 1)
        }
    }
}
