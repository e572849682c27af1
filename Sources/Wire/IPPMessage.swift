import Foundation

/// IPP (RFC 8010/8011) as the scanner needs it: the Get-Printer-Attributes request it sends,
/// and the attributes of the answer (make and model, device ID, UUID, firmware, formats).
public struct IPPMessage: Equatable, Sendable {
    public enum Value: Equatable, Sendable {
        case integer(Int32)
        case boolean(Bool)
        case text(String)
        case other(tag: UInt8, [UInt8])
    }

    public struct Attribute: Equatable, Sendable {
        public var group: UInt8
        public var name: String
        public var values: [Value]
    }

    public var version: UInt16
    /// Operation (request) or status (response) code.
    public var code: UInt16
    public var requestID: UInt32
    public var attributes: [Attribute] = []

    /// First text value of an attribute.
    public func text(_ name: String) -> String? {
        for a in attributes where a.name == name {
            for v in a.values { if case .text(let s) = v { return s } }
        }
        return nil
    }

    /// All text values of an attribute.
    public func texts(_ name: String) -> [String] {
        attributes.filter { $0.name == name }.flatMap(\.values).compactMap {
            if case .text(let s) = $0 { s } else { nil }
        }
    }

    /// The Get-Printer-Attributes request for `uri` (e.g. `ipp://198.18.10.21:631/ipp/print`).
    public static func getPrinterAttributes(uri: String, requestID: UInt32) -> [UInt8] {
        var b: [UInt8] = [0x02, 0x00, 0x00, 0x0B]  // IPP/2.0, Get-Printer-Attributes
        b += withUnsafeBytes(of: requestID.bigEndian) { Array($0) }
        b.append(0x01)  // operation-attributes
        func attribute(_ tag: UInt8, _ name: String, _ value: String) {
            b.append(tag)
            b += [UInt8(name.utf8.count >> 8), UInt8(name.utf8.count & 0xFF)] + Array(name.utf8)
            b += [UInt8(value.utf8.count >> 8), UInt8(value.utf8.count & 0xFF)] + Array(value.utf8)
        }
        attribute(0x47, "attributes-charset", "utf-8")
        attribute(0x48, "attributes-natural-language", "en")
        attribute(0x45, "printer-uri", uri)
        let wanted = [
            "printer-make-and-model", "printer-name", "printer-info", "printer-location", "printer-device-id",
            "printer-uuid", "printer-firmware-string-version", "printer-serial-number", "document-format-supported",
            "printer-kind", "ipp-features-supported",
        ]
        for (i, name) in wanted.enumerated() { attribute(0x44, i == 0 ? "requested-attributes" : "", name) }
        b.append(0x03)  // end-of-attributes
        return b
    }

    public static func parse(_ input: ArraySlice<UInt8>) throws -> IPPMessage {
        let b = Array(input)
        guard b.count >= 9 else { throw CodecError("ipp", 0, "\(b.count) bytes, an IPP message has at least 9") }
        var m = IPPMessage(
            version: UInt16(b[0]) << 8 | UInt16(b[1]), code: UInt16(b[2]) << 8 | UInt16(b[3]),
            requestID: UInt32(b[4]) << 24 | UInt32(b[5]) << 16 | UInt32(b[6]) << 8 | UInt32(b[7]))
        var i = 8
        var group: UInt8 = 0
        var count = 0
        while i < b.count {
            let tag = b[i]
            if tag == 0x03 { return m }  // end-of-attributes
            if tag < 0x10 {  // a delimiter: a new group
                group = tag
                i += 1
                continue
            }
            guard i + 3 <= b.count else { throw CodecError("ipp", i, "attribute header runs past the message") }
            let nameLength = Int(b[i + 1]) << 8 | Int(b[i + 2])
            guard i + 3 + nameLength + 2 <= b.count else {
                throw CodecError("ipp", i, "attribute name runs past the message")
            }
            let name = String(decoding: b[(i + 3)..<(i + 3 + nameLength)], as: UTF8.self)
            let valueAt = i + 3 + nameLength
            let valueLength = Int(b[valueAt]) << 8 | Int(b[valueAt + 1])
            guard valueAt + 2 + valueLength <= b.count else {
                throw CodecError("ipp", valueAt, "value of \(valueLength) bytes runs past the message")
            }
            let raw = Array(b[(valueAt + 2)..<(valueAt + 2 + valueLength)])
            i = valueAt + 2 + valueLength
            count += 1
            guard count <= 100_000 else { throw CodecError("ipp", i, "more than 100,000 values") }
            let value: Value =
                switch tag {
                case 0x21,
                    0x23 where raw.count == 4:
                    .integer(Int32(bitPattern: raw.reduce(0) { $0 << 8 | UInt32($1) }))
                case 0x22 where raw.count == 1: .boolean(raw[0] != 0)
                case 0x41...0x49: .text(String(decoding: raw, as: UTF8.self))
                default: .other(tag: tag, raw)
                }
            if nameLength == 0, var last = m.attributes.popLast() {  // an additional value of the same attribute
                last.values.append(value)
                m.attributes.append(last)
            } else {
                m.attributes.append(Attribute(group: group, name: name, values: [value]))
            }
        }
        throw CodecError("ipp", b.count, "no end-of-attributes tag")
    }
}
