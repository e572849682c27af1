/// A failure of the scanner's own machinery, not of what was asked: an interface that cannot
/// be found, a capture libpcap cannot open or send on, a socket the system refuses, a route
/// or gateway that cannot be found, a TLS session OpenSSL cannot set up. Refusals of the
/// request itself (a reserved range, a scope too big, an excluded gateway) are
/// `LedgerError(.refusedByPolicy, ...)`, and malformed requests `LedgerError(.invalidInput, ...)`.
/// LedgerApp maps this to `LedgerError` for its callers (`LedgerService.mapScanError`).
public struct ScanError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, CaseIterable, Sendable {
        /// The interface does not exist, or has no Ethernet or IPv4 address.
        case interface
        /// libpcap cannot open, filter, read or send.
        case capture
        /// A UDP or TCP socket (or a TLS session on one) cannot be opened, bound or connected.
        case socket
        /// No route, or no answering gateway, for the routed part of a scope.
        case route
        /// The scanner refuses what it found on the network (mapped to `refused_by_policy`).
        case policy
        /// Someone stopped the scan (`ScanStop`) before it ended.
        case stopped
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
