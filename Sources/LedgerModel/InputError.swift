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

    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}

/// A failed operation on the ledger that is not about a file (unknown id, refused merge...).
public struct LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
