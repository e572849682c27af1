import Foundation

/// Ethernet + IPv4 frames the scanner writes itself, so probes reach thousands of on-link
/// hosts without the kernel resolving (and holding a neighbour entry for) each one: TCP SYN
/// for the port scan and UDP for the stateless SNMP, NetBIOS and mDNS questions. Pure
/// functions over bytes; the sender owns the I/O.
public enum IPv4Frames {
    public static let tcpSYN: UInt8 = 0x02, tcpRST: UInt8 = 0x04, tcpACK: UInt8 = 0x10

    /// A TCP SYN from `source`:`sourcePort` to `destination`:`port` carrying `sequence` and an
    /// MSS option, as an operating system's connect would send it.
    public static func syn(
        from sourceMAC: [UInt8], to destinationMAC: [UInt8], source: UInt32, destination: UInt32,
        sourcePort: UInt16, port: UInt16, sequence: UInt32, id: UInt16
    ) -> [UInt8] {
        var tcp = [UInt8]()
        tcp.reserveCapacity(24)
        append16(&tcp, sourcePort)
        append16(&tcp, port)
        append32(&tcp, sequence)
        append32(&tcp, 0)
        tcp += [0x60, tcpSYN]  // header 6 words (one option word), SYN
        append16(&tcp, 1024)  // window
        tcp += [0, 0, 0, 0]  // checksum, urgent pointer
        tcp += [2, 4, 0x05, 0xB4]  // MSS 1460
        return frame(
            from: sourceMAC, to: destinationMAC, source: source, destination: destination, protocol: 6, id: id,
            payload: tcp, checksumAt: 16)
    }

    /// A UDP datagram in an Ethernet frame.
    public static func udp(
        from sourceMAC: [UInt8], to destinationMAC: [UInt8], source: UInt32, destination: UInt32,
        sourcePort: UInt16, port: UInt16, id: UInt16, payload: [UInt8]
    ) -> [UInt8] {
        var udp = [UInt8]()
        udp.reserveCapacity(8 + payload.count)
        append16(&udp, sourcePort)
        append16(&udp, port)
        append16(&udp, UInt16(8 + payload.count))
        udp += [0, 0]
        udp += payload
        return frame(
            from: sourceMAC, to: destinationMAC, source: source, destination: destination, protocol: 17, id: id,
            payload: udp, checksumAt: 6)
    }

    static func frame(
        from sourceMAC: [UInt8], to destinationMAC: [UInt8], source: UInt32, destination: UInt32, protocol proto: UInt8,
        id: UInt16, payload: [UInt8], checksumAt: Int
    ) -> [UInt8] {
        precondition(sourceMAC.count == 6 && destinationMAC.count == 6 && payload.count <= 1480)
        var f = destinationMAC + sourceMAC + [0x08, 0x00]
        f.reserveCapacity(max(60, 34 + payload.count))
        var ip: [UInt8] = [0x45, 0]
        append16(&ip, UInt16(20 + payload.count))
        append16(&ip, id)
        ip += [0, 0, 64, proto, 0, 0]  // no fragmentation, TTL 64
        append32(&ip, source)
        append32(&ip, destination)
        let ipSum = checksum(ip[...])
        ip[10] = UInt8(ipSum >> 8)
        ip[11] = UInt8(ipSum & 0xFF)
        var segment = payload
        // The transport checksum covers a pseudo-header: addresses, protocol, length.
        var pseudo = [UInt8]()
        append32(&pseudo, source)
        append32(&pseudo, destination)
        pseudo += [0, proto]
        append16(&pseudo, UInt16(payload.count))
        var sum = checksum((pseudo + segment)[...])
        if proto == 17, sum == 0 { sum = 0xFFFF }
        segment[checksumAt] = UInt8(sum >> 8)
        segment[checksumAt + 1] = UInt8(sum & 0xFF)
        f += ip
        f += segment
        if f.count < 60 { f += Array(repeating: 0, count: 60 - f.count) }
        return f
    }

    /// An ICMP echo request (ping) with `identifier` and `sequence` and 8 bytes of payload.
    public static func echoRequest(
        from sourceMAC: [UInt8], to destinationMAC: [UInt8], source: UInt32, destination: UInt32, identifier: UInt16,
        sequence: UInt16, id: UInt16
    ) -> [UInt8] {
        var icmp: [UInt8] = [8, 0, 0, 0]
        append16(&icmp, identifier)
        append16(&icmp, sequence)
        icmp += Array("ALedger!".utf8)
        let sum = checksum(icmp[...])
        icmp[2] = UInt8(sum >> 8)
        icmp[3] = UInt8(sum & 0xFF)
        var f = destinationMAC + sourceMAC + [0x08, 0x00]
        var ip: [UInt8] = [0x45, 0]
        append16(&ip, UInt16(20 + icmp.count))
        append16(&ip, id)
        ip += [0, 0, 64, 1, 0, 0]
        append32(&ip, source)
        append32(&ip, destination)
        let ipSum = checksum(ip[...])
        ip[10] = UInt8(ipSum >> 8)
        ip[11] = UInt8(ipSum & 0xFF)
        f += ip + icmp
        if f.count < 60 { f += Array(repeating: 0, count: 60 - f.count) }
        return f
    }

    /// An ICMP echo reply in a captured frame: (source address, identifier, sequence), else nil.
    public static func echoReply(linkType: Int32, _ b: [UInt8]) -> (
        source: UInt32, identifier: UInt16, sequence: UInt16
    )? {
        guard let (type, o) = Frames.network(linkType: linkType, b), type == 0x0800, o + 20 <= b.count, b[o] >> 4 == 4,
            b[o + 9] == 1
        else { return nil }
        let t = o + Int(b[o] & 0x0F) * 4
        guard Int(b[o] & 0x0F) >= 5, t + 8 <= b.count, b[t] == 0, let identifier = Frames.u16(b, t + 4),
            let sequence = Frames.u16(b, t + 6)
        else { return nil }
        let source = b[(o + 12)..<(o + 16)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return (source, identifier, sequence)
    }

    /// The Internet checksum (RFC 1071).
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var sum: UInt32 = 0
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            sum &+= UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1])
            i += 2
        }
        if i < bytes.endIndex { sum &+= UInt32(bytes[i]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    static func append16(_ b: inout [UInt8], _ v: UInt16) { b += [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func append32(_ b: inout [UInt8], _ v: UInt32) {
        b += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }
}

/// The TCP header of a captured IPv4 segment: enough to read a SYN scan's answers.
public struct TCPSegmentHead: Equatable, Sendable {
    public var source: UInt32
    public var destination: UInt32
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var sequence: UInt32
    public var acknowledgement: UInt32
    public var flags: UInt8

    /// The segment's payload, bounded by the IP total length and the bytes captured.
    public var payload: ArraySlice<UInt8> = []

    public var isSynAck: Bool { flags & 0x12 == 0x12 }
    public var isReset: Bool { flags & IPv4Frames.tcpRST != 0 }

    /// Nil for anything that is not a whole IPv4 TCP header (short, fragment, other protocol).
    public static func parse(linkType: Int32, _ b: [UInt8]) -> TCPSegmentHead? {
        guard let (type, o) = Frames.network(linkType: linkType, b), type == 0x0800, o + 20 <= b.count,
            b[o] >> 4 == 4, b[o + 9] == 6
        else { return nil }
        let ihl = Int(b[o] & 0x0F) * 4
        guard ihl >= 20, let fragment = Frames.u16(b, o + 6), fragment & 0x1FFF == 0 else { return nil }
        let t = o + ihl
        guard t + 20 <= b.count else { return nil }
        func u32(_ i: Int) -> UInt32 { b[i..<(i + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
        let dataOffset = Int(b[t + 12] >> 4) * 4
        let end = min(b.count, o + Int(Frames.u16(b, o + 2) ?? 0))
        let payload = dataOffset >= 20 && t + dataOffset <= end ? b[(t + dataOffset)..<end] : []
        return TCPSegmentHead(
            source: u32(o + 12), destination: u32(o + 16), sourcePort: Frames.u16(b, t)!,
            destinationPort: Frames.u16(b, t + 2)!, sequence: u32(t + 4), acknowledgement: u32(t + 8),
            flags: b[t + 13], payload: payload)
    }
}

/// The probe cookie: a keyed hash of the target address and port put in the SYN's sequence
/// number, so an answer is recognised (its acknowledgement is cookie + 1) without a table of
/// what was sent, and stray or forged answers are not.
public struct ProbeCookie: Sendable {
    public let key: UInt64
    public init(key: UInt64 = UInt64.random(in: 1...UInt64.max)) { self.key = key }

    public func sequence(address: UInt32, port: UInt16) -> UInt32 {
        // SplitMix64 finaliser over key ^ (address, port).
        var z = key ^ (UInt64(address) << 16 | UInt64(port))
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return UInt32(truncatingIfNeeded: z)
    }

    /// Whether a captured segment answers one of our probes: it comes from the probed port to
    /// ours and acknowledges the cookie.
    public func answers(_ s: TCPSegmentHead, ourPort: UInt16) -> Bool {
        s.destinationPort == ourPort && s.acknowledgement == sequence(address: s.source, port: s.sourcePort) &+ 1
    }
}
