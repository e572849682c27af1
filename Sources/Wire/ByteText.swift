/// Addresses from packet bytes as the ledger writes them.
public enum ByteText {
    /// `aa:bb:cc:dd:ee:ff`, lower-case hex.
    public static func mac<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        bytes.map { hex2($0) }.joined(separator: ":")
    }

    /// IPv6 as eight colon-separated hex groups without leading zeros (not compressed).
    static func ipv6<C: Collection>(_ bytes: C) -> String where C.Element == UInt8, C.Index == Int {
        stride(from: bytes.startIndex, to: bytes.endIndex - 1, by: 2).map {
            String(Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]), radix: 16)
        }.joined(separator: ":")
    }

    static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
