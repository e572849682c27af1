import ArgumentParser
import Foundation
import Reports

/// `--format` of a command whose rows also make a workbook: the row formats, and `xlsx`
/// (written to `--output`, one sheet per table).
enum SheetFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, xlsx

    /// The row format, nil for xlsx.
    var rows: OutputFormat? { OutputFormat(rawValue: rawValue) }
}

/// `--format xlsx` needs `--output FILE`; other formats print and take no `--output`.
func checkOutput(_ format: SheetFormat, _ output: String?) throws {
    if format == .xlsx && output == nil { throw ValidationError("--format xlsx needs --output FILE.xlsx") }
    if format != .xlsx && output != nil {
        throw ValidationError("--output is for --format xlsx (redirect other formats)")
    }
}

/// Writes the workbook and says so.
func writeWorkbook(_ sheets: [ReportSheet], to path: String) throws {
    try Workbook.write(sheets, to: path)
    Console.current.line("\(path): \(sheets.count) sheet(s), \(sheets.reduce(0) { $0 + $1.rows.count }) row(s)")
}
