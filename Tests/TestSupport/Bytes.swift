import Foundation

/// Bytes from hexadecimal text: `hex("636f6465")`.
public func hex(_ s: String) -> Data {
    var out = Data()
    var it = s.makeIterator()
    while let a = it.next(), let b = it.next() { out.append(UInt8(String([a, b]), radix: 16)!) }
    return out
}

// BER encoding for SNMP test messages (WireTests and DiscoveryTests build them alike).

/// One BER element: tag, definite length, content.
public func ber(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
    let n = content.count
    let length: [UInt8] = n < 128 ? [UInt8(n)] : n < 256 ? [0x81, UInt8(n)] : [0x82, UInt8(n >> 8), UInt8(n & 0xFF)]
    return [tag] + length + content
}

/// A BER INTEGER in its shortest two's-complement form.
public func berInt(_ v: Int) -> [UInt8] {
    var bytes = withUnsafeBytes(of: Int64(v).bigEndian) { Array($0) }
    while bytes.count > 1 && ((bytes[0] == 0 && bytes[1] & 0x80 == 0) || (bytes[0] == 0xFF && bytes[1] & 0x80 != 0)) {
        bytes.removeFirst()
    }
    return ber(0x02, bytes)
}

/// A BER OBJECT IDENTIFIER from dotted text.
public func berOID(_ s: String) -> [UInt8] {
    let parts = s.split(separator: ".").map { UInt64($0)! }
    var out: [UInt8] = [UInt8(parts[0] * 40 + parts[1])]
    for p in parts.dropFirst(2) {
        var chunk: [UInt8] = [UInt8(p & 0x7F)]
        var v = p >> 7
        while v > 0 { chunk.insert(UInt8(v & 0x7F) | 0x80, at: 0); v >>= 7 }
        out += chunk
    }
    return ber(0x06, out)
}
