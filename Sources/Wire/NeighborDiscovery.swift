import Foundation

extension Frames {
    /// An Ethernet frame's addresses, EtherType (or 802.3 length) and payload.
    public static func ethernet(linkType: Int32, _ b: [UInt8]) -> (
        destination: String, source: String, type: UInt16, payload: ArraySlice<UInt8>
    )? {
        guard linkType == 1, b.count >= 14, let type = u16(b, 12) else { return nil }
        func mac(_ i: Int) -> String { ByteText.mac(b[i..<(i + 6)]) }
        return (mac(0), mac(6), type, b[14...])
    }
}

/// What a switch, phone or printer says of itself in LLDP (IEEE 802.1AB).
public struct LLDPInfo: Equatable, Sendable {
    public var chassisID: String?
    public var portID: String?
    public var ttl: UInt16?
    public var portDescription: String?
    public var systemName: String?
    public var systemDescription: String?
    /// Enabled capabilities: bridge, router, wlan-ap, telephone, station, ...
    public var capabilities: [String] = []
    public var managementAddresses: [String] = []

    static let capabilityNames = ["other", "repeater", "bridge", "wlan-ap", "router", "telephone", "docsis", "station"]

    /// Parses the LLDPDU (the payload of EtherType 0x88CC).
    public static func parse(_ input: ArraySlice<UInt8>) throws -> LLDPInfo {
        let b = Array(input)
        var info = LLDPInfo()
        var i = 0
        var count = 0
        while i + 2 <= b.count {
            count += 1
            guard count <= 512 else { throw CodecError("lldp", i, "more than 512 TLVs") }
            let header = Int(b[i]) << 8 | Int(b[i + 1])
            let type = header >> 9
            let length = header & 0x1FF
            let start = i + 2
            guard start + length <= b.count else {
                throw CodecError("lldp", i, "TLV \(type) of \(length) bytes runs past the frame")
            }
            let value = Array(b[start..<(start + length)])
            i = start + length
            func text(_ v: ArraySlice<UInt8>) -> String {
                String(decoding: v, as: UTF8.self).trimmingCharacters(in: .controlCharacters)
            }
            switch type {
            case 0: return info  // End of LLDPDU
            case 1, 2:
                guard let subtype = value.first else { throw CodecError("lldp", start, "empty ID TLV") }
                let id = value.dropFirst()
                // Subtype 4 (chassis) or 3 (port) is a MAC address.
                let isMAC = (type == 1 && subtype == 4 || type == 2 && subtype == 3) && id.count == 6
                let shown = isMAC ? ByteText.mac(id) : text(id)
                if type == 1 { info.chassisID = shown } else { info.portID = shown }
            case 3:
                guard value.count >= 2 else { throw CodecError("lldp", start, "TTL TLV of \(value.count) bytes") }
                info.ttl = UInt16(value[0]) << 8 | UInt16(value[1])
            case 4: info.portDescription = text(value[...])
            case 5: info.systemName = text(value[...])
            case 6: info.systemDescription = text(value[...])
            case 7:
                guard value.count >= 4 else {
                    throw CodecError("lldp", start, "capabilities TLV of \(value.count) bytes")
                }
                let enabled = Int(value[2]) << 8 | Int(value[3])
                info.capabilities = capabilityNames.enumerated().filter { enabled & (1 << $0.offset) != 0 }.map(
                    \.element)
            case 8:
                guard let addressLength = value.first.map(Int.init), addressLength >= 2,
                    addressLength + 1 <= value.count
                else {
                    throw CodecError("lldp", start, "management address TLV too short")
                }
                let family = value[1]
                let address = value[2..<(1 + addressLength)]
                if family == 1 && address.count == 4 {
                    info.managementAddresses.append(address.map(String.init).joined(separator: "."))
                } else if family == 2 && address.count == 16 {
                    info.managementAddresses.append(ByteText.ipv6(Array(address)))
                }
            default: continue
            }
        }
        return info
    }
}

/// What a Cisco device says of itself in CDP.
public struct CDPInfo: Equatable, Sendable {
    public var deviceID: String?
    public var platform: String?
    public var softwareVersion: String?
    public var portID: String?
    public var addresses: [String] = []
    public var capabilities: UInt32?

    /// Parses CDP from an 802.3 frame's payload (LLC/SNAP AA-AA-03, OUI 00-00-0C, type 0x2000).
    public static func parse(llc input: ArraySlice<UInt8>) throws -> CDPInfo {
        let b = Array(input)
        guard b.count >= 12, b[0] == 0xAA, b[1] == 0xAA, b[2] == 0x03, b[3...5].elementsEqual([0, 0, 0x0C]),
            b[6] == 0x20, b[7] == 0x00
        else { throw CodecError("cdp", 0, "not an LLC/SNAP CDP frame") }
        var info = CDPInfo()
        var i = 12  // SNAP (8) + version, TTL, checksum (4)
        var count = 0
        while i + 4 <= b.count {
            count += 1
            guard count <= 512 else { throw CodecError("cdp", i, "more than 512 TLVs") }
            let type = Int(b[i]) << 8 | Int(b[i + 1])
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 4, i + length <= b.count else {
                throw CodecError("cdp", i, "TLV \(type) of \(length) bytes runs past the frame")
            }
            let value = Array(b[(i + 4)..<(i + length)])
            i += length
            let text = String(decoding: value, as: UTF8.self)
            switch type {
            case 1: info.deviceID = text
            case 3: info.portID = text
            case 5: info.softwareVersion = text
            case 6: info.platform = text
            case 4 where value.count == 4:
                info.capabilities = value.reduce(0) { $0 << 8 | UInt32($1) }
            case 2:
                guard value.count >= 4 else { continue }
                let n = Int(value[0]) << 24 | Int(value[1]) << 16 | Int(value[2]) << 8 | Int(value[3])
                var j = 4
                for _ in 0..<min(n, 64) {
                    guard j + 2 <= value.count else { break }
                    let protocolLength = Int(value[j + 1])
                    let lengthAt = j + 2 + protocolLength
                    guard lengthAt + 2 <= value.count else { break }
                    let addressLength = Int(value[lengthAt]) << 8 | Int(value[lengthAt + 1])
                    let addressAt = lengthAt + 2
                    guard addressAt + addressLength <= value.count else { break }
                    if protocolLength == 1 && value[j + 2] == 0xCC && addressLength == 4 {  // NLPID IPv4
                        info.addresses.append(
                            value[addressAt..<(addressAt + 4)].map(String.init).joined(separator: "."))
                    }
                    j = addressAt + addressLength
                }
            default: continue
            }
        }
        return info
    }
}
