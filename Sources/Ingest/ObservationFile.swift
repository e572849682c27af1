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
        if let d = fast(s) { return d }
        if let d = try? Date(s, strategy: .iso8601) { return d }
        return try? Date(
            s, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

extension ISODate {
    /// `YYYY-MM-DDTHH:MM:SS[.fff]Z` read by hand: the form collectors write, hundreds per
    /// report (Foundation's parser costs microseconds each). Anything else: nil.
    static func fast(_ s: String) -> Date? {
        var utf8 = s.utf8.makeIterator()
        var digits: [Int] = []
        digits.reserveCapacity(6)
        var value = 0
        var count = 0
        var fraction = 0.0
        var scale = 0.1
        var inFraction = false
        var sawZ = false
        let separators: [UInt8] = [45, 45, 84, 58, 58]  // - - T : :
        while let b = utf8.next() {
            if sawZ { return nil }
            switch b {
            case 48...57:
                if inFraction {
                    fraction += Double(b - 48) * scale
                    scale /= 10
                } else {
                    value = value * 10 + Int(b - 48)
                    count += 1
                }
            case 46 where digits.count == 5 && !inFraction:  // .
                digits.append(value)
                inFraction = true
            case 90, 122:  // Z z
                if !inFraction { digits.append(value) }
                sawZ = true
            default:
                guard digits.count < separators.count, b == separators[digits.count] || (digits.count == 2 && b == 116)
                else { return nil }
                digits.append(value)
                value = 0
            }
        }
        guard sawZ, digits.count == 6, count == 14 else { return nil }
        let (y, m, d, hh, mm, ss) = (digits[0], digits[1], digits[2], digits[3], digits[4], digits[5])
        guard (1...12).contains(m), (1...31).contains(d), hh < 24, mm < 60, ss < 61 else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: Double(days * 86_400 + hh * 3600 + mm * 60 + ss) + fraction)
    }
}
