import Foundation
import LedgerModel

/// Virtual time for the scan phases: it moves only when slept on, so a test of a sweep that
/// would take ten seconds takes none, and every frame carries the time it was sent at.
public final class FakeClock: ScanClock {
    public private(set) var time: Double

    public init(start: Double = 1_000) { time = start }

    public func now() -> Double { time }
    /// Every sleep moves time forward (by a microsecond at least, so no wait loop can spin).
    public func sleep(_ seconds: Double) { time += max(seconds, 0.000_001) }
}

/// A link to an in-memory network: every frame sent is recorded with its virtual time and
/// handed to `responder` (a set of hosts, usually a `FakeNetwork`); its answers arrive
/// `latency` seconds later, on `poll` or — datagrams to the socket's port — on the
/// `FakeDatagramSocket`.
public final class FakeLink: Link {
    public struct Sent {
        public var time: Double
        public var frame: [UInt8]
    }

    public let linkType: Int32 = 1
    public let clock: FakeClock
    public var latency: Double = 0.002
    public private(set) var sent: [Sent] = []
    let responder: ([UInt8]) -> [[UInt8]]
    var inFlight: [(at: Double, frame: [UInt8])] = []
    var frames: [[UInt8]] = []
    var datagrams: [[UInt8]] = []
    /// The UDP port the datagram socket listens on: answers to it go there, not to `poll`.
    var socketPort: UInt16?

    public init(clock: FakeClock, responder: @escaping ([UInt8]) -> [[UInt8]]) {
        self.clock = clock
        self.responder = responder
    }

    public func send(_ frame: [UInt8]) throws {
        sent.append(Sent(time: clock.now(), frame: frame))
        for answer in responder(frame) { inFlight.append((clock.now() + latency, answer)) }
    }

    public func poll(limit: Int, _ body: ([UInt8]) -> Void) {
        release()
        let n = min(limit, frames.count)
        let due = frames.prefix(n)
        frames.removeFirst(n)
        for frame in due { body(frame) }
    }

    /// Moves the answers whose time has come to where they are read.
    func release() {
        let now = clock.now()
        var later: [(at: Double, frame: [UInt8])] = []
        for item in inFlight {
            guard item.at <= now else {
                later.append(item)
                continue
            }
            if let port = socketPort, let udp = Frames.udp(linkType: 1, item.frame), udp.destinationPort == port {
                datagrams.append(item.frame)
            } else {
                frames.append(item.frame)
            }
        }
        inFlight = later
    }
}

/// The bound UDP socket of the fake network: the datagrams its link's hosts send to `localPort`;
/// what it sends (the unprivileged path) goes out on the link as a frame from `interface`.
public final class FakeDatagramSocket: DatagramSocket {
    public let localPort: UInt16
    let link: FakeLink
    let interface: NetworkInterface
    var id: UInt16 = 0

    public init(link: FakeLink, interface: NetworkInterface, port: UInt16 = 50_000) {
        self.link = link
        self.interface = interface
        localPort = port
        link.socketPort = port
    }

    public func send(to ip: UInt32, port: UInt16, _ payload: [UInt8]) {
        id &+= 1
        // The kernel would resolve the MAC; the fake network goes by address.
        try? link.send(
            IPv4Frames.udp(
                from: interface.mac, to: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], source: interface.ipv4.v4Value,
                destination: ip, sourcePort: localPort, port: port, id: id, payload: payload))
    }

    public func receive(limit: Int, _ body: (UInt32, UInt16, ArraySlice<UInt8>) -> Void) {
        link.release()
        let n = min(limit, link.datagrams.count)
        let due = link.datagrams.prefix(n)
        link.datagrams.removeFirst(n)
        for frame in due {
            guard let udp = Frames.udp(linkType: 1, frame), let source = IPAddress(udp.source) else { continue }
            body(source.v4Value, udp.sourcePort, udp.payload)
        }
    }
}

/// One host of the fake network: what it answers on ARP, TCP and UDP.
public struct FakeHost {
    /// One datagram a host sends back: from which of its ports, with what bytes.
    public struct Datagram {
        public var port: UInt16
        public var payload: [UInt8]
        public init(port: UInt16, _ payload: [UInt8]) {
            self.port = port
            self.payload = payload
        }
    }

    public var ip: IPAddress
    public var mac: [UInt8]
    /// Ports that answer a SYN with SYN-ACK (and take connections on `FakeTCP`).
    public var openPorts: Set<UInt16> = []
    /// Ports that drop SYNs; every other port answers with a reset.
    public var filteredPorts: Set<UInt16> = []
    /// Whether the host answers ARP at all.
    public var answersARP = true
    /// How many ARP requests are lost before the host hears one.
    public var lostARPRequests = 0
    /// Its UDP services: the question's payload in, the answers out.
    public var udp: [UInt16: ([UInt8]) -> [Datagram]] = [:]
    /// Its TCP services, for `FakeTCP`.
    public var tcp: [UInt16: FakeTCPService] = [:]

    public init(ip: String, mac: [UInt8]) {
        self.ip = IPAddress(ip)!
        self.mac = mac
    }
}

/// A set of `FakeHost`s answering frames as a small LAN would: ARP requests for their address,
/// SYNs with SYN-ACK (open), RST (closed) or nothing (filtered), UDP questions with their
/// services' answers, ICMP echo with a reply. Frames to anyone else are heard by no one.
public final class FakeNetwork {
    public var hosts: [FakeHost]
    var index: [UInt32: Int] = [:]

    public init(hosts: [FakeHost]) {
        self.hosts = hosts
        for (i, h) in hosts.enumerated() { index[h.ip.v4Value] = i }
    }

    /// A link onto this network with its own virtual clock.
    public func link(clock: FakeClock = FakeClock()) -> FakeLink {
        FakeLink(clock: clock) { self.respond($0) }
    }

    /// The TCP side of the same hosts.
    public func tcp() -> FakeTCP {
        var services: [UInt32: [UInt16: FakeTCPService]] = [:]
        for h in hosts { services[h.ip.v4Value] = h.tcp }
        return FakeTCP(services: services)
    }

    /// The answers of whoever the frame is for.
    public func respond(_ frame: [UInt8]) -> [[UInt8]] {
        guard frame.count >= 34 else { return [] }
        let type = UInt16(frame[12]) << 8 | UInt16(frame[13])
        let senderMAC = Array(frame[6..<12])
        if type == 0x0806 {
            guard let arp = try? ARPPacket.parse(linkType: 1, frame: frame), arp.operation == ARPPacket.request,
                let i = index[arp.targetIP.v4Value], hosts[i].answersARP
            else { return [] }
            if hosts[i].lostARPRequests > 0 {
                hosts[i].lostARPRequests -= 1
                return []
            }
            let h = hosts[i]
            var f = arp.senderMAC + h.mac + [0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02]
            f += h.mac + h.ip.bytes + arp.senderMAC + arp.senderIP.bytes
            return [f + Array(repeating: 0, count: 60 - f.count)]
        }
        guard type == 0x0800, frame[14] >> 4 == 4 else { return [] }
        let source = u32(frame, 26), destination = u32(frame, 30)
        guard let i = index[destination] else { return [] }
        let h = hosts[i]
        let t = 14 + Int(frame[14] & 0x0F) * 4
        switch frame[23] {
        case 6:
            guard let s = TCPSegmentHead.parse(linkType: 1, frame), s.flags & 0x12 == IPv4Frames.tcpSYN,
                !h.filteredPorts.contains(s.destinationPort)
            else { return [] }
            let open = h.openPorts.contains(s.destinationPort) || h.tcp[s.destinationPort] != nil
            return [
                Self.tcp(
                    from: h.mac, to: senderMAC, source: destination, destination: source, sourcePort: s.destinationPort,
                    port: s.sourcePort, sequence: 0x1000_0000 ^ destination, acknowledgement: s.sequence &+ 1,
                    flags: open ? 0x12 : 0x14)
            ]
        case 17:
            guard let udp = Frames.udp(linkType: 1, frame), let service = h.udp[udp.destinationPort] else { return [] }
            return service(Array(udp.payload)).map {
                IPv4Frames.udp(
                    from: h.mac, to: senderMAC, source: destination, destination: source, sourcePort: $0.port,
                    port: udp.sourcePort, id: 1, payload: $0.payload)
            }
        case 1:
            guard frame.count >= t + 8, frame[t] == 8 else { return [] }
            var reply = frame
            reply.replaceSubrange(0..<12, with: senderMAC + h.mac)
            reply.replaceSubrange(26..<34, with: frame[30..<34] + frame[26..<30])
            reply[t] = 0
            return [reply]
        default: return []
        }
    }

    func u32(_ b: [UInt8], _ i: Int) -> UInt32 { b[i..<(i + 4)].reduce(0) { $0 << 8 | UInt32($1) } }

    /// A TCP segment without payload (the parsers do not check checksums; these are valid anyway).
    static func tcp(
        from sourceMAC: [UInt8], to destinationMAC: [UInt8], source: UInt32, destination: UInt32,
        sourcePort: UInt16, port: UInt16, sequence: UInt32, acknowledgement: UInt32, flags: UInt8
    ) -> [UInt8] {
        func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func be32(_ v: UInt32) -> [UInt8] { be16(UInt16(v >> 16)) + be16(UInt16(v & 0xFFFF)) }
        var tcp = be16(sourcePort) + be16(port) + be32(sequence) + be32(acknowledgement)
        tcp += [0x50, flags] + be16(1024) + [0, 0, 0, 0]
        let pseudo = be32(source) + be32(destination) + [0, 6] + be16(UInt16(tcp.count))
        let sum = IPv4Frames.checksum((pseudo + tcp)[...])
        tcp[16] = UInt8(sum >> 8)
        tcp[17] = UInt8(sum & 0xFF)
        var ip: [UInt8] = [0x45, 0] + be16(UInt16(20 + tcp.count)) + [0, 1, 0, 0, 64, 6, 0, 0]
        ip += be32(source) + be32(destination)
        let ipSum = IPv4Frames.checksum(ip[...])
        ip[10] = UInt8(ipSum >> 8)
        ip[11] = UInt8(ipSum & 0xFF)
        let f = destinationMAC + sourceMAC + [0x08, 0x00] + ip + tcp
        return f + Array(repeating: 0, count: max(0, 60 - f.count))
    }
}

/// One TCP service of a fake host: what it says on connect, how it answers each write, and
/// (for HTTPS) the TLS conversation's answer.
public struct FakeTCPService: Sendable {
    public var greeting: [UInt8]
    public var reply: @Sendable ([UInt8]) -> [UInt8]
    public var tls: TLSAnswer?

    public init(
        greeting: [UInt8] = [], tls: TLSAnswer? = nil, reply: @escaping @Sendable ([UInt8]) -> [UInt8] = { _ in [] }
    ) {
        self.greeting = greeting
        self.reply = reply
        self.tls = tls
    }
}

/// The fake network's TCP: connections to the hosts' services (a port without one refuses),
/// and a record of every byte that reached each port.
public final class FakeTCP: TCPConnector, @unchecked Sendable {
    public struct Received: Equatable, Sendable {
        public var ip: IPAddress
        public var port: UInt16
        public var bytes: [UInt8]
    }

    let lock = NSLock()
    let services: [UInt32: [UInt16: FakeTCPService]]
    var record: [Received] = []
    var connects: [(IPAddress, UInt16)] = []

    public init(services: [UInt32: [UInt16: FakeTCPService]]) { self.services = services }

    /// Every write (and every TLS handshake, as `TCPGate.tlsClientHello` + the request), in order.
    public var received: [Received] { lock.withLock { record } }
    /// Every connection made: address and port.
    public var connections: [(ip: IPAddress, port: UInt16)] { lock.withLock { connects.map { ($0.0, $0.1) } } }

    func service(_ ip: UInt32, _ port: UInt16) throws -> FakeTCPService {
        guard let s = services[ip]?[port] else { throw ScanError(.socket, "connect to port \(port) failed: refused") }
        lock.withLock { connects.append((IPAddress(v4: ip), port)) }
        return s
    }

    func note(_ ip: UInt32, _ port: UInt16, _ bytes: [UInt8]) {
        lock.withLock { record.append(Received(ip: IPAddress(v4: ip), port: port, bytes: bytes)) }
    }

    public func connect(_ ip: UInt32, _ port: UInt16, timeout: Double) throws -> any TCPStream {
        FakeTCPStream(tcp: self, ip: ip, port: port, service: try service(ip, port))
    }

    public func tls(_ ip: UInt32, _ port: UInt16, request: [UInt8], timeout: Double, maxBytes: Int) throws
        -> TLSAnswer
    {
        let s = try service(ip, port)
        note(ip, port, TCPGate.tlsClientHello + request)
        guard let answer = s.tls else { throw ScanError(.socket, "TLS handshake with port \(port) failed") }
        return answer
    }
}

final class FakeTCPStream: TCPStream {
    let tcp: FakeTCP
    let ip: UInt32
    let port: UInt16
    let service: FakeTCPService
    var pending: [UInt8]

    init(tcp: FakeTCP, ip: UInt32, port: UInt16, service: FakeTCPService) {
        self.tcp = tcp
        self.ip = ip
        self.port = port
        self.service = service
        pending = service.greeting
    }

    func write(_ bytes: [UInt8]) -> Bool {
        tcp.note(ip, port, bytes)
        pending += service.reply(bytes)
        return true
    }

    func read(maxBytes: Int, done: ([UInt8]) -> Bool) -> [UInt8] {
        let n = min(maxBytes, pending.count)
        defer { pending.removeFirst(n) }
        return Array(pending.prefix(n))
    }
}
