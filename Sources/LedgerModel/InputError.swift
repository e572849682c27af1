/// A refusal of outside input, always naming the file and line (or place) at fault.
///
/// Rendered as `FILE:LINE: reason` so editors and terminals can jump to it.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var reason: String

    public init(file: String, line: Int?, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// Safe to print: a reason may quote the file's own text.
    public var description: String {
        if let line { return "\(Text.terminalSafe(file)):\(line): \(Text.terminalSafe(reason))" }
        return "\(Text.terminalSafe(file)): \(Text.terminalSafe(reason))"
    }
}

/// A failed operation on the ledger that is not about a file (unknown id, refused merge...).
public struct LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { Text.terminalSafe(message) }
}

/// Text from outside made safe to show.
public enum Text {
    /// Control characters (which could move the cursor, recolor or retitle a terminal) and
    /// bidirectional overrides shown as `\u{..}` escapes.
    public static func terminalSafe(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if isControl(scalar) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
            || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
    }
}
