import Foundation

/// A refusal of a malformed protocol message: what is wrong and at which byte.
public struct CodecError: Error, Equatable, Sendable, CustomStringConvertible {
    public var codec: String
    public var offset: Int
    public var reason: String

    public init(_ codec: String, _ offset: Int, _ reason: String) {
        self.codec = codec
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(codec) at byte \(offset): \(reason)" }
}

/// A DNS or mDNS message (RFC 1035, RFC 6762): header, questions and the records of the
/// answer, authority and additional sections, with the record data the scanner reads (A, AAAA,
/// PTR, CNAME, SRV, TXT) decoded. Pure `bytes -> value`; every length, count and compression
/// pointer is checked, so hostile packets fail with a `CodecError`.
public struct DNSMessage: Equatable, Sendable {
    public struct Question: Equatable, Sendable {
        public var name: String
        public var type: UInt16
        public var unicastResponse: Bool
    }

    public enum RecordData: Equatable, Sendable {
        case address(String)
        case name(String)
        case service(priority: UInt16, weight: UInt16, port: UInt16, target: String)
        case text([String])
        case other([UInt8])
    }

    public struct Record: Equatable, Sendable {
        public var name: String
        public var type: UInt16
        public var ttl: UInt32
        public var data: RecordData
    }

    public var id: UInt16
    public var isResponse: Bool
    public var questions: [Question] = []
    public var answers: [Record] = []
    public var authority: [Record] = []
    public var additional: [Record] = []

    public static let a: UInt16 = 1, ptr: UInt16 = 12, txt: UInt16 = 16, aaaa: UInt16 = 28, srv: UInt16 = 33
    public static let cname: UInt16 = 5

    /// TXT key/values of all TXT records (`ty=HP LaserJet`, `Fax=T`), keys lower-cased.
    public var txtValues: [String: String] {
        var out: [String: String] = [:]
        for record in answers + additional {
            guard case .text(let strings) = record.data else { continue }
            for s in strings {
                let parts = s.split(separator: "=", maxSplits: 1)
                if let key = parts.first { out[key.lowercased()] = parts.count > 1 ? String(parts[1]) : "" }
            }
        }
        return out
    }

    /// - Parameter rawRecordData: keep every record's data as bytes (NBNS reuses DNS type
    ///   numbers for other things: its node status is type 33, DNS's SRV).
    public static func parse(_ bytes: ArraySlice<UInt8>, rawRecordData: Bool = false) throws -> DNSMessage {
        var reader = Reader(bytes: Array(bytes), raw: rawRecordData)
        let id = try reader.u16()
        let flags = try reader.u16()
        let counts = [try reader.u16(), try reader.u16(), try reader.u16(), try reader.u16()]
        // A message cannot hold more entries than it has bytes for (5 bytes is the least one takes).
        guard counts.reduce(0, { $0 + Int($1) }) * 5 <= reader.bytes.count else {
            throw CodecError("dns", 4, "section counts \(counts) exceed what \(reader.bytes.count) bytes can hold")
        }
        var message = DNSMessage(id: id, isResponse: flags & 0x8000 != 0)
        for _ in 0..<counts[0] {
            let name = try reader.name()
            let type = try reader.u16()
            let klass = try reader.u16()
            message.questions.append(Question(name: name, type: type, unicastResponse: klass & 0x8000 != 0))
        }
        message.answers = try (0..<counts[1]).map { _ in try reader.record() }
        message.authority = try (0..<counts[2]).map { _ in try reader.record() }
        message.additional = try (0..<counts[3]).map { _ in try reader.record() }
        return message
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var raw = false

        init(bytes: [UInt8], offset: Int = 0, raw: Bool = false) {
            self.bytes = bytes
            self.offset = offset
            self.raw = raw
        }

        mutating func u8() throws -> UInt8 {
            guard offset < bytes.count else { throw CodecError("dns", offset, "message ends early") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func u16() throws -> UInt16 { UInt16(try u8()) << 8 | UInt16(try u8()) }

        mutating func u32() throws -> UInt32 { UInt32(try u16()) << 16 | UInt32(try u16()) }

        mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
            guard n >= 0, offset + n <= bytes.count else {
                throw CodecError("dns", offset, "\(n) bytes promised, message ends early")
            }
            defer { offset += n }
            return bytes[offset..<(offset + n)]
        }

        /// A domain name, following compression pointers (at most 32, never forward loops),
        /// at most 255 bytes.
        mutating func name() throws -> String {
            var labels: [String] = []
            var position = offset
            var jumped = false
            var jumps = 0
            var length = 0
            while true {
                guard position < bytes.count else { throw CodecError("dns", position, "name runs past the message") }
                let size = Int(bytes[position])
                if size == 0 {
                    if !jumped { offset = position + 1 }
                    break
                }
                if size & 0xC0 == 0xC0 {
                    guard position + 1 < bytes.count else {
                        throw CodecError("dns", position, "cut compression pointer")
                    }
                    let target = (size & 0x3F) << 8 | Int(bytes[position + 1])
                    jumps += 1
                    guard jumps <= 32, target < position else {
                        throw CodecError("dns", position, "compression pointer loop or forward jump to \(target)")
                    }
                    if !jumped { offset = position + 2 }
                    jumped = true
                    position = target
                    continue
                }
                guard size & 0xC0 == 0 else { throw CodecError("dns", position, "reserved label type \(size >> 6)") }
                length += size + 1
                guard length <= 255 else { throw CodecError("dns", position, "name longer than 255 bytes") }
                guard position + 1 + size <= bytes.count else {
                    throw CodecError("dns", position, "label runs past the message")
                }
                labels.append(String(decoding: bytes[(position + 1)...(position + size)], as: UTF8.self))
                position += 1 + size
            }
            return labels.joined(separator: ".")
        }

        mutating func record() throws -> Record {
            let name = try name()
            let type = try u16()
            _ = try u16()  // class (mDNS cache-flush bit included)
            let ttl = try u32()
            let length = Int(try u16())
            let start = offset
            let rdata = try take(length)
            var sub = Reader(bytes: bytes, offset: start)  // names inside rdata may point anywhere before
            let data: RecordData
            switch raw ? 0 : type {
            case DNSMessage.a where length == 4:
                data = .address(rdata.map(String.init).joined(separator: "."))
            case DNSMessage.aaaa where length == 16:
                data = .address(ByteText.ipv6(rdata))
            case DNSMessage.ptr, DNSMessage.cname:
                data = .name(try sub.name())
            case DNSMessage.srv where length >= 7:
                let priority = try sub.u16()
                let weight = try sub.u16()
                let port = try sub.u16()
                data = .service(priority: priority, weight: weight, port: port, target: try sub.name())
            case DNSMessage.txt:
                var strings: [String] = []
                var i = rdata.startIndex
                while i < rdata.endIndex {
                    let n = Int(rdata[i])
                    guard i + 1 + n <= rdata.endIndex else {
                        throw CodecError("dns", i, "TXT string runs past its record")
                    }
                    if n > 0 { strings.append(String(decoding: rdata[(i + 1)..<(i + 1 + n)], as: UTF8.self)) }
                    i += 1 + n
                }
                data = .text(strings)
            default:
                data = .other(Array(rdata))
            }
            return Record(name: name, type: type, ttl: ttl, data: data)
        }
    }
}
