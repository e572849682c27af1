import Foundation
import LedgerModel

/// The ARP sweep of an on-link subnet: every address of the scope asked once in shuffled
/// order at the scan's rate, then again (up to `retries` more rounds) for those that did not
/// answer only, each address at least `settle` seconds after it was last asked. After the
/// last round the sweep listens `settle` seconds more. Answers from outside the scope are
/// ignored.
public struct ARPSweep {
    public struct Answer: Equatable, Sendable {
        public var ip: IPAddress
        public var mac: String
        /// Seconds from the start of the sweep to the first reply.
        public var seconds: Double
    }

    public struct Result: Sendable {
        public var answers: [Answer]
        public var packetsSent: Int
        public var seconds: Double
    }

    public let scope: ScanScope
    public let limits: ScanLimits
    /// How long to keep listening after each round's last request.
    public var settle: Double = 0.5
    public var seed: UInt64 = UInt64.random(in: 0...UInt64.max)

    public init(scope: ScanScope, limits: ScanLimits) {
        self.scope = scope
        self.limits = limits
    }

    public func run(on interface: NetworkInterface) throws -> Result {
        let capture = try LiveCapture(interface: interface.name, filter: "arp")
        var limiter = RateLimiter(rate: limits.packetsPerSecond, burst: max(1, limits.packetsPerSecond / 200))
        var found: [IPAddress: Answer] = [:]
        let start = monotonicSeconds()
        var sent = 0
        var askedAt: [IPAddress: Double] = [:]
        // One request frame, its target address rewritten for each packet.
        var frame = ARPPacket.requestFrame(senderMAC: interface.mac, senderIP: interface.ipv4, target: interface.ipv4)
        func collect() {
            capture.poll { frame in
                guard let arp = try? ARPPacket.parse(linkType: capture.linkType, frame: frame),
                    arp.operation == ARPPacket.reply, scope.contains(arp.senderIP), found[arp.senderIP] == nil
                else { return }
                found[arp.senderIP] = Answer(
                    ip: arp.senderIP, mac: arp.senderMACText, seconds: monotonicSeconds() - start)
            }
        }
        for round in 0...limits.retries {
            var order = scope.shuffled(seed: seed)
            while let target = order.next() {
                guard found[target] == nil, target != interface.ipv4 else { continue }
                if let asked = askedAt[target] {
                    // A silent address is asked again only `settle` seconds after the last time.
                    while monotonicSeconds() < asked + settle {
                        collect()
                        usleep(UInt32(min(2_000, max(100, (asked + settle - monotonicSeconds()) * 1e6))))
                    }
                    if found[target] != nil { continue }
                }
                let wait = limiter.take(now: monotonicSeconds())
                if wait > 0 {
                    collect()
                    usleep(UInt32(wait * 1e6))
                }
                frame.replaceSubrange(ARPPacket.targetIPRange, with: target.bytes)
                try capture.send(frame)
                sent += 1
                if round < limits.retries { askedAt[target] = monotonicSeconds() }
                if sent % 64 == 0 { collect() }
            }
            collect()
            if found.count == scope.count { break }
        }
        listen(for: settle, collect, until: { found.count == scope.count })
        let answers = found.values.sorted { $0.ip.bytes.lexicographicallyPrecedes($1.ip.bytes) }
        return Result(answers: answers, packetsSent: sent, seconds: monotonicSeconds() - start)
    }
}
