import Foundation

/// A minimal BER reader: tag, length (short, long, no indefinite), value; every length checked
/// against what remains. Written here (not swift-asn1) so the SNMP codec stays a pure file the
/// fuzz target can compile alone, and because SNMP's application types need their own handling.
struct BERReader {
    let bytes: [UInt8]
    var offset: Int
    let end: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
        end = bytes.count
    }

    init(_ bytes: [UInt8], from: Int, to: Int) {
        self.bytes = bytes
        offset = from
        end = to
    }

    var atEnd: Bool { offset >= end }

    /// The next element: its tag and the range of its contents.
    mutating func element() throws -> (tag: UInt8, range: Range<Int>) {
        guard offset + 2 <= end else { throw CodecError("snmp", offset, "element header runs past its container") }
        let tag = bytes[offset]
        guard tag & 0x1F != 0x1F else { throw CodecError("snmp", offset, "multi-byte tags are not used by SNMP") }
        var length = Int(bytes[offset + 1])
        var position = offset + 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count > 0 else { throw CodecError("snmp", offset + 1, "indefinite length is not allowed") }
            guard count <= 4, position + count <= end else {
                throw CodecError("snmp", offset + 1, "length of \(count) bytes")
            }
            length = 0
            for i in 0..<count { length = length << 8 | Int(bytes[position + i]) }
            position += count
        }
        guard length <= end - position else {
            throw CodecError("snmp", offset, "element of \(length) bytes, \(end - position) left")
        }
        offset = position + length
        return (tag, position..<(position + length))
    }

    mutating func expect(_ tag: UInt8, _ what: String) throws -> Range<Int> {
        let start = offset
        let e = try element()
        guard e.tag == tag else {
            throw CodecError(
                "snmp", start, "expected \(what) (tag 0x\(String(tag, radix: 16))), got 0x\(String(e.tag, radix: 16))")
        }
        return e.range
    }

    func integer(_ r: Range<Int>) throws -> Int64 {
        guard !r.isEmpty, r.count <= 9 else { throw CodecError("snmp", r.lowerBound, "integer of \(r.count) bytes") }
        var v: Int64 = bytes[r.lowerBound] & 0x80 != 0 ? -1 : 0
        for i in r { v = v << 8 | Int64(bytes[i]) }
        return v
    }

    func unsigned(_ r: Range<Int>) throws -> UInt64 {
        guard r.count <= 9 else { throw CodecError("snmp", r.lowerBound, "unsigned of \(r.count) bytes") }
        var v: UInt64 = 0
        for i in r { v = v << 8 | UInt64(bytes[i]) }
        return v
    }

    func oid(_ r: Range<Int>) throws -> String {
        guard !r.isEmpty else { throw CodecError("snmp", r.lowerBound, "empty OID") }
        var parts: [UInt64] = []
        var value: UInt64 = 0
        var digits = 0
        for i in r {
            let b = bytes[i]
            guard digits < 10 else { throw CodecError("snmp", i, "OID sub-identifier too long") }
            value = value << 7 | UInt64(b & 0x7F)
            digits += 1
            if b & 0x80 == 0 {
                parts.append(value)
                value = 0
                digits = 0
            }
        }
        guard digits == 0 else { throw CodecError("snmp", r.upperBound - 1, "OID ends inside a sub-identifier") }
        let first = parts.removeFirst()
        let head = first < 80 ? [first / 40, first % 40] : [2, first - 80]
        return (head + parts).map(String.init).joined(separator: ".")
    }
}

/// An SNMP v1/v2c message (RFC 3416), or the outline of a v3 one (RFC 3412) — enough for the
/// scanner's GET responses and engine discovery. Pure `bytes -> value`.
public struct SNMPMessage: Equatable, Sendable {
    public enum Value: Equatable, Sendable {
        case integer(Int64)
        case string([UInt8])
        case oid(String)
        case ipAddress(String)
        case counter(UInt64)
        case timeTicks(UInt64)
        case null
        case noSuchObject, noSuchInstance, endOfMibView
        case other(tag: UInt8, [UInt8])

        /// Text of an OCTET STRING (invalid UTF-8 repaired), else nil.
        public var text: String? {
            if case .string(let b) = self { return String(decoding: b, as: UTF8.self) }
            return nil
        }
    }

    public struct Binding: Equatable, Sendable {
        public var oid: String
        public var value: Value
        public init(oid: String, value: Value) {
            self.oid = oid
            self.value = value
        }
    }

    /// 0 = v1, 1 = v2c, 3 = v3.
    public var version: Int64
    public var community: String?
    /// PDU tag: 0xA0 get, 0xA1 get-next, 0xA2 response, 0xA5 get-bulk, 0xA8 report, ...
    public var pduType: UInt8?
    public var requestID: Int64?
    public var errorStatus: Int64?
    public var bindings: [Binding] = []
    /// v3: the authoritative engine ID from the security parameters (engine discovery).
    public var engineID: [UInt8]?

    /// The rows of one table column in a GET-NEXT or GETBULK response, as a walk reads them:
    /// the bindings from the first on, while each OID is an instance of `column`, is greater
    /// than the one before and is not endOfMibView. `ended`: the walk stopped inside the answer
    /// (the column is done, or the agent went wrong); false when every binding was a row, so
    /// the column may go on past what was asked. Nothing unless a response without error.
    public struct ColumnWalk: Equatable, Sendable {
        public var rows: [Binding]
        public var ended: Bool
    }

    public func walk(column: String) -> ColumnWalk {
        guard pduType == 0xA2, errorStatus == 0, let prefix = Self.arcs(column) else {
            return ColumnWalk(rows: [], ended: true)
        }
        var rows: [Binding] = []
        var last: [UInt64]?
        for binding in bindings {
            guard let arcs = Self.arcs(binding.oid), arcs.count > prefix.count, arcs.starts(with: prefix),
                binding.value != .endOfMibView, last.map({ $0.lexicographicallyPrecedes(arcs) }) ?? true
            else { return ColumnWalk(rows: rows, ended: true) }
            rows.append(binding)
            last = arcs
        }
        return ColumnWalk(rows: rows, ended: rows.isEmpty)
    }

    /// A dotted OID's arcs, nil if any is not a number.
    static func arcs(_ oid: String) -> [UInt64]? {
        var out: [UInt64] = []
        for part in oid.split(separator: ".", omittingEmptySubsequences: false) {
            guard let n = UInt64(part) else { return nil }
            out.append(n)
        }
        return out
    }

    public static func parse(_ input: ArraySlice<UInt8>) throws -> SNMPMessage {
        let bytes = Array(input)
        var top = BERReader(bytes)
        let message = try top.expect(0x30, "message SEQUENCE")
        var r = BERReader(bytes, from: message.lowerBound, to: message.upperBound)
        let version = try r.integer(try r.expect(0x02, "version"))
        var m = SNMPMessage(version: version)
        if version == 3 {
            _ = try r.expect(0x30, "msgGlobalData")
            let security = try r.expect(0x04, "msgSecurityParameters")
            var usm = BERReader(bytes, from: security.lowerBound, to: security.upperBound)
            let usmSequence = try usm.expect(0x30, "USM security parameters")
            var fields = BERReader(bytes, from: usmSequence.lowerBound, to: usmSequence.upperBound)
            let engine = try fields.expect(0x04, "msgAuthoritativeEngineID")
            m.engineID = Array(bytes[engine])
            return m  // the scoped PDU may be encrypted: discovery needs only the engine ID
        }
        let community = try r.expect(0x04, "community")
        m.community = String(decoding: bytes[community], as: UTF8.self)
        let start = r.offset
        let pdu = try r.element()
        guard (0xA0...0xA8).contains(pdu.tag) else {
            throw CodecError("snmp", start, "unknown PDU type 0x\(String(pdu.tag, radix: 16))")
        }
        m.pduType = pdu.tag
        var p = BERReader(bytes, from: pdu.range.lowerBound, to: pdu.range.upperBound)
        if pdu.tag == 0xA4 { return m }  // v1 trap: a different layout the scanner does not need
        m.requestID = try p.integer(try p.expect(0x02, "request-id"))
        m.errorStatus = try p.integer(try p.expect(0x02, "error-status"))
        _ = try p.expect(0x02, "error-index")
        let list = try p.expect(0x30, "variable bindings")
        var v = BERReader(bytes, from: list.lowerBound, to: list.upperBound)
        while !v.atEnd {
            guard m.bindings.count < 10_000 else { throw CodecError("snmp", v.offset, "more than 10,000 bindings") }
            let binding = try v.expect(0x30, "variable binding")
            var b = BERReader(bytes, from: binding.lowerBound, to: binding.upperBound)
            let oid = try b.oid(try b.expect(0x06, "OID"))
            let value = try b.element()
            let content = Array(bytes[value.range])
            let decoded: Value =
                switch value.tag {
                case 0x02: .integer(try b.integer(value.range))
                case 0x04: .string(content)
                case 0x05: .null
                case 0x06: .oid(try b.oid(value.range))
                case 0x40 where content.count == 4: .ipAddress(content.map(String.init).joined(separator: "."))
                case 0x41, 0x42, 0x46: .counter(try b.unsigned(value.range))
                case 0x43: .timeTicks(try b.unsigned(value.range))
                case 0x80: .noSuchObject
                case 0x81: .noSuchInstance
                case 0x82: .endOfMibView
                default: .other(tag: value.tag, content)
                }
            m.bindings.append(Binding(oid: oid, value: decoded))
        }
        return m
    }
}
