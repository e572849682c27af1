import Foundation
import LedgerModel

/// Reads observations as JSON Lines: one `Observation` object per line (the shape documented
/// in docs/SCHEMA.md). This is how a remote sensor or another tool hands observations over.
public enum ObservationFile {
    /// Longest accepted line, to keep memory bounded on hostile input.
    public static let maxLineLength = 1 << 20

    public static func read(_ data: Data, file: String) throws -> [Observation] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { d in
            let c = try d.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = ISODate.parse(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(s)' is not an ISO 8601 date")
            }
            return date
        }
        var out: [Observation] = []
        var lineNumber = 0
        let data = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            guard line.count <= maxLineLength else {
                throw InputError(file: file, line: lineNumber, reason: "line longer than \(maxLineLength) bytes")
            }
            do {
                out.append(try decoder.decode(Observation.self, from: Data(line)))
            } catch let error as DecodingError {
                throw InputError(file: file, line: lineNumber, reason: describe(error))
            } catch {
                throw InputError(file: file, line: lineNumber, reason: "not a JSON object: \(error)")
            }
        }
        return out
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "" : " at '\(p)'"
        }
        switch error {
        case .keyNotFound(let key, let c): return "missing field '\(key.stringValue)'\(path(c))"
        case .typeMismatch(_, let c): return "wrong type\(path(c)): \(c.debugDescription)"
        case .valueNotFound(_, let c): return "null value\(path(c))"
        case .dataCorrupted(let c): return "invalid value\(path(c)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// ISO 8601 dates as the ledger writes and reads them (UTC, optional fractional seconds).
public enum ISODate {
    public static func parse(_ s: String) -> Date? {
        if let d = try? Date(s, strategy: .iso8601) { return d }
        return try? Date(
            s, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
