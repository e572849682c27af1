import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address as 16 bytes (IPv4 kept apart by `isV4`, not mapped).
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    public var bytes: [UInt8]
    public var isV4: Bool { bytes.count == 4 }

    public init?(_ text: String) {
        if let v4 = Self.parseIPv4(text.utf8) {
            bytes = v4
            return
        }
        let t = Identifiers.trimmed(text)
        var v4 = in_addr()
        if t.contains("."), !t.contains(":"), inet_pton(AF_INET, t, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        // Strip a zone index (fe80::1%eth0): it is local to the host that saw it.
        let noZone = t.split(separator: "%", maxSplits: 1).first.map(String.init) ?? t
        if inet_pton(AF_INET6, noZone, &v6) == 1 {
            let all = withUnsafeBytes(of: &v6) { Array($0) }
            // ::ffff:a.b.c.d is an IPv4 address seen through an IPv6 socket.
            let mapped = all.prefix(10).allSatisfy { $0 == 0 } && all[10] == 0xFF && all[11] == 0xFF
            bytes = mapped ? Array(all.suffix(4)) : all
            return
        }
        return nil
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// An IPv4 address from its 32-bit value (host order).
    public init(v4 value: UInt32) {
        bytes = [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// Dotted-quad IPv4 without leading zeros (so `010.1.1.1` is not read as octal or decimal
    /// by mistake: it falls through to inet_pton, which refuses it).
    static func parseIPv4(_ utf8: String.UTF8View) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(4)
        var value = 0
        var digits = 0
        var leadingZero = false
        for b in utf8 {
            if b >= 0x30 && b <= 0x39 {
                if digits == 1 && leadingZero { return nil }
                if digits == 0 { leadingZero = b == 0x30 }
                value = value * 10 + Int(b - 0x30)
                digits += 1
                if value > 255 { return nil }
            } else if b == 0x2E {
                guard digits > 0, out.count < 3 else { return nil }
                out.append(UInt8(value))
                value = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard digits > 0, out.count == 3 else { return nil }
        out.append(UInt8(value))
        return out
    }

    public var description: String {
        if isV4 { return "\(bytes[0]).\(bytes[1]).\(bytes[2]).\(bytes[3])" }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = isV4 ? AF_INET : AF_INET6
        _ = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        return String(cString: buffer)
    }

    /// The address with every bit after the first `prefix` set to zero.
    func masked(_ prefix: Int) -> [UInt8] {
        var out = bytes
        for i in 0..<out.count {
            let bitsHere = max(0, min(8, prefix - i * 8))
            out[i] &= bitsHere == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsHere))
        }
        return out
    }
}

/// A CIDR block such as `198.18.10.0/24` or `2001:db8:10::/48`.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    public var network: IPAddress
    public var prefixLength: Int

    /// Parses `ADDRESS/PREFIX`. A bare address is a host route (/32 or /128). Host bits must be
    /// zero, so a typo like `10.1.2.3/16` is refused rather than silently widened.
    public init(cidr: String) throws {
        let parts = cidr.trimmingCharacters(in: .whitespaces).split(
            separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else {
            throw LedgerError(.invalidInput, "bad CIDR '\(cidr)': not an IPv4 or IPv6 address")
        }
        let maxLength = address.bytes.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...maxLength).contains(n), !parts[1].hasPrefix("+") else {
                throw LedgerError(.invalidInput, "bad CIDR '\(cidr)': prefix length must be 0...\(maxLength)")
            }
            length = n
        }
        guard address.masked(length) == address.bytes else {
            throw LedgerError(
                .invalidInput,
                "bad CIDR '\(cidr)': host bits are set (did you mean \(IPAddress(bytes: address.masked(length)))/\(length)?)"
            )
        }
        network = address
        prefixLength = length
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == network.bytes.count && address.masked(prefixLength) == network.bytes
    }

    public var description: String { "\(network)/\(prefixLength)" }
}
