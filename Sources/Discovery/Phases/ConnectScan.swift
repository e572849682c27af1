import Foundation
import LedgerModel

#if canImport(Glibc)
    import Glibc
#endif

/// The unprivileged fallback when libpcap cannot be opened (no root, no CAP_NET_RAW): TCP
/// connect() to each port of each address, non-blocking, many at once in one poll loop. A
/// connection made means open; a refusal means closed — and either proves the host is there,
/// so this is also the TCP connect ping. Ports go round-robin over the addresses (the per-host
/// rate), new connects start at the scan's rate, at most `maximumInFlight` are pending, and
/// each gets `timeout` seconds. The kernel resolves every on-link address itself: beyond about
/// a thousand fresh on-link hosts its neighbour table overflows (use the privileged scan).
/// It never writes a byte on a connection (a connect is the whole probe, which the
/// raw-print-port rule allows everywhere); payloads go through `TCPGate` only.
public struct ConnectScan {
    public struct Result: Sendable {
        public var open: [IPAddress: [UInt16]]
        /// Every address that answered on any port (open or refused).
        public var live: [IPAddress]
        public var attempts: Int
        public var seconds: Double
    }

    public let addresses: [IPAddress]
    public let ports: [UInt16]
    public let limits: ScanLimits
    public var timeout: Double = 1.5
    public var seed: UInt64 = UInt64.random(in: 0...UInt64.max)

    public init(addresses: [IPAddress], ports: [UInt16], limits: ScanLimits) {
        self.addresses = addresses
        self.ports = ports
        self.limits = limits
    }

    struct Pending {
        var fd: Int32
        var address: Int
        var port: UInt16
        var deadline: Double
    }

    public func run() throws -> Result {
        let start = monotonicSeconds()
        let rate = min(limits.packetsPerSecond, max(1, Double(addresses.count)) * limits.perHostPacketsPerSecond)
        var limiter = RateLimiter(rate: rate, burst: max(1, rate / 200), stop: limits.stop)
        var open: [Int: [UInt16]] = [:]
        var live = Set<Int>()
        var pending: [Pending] = []
        defer { for p in pending { close(p.fd) } }  // stopped half-way: no descriptor left open
        var attempts = 0
        let inFlight = max(1, min(limits.maximumInFlight, 1_024))
        func settle(block: Bool) {
            guard !pending.isEmpty else { return }
            var fds = pending.map { pollfd(fd: $0.fd, events: Int16(POLLOUT), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), block ? 10 : 0)
            let now = monotonicSeconds()
            var keep: [Pending] = []
            for (p, f) in zip(pending, fds) {
                if f.revents != 0 {
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &length)
                    if error == 0 {
                        open[p.address, default: []].append(p.port)
                        live.insert(p.address)
                    } else if error == ECONNREFUSED {
                        live.insert(p.address)
                    }
                    close(p.fd)
                } else if now > p.deadline {
                    close(p.fd)
                } else {
                    keep.append(p)
                }
            }
            pending = keep
        }
        var order = Array(addresses.indices)
        var generator = SplitMix(seed: seed)
        order.shuffle(using: &generator)
        for port in ports {
            for index in order {
                while pending.count >= inFlight { settle(block: true) }
                let wait = try limiter.take(now: monotonicSeconds())
                if wait > 0 {
                    settle(block: false)
                    usleep(UInt32(wait * 1e6))
                }
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                guard fd >= 0 else {
                    settle(block: true)  // out of descriptors: let some finish
                    continue
                }
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                var a = Sockets.address(addresses[index].v4Value, port)
                let rc = withUnsafePointer(to: &a) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                attempts += 1
                if rc == 0 {
                    open[index, default: []].append(port)
                    live.insert(index)
                    close(fd)
                } else if errno == EINPROGRESS {
                    pending.append(Pending(fd: fd, address: index, port: port, deadline: monotonicSeconds() + timeout))
                } else {
                    if errno == ECONNREFUSED { live.insert(index) }
                    close(fd)
                }
                settle(block: false)
            }
        }
        while !pending.isEmpty { settle(block: true) }
        var byIP: [IPAddress: [UInt16]] = [:]
        for (index, list) in open { byIP[addresses[index]] = list.sorted() }
        return Result(
            open: byIP, live: live.sorted().map { addresses[$0] }, attempts: attempts,
            seconds: monotonicSeconds() - start)
    }
}
