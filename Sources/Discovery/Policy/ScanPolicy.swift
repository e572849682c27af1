import Foundation
import LedgerModel

/// The TCP ports a scan probes. The default set tells device kinds apart: remote admin
/// (21, 22, 23), web consoles (80, 443, 8080, 8443), Windows (135, 139, 445, 3389, 5985),
/// printing (515 LPD, 631 IPP, 9100 and 9999 raw), Brother/Konica admin (1515), PJLink
/// projectors (4352), HylaFAX (4559), VNC (5900), Miracast (7236), Chromecast (8008, 8009).
public struct PortList: Sendable, Equatable {
    public private(set) var ports: [UInt16]

    public static let defaultPorts: [UInt16] = [
        21, 22, 23, 80, 135, 139, 443, 445, 515, 631, 1515, 3389, 4352, 4559, 5900, 5985, 7236, 8008, 8009, 8080,
        8443, 9100, 9999,
    ]

    public static let standard = PortList(sorted: defaultPorts)

    init(sorted: [UInt16]) { ports = sorted }

    /// Parses nmap-style `--ports`: `22,80,8000-8010`; `default` stands for the default set.
    public init(_ text: String) throws {
        var set = Set<UInt16>()
        for item in text.split(separator: ",") {
            let part = item.trimmingCharacters(in: .whitespaces)
            if part == "default" {
                set.formUnion(Self.defaultPorts)
                continue
            }
            let ends = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(ends.count), let low = UInt16(ends[0]), let high = UInt16(ends.last!), low >= 1,
                low <= high
            else {
                throw LedgerError(.invalidInput, "bad --ports item '\(part)': expected PORT or LOW-HIGH within 1-65535")
            }
            set.formUnion(low...high)
        }
        guard !set.isEmpty else { throw LedgerError(.invalidInput, "--ports names no port") }
        ports = set.sorted()
    }
}

/// Politeness limits for one scan, with the `--dry-run` estimate.
public struct ScanLimits: Sendable, Equatable {
    /// Packets per second over the whole scan (default 1,000).
    public var packetsPerSecond: Double = 1_000
    /// Packets per second to any one host, so a slow printer's stack is never flooded.
    public var perHostPacketsPerSecond: Double = 50
    /// Probes awaiting an answer at once.
    public var maximumInFlight = 256
    /// Extra rounds for hosts that did not answer (answered hosts are never asked again).
    public var retries = 1
    /// Set to stop the scan while it runs (a cancelled job); nil: it runs to its end.
    public var stop: ScanStop?

    public init() {}

    public func validated() throws -> ScanLimits {
        guard packetsPerSecond >= 1, packetsPerSecond <= 1_000_000 else {
            throw LedgerError(.invalidInput, "--rate must be between 1 and 1000000 packets per second")
        }
        guard perHostPacketsPerSecond >= 0.1, perHostPacketsPerSecond <= packetsPerSecond else {
            throw LedgerError(.invalidInput, "--host-rate must be at least 0.1 and no more than --rate")
        }
        guard maximumInFlight >= 1, maximumInFlight <= 65_536 else {
            throw LedgerError(.invalidInput, "--max-in-flight must be between 1 and 65536")
        }
        guard (0...10).contains(retries) else { throw LedgerError(.invalidInput, "--retries must be between 0 and 10") }
        return self
    }

    /// The worst-case packet count and time when nobody answers, which `--dry-run` prints:
    /// every round re-probes every host, and each host's own probes are spread by the
    /// per-host rate.
    public func estimate(hosts: Int, ports: Int) -> (packets: Int, seconds: Double) {
        let perHost = 1 + ports  // one discovery probe, then the ports
        let packets = hosts * perHost * (1 + retries)
        let globally = Double(packets) / packetsPerSecond
        let perHostFloor = Double(perHost * (1 + retries)) / perHostPacketsPerSecond
        return (packets, max(globally, perHostFloor))
    }
}

/// A token bucket: `take(now:)` says how long to wait before the next packet may go. Time is
/// passed in, so it is tested without sleeping; the scanner passes a monotonic clock.
public struct RateLimiter: Sendable {
    public let rate: Double
    public let burst: Double
    var tokens: Double
    var last: Double?
    /// Looked at every 64 packets (a lock per packet would cost the fastest scans) and before
    /// every wait (a slow scan sees it within one packet's time).
    let stop: ScanStop?
    var taken = 0

    /// `burst` packets may leave back to back; after that, one every 1/rate seconds. A `stop`
    /// asked for makes `take` throw.
    public init(rate: Double, burst: Double = 1, stop: ScanStop? = nil) {
        self.rate = rate
        self.burst = max(1, burst)
        tokens = max(1, burst)
        self.stop = stop
    }

    /// Seconds to wait before sending one packet at time `now` (seconds); the packet is
    /// counted as sent at `now + wait`. Throws `ScanError(.stopped)` once the scan is stopped.
    public mutating func take(now: Double) throws -> Double {
        if let stop {
            if taken & 63 == 0 { try stop.check() }
            taken &+= 1
        }
        if let last { tokens = min(burst, tokens + max(0, now - last) * rate) }
        last = now
        tokens -= 1
        if tokens >= 0 { return 0 }
        let wait = -tokens / rate
        tokens = 0
        last = now + wait
        if wait > 0.001 { try stop?.check() }
        return wait
    }
}
