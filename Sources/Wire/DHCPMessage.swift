import Foundation

/// A DHCP/BOOTP message (RFC 2131/2132) as the passive listener reads it: who asks (client
/// MAC), and what the client says of itself — host name (option 12), vendor class (60, e.g.
/// `MSFT 5.0`, `HP LaserJet`), parameter request list (55, a fingerprint), requested address
/// (50). Pure and bounds-checked.
public struct DHCPMessage: Equatable, Sendable {
    /// 1 request, 2 reply (BOOTP op).
    public var op: UInt8
    public var clientMAC: String?
    public var clientAddress: String
    public var yourAddress: String
    /// Option 53: 1 discover, 2 offer, 3 request, 5 ack, 8 inform, ...
    public var messageType: UInt8?
    public var hostname: String?
    public var vendorClass: String?
    public var parameterRequestList: [UInt8] = []
    public var requestedAddress: String?
    /// Every option as it came (code -> value), for rules that need more.
    public var options: [UInt8: [UInt8]] = [:]

    public static func parse(_ input: ArraySlice<UInt8>) throws -> DHCPMessage {
        let b = Array(input)
        guard b.count >= 240 else { throw CodecError("dhcp", 0, "\(b.count) bytes, a BOOTP message has at least 240") }
        func ip(_ i: Int) -> String { b[i..<(i + 4)].map(String.init).joined(separator: ".") }
        var m = DHCPMessage(op: b[0], clientAddress: ip(12), yourAddress: ip(16))
        let hardwareLength = Int(b[2])
        if b[1] == 1 && hardwareLength == 6 {  // Ethernet
            m.clientMAC = ByteText.mac(b[28..<34])
        }
        guard b[236..<240].elementsEqual([0x63, 0x82, 0x53, 0x63]) else {
            return m  // plain BOOTP: no options
        }
        var i = 240
        while i < b.count {
            let code = b[i]
            if code == 0 {  // pad
                i += 1
                continue
            }
            if code == 255 { break }
            guard i + 1 < b.count else { throw CodecError("dhcp", i, "option \(code) has no length") }
            let length = Int(b[i + 1])
            guard i + 2 + length <= b.count else {
                throw CodecError("dhcp", i, "option \(code) of \(length) bytes runs past the message")
            }
            let value = Array(b[(i + 2)..<(i + 2 + length)])
            m.options[code, default: []] += value  // RFC 3396: split options concatenate
            i += 2 + length
        }
        m.messageType = m.options[53]?.first
        m.hostname = m.options[12].map { String(decoding: $0, as: UTF8.self) }
        m.vendorClass = m.options[60].map { String(decoding: $0, as: UTF8.self) }
        m.parameterRequestList = m.options[55] ?? []
        if let requested = m.options[50], requested.count == 4 {
            m.requestedAddress = requested.map(String.init).joined(separator: ".")
        }
        return m
    }
}
