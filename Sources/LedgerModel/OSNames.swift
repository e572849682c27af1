import Foundation

/// One spelling per operating system (scanners/os-names.tsv, read by Ingest's `OSNameFile`):
/// each entry a case-insensitive pattern on the whole raw name and the name it becomes. Pure.
public struct OSNames: Sendable {
    public struct Entry: Sendable {
        public var pattern: NSRegularExpression
        public var template: String
        /// `FILE:LINE`.
        public var origin: String

        public init(pattern: NSRegularExpression, template: String, origin: String) {
            self.pattern = pattern
            self.template = template
            self.origin = origin
        }
    }

    public let entries: [Entry]
    public init(entries: [Entry]) { self.entries = entries }

    /// The name the first matching entry gives (spaces collapsed), nil when none matches.
    public func name(_ raw: String) -> String? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let range = NSRange(text.startIndex..., in: text)
        for e in entries {
            guard let m = e.pattern.firstMatch(in: text, range: range), m.range == range else { continue }
            var out = e.template
            for i in stride(from: m.numberOfRanges - 1, through: 0, by: -1) {
                let group = Range(m.range(at: i), in: text).map { String(text[$0]) } ?? ""
                out = out.replacingOccurrences(of: "$\(i)", with: group)
            }
            let name = out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            return name.isEmpty ? nil : name
        }
        return nil
    }
}
