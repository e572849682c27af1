import Foundation

/// A request to stop a scan that is running (a cancelled scan job), set from any thread. The
/// scan sees it in `RateLimiter.take`, which every paced packet of the sweep, ping, port scan,
/// connect scan and UDP questions passes, before each host's TCP conversations, and between
/// phases; each then throws `ScanError(.stopped)`. A stopped scan records nothing.
public final class ScanStop: @unchecked Sendable, Equatable {
    private let lock = NSLock()
    private var requested: String?

    public init() {}

    /// Asks the scan to stop, saying why (`cancelled by web:it`); asked again, the first reason stays.
    public func request(reason: String = "stopped") { lock.withLock { requested = requested ?? reason } }

    public var isRequested: Bool { reason != nil }

    /// Why the scan was asked to stop, once it was.
    public var reason: String? { lock.withLock { requested } }

    /// Throws `ScanError(.stopped)` once a stop was asked for.
    public func check() throws {
        if let reason { throw ScanError(.stopped, "the scan was stopped before it ended: \(reason)") }
    }

    public static func == (a: ScanStop, b: ScanStop) -> Bool { a === b }
}
