import Foundation
import TestSupport
import Testing

@testable import Wire

func snmpMessages(_ name: String) throws -> (parsed: [SNMPMessage], refused: [CodecError]) {
    var parsed: [SNMPMessage] = []
    var refused: [CodecError] = []
    for packet in try capture(name) {
        guard let udp = Frames.udp(linkType: packet.linkType, packet.bytes),
            [161, 162].contains(udp.sourcePort) || [161, 162].contains(udp.destinationPort)
        else { continue }
        do { parsed.append(try SNMPMessage.parse(udp.payload)) } catch let e as CodecError { refused.append(e) }
    }
    return (parsed, refused)
}

@Suite struct SNMPCodecTests {
    @Test func aPrinterAnswersAGet() throws {
        let bindings = [
            ber(0x30, berOID("1.3.6.1.2.1.1.1.0") + ber(0x04, Array("SHARP MX-3570N".utf8))),
            ber(0x30, berOID("1.3.6.1.2.1.1.2.0") + berOID("1.3.6.1.4.1.2385.3.1.91")),
            ber(0x30, berOID("1.3.6.1.2.1.43.5.1.1.17.1") + ber(0x04, Array("6509415X00".utf8))),
            ber(0x30, berOID("1.3.6.1.2.1.43.10.2.1.4.1.1") + ber(0x41, [0x01, 0x86, 0xA0])),  // Counter32 100000
            ber(0x30, berOID("1.3.6.1.2.1.1.3.0") + ber(0x43, [0x00, 0xFF, 0xFF, 0xFF, 0xFF])),
            ber(0x30, berOID("1.3.6.1.2.1.4.20.1.1.198.18.10.21") + ber(0x40, [198, 18, 10, 21])),
            ber(0x30, berOID("1.3.6.1.2.1.43.11.1.1.6.1.1") + ber(0x81, [])),
        ]
        let pdu = ber(0xA2, berInt(4242) + berInt(0) + berInt(0) + ber(0x30, bindings.flatMap { $0 }))
        let message = ber(0x30, berInt(1) + ber(0x04, Array("public".utf8)) + pdu)
        let m = try SNMPMessage.parse(message[...])
        #expect(m.version == 1)
        #expect(m.community == "public")
        #expect(m.pduType == 0xA2)
        #expect(m.requestID == 4242)
        #expect(
            m.bindings.map(\.oid) == [
                "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.43.5.1.1.17.1", "1.3.6.1.2.1.43.10.2.1.4.1.1",
                "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.4.20.1.1.198.18.10.21", "1.3.6.1.2.1.43.11.1.1.6.1.1",
            ])
        #expect(m.bindings[0].value.text == "SHARP MX-3570N")
        #expect(m.bindings[1].value == .oid("1.3.6.1.4.1.2385.3.1.91"))
        #expect(m.bindings[2].value.text == "6509415X00")
        #expect(m.bindings[3].value == .counter(100_000))
        #expect(m.bindings[4].value == .timeTicks(0xFFFF_FFFF))
        #expect(m.bindings[5].value == .ipAddress("198.18.10.21"))
        #expect(m.bindings[6].value == .noSuchInstance)
    }

    @Test func aV3ReportGivesTheEngineID() throws {
        let engine: [UInt8] = [0x80, 0x00, 0x1F, 0x88, 0x80, 0x11, 0x22, 0x33, 0x44]
        let usm = ber(
            0x30, ber(0x04, engine) + berInt(3) + berInt(12345) + ber(0x04, []) + ber(0x04, []) + ber(0x04, []))
        let global = ber(0x30, berInt(1) + berInt(65507) + ber(0x04, [0x00]) + berInt(3))
        let message = ber(0x30, berInt(3) + global + ber(0x04, usm) + ber(0x30, ber(0x04, []) + ber(0x04, [])))
        let m = try SNMPMessage.parse(message[...])
        #expect(m.version == 3)
        #expect(m.engineID == engine)
    }

    @Test func malformedCapturesAreRefusedNotCrashedOn() throws {
        for name in [
            "snmp-heapoverflow-1.pcap", "snmp-heapoverflow-2.pcap", "ip-snmp-leftshift-unsigned.pcap",
            "ip6-snmp-oid-unsigned.pcap",
        ] {
            let r = try snmpMessages(name)
            #expect(r.parsed.isEmpty, "\(name)")
            #expect(!r.refused.isEmpty, "\(name)")
        }
        #expect(throws: CodecError("snmp", 0, "element of 48 bytes, 9 left")) {
            try SNMPMessage.parse([0x30, 0x30, 0x02, 0x01, 0x01, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6C][...])
        }
    }

    @Test func everyCaptureAndRandomBytesAreSurvived() throws {
        let files = try Fixtures.captureNames()
        for file in files {
            for packet in try capture(file) {
                guard let udp = Frames.udp(linkType: packet.linkType, packet.bytes) else { continue }
                _ = try? SNMPMessage.parse(udp.payload)
            }
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            var bytes = (0..<Int.random(in: 0..<200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if !bytes.isEmpty { bytes[0] = 0x30 }  // get past the first check more often
            _ = try? SNMPMessage.parse(bytes[...])
        }
    }
}

/// The GETBULK walk of ifType (issue 14): the request as a reference encoder writes it, a real
/// agent's answer read as a column, and what a broken or hostile one cannot make it do.
@Suite struct SNMPBulkTests {
    /// `bulk(_:)` in a response of `bindings` (OID, BER value).
    func response(_ bindings: [(String, [UInt8])], status: Int = 0) throws -> SNMPMessage {
        let list = bindings.map { ber(0x30, berOID($0.0) + $0.1) }.flatMap { $0 }
        let pdu = ber(0xA2, berInt(9) + berInt(status) + berInt(0) + ber(0x30, list))
        return try SNMPMessage.parse(ber(0x30, berInt(1) + ber(0x04, Array("public".utf8)) + pdu)[...])
    }

    @Test func theRequestIsTheBytesPysnmpWrites() throws {
        // pysnmp 4.4.12 (Debian's python3-pysnmp4): v2c GetBulkRequestPDU, community public,
        // request-id 0x12345678, non-repeaters 0, max-repetitions 64, ifType with a NULL value.
        let request = ProbeRequests.snmpBulk(
            community: "public", requestID: 0x1234_5678, maxRepetitions: 64, oids: [ProbeRequests.ifTypeColumn])
        #expect(
            Data(request)
                == hex("302a02010104067075626c6963a51d020412345678020100020140300f300d06092b06010201020201030500"))
        let m = try SNMPMessage.parse(request[...])
        #expect(m.version == 1 && m.pduType == 0xA5 && m.bindings.map(\.oid) == [ProbeRequests.ifTypeColumn])
        // 200 repetitions: a positive INTEGER keeps its leading zero byte; non-repeaters never negative.
        let many = ProbeRequests.snmpBulk(community: "c", requestID: 1, nonRepeaters: -3, maxRepetitions: 200, oids: [])
        #expect(Array(many.suffix(9)) == [0x02, 0x01, 0x00, 0x02, 0x02, 0x00, 0xC8, 0x30, 0x00])
    }

    @Test func aRealAgentsAnswerIsReadAsTheColumn() throws {
        // snmpsim 0.4.5 serving the shared brother.snmprec, asked GETBULK ifType with 6
        // repetitions: its four interfaces, then the walk goes on into ifMtu.
        let answer = hex(
            "308184020101040762726f74686572a2760204123456780201000201003068300f060a2b060102010202010301020107"
                + "300f060a2b060102010202010302020107300f060a2b060102010202010303020107300f060a2b06010201020201"
                + "03040201183010060a2b060102010202010401020205dc3010060a2b060102010202010402020205dc")
        let m = try SNMPMessage.parse(Array(answer)[...])
        #expect(m.community == "brother" && m.bindings.count == 6)
        let walk = m.walk(column: ProbeRequests.ifTypeColumn)
        #expect(walk.ended)
        #expect(walk.rows.map(\.oid) == (1...4).map { "1.3.6.1.2.1.2.2.1.3.\($0)" })
        let counts = ProbeAnswers.interfaceTypeCounts(walk.rows)
        #expect(counts == [7: 3, 24: 1])
        let signals = ProbeAnswers.snmpInterfaces(counts)
        #expect(signals.first("snmp.ifTypes") == "iso88023Csmacd:3 softwareLoopback:1")
        #expect(signals.first("snmp.ifRows") == "4")
        #expect(ProbeAnswers.interfaceTypeCounts(signals.first("snmp.ifTypes")!) == counts)
    }

    @Test func theWalkStopsWhereAColumnWouldAndTrustsNothingElse() throws {
        let column = ProbeRequests.ifTypeColumn
        let six = berInt(6)
        // Every binding a row: not ended (the column may go on).
        let full = try response([("\(column).1", six), ("\(column).2", berInt(71))]).walk(column: column)
        #expect(full.rows.count == 2 && !full.ended)
        // endOfMibView, an OID outside (ifType.30 shares the digits, not the arc), the column
        // itself, a non-increasing OID: the walk stops there.
        for stop in [
            ("\(column).3", ber(0x82, [])), ("1.3.6.1.2.1.2.2.1.30.1", six), (column, six), ("\(column).1", six),
        ] {
            let walk = try response([("\(column).1", six), ("\(column).2", six), stop]).walk(column: column)
            #expect(walk.rows.count == 2 && walk.ended, "\(stop.0)")
        }
        // An error status, a request, an empty answer: no rows.
        #expect(try response([("\(column).1", six)], status: 5).walk(column: column).rows.isEmpty)
        let request = try SNMPMessage.parse(
            ProbeRequests.snmpBulk(community: "public", requestID: 1, maxRepetitions: 64, oids: [column])[...])
        #expect(request.walk(column: column).rows.isEmpty)
        #expect(try response([]).walk(column: column) == .init(rows: [], ended: true))
        // Values that are no interface type are not counted; odd text is no count.
        let odd = try response([
            ("\(column).1", ber(0x04, Array("x".utf8))), ("\(column).2", berInt(0)), ("\(column).3", berInt(-6)),
            ("\(column).4", berInt(4_294_967_296)), ("\(column).5", berInt(300)),
        ])
        #expect(ProbeAnswers.interfaceTypeCounts(odd.walk(column: column).rows) == [300: 1])
        #expect(ProbeAnswers.snmpInterfaces([300: 1]).first("snmp.ifTypes") == "300:1")
        for text in ["", "ethernetCsmacd", "ethernetCsmacd:x", "nothing:2", "6:0", "6:99999999", "6:1:2"] {
            #expect(ProbeAnswers.interfaceTypeCounts(text) == nil, "\(text)")
        }
        #expect(ProbeAnswers.interfaceTypeCounts("ethernetCsmacd:24 6:2 ieee80211:1") == [6: 26, 71: 1])
        // Truncated answers are refused by the codec before any walk.
        let answer = ProbeRequests.snmpBulk(community: "public", requestID: 1, maxRepetitions: 64, oids: [column])
        for cut in 1..<answer.count { #expect(throws: CodecError.self) { try SNMPMessage.parse(answer.prefix(cut)) } }
    }
}
