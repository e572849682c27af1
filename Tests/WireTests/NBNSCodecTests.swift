import Foundation
import TestSupport
import Testing

@testable import Wire

@Suite struct NBNSCodecTests {
    @Test func nameEncoding() {
        // "WORKGROUP" padded to 15 with spaces, suffix 0x00, first-level encoded.
        #expect(NBNSInfo.decodeName("FHEPFCELEHFCEPFFFACACACACACACAAA")?.name == "WORKGROUP")
        #expect(NBNSInfo.decodeName("CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")?.name == "*")
        #expect(NBNSInfo.decodeName("TOO-SHORT") == nil)
    }

    @Test func aSambaNodeStatusAnswer() throws {
        var b = DNSBuilder()
        b.u16(0x1234); b.u16(0x8400); b.u16(0); b.u16(1); b.u16(0); b.u16(0)
        b.name("CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        b.u16(0x21); b.u16(1); b.u32(0)
        func entry(_ name: String, _ suffix: UInt8, group: Bool) -> [UInt8] {
            Array(name.padding(toLength: 15, withPad: " ", startingAt: 0).utf8) + [suffix, group ? 0x84 : 0x04, 0x00]
        }
        let rdata =
            [3] + entry("CW-PC-01", 0x00, group: false) + entry("CAMPUS", 0x00, group: true)
            + entry("CW-PC-01", 0x20, group: false) + [0x54, 0xE1, 0xAD, 0x10, 0x20, 0x30]
            + Array(repeating: 0, count: 40)
        b.u16(UInt16(rdata.count)); b.bytes += rdata
        let info = try NBNSInfo.parse(b.bytes[...])
        #expect(info.computerName == "CW-PC-01")
        #expect(info.workgroup == "CAMPUS")
        #expect(info.names.map(\.suffix) == [0x00, 0x00, 0x20])
        #expect(info.mac == "54:e1:ad:10:20:30")
    }

    @Test func theValgrindCaptureAndRandomBytesAreSurvived() throws {
        var seen = 0
        for packet in try capture("nbns-valgrind.pcap") {
            guard let udp = Frames.udp(linkType: packet.linkType, packet.bytes),
                udp.sourcePort == 137 || udp.destinationPort == 137
            else { continue }
            seen += 1
            _ = try? NBNSInfo.parse(udp.payload)
        }
        #expect(seen > 0)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            var bytes = (0..<Int.random(in: 12..<200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            bytes[4...11] = [0, 0, 0, 1, 0, 0, 0, 0]  // one answer
            _ = try? NBNSInfo.parse(bytes[...])
        }
    }
}
