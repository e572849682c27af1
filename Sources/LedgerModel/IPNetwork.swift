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
        let t = text.trimmingCharacters(in: .whitespaces)
        var v4 = in_addr()
        if t.contains("."), !t.contains(":"), inet_pton(AF_INET, t, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        // Strip a zone index (fe80::1%eth0): it is local to the host that saw it.
        let noZone = t.split(separator: "%", maxSplits: 1).first.map(String.init) ?? t
        if inet_pton(AF_INET6, noZone, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    public var description: String {
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
            throw LedgerError("bad CIDR '\(cidr)': not an IPv4 or IPv6 address")
        }
        let maxLength = address.bytes.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...maxLength).contains(n), !parts[1].hasPrefix("+") else {
                throw LedgerError("bad CIDR '\(cidr)': prefix length must be 0...\(maxLength)")
            }
            length = n
        }
        guard address.masked(length) == address.bytes else {
            throw LedgerError(
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
