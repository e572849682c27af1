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

    /// The sweep through libpcap on `interface`.
    public func run(on interface: NetworkInterface) throws -> Result {
        // Replies only: on Linux the capture also sees every request we send.
        let capture = try LiveCapture(interface: interface.name, filter: "arp and arp[6:2] = 2")
        return try run(link: capture, interface: interface, clock: SystemClock())
    }

    /// The sweep on any link, paced and timed by `clock`: `interface` names our own MAC and
    /// address (the requests' sender).
    public func run(link capture: some Link, interface: NetworkInterface, clock: some ScanClock) throws -> Result {
        var limiter = RateLimiter(
            rate: limits.packetsPerSecond, burst: max(1, limits.packetsPerSecond / 200), stop: limits.stop)
        // Per address, by its index in the scope: flat arrays, no allocation per packet.
        var found = [Answer?](repeating: nil, count: scope.count)
        var foundCount = 0
        var askedAt = [Double](repeating: -1, count: limits.retries > 0 ? scope.count : 0)
        let start = clock.now()
        var sent = 0
        let ourIndex = scope.index(of: interface.ipv4.v4Value)
        // One request frame, its target address rewritten for each packet.
        var frame = ARPPacket.requestFrame(senderMAC: interface.mac, senderIP: interface.ipv4, target: interface.ipv4)
        let at = ARPPacket.targetIPRange.lowerBound
        func collect() {
            capture.poll { frame in
                guard let arp = try? ARPPacket.parse(linkType: capture.linkType, frame: frame),
                    arp.operation == ARPPacket.reply, let index = scope.index(of: arp.senderIP.v4Value),
                    found[index] == nil
                else { return }
                found[index] = Answer(ip: arp.senderIP, mac: arp.senderMACText, seconds: clock.now() - start)
                foundCount += 1
            }
        }
        for round in 0...limits.retries {
            var order = scope.shuffled(seed: seed)
            while let index = order.nextIndex() {
                guard found[index] == nil, index != ourIndex else { continue }
                if round > 0 {
                    // A silent address is asked again only `settle` seconds after the last time.
                    let asked = askedAt[index]
                    while clock.now() < asked + settle {
                        collect()
                        clock.sleep(min(0.002, max(0.000_1, asked + settle - clock.now())))
                    }
                    if found[index] != nil { continue }
                }
                let wait = try limiter.take(now: clock.now())
                if wait > 0 {
                    collect()
                    clock.sleep(wait)
                }
                let target = scope.value(at: index)
                frame[at] = UInt8(target >> 24)
                frame[at + 1] = UInt8(target >> 16 & 0xFF)
                frame[at + 2] = UInt8(target >> 8 & 0xFF)
                frame[at + 3] = UInt8(target & 0xFF)
                try capture.send(frame)
                sent += 1
                if round < limits.retries { askedAt[index] = clock.now() }
                if sent & 63 == 0 { collect() }
            }
            collect()
            if foundCount == scope.count { break }
        }
        listen(for: settle, clock: clock, collect, until: { foundCount == scope.count })
        let answers = found.compactMap { $0 }  // ascending: the scope's order
        return Result(answers: answers, packetsSent: sent, seconds: clock.now() - start)
    }
}
