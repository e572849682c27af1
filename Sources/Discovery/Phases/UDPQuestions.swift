import Foundation
import LedgerModel

#if canImport(Glibc)
    import Glibc
#endif

/// The UDP questions every live host is asked: SNMP GET and GET-NEXT for each community
/// (v2c, then v1 for the silent), the SNMPv3 engine discovery, the NetBIOS node status,
/// DNS-SD over the host's mDNS port, an SSDP M-SEARCH and a WS-Discovery Probe (each to the
/// host itself: nothing goes to a multicast group, so excluded hosts hear nothing). The questions leave as our own
/// frames to the MACs the sweep learned (no neighbour entry per host, so thousands of hosts
/// are fine); the answers arrive on one bound UDP socket. Hosts go round-robin at the scan's
/// rate; a protocol that stayed silent is asked again in the retry rounds.
public struct UDPQuestions {
    public struct Result: Sendable {
        public var signals: [IPAddress: Signals]
        /// UPnP description URLs from SSDP answers, to be fetched over TCP.
        public var descriptions: [IPAddress: String]
        public var packetsSent: Int
        public var seconds: Double
    }

    /// The questions by name, for `--skip` (`ProbeRegistry.udp`).
    public static var probeNames: [String] { ProbeRegistry.udp.map(\.name) }

    public let targets: [LinkTarget]
    public let limits: ScanLimits
    public var communities = ["public"]
    public var settle: Double = 0.5
    public var seed: UInt64 = UInt64.random(in: 0...UInt64.max)
    /// Send through the kernel socket instead of our own frames (the unprivileged fallback;
    /// the kernel then resolves each host's MAC itself).
    public var throughKernel = false
    /// Questions not to ask (`probeNames`).
    public var skip: Set<String> = []
    /// The questions, in the order they are asked (`skip` leaves some out).
    public var questions: [any UDPQuestion] = ProbeRegistry.udp

    public init(targets: [LinkTarget], limits: ScanLimits) {
        self.targets = targets
        self.limits = limits
    }

    /// One question asked of one host (`question`: its index in the questions asked).
    struct Heard: Hashable {
        var host: Int
        var question: Int
    }

    /// The questions through libpcap on `interface` (or through the kernel with
    /// `throughKernel`), answered on one bound kernel socket.
    public func run(on interface: NetworkInterface) throws -> Result {
        let socket = try KernelDatagramSocket(bound: interface.ipv4.v4Value)
        // Only for injecting frames; the filter admits nothing we read.
        let capture =
            throughKernel
            ? nil
            : try LiveCapture(interface: interface.name, filter: "udp and dst port \(socket.localPort)", snapLength: 64)
        return try run(link: capture, socket: socket, interface: interface, clock: SystemClock())
    }

    /// The questions as our own frames on `link` (or, without one, through `socket`'s
    /// kernel), the answers read from `socket`, paced and timed by `clock`.
    public func run(
        link capture: (any Link)?, socket: some DatagramSocket, interface: NetworkInterface, clock: some ScanClock
    ) throws -> Result {
        let start = clock.now()
        let ourIP = interface.ipv4.v4Value
        let ourPort = socket.localPort
        let asked = questions.filter { !skip.contains($0.name) }
        // An answer goes to the questions sent to the port it came from; from any other port,
        // to those whose answers may come from anywhere.
        var byPort: [UInt16: [Int]] = [:]
        for (i, question) in asked.enumerated() {
            for port in question.ports { byPort[port, default: []].append(i) }
        }
        let anyPort = asked.indices.filter { asked[$0].answerFromAnyPort }
        func limiter(hosts: Int) -> RateLimiter {
            let rate = min(limits.packetsPerSecond, max(1, Double(hosts)) * limits.perHostPacketsPerSecond)
            return RateLimiter(rate: rate, burst: max(1, rate / 200), stop: limits.stop)
        }
        var pace = limiter(hosts: targets.count)
        var signals: [IPAddress: Signals] = [:]
        var descriptions: [IPAddress: String] = [:]
        var heard = Set<Heard>()
        var memory: [Heard: UDPHostMemory] = [:]
        let byIP = Dictionary(targets.enumerated().map { ($1.ip.v4Value, $0) }, uniquingKeysWith: { a, _ in a })
        var sent = 0
        var id = UInt16(truncatingIfNeeded: seed)
        let requestBase = Int32(truncatingIfNeeded: seed >> 32) & 0x3FFF_FFFF

        func send(_ target: LinkTarget, _ request: UDPRequest) throws {
            guard request.payload.count <= 1_400 else { return }  // never fragment a question
            let wait = try pace.take(now: clock.now())
            if wait > 0 {
                receive()
                clock.sleep(min(wait, 1))
            }
            id &+= 1
            if let capture {
                try capture.send(
                    IPv4Frames.udp(
                        from: interface.mac, to: target.mac, source: ourIP, destination: target.ip.v4Value,
                        sourcePort: ourPort, port: request.port, id: id, payload: request.payload))
            } else {
                socket.send(to: target.ip.v4Value, port: request.port, request.payload)
            }
            sent += 1
        }
        func ask(_ index: Int, round: Int) -> UDPAsk {
            UDPAsk(
                target: targets[index], round: round, communities: communities, requestID: requestBase + Int32(index),
                frameID: id)
        }
        var followUps: [(Int, @Sendable (UDPAsk) -> [UDPRequest])] = []
        func receive() {
            socket.receive(limit: 256) { from, port, bytes in
                guard let index = byIP[from] else { return }
                let ip = targets[index].ip
                for question in byPort[port] ?? anyPort {
                    let key = Heard(host: index, question: question)
                    guard let reading = asked[question].read(port: port, bytes, memory: &memory[key, default: .init()])
                    else { continue }
                    heard.insert(key)
                    if let location = reading.description, descriptions[ip] == nil { descriptions[ip] = location }
                    if let followUp = reading.followUp { followUps.append((index, followUp)) }
                    signals[ip, default: Signals()].merge(reading.signals)
                    return
                }
            }
        }
        func sendFollowUps() throws {
            while let (index, followUp) = followUps.popLast() {
                for request in followUp(ask(index, round: limits.retries + 1)) { try send(targets[index], request) }
            }
        }
        var order = Array(targets.indices)
        var generator = SplitMix(seed: seed)
        order.shuffle(using: &generator)
        for round in 0...limits.retries {
            if round > 0 {
                listen(for: settle, clock: clock, receive)
                // Only hosts silent to a retried question are asked again: pace for them alone.
                pace = limiter(
                    hosts: order.filter { index in
                        asked.indices.contains {
                            asked[$0].retried && !heard.contains(Heard(host: index, question: $0))
                        }
                    }.count)
            }
            for (q, question) in asked.enumerated() where round == 0 || question.retried {
                for index in order where !heard.contains(Heard(host: index, question: q)) {
                    for request in question.requests(ask(index, round: round)) { try send(targets[index], request) }
                    if sent % 32 == 0 { receive() }
                }
            }
        }
        // Listen, asking the follow-ups (DNS-SD TXT, SNMP v1 columns) as their answers come;
        // an absolute deadline, so a peer that keeps answering cannot keep the phase open.
        let deadline = clock.now() + settle + min(2, settle * 2)
        while clock.now() < deadline {
            receive()
            try sendFollowUps()
            clock.sleep(0.002)
        }
        receive()
        return Result(signals: signals, descriptions: descriptions, packetsSent: sent, seconds: clock.now() - start)
    }
}
