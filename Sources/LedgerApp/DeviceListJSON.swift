/// The device list's JSON written straight to bytes: the console's `GET /api/v1/devices`
/// answers with it. Foundation's `JSONEncoder` spends most of a page's time in generic
/// metadata lookups and dynamic casts (docs/PERFORMANCE.md, "The console"); this writes the same
/// keys and values (compact, keys sorted, slashes unescaped) for the one shape on the hot
/// path. `DeviceListJSONTests` holds it to `JSONEncoder`'s output: decoded back, the same
/// devices.
public enum DeviceListJSON {
    public static func encode(_ devices: [DeviceOutput]) -> [UInt8] {
        var w = JSONBytes()
        w.out.reserveCapacity(devices.count * 512 + 2)
        w.raw("[")
        for (i, d) in devices.enumerated() {
            if i > 0 { w.raw(",") }
            // Keys in JSONEncoder's .sortedKeys order (byte order of the key).
            w.raw("{\"class\":")
            w.string(d.deviceClass)
            w.raw(",\"department\":")
            w.string(d.department)
            w.raw(",\"department_name\":")
            w.string(d.departmentName)
            w.raw(",\"fax_capable\":")
            w.raw(d.faxCapable ? "true" : "false")
            w.raw(",\"firmware\":")
            w.string(d.firmware)
            w.raw(",\"first_seen\":")
            w.string(d.firstSeen)
            w.raw(",\"hostname\":")
            w.string(d.hostname)
            w.raw(",\"hostnames\":")
            w.strings(d.hostnames)
            w.raw(",\"id\":")
            w.raw(String(d.id))
            w.raw(",\"ips\":")
            w.strings(d.ips)
            w.raw(",\"last_seen\":")
            w.string(d.lastSeen)
            w.raw(",\"macs\":")
            w.strings(d.macs)
            w.raw(",\"model\":")
            w.string(d.model)
            w.raw(",\"os\":")
            w.string(d.os)
            w.raw(",\"owner_detail\":")
            w.string(d.ownerDetail)
            w.raw(",\"owner_rule\":")
            w.string(d.ownerRule)
            w.raw(",\"serial\":")
            w.string(d.serial)
            w.raw(",\"uuid\":")
            w.string(d.uuid)
            w.raw(",\"vendor\":")
            w.string(d.vendor)
            w.raw("}")
        }
        w.raw("]")
        return w.out
    }
}

/// A JSON text written byte by byte (RFC 8259 string escaping: the quote, the backslash and
/// every control character).
struct JSONBytes {
    var out: [UInt8] = []

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    mutating func raw(_ s: String) { out.append(contentsOf: s.utf8) }

    mutating func string(_ s: String?) {
        guard let s else { return raw("null") }
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)],
                    hex[Int(b & 0xF)],
                ])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    mutating func strings(_ values: [String]) {
        out.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            string(v)
        }
        out.append(UInt8(ascii: "]"))
    }
}
