import Foundation

/// Normalization of the values devices are recognized by, and the judgement of which values are
/// worth trusting as an identity. Pure functions: no I/O.
public enum Identifiers {
    // MARK: MAC addresses

    /// Normalizes `AA-BB-CC-DD-EE-FF`, `aa:bb:cc:dd:ee:ff`, `aabb.ccdd.eeff` or `AABBCCDDEEFF`
    /// to `aa:bb:cc:dd:ee:ff`; nil when it is not a 48-bit MAC.
    public static func normalizeMAC(_ raw: String) -> String? {
        var hex: [UInt8] = []
        hex.reserveCapacity(12)
        for u in raw.utf8 {
            switch u {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"):
                hex.append(u)
            case UInt8(ascii: "A")...UInt8(ascii: "F"):
                hex.append(u + 32)
            case UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: " "):
                continue
            default:
                return nil
            }
        }
        guard hex.count == 12 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(17)
        for (i, h) in hex.enumerated() {
            if i > 0 && i % 2 == 0 { out.append(UInt8(ascii: ":")) }
            out.append(h)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// OUI prefixes of virtual, VPN and tunnel adapters whose addresses repeat across machines
    /// or are made up by software (VMware, VirtualBox, Hyper-V, Xen, Parallels, QEMU, Cisco
    /// AnyConnect, Microsoft WAN miniports).
    public static let virtualMACPrefixes: Set<String> = [
        "00:05:69", "00:0c:29", "00:1c:14", "00:50:56",  // VMware
        "08:00:27", "0a:00:27",  // VirtualBox
        "00:15:5d",  // Hyper-V
        "00:16:3e",  // Xen
        "00:1c:42",  // Parallels
        "52:54:00",  // QEMU/KVM
        "00:05:9a",  // Cisco AnyConnect virtual adapter
        "00:ff:00",  // TAP-Windows range starts here
        "20:41:53",  // Microsoft RAS/WAN miniport ("RAS" as bytes)
        "00:00:00",  // unset
    ]

    /// Why a MAC is not used as an identity, or nil when it is usable.
    public static func macRejection(_ mac: String) -> String? {
        guard let first = UInt8(mac.prefix(2), radix: 16) else { return "not a MAC" }
        if first & 0x01 != 0 { return "multicast or broadcast" }
        if first & 0x02 != 0 { return "locally administered" }
        if virtualMACPrefixes.contains(String(mac.prefix(8))) { return "virtual adapter prefix" }
        return nil
    }

    // MARK: Serial numbers

    /// Placeholder serials written by board makers and imaging tools; never an identity.
    public static let junkSerials: Set<String> = [
        "", "0", "none", "null", "n/a", "na", "not available", "not specified", "not applicable",
        "to be filled by o.e.m.", "to be filled by oem", "default string", "system serial number",
        "chassis serial number", "base board serial number", "serial number", "serial",
        "1234567", "12345678", "123456789", "1234567890", "0123456789", "oem", "o.e.m.",
        "unknown", "invalid", "empty", "xxxxxxxx", "xxxxxxxxxx", "sn12345678", "0000000000",
        "system product name", "type1tbd", "default", "not settable", "filled by o.e.m.",
    ]

    /// Trims a serial (or any short text value); nil when empty.
    public static func normalizeSerial(_ raw: String) -> String? {
        let s = trimmed(raw)
        return s.isEmpty ? nil : s
    }

    /// `raw` without leading and trailing white space. Checks the ends' bytes first: almost every
    /// value needs no trimming, and Foundation's trimming costs microseconds per call.
    public static func trimmed(_ raw: String) -> String {
        guard let first = raw.utf8.first, let last = raw.utf8.last else { return raw }
        func plain(_ b: UInt8) -> Bool { b > 0x20 && b < 0x7F }
        if plain(first) && plain(last) { return raw }
        return raw.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Why a serial is not used as an identity, or nil when it is usable.
    public static func serialRejection(_ serial: String) -> String? {
        let lower = serial.lowercased()
        if junkSerials.contains(lower) { return "placeholder serial" }
        if serial.count < 4 { return "too short to be unique" }
        if let first = lower.first, lower.allSatisfy({ $0 == first }) { return "one repeated character" }
        if lower.allSatisfy({ $0 == "." || $0 == " " || $0 == "-" || $0 == "0" }) {
            return "placeholder serial"
        }
        return nil
    }

    // MARK: SMBIOS / agent UUIDs

    /// Values firmware vendors ship unchanged in every unit.
    public static let junkUUIDs: Set<String> = [
        "00000000-0000-0000-0000-000000000000",
        "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
        "03000200-0400-0500-0006-000700080009",
        "00020003-0004-0005-0006-000700080009",
        "12345678-1234-5678-90AB-CDDEEFAABBCC",
        "4C4C4544-0000-0000-0000-000000000000",
    ]

    /// Normalizes a UUID to upper-case 8-4-4-4-12 form (accepts braces and no dashes); nil when it
    /// is not a UUID.
    public static func normalizeUUID(_ raw: String) -> String? {
        var hex: [UInt8] = []
        for u in raw.utf8 {
            switch u {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "F"):
                hex.append(u)
            case UInt8(ascii: "a")...UInt8(ascii: "f"):
                hex.append(u - 32)
            case UInt8(ascii: "-"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: " "):
                continue
            default:
                return nil
            }
        }
        guard hex.count == 32 else { return nil }
        var out: [UInt8] = []
        for (i, h) in hex.enumerated() {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
            out.append(h)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Why a UUID is not used as an identity, or nil when it is usable.
    public static func uuidRejection(_ uuid: String) -> String? {
        if junkUUIDs.contains(uuid) { return "placeholder UUID" }
        let hex = uuid.utf8.filter { $0 != UInt8(ascii: "-") }
        if let first = hex.first, hex.allSatisfy({ $0 == first }) { return "one repeated digit" }
        return nil
    }

    // MARK: Host names

    /// Names that many unrelated machines carry.
    public static let junkHostnames: Set<String> = [
        "", "localhost", "localhost.localdomain", "unknown", "(none)", "none", "android", "iphone",
        "ipad", "default", "user-pc", "pc", "desktop", "laptop", "printer", "npi", "brw", "host", "private",
        "hidden", "redacted",
    ]

    /// Lower-cases a host name and strips a trailing dot; nil when empty.
    public static func normalizeHostname(_ raw: String) -> String? {
        var s = trimmed(raw).lowercased()
        while s.hasSuffix(".") { s.removeLast() }
        return s.isEmpty ? nil : s
    }

    /// The identity form of a host name: its first label (`pc-01.campus.edu` and the NetBIOS
    /// `PC-01` are the same machine), nil for names many machines share.
    public static func hostnameKey(_ normalized: String) -> String? {
        let short = normalized.split(separator: ".", maxSplits: 1).first.map(String.init) ?? normalized
        if junkHostnames.contains(short) || junkHostnames.contains(normalized) { return nil }
        // A placeholder an agent put instead of the name (`<private>`, `<hidden>`).
        if short.contains("<") || short.contains(">") { return nil }
        if short.allSatisfy(\.isNumber) { return nil }  // an address written as a name
        return short
    }
}
