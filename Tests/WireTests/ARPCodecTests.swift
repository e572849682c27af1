import TestSupport
import Testing

@testable import Wire

/// `198.18.0.1` as Wire keeps it, and back.
func v4(_ dotted: String) -> UInt32 { dotted.split(separator: ".").reduce(0) { $0 << 8 | UInt32($1)! } }
func dotted(_ v: UInt32) -> String { [24, 16, 8, 0].map { String(v >> $0 & 0xFF) }.joined(separator: ".") }

@Suite struct ARPCodecTests {
    @Test func aRequestWeBuildReadsBackAsTheSameQuestion() throws {
        let mac: [UInt8] = [0x3C, 0xD9, 0x2B, 0, 0, 1]
        let frame = ARPPacket.requestFrame(
            senderMAC: mac, senderIPv4: v4("198.18.0.1"), targetIPv4: v4("198.18.0.77"))
        #expect(frame.count == 60)
        #expect(Array(frame.prefix(6)) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        let arp = try #require(try ARPPacket.parse(linkType: 1, frame: frame))
        #expect(arp.operation == ARPPacket.request)
        #expect(arp.senderMACText == "3c:d9:2b:00:00:01")
        #expect(dotted(arp.senderIPv4) == "198.18.0.1")
        #expect(dotted(arp.targetIPv4) == "198.18.0.77")
        #expect(
            try ARPPacket.parse(linkType: 1, frame: Array(frame.prefix(12)) + [0x08, 0x00] + frame.dropFirst(14)) == nil
        )
    }

    @Test func aRealCaptureParsesAndItsDamagedFramesAreRefusedByByte() throws {
        var parsed: [ARPPacket] = []
        var refused: [CodecError] = []
        for packet in try capture("arp-oobr.pcap") {
            do {
                if let arp = try ARPPacket.parse(linkType: packet.linkType, frame: packet.bytes) { parsed.append(arp) }
            } catch let e as CodecError { refused.append(e) }
        }
        let first = try #require(parsed.first)
        #expect(first.senderMACText == "00:1f:29:da:2d:79")
        #expect(dotted(first.senderIPv4) == "192.168.1.104")
        #expect(dotted(first.targetIPv4) == "192.168.1.1")
        #expect(parsed.contains { $0.operation == ARPPacket.reply })
        #expect(parsed.count > 1_000 && refused.count > 20, "\(parsed.count) parsed, \(refused.count) refused")
        #expect(refused.allSatisfy { $0.codec == "arp" && $0.offset <= 28 })
    }

    /// tcpdump's over-long-address case: behind a QinQ tag, an ARP whose header is junk.
    @Test func aJunkHeaderBehindAVLANTagIsRefused() throws {
        let packets = try capture("arp-too-long-tha.pcap")
        #expect(packets.count == 1)
        #expect(throws: CodecError("arp", 0, "hardware type 12336 is not Ethernet")) {
            try ARPPacket.parse(linkType: packets[0].linkType, frame: packets[0].bytes)
        }
    }
}

extension ARPCodecTests {
    @Test func lengthsOtherThanEthernetAndIPv4AreRefusedByByte() {
        var arp: [UInt8] = [0, 1, 8, 0, 14, 4, 0, 1] + Array(repeating: 0, count: 20)
        #expect(throws: CodecError("arp", 4, "hardware address length 14, Ethernet's is 6")) {
            try ARPPacket.parse(arp[...])
        }
        arp[4] = 6
        arp[7] = 9
        #expect(throws: CodecError("arp", 6, "operation 9 is neither request nor reply")) {
            try ARPPacket.parse(arp[...])
        }
        #expect(throws: CodecError("arp", 20, "message ends early: 28 bytes needed, 20 present")) {
            try ARPPacket.parse(arp.prefix(20))
        }
    }
}

extension ARPCodecTests {
    @Test func rewritingTheTargetOfATemplateFrameAsksForTheNewAddress() throws {
        var frame = ARPPacket.requestFrame(
            senderMAC: [0, 0x1B, 0xA9, 1, 2, 3], senderIPv4: v4("198.18.0.1"), targetIPv4: v4("198.18.0.1"))
        frame.replaceSubrange(ARPPacket.targetIPRange, with: [198, 18, 44, 5])
        #expect(try ARPPacket.parse(linkType: 1, frame: frame)?.targetIPv4 == v4("198.18.44.5"))
    }
}
