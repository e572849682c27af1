import Foundation
import LedgerModel

#if canImport(Glibc)
    import Glibc
#endif

/// The UDP questions every live host is asked: SNMP GET and GET-NEXT for each community
/// (v2c, then v1 for the silent), the SNMPv3 engine discovery, the NetBIOS node status,
/// DNS-SD over the host's mDNS port and an SSDP M-SEARCH. The questions leave as our own
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

    enum Kind: Int, CaseIterable { case snmp, snmpV3, nbns, mdns, ssdp }

    /// The questions by name, for `--skip`.
    public static let probeNames = ["snmp", "snmpv3", "nbns", "mdns", "ssdp", "wsd"]
    static func name(_ kind: Kind) -> String { probeNames[kind.rawValue] }

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

    public init(targets: [LinkTarget], limits: ScanLimits) {
        self.targets = targets
        self.limits = limits
    }

    public func run(on interface: NetworkInterface) throws -> Result {
        let start = monotonicSeconds()
        let ourIP = interface.ipv4.v4Value
        let (fd, ourPort) = try Sockets.boundUDP(ourIP)
        defer { close(fd) }
        // Only for injecting frames; the filter admits nothing we read.
        let capture =
            throughKernel
            ? nil : try LiveCapture(interface: interface.name, filter: "udp and dst port \(ourPort)", snapLength: 64)
        let rate = min(limits.packetsPerSecond, max(1, Double(targets.count)) * limits.perHostPacketsPerSecond)
        var limiter = RateLimiter(rate: rate, burst: max(1, rate / 200))
        var signals: [IPAddress: Signals] = [:]
        var descriptions: [IPAddress: String] = [:]
        var heard = Set<Int>()  // host index * 8 + kind
        var askedText = Set<String>()
        let byIP = Dictionary(targets.enumerated().map { ($1.ip.v4Value, $0) }, uniquingKeysWith: { a, _ in a })
        var sent = 0
        var id = UInt16(truncatingIfNeeded: seed)
        let requestBase = Int32(truncatingIfNeeded: seed >> 32) & 0x3FFF_FFFF

        func send(_ target: LinkTarget, port: UInt16, _ payload: [UInt8]) throws {
            let wait = limiter.take(now: monotonicSeconds())
            if wait > 0 {
                receive()
                usleep(UInt32(wait * 1e6))
            }
            id &+= 1
            if let capture {
                try capture.send(
                    IPv4Frames.udp(
                        from: interface.mac, to: target.mac, source: ourIP, destination: target.ip.v4Value,
                        sourcePort: ourPort, port: port, id: id, payload: payload))
            } else {
                var a = Sockets.address(target.ip.v4Value, port)
                _ = payload.withUnsafeBytes { bytes in
                    withUnsafePointer(to: &a) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                        }
                    }
                }
            }
            sent += 1
        }
        var followUps: [(Int, [String])] = []
        func receive() {
            Sockets.receive(fd) { from, port, bytes in
                guard let index = byIP[from] else { return }
                let ip = targets[index].ip
                var got = Signals()
                switch port {
                case 161:
                    guard let message = try? SNMPMessage.parse(bytes) else { return }
                    got = ProbeAnswers.snmp(message)
                    heard.insert(index * 8 + (message.version == 3 ? Kind.snmpV3 : Kind.snmp).rawValue)
                case 137:
                    guard let info = try? NBNSInfo.parse(bytes) else { return }
                    got = ProbeAnswers.nbns(info)
                    heard.insert(index * 8 + Kind.nbns.rawValue)
                case 5353:
                    guard let message = try? DNSMessage.parse(bytes), message.isResponse else { return }
                    let (s, instances) = ProbeAnswers.dnssd(message)
                    got = s
                    heard.insert(index * 8 + Kind.mdns.rawValue)
                    let fresh = instances.filter { askedText.insert($0.lowercased()).inserted }
                    if !fresh.isEmpty { followUps.append((index, fresh)) }
                case ProbeRequests.wsdPort:
                    got = ProbeAnswers.wsd(bytes)
                    guard !got.isEmpty else { return }
                case 1900:
                    guard let head = try? HTTPHead.parse(bytes) else { return }
                    let (s, location) = ProbeAnswers.ssdp(head)
                    got = s
                    heard.insert(index * 8 + Kind.ssdp.rawValue)
                    if let location, descriptions[ip] == nil { descriptions[ip] = location }
                default: return
                }
                signals[ip, default: Signals()].merge(got)
            }
        }
        func ask(_ index: Int, _ kind: Kind, round: Int) throws {
            let target = targets[index]
            switch kind {
            case .snmp:
                let version = round == 0 ? 1 : 0
                for community in communities {
                    try send(
                        target, port: 161,
                        ProbeRequests.snmp(
                            version: version, community: community, pdu: 0xA0, requestID: requestBase + Int32(index),
                            oids: ProbeRequests.snmpGetOIDs))
                    try send(
                        target, port: 161,
                        ProbeRequests.snmp(
                            version: version, community: community, pdu: 0xA1, requestID: requestBase + Int32(index),
                            oids: ProbeRequests.snmpNextOIDs))
                }
            case .snmpV3:
                try send(target, port: 161, ProbeRequests.snmpV3Discovery(messageID: requestBase + Int32(index)))
            case .nbns: try send(target, port: 137, ProbeRequests.nbnsNodeStatus(id: id))
            case .mdns:
                try send(
                    target, port: 5353,
                    ProbeRequests.dnsQuery(id: id, names: ProbeRequests.dnssdServices, type: DNSMessage.ptr))
            case .ssdp: try send(target, port: 1900, ProbeRequests.ssdpSearch(host: target.ip.description))
            }
        }
        var order = Array(targets.indices)
        var generator = SplitMix(seed: seed)
        order.shuffle(using: &generator)
        for round in 0...limits.retries {
            if round > 0 { listen(for: settle, receive) }
            // WS-Discovery listens on its multicast group only: one Probe there per round
            // (through the kernel, from our port), answered by unicast.
            if !skip.contains("wsd") {
                wsdProbe(fd, from: ourIP)
                sent += 1
            }
            for kind in Kind.allCases where !skip.contains(Self.name(kind)) {
                for index in order where !heard.contains(index * 8 + kind.rawValue) {
                    // SNMP retried (as v1) only for hosts silent to v2c; the others once each.
                    if round > 0 && kind != .snmp { continue }
                    try ask(index, kind, round: round)
                    if sent % 32 == 0 { receive() }
                }
            }
        }
        // Listen, asking for the TXT of DNS-SD instances whose answer left it out.
        var deadline = monotonicSeconds() + settle
        while monotonicSeconds() < deadline {
            receive()
            while let (index, names) = followUps.popLast() {
                try send(targets[index], port: 5353, ProbeRequests.dnsQuery(id: id, names: names, type: DNSMessage.txt))
                deadline = max(deadline, monotonicSeconds() + min(settle, 1))
            }
            usleep(2_000)
        }
        receive()
        return Result(
            signals: signals, descriptions: descriptions, packetsSent: sent, seconds: monotonicSeconds() - start)
    }

    func wsdProbe(_ fd: Int32, from ourIP: UInt32) {
        var interface = in_addr(s_addr: ourIP.bigEndian)
        setsockopt(fd, Int32(IPPROTO_IP), IP_MULTICAST_IF, &interface, socklen_t(MemoryLayout<in_addr>.size))
        var ttl: UInt8 = 1  // this link only
        setsockopt(fd, Int32(IPPROTO_IP), IP_MULTICAST_TTL, &ttl, 1)
        var group = Sockets.address(ProbeRequests.wsdGroup, ProbeRequests.wsdPort)
        let probe = ProbeRequests.wsdProbe(messageID: UUID())
        _ = probe.withUnsafeBytes { bytes in
            withUnsafePointer(to: &group) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }
}
