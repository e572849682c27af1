import Foundation

/// The questions the scanner asks over UDP, as bytes: SNMP GET/GET-NEXT (v1/v2c) and the
/// SNMPv3 engine discovery, the NetBIOS node status, DNS-SD queries sent to a host's mDNS
/// port, and the SSDP M-SEARCH. Pure encoders; the answers are read by the codecs
/// (SNMPMessage, NBNSInfo, DNSMessage, HTTPHead).
public enum ProbeRequests {
    // MARK: SNMP

    /// The objects asked with GET: the system group and the printer's own name and serial.
    public static let snmpGetOIDs = [
        "1.3.6.1.2.1.1.1.0",  // sysDescr
        "1.3.6.1.2.1.1.2.0",  // sysObjectID
        "1.3.6.1.2.1.1.5.0",  // sysName
        "1.3.6.1.2.1.1.6.0",  // sysLocation
        "1.3.6.1.2.1.25.1.4.0",  // hrSystemInitialLoadParameters
    ]
    /// The MIB-II system group every agent has: what a v1 agent is asked first.
    public static let snmpSystemOIDs = [
        "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.6.0",
    ]

    /// The standard structure asked with one more GET (issue 14: class from what a device is):
    /// sysServices, ifNumber, ipForwarding, BRIDGE-MIB dot1dBaseNumPorts, Q-BRIDGE-MIB
    /// dot1qVlanVersionNumber, UPS-MIB upsIdentManufacturer and upsIdentModel. An agent without
    /// one answers noSuchObject for it (v2c); v1 agents get them one per request.
    public static let snmpStructureOIDs = [
        "1.3.6.1.2.1.1.7.0", "1.3.6.1.2.1.2.1.0", "1.3.6.1.2.1.4.1.0", "1.3.6.1.2.1.17.1.2.0",
        "1.3.6.1.2.1.17.7.1.1.1.0", "1.3.6.1.2.1.33.1.1.1.0", "1.3.6.1.2.1.33.1.1.2.0",
    ]

    /// Table columns asked with GET-NEXT (the first row of each): hrDeviceType,
    /// hrDeviceDescr, Printer-MIB prtGeneralPrinterName, prtGeneralSerialNumber,
    /// prtMarkerLifeCount, ifPhysAddress, the 802.11 product name, ENTITY-MIB serial, maker and
    /// model (network gear's chassis), Dell OpenManage's chassis model; then ifType,
    /// entPhysicalClass and ENTITY-SENSOR-MIB entPhySensorType (the structure).
    public static let snmpNextOIDs = [
        "1.3.6.1.2.1.25.3.2.1.2", "1.3.6.1.2.1.25.3.2.1.3", "1.3.6.1.2.1.43.5.1.1.16", "1.3.6.1.2.1.43.5.1.1.17",
        "1.3.6.1.2.1.43.10.2.1.4", "1.3.6.1.2.1.2.2.1.6", "1.2.840.10036.3.1.2.1.3", "1.3.6.1.2.1.47.1.1.1.1.11",
        "1.3.6.1.2.1.47.1.1.1.1.12", "1.3.6.1.2.1.47.1.1.1.1.13", "1.3.6.1.4.1.674.10892.1.300.10.1.9",
        "1.3.6.1.2.1.2.2.1.3", "1.3.6.1.2.1.47.1.1.1.1.5", "1.3.6.1.2.1.99.1.1.1.1",
    ]

    /// An SNMP v1 (`version` 0) or v2c (1) request: `pdu` 0xA0 GET or 0xA1 GET-NEXT.
    public static func snmp(version: Int, community: String, pdu: UInt8, requestID: Int32, oids: [String]) -> [UInt8] {
        let bindings = oids.map { tlv(0x30, tlv(0x06, oid($0)) + [0x05, 0x00]) }
        let body = integer(Int64(requestID)) + integer(0) + integer(0) + tlv(0x30, bindings.flatMap { $0 })
        return tlv(0x30, integer(Int64(version)) + tlv(0x04, Array(community.utf8)) + tlv(pdu, body))
    }

    /// IF-MIB ifType, the column walked with GETBULK (v2c agents): every interface's type.
    public static let ifTypeColumn = "1.3.6.1.2.1.2.2.1.3"
    /// Rows asked per GETBULK: a 48-port switch's ports and VLANs in one answer that still fits
    /// one Ethernet frame (about 18 bytes a row).
    public static let snmpBulkRepetitions = 64

    /// An SNMPv2c GetBulkRequest (RFC 3416 §4.2.3, PDU 0xA5): the first `nonRepeaters` OIDs
    /// asked once, the others `maxRepetitions` rows each. Its fields sit where a GET's error
    /// status and index do; both bounded to 0...2^31-1 as the RFC says.
    public static func snmpBulk(
        community: String, requestID: Int32, nonRepeaters: Int = 0, maxRepetitions: Int, oids: [String]
    ) -> [UInt8] {
        let bindings = oids.map { tlv(0x30, tlv(0x06, oid($0)) + [0x05, 0x00]) }
        let body =
            integer(Int64(requestID)) + integer(Int64(max(0, min(nonRepeaters, Int(Int32.max)))))
            + integer(Int64(max(0, min(maxRepetitions, Int(Int32.max))))) + tlv(0x30, bindings.flatMap { $0 })
        return tlv(0x30, integer(1) + tlv(0x04, Array(community.utf8)) + tlv(0xA5, body))
    }

    /// The SNMPv3 discovery probe (RFC 3414 §4): no user, reportable, an empty GET; an agent
    /// answers with a report carrying its engine ID (its maker's enterprise number, often a MAC).
    public static func snmpV3Discovery(messageID: Int32) -> [UInt8] {
        let global = tlv(0x30, integer(Int64(messageID)) + integer(65_507) + tlv(0x04, [0x04]) + integer(3))
        let security = tlv(
            0x04, tlv(0x30, tlv(0x04, []) + integer(0) + integer(0) + tlv(0x04, []) + tlv(0x04, []) + tlv(0x04, [])))
        let get = tlv(0xA0, integer(Int64(messageID)) + integer(0) + integer(0) + tlv(0x30, []))
        let scoped = tlv(0x30, tlv(0x04, []) + tlv(0x04, []) + get)
        return tlv(0x30, integer(3) + global + security + scoped)
    }

    static func tlv(_ tag: UInt8, _ value: [UInt8]) -> [UInt8] {
        let n = value.count
        let length: [UInt8] =
            n < 0x80 ? [UInt8(n)] : n < 0x100 ? [0x81, UInt8(n)] : [0x82, UInt8(n >> 8), UInt8(n & 0xFF)]
        return [tag] + length + value
    }

    static func integer(_ v: Int64) -> [UInt8] {
        var bytes = withUnsafeBytes(of: v.bigEndian) { Array($0) }
        // Minimal two's complement: drop leading bytes that only repeat the sign.
        while bytes.count > 1,
            (bytes[0] == 0 && bytes[1] & 0x80 == 0) || (bytes[0] == 0xFF && bytes[1] & 0x80 != 0)
        {
            bytes.removeFirst()
        }
        return tlv(0x02, bytes)
    }

    static func oid(_ dotted: String) -> [UInt8] {
        let arcs = dotted.split(separator: ".").compactMap { UInt64($0) }
        precondition(arcs.count >= 2, "OID needs two arcs")
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
        return out
    }

    // MARK: NetBIOS

    /// A node-status question (RFC 1002 §4.2.17) for the wildcard name `*`.
    public static func nbnsNodeStatus(id: UInt16) -> [UInt8] {
        var name: [UInt8] = [0x20]
        for byte in [UInt8(ascii: "*")] + Array(repeating: 0, count: 15) {
            name += [65 + (byte >> 4), 65 + (byte & 0x0F)]
        }
        return [UInt8(id >> 8), UInt8(id & 0xFF), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0] + name + [0, 0x00, 0x21, 0x00, 0x01]
    }

    // MARK: DNS-SD over mDNS

    /// The DNS-SD services the scanner asks a host for (RFC 6763), service enumeration first.
    public static let dnssdServices = [
        "_services._dns-sd._udp.local", "_ipp._tcp.local", "_ipps._tcp.local", "_pdl-datastream._tcp.local",
        "_printer._tcp.local", "_googlecast._tcp.local", "_device-info._tcp.local", "_workstation._tcp.local",
        "_smb._tcp.local", "_airplay._tcp.local",
    ]

    /// A DNS query (one message, several questions) sent from a port other than 5353, so the
    /// responder answers by unicast to us (RFC 6762 §6.7, "legacy unicast").
    public static func dnsQuery(id: UInt16, names: [String], type: UInt16) -> [UInt8] {
        var out: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0, 0, UInt8(names.count >> 8), UInt8(names.count & 0xFF)]
        out += [0, 0, 0, 0, 0, 0]
        for name in names {
            for label in name.split(separator: ".") {
                let bytes = Array(label.utf8.prefix(63))
                out += [UInt8(bytes.count)] + bytes
            }
            out += [0, UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
        }
        return out
    }

    // MARK: WS-Discovery

    /// The WS-Discovery port. The Probe goes to each host itself (not to the multicast group
    /// 239.255.255.250, which every device on the link, excluded ones too, would hear).
    public static let wsdPort: UInt16 = 3702

    /// A WS-Discovery Probe for every type (Windows PCs, WSD printers and scanners answer with
    /// a ProbeMatch naming their types and service addresses).
    public static func wsdProbe(messageID: UUID) -> [UInt8] {
        Array(
            """
            <?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" \
            xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:wsd="http://schemas.xmlsoap.org/ws/2005/04/discovery">\
            <soap:Header><wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>\
            <wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action>\
            <wsa:MessageID>urn:uuid:\(messageID.uuidString.lowercased())</wsa:MessageID></soap:Header>\
            <soap:Body><wsd:Probe/></soap:Body></soap:Envelope>
            """.utf8)
    }

    /// The same question for many names as several queries, each at most `maximumBytes` long
    /// (a name too long for one query alone is dropped).
    public static func dnsQueries(id: UInt16, names: [String], type: UInt16, maximumBytes: Int = 1_200) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var batch: [String] = []
        for name in names {
            if dnsQuery(id: id, names: batch + [name], type: type).count > maximumBytes {
                if !batch.isEmpty { out.append(dnsQuery(id: id, names: batch, type: type)) }
                batch = dnsQuery(id: id, names: [name], type: type).count <= maximumBytes ? [name] : []
            } else {
                batch.append(name)
            }
        }
        if !batch.isEmpty { out.append(dnsQuery(id: id, names: batch, type: type)) }
        return out
    }

    // MARK: SSDP

    /// An M-SEARCH for every device, sent by unicast to one host's port 1900 (UPnP 1.1).
    public static func ssdpSearch(host: String) -> [UInt8] {
        Array(
            "M-SEARCH * HTTP/1.1\r\nHOST: \(host):1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\nUSER-AGENT: AssetLedger/1 UPnP/1.1\r\n\r\n"
                .utf8)
    }
}
