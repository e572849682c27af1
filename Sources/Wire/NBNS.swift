import Foundation

/// NetBIOS name service (RFC 1002) as the scanner reads it: a node-status answer lists a
/// Windows or Samba host's names (computer name `<00>`, workgroup, server `<20>`) and its MAC.
/// Built on the DNS codec (NBNS shares its wire format).
public struct NBNSInfo: Equatable, Sendable {
    public struct Name: Equatable, Sendable {
        public var name: String
        /// The 16th byte: 0x00 workstation, 0x20 file server, 0x1D master browser, ...
        public var suffix: UInt8
        public var isGroup: Bool
    }

    public var queriedName: String?
    public var names: [Name] = []
    public var mac: String?
    /// Addresses from name-query answers (NB records).
    public var addresses: [String] = []

    /// The unique `<00>` name: the computer's NetBIOS name.
    public var computerName: String? { names.first { $0.suffix == 0 && !$0.isGroup }?.name }
    /// The group `<00>` name: workgroup or domain.
    public var workgroup: String? { names.first { $0.suffix == 0 && $0.isGroup }?.name }

    /// Decodes a first-level encoded NetBIOS name (32 letters A-P, two per byte).
    public static func decodeName(_ encoded: String) -> (name: String, suffix: UInt8)? {
        let label = encoded.split(separator: ".").first.map(String.init) ?? encoded
        let letters = Array(label.utf8)
        guard letters.count == 32, letters.allSatisfy({ (65...80).contains($0) }) else { return nil }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: 32, by: 2) { bytes.append((letters[i] - 65) << 4 | (letters[i + 1] - 65)) }
        let name = String(decoding: bytes.prefix(15), as: UTF8.self).trimmingCharacters(
            in: .whitespaces.union(.controlCharacters))
        return (name, bytes[15])
    }

    public static func parse(_ input: ArraySlice<UInt8>) throws -> NBNSInfo {
        let message = try DNSMessage.parse(input, rawRecordData: true)
        var info = NBNSInfo()
        info.queriedName = (message.questions.first?.name ?? message.answers.first?.name).flatMap {
            decodeName($0)?.name
        }
        for record in message.answers {
            guard case .other(let rdata) = record.data else { continue }
            switch record.type {
            case 0x21:  // NBSTAT: count, then 18 bytes a name, then the unit ID (MAC)
                guard let count = rdata.first.map(Int.init) else { throw CodecError("nbns", 0, "empty node status") }
                guard 1 + count * 18 <= rdata.count else {
                    throw CodecError("nbns", 0, "\(count) names do not fit in \(rdata.count) bytes")
                }
                for i in 0..<count {
                    let entry = rdata[(1 + i * 18)..<(1 + (i + 1) * 18)]
                    let start = entry.startIndex
                    let name = String(decoding: entry[start..<(start + 15)], as: UTF8.self).trimmingCharacters(
                        in: .whitespaces)
                    info.names.append(
                        Name(name: name, suffix: entry[start + 15], isGroup: entry[start + 16] & 0x80 != 0))
                }
                let macStart = 1 + count * 18
                if macStart + 6 <= rdata.count {
                    let mac = rdata[macStart..<(macStart + 6)]
                    if !mac.allSatisfy({ $0 == 0 }) {
                        info.mac = ByteText.mac(mac)
                    }
                }
            case 0x20:  // NB: flags (2) + IPv4 (4), repeated
                var i = 0
                while i + 6 <= rdata.count {
                    info.addresses.append(rdata[(i + 2)..<(i + 6)].map(String.init).joined(separator: "."))
                    i += 6
                }
            default: continue
            }
        }
        return info
    }
}
