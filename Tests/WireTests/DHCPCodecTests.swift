import Foundation
import TestSupport
import Testing

@testable import Wire

func dhcpMessages(_ name: String) throws -> (parsed: [DHCPMessage], refused: [CodecError]) {
    var parsed: [DHCPMessage] = []
    var refused: [CodecError] = []
    for packet in try capture(name) {
        guard let udp = Frames.udp(linkType: packet.linkType, packet.bytes),
            [67, 68].contains(udp.sourcePort) || [67, 68].contains(udp.destinationPort)
        else { continue }
        do { parsed.append(try DHCPMessage.parse(udp.payload)) } catch let e as CodecError { refused.append(e) }
    }
    return (parsed, refused)
}

@Suite struct DHCPCodecTests {
    @Test func aRaspberryPiAsksForItsAddress() throws {
        let r = try dhcpMessages("dhcp-mud.pcap")
        #expect(r.refused.isEmpty)
        let request = try #require(r.parsed.first { $0.op == 1 })
        #expect(request.clientMAC == "b8:27:eb:b8:53:c8")
        #expect(request.messageType == 3)
        #expect(request.hostname == "raspberrypi")
        #expect(request.vendorClass == "dhcpcd-6.11.5:Linux-4.1.18-v7+:armv7l:BCM2709")
        #expect(request.parameterRequestList == [1, 121, 33, 3, 6, 12, 15, 28, 42, 51, 54, 58, 59, 100, 101, 119])
        #expect(r.parsed.contains { $0.op == 2 && $0.messageType == 5 })
    }

    @Test func aMacBookDiscovers() throws {
        let r = try dhcpMessages("dhcp-option-108.pcapng")
        let discover = try #require(r.parsed.first { $0.messageType == 1 })
        #expect(discover.hostname == "MacBookPro")
        #expect(discover.parameterRequestList.contains(108))
        #expect(try dhcpMessages("dhcp-rfc4388.pcap").parsed.count == 36)
    }

    @Test func malformedAndRandomInputIsRefusedOrSurvived() throws {
        for name in ["bootp_asan.pcap", "bootp_asan-2.pcap"] {
            let r = try dhcpMessages(name)
            #expect(r.parsed.isEmpty && !r.refused.isEmpty, "\(name)")
        }
        var message = [UInt8](repeating: 0, count: 240)
        message[0] = 1
        message[236..<240] = [0x63, 0x82, 0x53, 0x63]
        #expect(throws: CodecError("dhcp", 240, "option 12 of 200 bytes runs past the message")) {
            try DHCPMessage.parse((message + [12, 200, 65])[...])
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            var bytes = (0..<Int.random(in: 0..<400, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if bytes.count >= 240 { bytes[236..<240] = [0x63, 0x82, 0x53, 0x63] }
            _ = try? DHCPMessage.parse(bytes[...])
        }
    }
}
