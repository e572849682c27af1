import Foundation

/// What a Windows or Samba host says before anyone logs in (MS-SMB2, MS-NLMP): the SMB2
/// dialect it picks, and in the NTLM challenge to an anonymous session setup its NetBIOS and
/// DNS names and its OS version (major.minor.build). Two requests, both harmless: NEGOTIATE and
/// a SESSION_SETUP carrying an NTLMSSP NEGOTIATE, after which the scanner hangs up. Pure encoders
/// and readers; every length and offset is checked.
public enum SMBNegotiate {
    public struct Challenge: Equatable, Sendable {
        /// `10.0.19045`, from the NTLM Version field (absent when the server leaves it out).
        public var version: String?
        public var netbiosComputer: String?
        public var netbiosDomain: String?
        public var dnsComputer: String?
        public var dnsDomain: String?
    }

    /// SMB 2.0.2, 2.1, 3.0, 3.0.2 (3.1.1 would need negotiate contexts; every server that
    /// speaks it speaks 3.0.2 too).
    public static let dialects: [UInt16] = [0x0202, 0x0210, 0x0300, 0x0302]

    static func header(command: UInt16, messageID: UInt64) -> [UInt8] {
        var h: [UInt8] = [0xFE, 0x53, 0x4D, 0x42]  // \xFESMB
        h += le16(64) + le16(0) + le32(0) + le16(command) + le16(31) + le32(0) + le32(0)
        h += le64(messageID) + le32(0xFEFF) + le32(0) + le64(0) + Array(repeating: 0, count: 16)
        return h
    }

    /// The NetBIOS session framing (RFC 1002 session message: a zero byte and a 24-bit length).
    static func framed(_ message: [UInt8]) -> [UInt8] {
        [0, UInt8(message.count >> 16 & 0xFF), UInt8(message.count >> 8 & 0xFF), UInt8(message.count & 0xFF)] + message
    }

    public static func negotiateRequest() -> [UInt8] {
        var body = le16(36) + le16(UInt16(dialects.count)) + le16(1) + le16(0) + le32(0)
        body += Array("AssetLedgerScan!".utf8)  // client GUID (16 bytes)
        body += Array(repeating: 0, count: 8)
        for d in dialects { body += le16(d) }
        return framed(header(command: 0, messageID: 0) + body)
    }

    /// SESSION_SETUP with a raw NTLMSSP NEGOTIATE asking for the target's names and version.
    public static func sessionSetupRequest() -> [UInt8] {
        // UNICODE | REQUEST_TARGET | NTLM | ALWAYS_SIGN | EXTENDED_SESSIONSECURITY | TARGET_INFO
        // | VERSION | 128 | 56
        var ntlm: [UInt8] = Array("NTLMSSP".utf8) + [0] + le32(1) + le32(0xA288_8205)
        ntlm += Array(repeating: 0, count: 16)  // domain and workstation fields: empty
        ntlm += [6, 1, 0xB1, 0x1D, 0, 0, 0, 15]  // our version (6.1.7601), NTLM revision 15
        var body = le16(25) + [0, 1] + le32(0) + le32(0) + le16(64 + 24) + le16(UInt16(ntlm.count)) + le64(0)
        body += ntlm
        return framed(header(command: 1, messageID: 1) + body)
    }

    /// Whether `bytes` holds one whole framed message (the read can stop).
    public static func isWhole(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        let length = Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        return bytes.count >= 4 + length
    }

    /// The dialect a NEGOTIATE response chose, as `3.0.2`.
    public static func dialect(_ response: [UInt8]) throws -> String {
        let m = try message(response, command: 0)
        guard m.count >= 64 + 6 else { throw CodecError("smb2", m.count, "negotiate response too short") }
        let d = u16(m, 68)
        switch d {
        case 0x0202: return "2.0.2"
        case 0x0210: return "2.1"
        case 0x0300: return "3.0"
        case 0x0302: return "3.0.2"
        case 0x0311: return "3.1.1"
        default: return String(format: "0x%04x", d)
        }
    }

    /// The NTLM challenge inside a SESSION_SETUP response (raw or wrapped in SPNEGO).
    public static func challenge(_ response: [UInt8]) throws -> Challenge {
        let m = try message(response, command: 1)
        guard m.count >= 64 + 8 else { throw CodecError("smb2", m.count, "session setup response too short") }
        let offset = Int(u16(m, 68)), length = Int(u16(m, 70))
        guard offset >= 64 + 8, offset + length <= m.count else {
            throw CodecError("smb2", 68, "security buffer \(offset)+\(length) outside the \(m.count)-byte message")
        }
        return try ntlmChallenge(m[offset..<(offset + length)])
    }

    /// Reads an NTLMSSP CHALLENGE (type 2) found anywhere in `blob`.
    public static func ntlmChallenge(_ blob: ArraySlice<UInt8>) throws -> Challenge {
        let signature = Array("NTLMSSP".utf8) + [0]
        let bytes = Array(blob)
        guard let start = (0..<max(0, bytes.count - 7)).first(where: { bytes[$0..<($0 + 8)].elementsEqual(signature) })
        else { throw CodecError("ntlm", 0, "no NTLMSSP message") }
        let n = Array(bytes[start...])
        guard n.count >= 48, u32(n, 8) == 2 else { throw CodecError("ntlm", start + 8, "not an NTLM challenge") }
        var c = Challenge()
        let flags = u32(n, 20)
        if flags & 0x0200_0000 != 0, n.count >= 56 {
            c.version = "\(n[48]).\(n[49]).\(u16(n, 50))"
        }
        let infoLength = Int(u16(n, 40)), infoOffset = Int(u32(n, 44))
        guard infoLength > 0 else { return c }
        guard infoOffset >= 48, infoOffset + infoLength <= n.count else {
            throw CodecError("ntlm", start + 40, "target info \(infoOffset)+\(infoLength) outside the message")
        }
        var i = infoOffset
        let end = infoOffset + infoLength
        var pairs = 0
        while i + 4 <= end, pairs < 64 {
            pairs += 1
            let id = u16(n, i), length = Int(u16(n, i + 2))
            guard id != 0 else { break }
            guard i + 4 + length <= end else {
                throw CodecError("ntlm", start + i, "AV pair longer than the target info")
            }
            let value = utf16(n[(i + 4)..<(i + 4 + length)])
            switch id {
            case 1: c.netbiosComputer = value
            case 2: c.netbiosDomain = value
            case 3: c.dnsComputer = value
            case 4: c.dnsDomain = value
            default: break
            }
            i += 4 + length
        }
        return c
    }

    /// The SMB2 message after the framing, checked to be the answer to `command`.
    static func message(_ response: [UInt8], command: UInt16) throws -> [UInt8] {
        guard response.count >= 4 + 64 else { throw CodecError("smb2", response.count, "shorter than an SMB2 header") }
        let length = Int(response[1]) << 16 | Int(response[2]) << 8 | Int(response[3])
        guard response[0] == 0, length >= 64, 4 + length <= response.count else {
            throw CodecError("smb2", 0, "bad session framing (length \(length), \(response.count) bytes read)")
        }
        let m = Array(response[4..<(4 + length)])
        guard m[0..<4].elementsEqual([0xFE, 0x53, 0x4D, 0x42]) else {
            throw CodecError("smb2", 4, m[0..<4].elementsEqual([0xFF, 0x53, 0x4D, 0x42]) ? "SMB1 only" : "not SMB2")
        }
        guard u16(m, 12) == command else { throw CodecError("smb2", 16, "answer to another command") }
        return m
    }

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { i + 1 < b.count ? UInt16(b[i]) | UInt16(b[i + 1]) << 8 : 0 }
    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        i + 3 < b.count ? UInt32(u16(b, i)) | UInt32(u16(b, i + 2)) << 16 : 0
    }
    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { le16(UInt16(v & 0xFFFF)) + le16(UInt16(v >> 16)) }
    static func le64(_ v: UInt64) -> [UInt8] { le32(UInt32(v & 0xFFFF_FFFF)) + le32(UInt32(v >> 32)) }

    static func utf16(_ bytes: ArraySlice<UInt8>) -> String {
        var units: [UInt16] = []
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            units.append(UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
            i += 2
        }
        return String(decoding: units, as: UTF16.self)
    }
}
