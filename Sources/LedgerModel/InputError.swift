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

    /// Always `invalid_input` (HTTP 400): the file is at fault; the `ErrorOutput` carries its
    /// name and line. (A file that cannot be read at all is `LedgerError(.io, ...)`.)
    public var code: LedgerError.Code { .invalidInput }
    public var httpStatus: Int { code.httpStatus }

    /// Safe to print: a reason may quote the file's own text.
    public var description: String {
        if let line { return "\(Text.terminalSafe(file)):\(line): \(Text.terminalSafe(reason))" }
        return "\(Text.terminalSafe(file)): \(Text.terminalSafe(reason))"
    }
}

/// A failed operation on the ledger that is not about a file (unknown id, refused merge...).
/// `code` says what kind of failure it is, so callers (the CLI's exit, the coming server's
/// HTTP status) can match on it instead of on the message.
public struct LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, in words a program can match (`snake_case` in JSON).
    public enum Code: String, CaseIterable, Codable, Sendable {
        /// No such device, department, scan... or one outside the caller's scope.
        case notFound = "not_found"
        /// The request or a file is malformed or out of range.
        case invalidInput = "invalid_input"
        /// The request contradicts the ledger's state (merging a device with itself...).
        case conflict
        /// The caller's scope does not allow the operation.
        case forbidden
        /// The scan policy refuses it (scope too large, excluded gateway...).
        case refusedByPolicy = "refused_by_policy"
        /// A file or the database could not be read or written.
        case io
        /// Nobody is signed in (the console and API: no session, no valid token).
        case unauthenticated

        /// The HTTP status the web server answers with (documented in docs/SCHEMA.md).
        public var httpStatus: Int {
            switch self {
            case .notFound: 404
            case .invalidInput: 400
            case .conflict: 409
            case .forbidden: 403
            case .refusedByPolicy: 422
            case .io: 500
            case .unauthenticated: 401
            }
        }
    }

    public var code: Code
    public var message: String
    /// Every throw site says which kind of failure it is: there is no message-only default.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var httpStatus: Int { code.httpStatus }
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
