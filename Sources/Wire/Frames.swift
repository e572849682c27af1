import Foundation

/// A UDP datagram taken out of a captured frame.
public struct UDPDatagram: Equatable, Sendable {
    public var source: String
    public var destination: String
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var payload: ArraySlice<UInt8>
}

/// Pure frame decoding: link layer (Ethernet with 802.1Q tags, Linux cooked, raw IP, BSD
/// loopback), IPv4/IPv6, UDP. Every read is bounds-checked; a short or malformed frame gives
/// nil, never a crash.
public enum Frames {
    public static func udp(linkType: Int32, _ bytes: [UInt8]) -> UDPDatagram? {
        guard let (etherType, offset) = network(linkType: linkType, bytes) else { return nil }
        switch etherType {
        case 0x0800: return ipv4(bytes, offset)
        case 0x86DD: return ipv6(bytes, offset)
        default: return nil
        }
    }

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16? {
        guard i >= 0, i + 1 < b.count else { return nil }
        return UInt16(b[i]) << 8 | UInt16(b[i + 1])
    }

    /// The network-layer protocol and where it starts.
    static func network(linkType: Int32, _ b: [UInt8]) -> (UInt16, Int)? {
        switch linkType {
        case 1:  // Ethernet
            var offset = 12
            var type = u16(b, offset)
            var tags = 0
            while let t = type, t == 0x8100 || t == 0x88A8, tags < 2 {  // VLAN tags
                offset += 4
                type = u16(b, offset)
                tags += 1
            }
            return type.map { ($0, offset + 2) }
        case 113:  // Linux cooked capture (SLL)
            return u16(b, 14).map { ($0, 16) }
        case 101, 12, 14:  // raw IP
            guard let first = b.first else { return nil }
            return (first >> 4 == 6 ? 0x86DD : 0x0800, 0)
        case 0, 108:  // BSD loopback: 4-byte address family
            guard b.count > 4 else { return nil }
            return (b[4] >> 4 == 6 ? 0x86DD : 0x0800, 4)
        default:
            return nil
        }
    }

    static func ipv4(_ b: [UInt8], _ o: Int) -> UDPDatagram? {
        guard o + 20 <= b.count, b[o] >> 4 == 4 else { return nil }
        let headerLength = Int(b[o] & 0x0F) * 4
        guard headerLength >= 20, b[o + 9] == 17, let total = u16(b, o + 2) else { return nil }
        // Fragments other than the first carry no UDP header.
        guard let fragment = u16(b, o + 6), fragment & 0x1FFF == 0 else { return nil }
        let source = b[(o + 12)..<(o + 16)].map(String.init).joined(separator: ".")
        let destination = b[(o + 16)..<(o + 20)].map(String.init).joined(separator: ".")
        let end = min(b.count, o + Int(total))
        return udpHeader(b, o + headerLength, end: end, source, destination)
    }

    static func ipv6(_ b: [UInt8], _ o: Int) -> UDPDatagram? {
        guard o + 40 <= b.count, b[o] >> 4 == 6, let payloadLength = u16(b, o + 4) else { return nil }
        var next = b[o + 6]
        var offset = o + 40
        var hops = 0
        // Skip hop-by-hop, routing and destination option headers.
        while [0, 43, 60].contains(next), hops < 8, offset + 8 <= b.count {
            next = b[offset]
            offset += (Int(b[offset + 1]) + 1) * 8
            hops += 1
        }
        guard next == 17 else { return nil }
        func text(_ r: Range<Int>) -> String { ByteText.ipv6(b[r]) }
        let end = min(b.count, o + 40 + Int(payloadLength))
        return udpHeader(b, offset, end: end, text((o + 8)..<(o + 24)), text((o + 24)..<(o + 40)))
    }

    static func udpHeader(_ b: [UInt8], _ o: Int, end: Int, _ source: String, _ destination: String) -> UDPDatagram? {
        guard o + 8 <= end, let sp = u16(b, o), let dp = u16(b, o + 2), let length = u16(b, o + 4) else { return nil }
        let payloadEnd = min(end, o + max(8, Int(length)))
        guard payloadEnd >= o + 8 else { return nil }
        return UDPDatagram(
            source: source, destination: destination, sourcePort: sp, destinationPort: dp,
            payload: b[(o + 8)..<payloadEnd])
    }
}
