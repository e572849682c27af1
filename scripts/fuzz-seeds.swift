// Seeds a fuzz corpus from the shared fixtures (scripts/fuzz.sh builds and runs it):
//
//     fuzz-seeds CORPUS FIXTURES SPEC...
//
// reads every capture in FIXTURES/pcap through libpcap and writes what each SPEC (from a
// `// fuzz-seeds:` line of a Fuzz/ entry) picks into CORPUS, one file per distinct input,
// named by its content's hash:
//
//     udp:P,Q       UDP payloads from or to port P or Q (Wire's Frames.udp)
//     tcp:P,Q       non-empty TCP payloads from or to those ports (TCPSegmentHead)
//     ether:0xTYPE  an Ethernet frame's payload of that EtherType
//     snap:0xPID    an 802.3 frame's payload after its LLC/SNAP header of that protocol ID
//     frames:0xTYPE whole Ethernet frames of that EtherType; frames:udp, frames:tcp whole
//                   frames carrying UDP or TCP
//     snmprec       each FIXTURES/snmprec/*.snmprec as SNMPv2c GetResponses (ten bindings each)
//     questions:K   what the scanner itself sends (K: snmp, dns, nbns, ipp, smb, http), from
//                   Wire's encoders: well-formed messages of the protocol, captures or not
import CPcap
import Foundation
import Wire

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: fuzz-seeds CORPUS FIXTURES SPEC...\n".utf8))
    exit(2)
}
let corpus = URL(fileURLWithPath: arguments[1])
let fixtures = URL(fileURLWithPath: arguments[2])
let specs = arguments.dropFirst(3)
/// Inputs per spec at most, and their length (libFuzzer's -max_len in fuzz.sh).
let perSpec = 400, maximumLength = 4096

func files(_ folder: String, _ suffixes: [String]) -> [URL] {
    let dir = fixtures.appendingPathComponent(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { n in suffixes.contains { n.hasSuffix($0) } }.sorted().map { dir.appendingPathComponent($0) }
}

func packets(_ path: String) -> [(linkType: Int32, bytes: [UInt8])] {
    var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
    guard let handle = pcap_open_offline(path, &errorBuffer) else { return [] }
    defer { pcap_close(handle) }
    let linkType = pcap_datalink(handle)
    var out: [(Int32, [UInt8])] = []
    var header: UnsafeMutablePointer<pcap_pkthdr>?
    var data: UnsafePointer<UInt8>?
    while pcap_next_ex(handle, &header, &data) == 1, let header, let data {
        out.append((linkType, Array(UnsafeBufferPointer(start: data, count: Int(header.pointee.caplen)))))
    }
    return out
}

let captures = files("pcap", [".pcap", ".pcapng"]).flatMap { packets($0.path) }

func ports(_ list: Substring) -> Set<UInt16> { Set(list.split(separator: ",").compactMap { UInt16($0) }) }
func hex(_ text: Substring) -> UInt16? { UInt16(text.hasPrefix("0x") ? text.dropFirst(2) : text, radix: 16) }

// MARK: snmprec → GetResponse

func tlv(_ tag: UInt8, _ value: [UInt8]) -> [UInt8] {
    let n = value.count
    let length: [UInt8] =
        n < 0x80 ? [UInt8(n)] : n < 0x100 ? [0x81, UInt8(n)] : [0x82, UInt8(n >> 8), UInt8(n & 0xFF)]
    return [tag] + length + value
}

func integer(_ tag: UInt8, _ v: Int64) -> [UInt8] {
    var bytes = withUnsafeBytes(of: v.bigEndian) { Array($0) }
    while bytes.count > 1, (bytes[0] == 0 && bytes[1] & 0x80 == 0) || (bytes[0] == 0xFF && bytes[1] & 0x80 != 0) {
        bytes.removeFirst()
    }
    return tlv(tag, bytes)
}

func oid(_ dotted: String) -> [UInt8]? {
    let arcs = dotted.split(separator: ".").compactMap { UInt64($0) }
    guard arcs.count >= 2, arcs[0] <= 2 else { return nil }
    var out: [UInt8] = []
    for arc in [arcs[0] * 40 + arcs[1]] + arcs.dropFirst(2) {
        var chunk: [UInt8] = [UInt8(arc & 0x7F)]
        var rest = arc >> 7
        while rest > 0 {
            chunk.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
            rest >>= 7
        }
        out += chunk
    }
    return tlv(0x06, out)
}

/// One snmprec line (`OID|TYPE|VALUE`, TYPE ending in x: hex) as a variable binding.
func binding(_ line: Substring) -> [UInt8]? {
    let parts = line.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count == 3, let name = oid(String(parts[0])) else { return nil }
    let isHex = parts[1].hasSuffix("x")
    guard let type = UInt8(isHex ? parts[1].dropLast() : parts[1]) else { return nil }
    var raw = Array(parts[2].utf8)
    if isHex {
        var bytes: [UInt8] = []
        var i = raw.startIndex
        while i + 1 < raw.endIndex, let b = UInt8(String(decoding: raw[i...(i + 1)], as: UTF8.self), radix: 16) {
            bytes.append(b)
            i += 2
        }
        raw = bytes
    }
    let text = String(decoding: raw, as: UTF8.self)
    let value: [UInt8]
    switch type {
    case 2: value = integer(0x02, Int64(text) ?? 0)
    case 6: guard let o = oid(text) else { return nil }; value = o
    case 64: value = tlv(0x40, text.split(separator: ".").compactMap { UInt8($0) })
    case 65, 66, 67, 70: value = integer(0x40 | (type - 64), Int64(text) ?? 0)
    case 5: value = [0x05, 0x00]
    default: value = tlv(0x04, raw)
    }
    return tlv(0x30, name + value)
}

func getResponses(_ file: URL) -> [[UInt8]] {
    guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
    let bindings = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("#") }.compactMap(binding)
    return stride(from: 0, to: bindings.count, by: 10).map { start in
        let list = bindings[start..<min(start + 10, bindings.count)].flatMap { $0 }
        let pdu = tlv(0xA2, integer(0x02, Int64(start)) + integer(0x02, 0) + integer(0x02, 0) + tlv(0x30, list))
        return tlv(0x30, integer(0x02, 1) + tlv(0x04, Array("public".utf8)) + pdu)
    }
}

// MARK: picking

func picked(_ spec: Substring) -> [[UInt8]] {
    let parts = spec.split(separator: ":", maxSplits: 1)
    let kind = parts[0], argument = parts.count > 1 ? parts[1] : ""
    switch kind {
    case "udp":
        let wanted = ports(argument)
        return captures.compactMap { p in
            guard let u = Frames.udp(linkType: p.linkType, p.bytes),
                wanted.contains(u.sourcePort) || wanted.contains(u.destinationPort)
            else { return nil }
            return Array(u.payload)
        }
    case "tcp":
        let wanted = ports(argument)
        return captures.compactMap { p in
            guard let t = TCPSegmentHead.parse(linkType: p.linkType, p.bytes), !t.payload.isEmpty,
                wanted.contains(t.sourcePort) || wanted.contains(t.destinationPort)
            else { return nil }
            return Array(t.payload)
        }
    case "ether":
        let type = hex(argument)
        return captures.compactMap { p in
            guard let e = Frames.ethernet(linkType: p.linkType, p.bytes), e.type == type else { return nil }
            return Array(e.payload)
        }
    case "snap":
        guard let pid = hex(argument) else { return [] }
        let header: [UInt8] = [0xAA, 0xAA, 0x03]
        return captures.compactMap { p in
            guard let e = Frames.ethernet(linkType: p.linkType, p.bytes), e.type <= 1500, e.payload.count > 8,
                e.payload.starts(with: header),
                UInt16(e.payload[e.payload.startIndex + 6]) << 8 | UInt16(e.payload[e.payload.startIndex + 7]) == pid
            else { return nil }
            return Array(e.payload.dropFirst(8))
        }
    case "frames":
        return captures.compactMap { p in
            switch argument {
            case "udp": return Frames.udp(linkType: p.linkType, p.bytes) == nil ? nil : p.bytes
            case "tcp": return TCPSegmentHead.parse(linkType: p.linkType, p.bytes) == nil ? nil : p.bytes
            default:
                guard let e = Frames.ethernet(linkType: p.linkType, p.bytes), e.type == hex(argument) else {
                    return nil
                }
                return p.bytes
            }
        }
    case "snmprec":
        return files("snmprec", [".snmprec"]).flatMap(getResponses)
    case "questions":
        switch argument {
        case "snmp":
            return [0, 1].flatMap { v in
                [0xA0, 0xA1].map { pdu in
                    ProbeRequests.snmp(
                        version: v, community: "public", pdu: UInt8(pdu), requestID: 7, oids: ProbeRequests.snmpGetOIDs)
                }
            } + [
                ProbeRequests.snmpV3Discovery(messageID: 9),
                ProbeRequests.snmpBulk(
                    community: "public", requestID: 8, maxRepetitions: 64, oids: [ProbeRequests.ifTypeColumn]),
            ]
        case "dns": return ProbeRequests.dnsQueries(id: 1, names: ProbeRequests.dnssdServices, type: 12)
        case "nbns": return [ProbeRequests.nbnsNodeStatus(id: 3)]
        case "ipp": return [IPPMessage.getPrinterAttributes(uri: "ipp://198.18.1.20:631/ipp/print", requestID: 1)]
        case "smb": return [SMBNegotiate.negotiateRequest(), SMBNegotiate.sessionSetupRequest()]
        case "http": return [ProbeRequests.ssdpSearch(host: "198.18.1.20")]
        default: return []
        }
    default:
        FileHandle.standardError.write(Data("fuzz-seeds: unknown seed kind \(spec)\n".utf8))
        exit(2)
    }
}

/// FNV-1a, 64 bits: a stable name for an input.
func name(_ bytes: [UInt8]) -> String {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
    return "seed-" + String(h, radix: 16)
}

try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
var written = Set<String>()
for spec in specs {
    var seen = Set<[UInt8]>()
    for input in picked(spec[...]) where !input.isEmpty && seen.count < perSpec {
        let bounded = Array(input.prefix(maximumLength))
        guard seen.insert(bounded).inserted else { continue }
        let file = name(bounded)
        if written.insert(file).inserted { try Data(bounded).write(to: corpus.appendingPathComponent(file)) }
    }
}
print(written.count)
