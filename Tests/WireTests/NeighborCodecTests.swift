import Foundation
import TestSupport
import Testing

@testable import Wire

func neighbors(_ name: String) throws -> (lldp: [LLDPInfo], cdp: [CDPInfo], refused: [CodecError]) {
    var lldp: [LLDPInfo] = []
    var cdp: [CDPInfo] = []
    var refused: [CodecError] = []
    for packet in try capture(name) {
        guard let frame = Frames.ethernet(linkType: packet.linkType, packet.bytes) else { continue }
        do {
            if frame.type == 0x88CC { lldp.append(try LLDPInfo.parse(frame.payload)) }
            if frame.type <= 1500 && frame.destination == "01:00:0c:cc:cc:cc" {
                cdp.append(try CDPInfo.parse(llc: frame.payload))
            }
        } catch let e as CodecError { refused.append(e) }
    }
    return (lldp, cdp, refused)
}

@Suite struct NeighborCodecTests {
    @Test func ciscoSwitchesAnnounceThemselves() throws {
        let cdp = try neighbors("3560_CDP.pcap")
        #expect(cdp.cdp.count == 3)
        #expect(cdp.cdp.first?.deviceID == "Switch")
        #expect(cdp.cdp.first?.platform == "cisco WS-C3560G-24PS")
        #expect(cdp.cdp.first?.addresses == ["192.168.0.1"])
        #expect(cdp.cdp.first?.softwareVersion?.hasPrefix("Cisco IOS Software, C3560 Software") == true)
        let both = try neighbors("LLDP_and_CDP.pcap")
        #expect(both.lldp.count == 8)
        #expect(both.cdp.count == 4)
        let s2 = try #require(both.lldp.first)
        #expect(s2.systemName == "S2.cisco.com")
        #expect(s2.chassisID == "00:19:2f:a7:b2:8d")
        #expect(s2.portID == "Uplink to S1")
        #expect(s2.portDescription == "GigabitEthernet0/13")
        #expect(s2.capabilities == ["bridge"])
    }

    @Test func anAccessPointWithManagementAddresses() throws {
        let ap = try #require(try neighbors("lldp_mudurl.pcap").lldp.first)
        #expect(ap.systemName == "upstairs.ofcourseimright.com")
        #expect(ap.capabilities == ["wlan-ap"])
        #expect(ap.managementAddresses == ["62.12.173.114", "2001:8a8:1006:4:223:54ff:fec2:5702"])
        #expect(ap.systemDescription?.hasPrefix("Ubuntu 14.04.5 LTS") == true)
    }

    @Test func hostileFramesEndAndRandomOnesAreSurvived() throws {
        for name in [
            "lldp-infinite-loop-1.pcap", "lldp-infinite-loop-2.pcap", "lldp_asan.pcap", "lldp_mgmt_addr_tlv_asan.pcap",
            "lldp_8023_mtu-oobr.pcap",
        ] {
            let r = try neighbors(name)
            #expect(r.lldp.count + r.refused.count >= 1, "\(name)")
        }
        #expect(throws: CodecError("lldp", 0, "TLV 5 of 300 bytes runs past the frame")) {
            try LLDPInfo.parse([0x0B, 0x2C, 0x41][...])  // type 5, length 300
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? LLDPInfo.parse(bytes[...])
            _ = try? CDPInfo.parse(llc: ([0xAA, 0xAA, 0x03, 0, 0, 0x0C, 0x20, 0x00] + bytes)[...])
        }
    }
}
