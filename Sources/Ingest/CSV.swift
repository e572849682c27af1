import Foundation
import LedgerModel

/// One CSV record and the physical line it starts on.
public struct CSVRecord: Sendable {
    public var line: Int
    public var fields: [String]
}

/// An RFC 4180 reader that keeps physical line numbers (a quoted field may span lines), so
/// every refusal can say `FILE:LINE`. Written here rather than taken from a package because the
/// available CSV packages do not report where a record starts.
public enum CSVReader {
    /// Upper bound on one field, to keep memory bounded on hostile input.
    public static let maxFieldLength = 64 * 1024

    public static func records(_ text: String, file: String) throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteLine = 0
        var afterQuote = false
        var bytes = Array(text.utf8)
        if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        var i = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
            } else {
                switch b {
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\r") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n"):
                    break
                case UInt8(ascii: "\n"):
                    endField()
                    // A blank line is not a record.
                    if !(fields.count == 1 && fields[0].isEmpty) {
                        records.append(CSVRecord(line: recordLine, fields: fields))
                    }
                    fields.removeAll(keepingCapacity: true)
                    line += 1
                    recordLine = line
                case UInt8(ascii: "\""):
                    guard field.isEmpty, !afterQuote else {
                        throw InputError(file: file, line: line, reason: "stray quote inside an unquoted field")
                    }
                    inQuotes = true
                    quoteLine = line
                default:
                    if afterQuote {
                        throw InputError(file: file, line: line, reason: "text after a closing quote")
                    }
                    field.append(b)
                }
            }
            if field.count > maxFieldLength {
                throw InputError(file: file, line: line, reason: "field longer than \(maxFieldLength) bytes")
            }
            i += 1
        }
        if inQuotes {
            throw InputError(file: file, line: quoteLine, reason: "quoted field is never closed")
        }
        return records
    }

    /// Checks the header and that every row has exactly as many fields, then yields rows as
    /// dictionaries by column name. Extra header columns are refused so a typo is not ignored.
    /// `optional` columns may follow the required ones (all of them, in order); a row of a file
    /// without them has them empty.
    public static func table(
        _ text: String, file: String, header required: [String], optional: [String] = []
    ) throws -> [(line: Int, row: [String: String])] {
        let all = try records(text, file: file)
        guard let head = all.first else {
            throw InputError(
                file: file, line: 1, reason: "empty file: expected header \(required.joined(separator: ","))")
        }
        let names = head.fields.map { $0.trimmingWhitespace().lowercased() }
        guard names == required || (!optional.isEmpty && names == required + optional) else {
            let also = optional.isEmpty ? "" : " (optionally followed by ',\(optional.joined(separator: ","))')"
            throw InputError(
                file: file, line: head.line,
                reason:
                    "wrong header: expected '\(required.joined(separator: ","))'\(also), got '\(head.fields.joined(separator: ","))'"
            )
        }
        let expected = names
        // Excel leaves rows of bare commas where cells were cleared: they are not records.
        let rows = all.dropFirst().filter { !$0.fields.allSatisfy { $0.isBlank } }
        return try rows.map { record in
            guard record.fields.count == expected.count else {
                throw InputError(
                    file: file, line: record.line,
                    reason: "ragged row: \(record.fields.count) fields, header has \(expected.count)")
            }
            var row: [String: String] = [:]
            for name in optional { row[name] = "" }
            for (name, value) in zip(expected, record.fields) {
                row[name] = CSVWriter.unguard(value.trimmingWhitespace())
            }
            return (record.line, row)
        }
    }
}

/// Writes CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends, quoting where needed.
/// Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) are prefixed with
/// an apostrophe, because their text can come from the network.
public enum CSVWriter {
    public static let bom = "\u{FEFF}"

    public static func document(header: [String], rows: [[String]]) -> String {
        var out = bom
        out += line(header)
        for row in rows { out += line(row) }
        return out
    }

    public static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }

    /// Undoes the formula guard of `cell` (an apostrophe before `= + - @`, the way Excel marks
    /// text), so an exported file re-imports unchanged.
    public static func unguard(_ value: String) -> String {
        guard value.hasPrefix("'"), let second = value.dropFirst().first, "=+-@\t\r".contains(second) else {
            return value
        }
        return String(value.dropFirst())
    }

    static func cell(_ raw: String) -> String {
        var s = raw
        if let first = s.first, "=+-@\t\r".contains(first) { s = "'" + s }
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
