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

    enum Kind: Int, CaseIterable { case snmp, snmpV3, nbns, mdns, ssdp, wsd }

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

    /// DNS-SD instances asked for their TXT per host, at most.
    static let maximumInstances = 32

    public func run(on interface: NetworkInterface) throws -> Result {
        let start = monotonicSeconds()
        let ourIP = interface.ipv4.v4Value
        let (fd, ourPort) = try Sockets.boundUDP(ourIP)
        defer { close(fd) }
        // Only for injecting frames; the filter admits nothing we read.
        let capture =
            throughKernel
            ? nil : try LiveCapture(interface: interface.name, filter: "udp and dst port \(ourPort)", snapLength: 64)
        func limiter(hosts: Int) -> RateLimiter {
            let rate = min(limits.packetsPerSecond, max(1, Double(hosts)) * limits.perHostPacketsPerSecond)
            return RateLimiter(rate: rate, burst: max(1, rate / 200))
        }
        var pace = limiter(hosts: targets.count)
        var signals: [IPAddress: Signals] = [:]
        var descriptions: [IPAddress: String] = [:]
        var heard = Set<Int>()  // host index * 8 + kind
        var askedText = Set<String>()  // "host index|instance"
        var textAsked = [Int](repeating: 0, count: targets.count)
        var snmpV1FollowedUp = Set<Int>()
        let byIP = Dictionary(targets.enumerated().map { ($1.ip.v4Value, $0) }, uniquingKeysWith: { a, _ in a })
        var sent = 0
        var id = UInt16(truncatingIfNeeded: seed)
        let requestBase = Int32(truncatingIfNeeded: seed >> 32) & 0x3FFF_FFFF

        func send(_ target: LinkTarget, port: UInt16, _ payload: [UInt8]) throws {
            guard payload.count <= 1_400 else { return }  // never fragment a question
            let wait = pace.take(now: monotonicSeconds())
            if wait > 0 {
                receive()
                usleep(UInt32(min(wait, 1) * 1e6))
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
        var textFollowUps: [(Int, [String])] = []
        var snmpFollowUps: [(Int, String)] = []
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
                    // A v1 agent fails a whole request on one missing object: its columns are
                    // asked one by one once it has answered the system group.
                    if message.version == 0, message.errorStatus == 0, snmpV1FollowedUp.insert(index).inserted,
                        let community = message.community
                    {
                        snmpFollowUps.append((index, community))
                    }
                case 137:
                    guard let info = try? NBNSInfo.parse(bytes) else { return }
                    got = ProbeAnswers.nbns(info)
                    heard.insert(index * 8 + Kind.nbns.rawValue)
                case 5353:
                    guard let message = try? DNSMessage.parse(bytes), message.isResponse else { return }
                    let (s, instances) = ProbeAnswers.dnssd(message)
                    got = s
                    heard.insert(index * 8 + Kind.mdns.rawValue)
                    var fresh: [String] = []
                    for name in instances where textAsked[index] < Self.maximumInstances {
                        if askedText.insert("\(index)|\(name.lowercased())").inserted {
                            fresh.append(name)
                            textAsked[index] += 1
                        }
                    }
                    if !fresh.isEmpty { textFollowUps.append((index, fresh)) }
                case ProbeRequests.wsdPort:
                    got = ProbeAnswers.wsd(bytes)
                    guard !got.isEmpty else { return }
                    heard.insert(index * 8 + Kind.wsd.rawValue)
                default:
                    // SSDP answers come from 1900 or, from some stacks, a fresh port of their own.
                    guard bytes.starts(with: Array("HTTP/1.".utf8)), let head = try? HTTPHead.parse(bytes) else {
                        return
                    }
                    let (s, location) = ProbeAnswers.ssdp(head)
                    got = s
                    heard.insert(index * 8 + Kind.ssdp.rawValue)
                    if let location, descriptions[ip] == nil { descriptions[ip] = location }
                }
                signals[ip, default: Signals()].merge(got)
            }
        }
        /// One SNMP request to host `index`: `version` 0 (v1) or 1 (v2c), `pdu` GET or GET-NEXT.
        func snmp(_ index: Int, _ version: Int, _ community: String, _ pdu: UInt8, _ oids: [String]) throws {
            try send(
                targets[index], port: 161,
                ProbeRequests.snmp(
                    version: version, community: community, pdu: pdu, requestID: requestBase + Int32(index), oids: oids)
            )
        }
        func ask(_ index: Int, _ kind: Kind, round: Int) throws {
            let target = targets[index]
            let request = requestBase + Int32(index)
            switch kind {
            case .snmp where round == 0:
                for community in communities {
                    try snmp(index, 1, community, 0xA0, ProbeRequests.snmpGetOIDs)
                    try snmp(index, 1, community, 0xA1, ProbeRequests.snmpNextOIDs)
                }
            case .snmp:
                // v1 for agents silent to v2c: first the system group, which every agent has.
                for community in communities { try snmp(index, 0, community, 0xA0, ProbeRequests.snmpSystemOIDs) }
            case .snmpV3: try send(target, port: 161, ProbeRequests.snmpV3Discovery(messageID: request))
            case .nbns: try send(target, port: 137, ProbeRequests.nbnsNodeStatus(id: id))
            case .mdns:
                try send(
                    target, port: 5353,
                    ProbeRequests.dnsQuery(id: id, names: ProbeRequests.dnssdServices, type: DNSMessage.ptr))
            case .ssdp: try send(target, port: 1900, ProbeRequests.ssdpSearch(host: target.ip.description))
            case .wsd: try send(target, port: ProbeRequests.wsdPort, ProbeRequests.wsdProbe(messageID: UUID()))
            }
        }
        func sendFollowUps() throws {
            while let (index, names) = textFollowUps.popLast() {
                // Several queries if need be, each well under one frame.
                for query in ProbeRequests.dnsQueries(id: id, names: names, type: DNSMessage.txt) {
                    try send(targets[index], port: 5353, query)
                }
            }
            while let (index, community) = snmpFollowUps.popLast() {
                for oid in ProbeRequests.snmpGetOIDs where !ProbeRequests.snmpSystemOIDs.contains(oid) {
                    try snmp(index, 0, community, 0xA0, [oid])
                }
                for oid in ProbeRequests.snmpNextOIDs { try snmp(index, 0, community, 0xA1, [oid]) }
            }
        }
        var order = Array(targets.indices)
        var generator = SplitMix(seed: seed)
        order.shuffle(using: &generator)
        for round in 0...limits.retries {
            if round > 0 {
                listen(for: settle, receive)
                // Only hosts silent to SNMP are asked again: pace for them alone.
                pace = limiter(hosts: order.filter { !heard.contains($0 * 8 + Kind.snmp.rawValue) }.count)
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
        // Listen, asking the follow-ups (DNS-SD TXT, SNMP v1 columns) as their answers come;
        // an absolute deadline, so a peer that keeps answering cannot keep the phase open.
        let deadline = monotonicSeconds() + settle + min(2, settle * 2)
        while monotonicSeconds() < deadline {
            receive()
            try sendFollowUps()
            usleep(2_000)
        }
        receive()
        return Result(
            signals: signals, descriptions: descriptions, packetsSent: sent, seconds: monotonicSeconds() - start)
    }
}
