import Foundation
import LedgerModel

/// The data files in `scanners/` (software catalog, OS end-of-support table, fingerprint
/// rules) share one shape: tab-separated, `#` comments and blank lines skipped, a header line
/// first. This reads that shape once; each file's reader checks its own fields. Every refusal
/// is `FILE:LINE: reason`.
public struct TabTable {
    public struct Row {
        public let file: String
        public let line: Int
        public let fields: [String]
        let columns: [String: Int]

        /// The field under a header name, nil when the column is absent or the field empty.
        public subscript(_ name: String) -> String? {
            columns[name].map { fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        }

        public func fail(_ reason: String) -> InputError { InputError(file: file, line: line, reason: reason) }
        public var origin: String { "\(file):\(line)" }
    }

    /// The rows after the header. `headers` lists the accepted headers, the first being the
    /// current one named in the refusal; `what` names the file kind for an empty one.
    public static func rows(_ data: Data, file: String, headers: [[String]], what: String) throws -> [Row] {
        let text = try TextDecoding.decode(data, file: file).text
        var rows: [Row] = []
        var columns: [String: Int]?
        for (i, raw) in TextLines.split(text).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isBlank || line.hasPrefix("#") { continue }
            let fields = line.tabFields().map { $0.trimmingWhitespace() }
            let row = Row(file: file, line: i + 1, fields: fields, columns: columns ?? [:])
            guard let col = columns else {
                guard headers.contains(fields) else {
                    throw row.fail("wrong header: expected '\(headers[0].joined(separator: "<TAB>"))'")
                }
                columns = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1, $0) })
                continue
            }
            guard fields.count == col.count else {
                throw row.fail("\(fields.count) tab-separated fields, expected \(col.count)")
            }
            rows.append(row)
        }
        guard columns != nil else { throw InputError(file: file, line: 1, reason: "empty \(what): no header") }
        return rows
    }
}
