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
