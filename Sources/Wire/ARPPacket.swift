/// An ARP message for IPv4 over Ethernet (RFC 826): the codec of the ARP sweep. Pure
/// `bytes -> value` and back; anything but Ethernet/IPv4 ARP with the right lengths is refused
/// with the byte at fault, since replies come from whoever is on the wire. Addresses are the
/// IPv4 address as a big-endian `UInt32` (Discovery reads them as `IPAddress`).
public struct ARPPacket: Equatable, Sendable {
    public static let request: UInt16 = 1
    public static let reply: UInt16 = 2

    public var operation: UInt16
    public var senderMAC: [UInt8]
    public var senderIPv4: UInt32
    public var targetMAC: [UInt8]
    public var targetIPv4: UInt32

    public init(operation: UInt16, senderMAC: [UInt8], senderIPv4: UInt32, targetMAC: [UInt8], targetIPv4: UInt32) {
        self.operation = operation
        self.senderMAC = senderMAC
        self.senderIPv4 = senderIPv4
        self.targetMAC = targetMAC
        self.targetIPv4 = targetIPv4
    }

    /// The sender's MAC as `aa:bb:cc:dd:ee:ff`.
    public var senderMACText: String { ByteText.mac(senderMAC) }

    /// Reads the ARP message in a captured frame; nil when the frame carries no ARP at all.
    public static func parse(linkType: Int32, frame: [UInt8]) throws -> ARPPacket? {
        guard let (type, offset) = Frames.network(linkType: linkType, frame), type == 0x0806 else { return nil }
        return try parse(frame[offset...])
    }

    /// Reads an ARP message (the bytes after the link-layer header).
    public static func parse(_ b: ArraySlice<UInt8>) throws -> ARPPacket {
        let o = b.startIndex
        guard b.count >= 8 else { throw CodecError("arp", 0, "\(b.count) bytes, shorter than the 8-byte header") }
        let hardware = UInt16(b[o]) << 8 | UInt16(b[o + 1])
        let proto = UInt16(b[o + 2]) << 8 | UInt16(b[o + 3])
        guard hardware == 1 else { throw CodecError("arp", 0, "hardware type \(hardware) is not Ethernet") }
        guard proto == 0x0800 else {
            throw CodecError("arp", 2, "protocol type 0x\(String(proto, radix: 16)) is not IPv4")
        }
        guard b[o + 4] == 6 else { throw CodecError("arp", 4, "hardware address length \(b[o + 4]), Ethernet's is 6") }
        guard b[o + 5] == 4 else { throw CodecError("arp", 5, "protocol address length \(b[o + 5]), IPv4's is 4") }
        guard b.count >= 28 else {
            throw CodecError("arp", b.count, "message ends early: 28 bytes needed, \(b.count) present")
        }
        let operation = UInt16(b[o + 6]) << 8 | UInt16(b[o + 7])
        guard operation == request || operation == reply else {
            throw CodecError("arp", 6, "operation \(operation) is neither request nor reply")
        }
        func ip(_ at: Int) -> UInt32 { b[(o + at)..<(o + at + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
        return ARPPacket(
            operation: operation, senderMAC: Array(b[(o + 8)..<(o + 14)]), senderIPv4: ip(14),
            targetMAC: Array(b[(o + 18)..<(o + 24)]), targetIPv4: ip(24))
    }

    /// Where the target address sits in `requestFrame`'s bytes.
    public static let targetIPRange = 38..<42

    /// A broadcast Ethernet frame asking who has `target`, padded to Ethernet's 60-byte minimum.
    public static func requestFrame(senderMAC: [UInt8], senderIPv4: UInt32, targetIPv4: UInt32) -> [UInt8] {
        precondition(senderMAC.count == 6)
        func bytes(_ v: UInt32) -> [UInt8] {
            [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        }
        var f: [UInt8] = Array(repeating: 0xFF, count: 6) + senderMAC + [0x08, 0x06]
        f += [0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01]
        f += senderMAC + bytes(senderIPv4) + Array(repeating: 0, count: 6) + bytes(targetIPv4)
        f += Array(repeating: 0, count: 60 - f.count)
        return f
    }
}
