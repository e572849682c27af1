import Foundation
import LedgerModel

/// The kernel's IPv4 routes (`/proc/net/route`), read to find the gateway in front of a
/// routed subnet. Pure over the file's text.
public struct RouteTable: Sendable {
    public struct Route: Sendable, Equatable {
        public var interface: String
        public var destination: UInt32
        public var mask: UInt32
        /// 0 for an on-link route.
        public var gateway: UInt32
    }

    public var routes: [Route]

    /// Parses `/proc/net/route` (addresses are little-endian hex); bad lines are skipped.
    public init(procNetRoute text: String) {
        routes = text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard f.count >= 8, let d = UInt32(f[1], radix: 16), let g = UInt32(f[2], radix: 16),
                let m = UInt32(f[7], radix: 16)
            else { return nil }
            return Route(
                interface: String(f[0]), destination: d.byteSwapped, mask: m.byteSwapped, gateway: g.byteSwapped)
        }
    }

    public static func system() -> RouteTable {
        RouteTable(procNetRoute: Sockets.readProcFile("/proc/net/route"))
    }

    /// The most specific route to `address` through `interface`.
    public func route(to address: UInt32, via interface: String) -> Route? {
        routes.filter { $0.interface == interface && address & $0.mask == $0.destination & $0.mask }
            .max { $0.mask.nonzeroBitCount < $1.mask.nonzeroBitCount }
    }
}

/// Host discovery beyond the local link, where ARP cannot reach: an ICMP echo and a TCP SYN to
/// 80 and 443 per address (a host that filters ping often still answers on a web port, even
/// with a reset), as our own frames to the gateway's MAC. Silent addresses are asked again;
/// answers are recognised by the probe cookie (TCP) and the echo's identifier and sequence.
public struct RoutedPing {
    public struct Result: Sendable {
        public var live: [IPAddress]
        public var packetsSent: Int
        public var seconds: Double
    }

    public static let tcpPorts: [UInt16] = [80, 443]

    public let scope: ScanScope
    public let gatewayMAC: [UInt8]
    public let limits: ScanLimits
    public var settle: Double = 0.5
    public var seed: UInt64 = UInt64.random(in: 0...UInt64.max)
    public var cookie = ProbeCookie()

    public init(scope: ScanScope, gatewayMAC: [UInt8], limits: ScanLimits) {
        self.scope = scope
        self.gatewayMAC = gatewayMAC
        self.limits = limits
    }

    /// The port the SYN pings leave from.
    public var ourPort: UInt16 { UInt16(40_000 + (seed >> 8) % 20_000) }

    /// The ping through libpcap on `interface`.
    public func run(on interface: NetworkInterface) throws -> Result {
        let capture = try LiveCapture(
            interface: interface.name,
            filter: "dst host \(interface.ipv4) and (icmp or (tcp and dst port \(ourPort)))", snapLength: 96)
        return try run(link: capture, interface: interface, clock: SystemClock())
    }

    /// The ping on any link, paced and timed by `clock`, from `interface`'s MAC and address.
    public func run(link capture: some Link, interface: NetworkInterface, clock: some ScanClock) throws -> Result {
        let start = clock.now()
        let ourPort = self.ourPort
        let identifier = UInt16(truncatingIfNeeded: seed >> 24)
        var limiter = RateLimiter(
            rate: limits.packetsPerSecond, burst: max(1, limits.packetsPerSecond / 200), stop: limits.stop)
        let ourIP = interface.ipv4.v4Value
        var live = Set<UInt32>()
        var sent = 0
        var id = UInt16(truncatingIfNeeded: seed)
        func collect() {
            capture.poll { frame in
                if let echo = IPv4Frames.echoReply(linkType: capture.linkType, frame), echo.identifier == identifier,
                    echo.sequence == UInt16(truncatingIfNeeded: cookie.sequence(address: echo.source, port: 0)),
                    scope.contains(IPAddress(v4: echo.source))
                {
                    live.insert(echo.source)
                } else if let s = TCPSegmentHead.parse(linkType: capture.linkType, frame), s.destination == ourIP,
                    cookie.answers(s, ourPort: ourPort), scope.contains(IPAddress(v4: s.source))
                {
                    live.insert(s.source)
                }
            }
        }
        func send(_ frame: [UInt8]) throws {
            let wait = try limiter.take(now: clock.now())
            if wait > 0 {
                collect()
                clock.sleep(wait)
            }
            try capture.send(frame)
            sent += 1
            if sent % 64 == 0 { collect() }
        }
        for round in 0...limits.retries {
            if round > 0 { listen(for: settle, clock: clock, collect, until: { live.count == scope.count }) }
            var order = scope.shuffled(seed: seed &+ UInt64(round))
            var asked = 0
            while let target = order.next() {
                let ip = target.v4Value
                guard !live.contains(ip) else { continue }
                asked += 1
                id &+= 1
                try send(
                    IPv4Frames.echoRequest(
                        from: interface.mac, to: gatewayMAC, source: ourIP, destination: ip, identifier: identifier,
                        sequence: UInt16(truncatingIfNeeded: cookie.sequence(address: ip, port: 0)), id: id))
                for port in Self.tcpPorts {
                    id &+= 1
                    try send(
                        IPv4Frames.syn(
                            from: interface.mac, to: gatewayMAC, source: ourIP, destination: ip, sourcePort: ourPort,
                            port: port, sequence: cookie.sequence(address: ip, port: port), id: id))
                }
            }
            if asked == 0 { break }
        }
        listen(for: settle, clock: clock, collect, until: { live.count == scope.count })
        collect()
        return Result(
            live: live.sorted().map { IPAddress(v4: $0) }, packetsSent: sent, seconds: clock.now() - start)
    }
}
