import Foundation
import LedgerModel

/// A live host the ARP sweep (or a gateway lookup) gave a link-layer address for.
public struct LinkTarget: Hashable, Sendable {
    public var ip: IPAddress
    public var mac: [UInt8]
    public init(ip: IPAddress, mac: [UInt8]) {
        self.ip = ip
        self.mac = mac
    }
}

/// The stateless TCP SYN port scan through libpcap: our own frames to the MACs the sweep
/// learned, answers recognised by the probe cookie, the kernel left to reset the half-open
/// connections (it knows nothing of them). Ports go round-robin over the shuffled hosts, so
/// one host's probes are `hosts / rate` seconds apart and never above the per-host rate;
/// probes awaiting an answer are capped; silent ports (no SYN-ACK, no RST) are retried.
public struct SYNScan {
    public struct Result: Sendable {
        /// Open ports per host address.
        public var open: [IPAddress: [UInt16]]
        /// Probes answered with a reset (port closed).
        public var closed: Int
        /// Probes that got no answer at all after every round (filtered or lost).
        public var silent: Int
        public var packetsSent: Int
        public var seconds: Double
    }

    public let targets: [LinkTarget]
    public let ports: [UInt16]
    public let limits: ScanLimits
    public var settle: Double = 0.5
    public var seed: UInt64 = UInt64.random(in: 0...UInt64.max)
    public var cookie = ProbeCookie()

    public init(targets: [LinkTarget], ports: [UInt16], limits: ScanLimits) {
        self.targets = targets
        self.ports = ports
        self.limits = limits
    }

    /// The rate the scan really runs at: the global rate, lowered so that each host, visited
    /// once per `targets.count` probes, stays within the per-host rate.
    public var effectiveRate: Double {
        min(limits.packetsPerSecond, max(1, Double(targets.count)) * limits.perHostPacketsPerSecond)
    }

    /// The port our probes leave from (answers come back to it).
    public var ourPort: UInt16 { UInt16(40_000 + seed % 20_000) }

    /// The scan through libpcap on `interface`.
    public func run(on interface: NetworkInterface) throws -> Result {
        guard !targets.isEmpty, !ports.isEmpty else {
            return Result(open: [:], closed: 0, silent: 0, packetsSent: 0, seconds: 0)
        }
        let capture = try LiveCapture(
            interface: interface.name, filter: "tcp and dst host \(interface.ipv4) and dst port \(ourPort)",
            snapLength: 96)
        return try run(link: capture, interface: interface, clock: SystemClock())
    }

    /// The scan on any link, paced and timed by `clock`, from `interface`'s MAC and address.
    public func run(link capture: some Link, interface: NetworkInterface, clock: some ScanClock) throws -> Result {
        let start = clock.now()
        guard !targets.isEmpty, !ports.isEmpty else {
            return Result(open: [:], closed: 0, silent: 0, packetsSent: 0, seconds: 0)
        }
        let ourPort = self.ourPort
        var limiter = RateLimiter(rate: effectiveRate, burst: max(1, effectiveRate / 200), stop: limits.stop)
        // A probe counts against the in-flight cap until answered or this long unanswered.
        let answerTimeout = max(settle, 1.0)
        let ourIP = interface.ipv4.v4Value
        var answered = Set<UInt64>()
        var open: [IPAddress: [UInt16]] = [:]
        var closed = 0
        var sent = 0
        // Probes awaiting an answer, in send order, for the in-flight cap.
        var pending = Set<UInt64>()
        var queue: [(time: Double, key: UInt64)] = []
        var queueHead = 0
        let targetsByIP = Dictionary(targets.map { ($0.ip.v4Value, $0) }, uniquingKeysWith: { a, _ in a })
        func key(_ ip: UInt32, _ port: UInt16) -> UInt64 { UInt64(ip) << 16 | UInt64(port) }
        func collect() {
            capture.poll { frame in
                guard let s = TCPSegmentHead.parse(linkType: capture.linkType, frame),
                    s.destination == ourIP, cookie.answers(s, ourPort: ourPort),
                    let target = targetsByIP[s.source]
                else { return }
                let k = key(s.source, s.sourcePort)
                guard answered.insert(k).inserted else { return }
                pending.remove(k)
                if s.isSynAck {
                    open[target.ip, default: []].append(s.sourcePort)
                } else if s.isReset {
                    closed += 1
                }
            }
        }
        func expire(now: Double) {
            while queueHead < queue.count, queue[queueHead].time + answerTimeout < now {
                pending.remove(queue[queueHead].key)
                queueHead += 1
            }
            if queueHead > 65_536 {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
        }
        var order = (0..<targets.count).map { $0 }
        var generator = SplitMix(seed: seed)
        order.shuffle(using: &generator)
        var portOrder = ports
        portOrder.shuffle(using: &generator)
        var id = UInt16(truncatingIfNeeded: seed >> 20)
        for round in 0...limits.retries {
            if round > 0 {
                // Answers to the last round arrive before anything is asked again.
                listen(for: settle, clock: clock, collect, until: { answered.count == targets.count * ports.count })
                // What is still unanswered is lost, not in flight: a fresh count for the retries.
                pending.removeAll(keepingCapacity: true)
                queue.removeAll(keepingCapacity: true)
                queueHead = 0
                // Only hosts with silent ports are visited now: fewer hosts, so a lower rate
                // keeps each of them under the per-host rate.
                let silentHosts = targets.indices.filter { i in
                    ports.contains { !answered.contains(key(targets[i].ip.v4Value, $0)) }
                }.count
                let rate = min(limits.packetsPerSecond, max(1, Double(silentHosts)) * limits.perHostPacketsPerSecond)
                limiter = RateLimiter(rate: rate, burst: max(1, rate / 200), stop: limits.stop)
            }
            var sentThisRound = 0
            for port in portOrder {
                for index in order {
                    let target = targets[index]
                    let ip = target.ip.v4Value
                    let k = key(ip, port)
                    guard !answered.contains(k) else { continue }
                    while pending.count >= limits.maximumInFlight {
                        collect()
                        expire(now: clock.now())
                        if pending.count >= limits.maximumInFlight { clock.sleep(0.000_2) }
                    }
                    let wait = try limiter.take(now: clock.now())
                    if wait > 0 {
                        collect()
                        clock.sleep(wait)
                    }
                    id &+= 1
                    let frame = IPv4Frames.syn(
                        from: interface.mac, to: target.mac, source: ourIP, destination: ip, sourcePort: ourPort,
                        port: port, sequence: cookie.sequence(address: ip, port: port), id: id)
                    try capture.send(frame)
                    sent += 1
                    sentThisRound += 1
                    let now = clock.now()
                    pending.insert(k)
                    queue.append((now, k))
                    if sent % 32 == 0 {
                        collect()
                        expire(now: now)
                    }
                }
            }
            if sentThisRound == 0 { break }
        }
        listen(for: settle, clock: clock, collect, until: { answered.count == targets.count * ports.count })
        collect()
        for k in open.keys { open[k]!.sort() }
        return Result(
            open: open, closed: closed, silent: targets.count * ports.count - answered.count, packetsSent: sent,
            seconds: clock.now() - start)
    }
}

extension IPAddress {
    /// The IPv4 address as a 32-bit value (host order); 0 for IPv6.
    public var v4Value: UInt32 { isV4 ? bytes.reduce(0) { $0 << 8 | UInt32($1) } : 0 }
}
