import Foundation
import LedgerModel
import TestSupport
import Testing

@testable import Discovery

/// The passive listener on real captures: what devices say unasked.
@Suite struct PassiveListenerTests {
    func rules() throws -> [FingerprintRule] { try shippedFingerprints() }

    func listen(_ names: [String], maximumHosts: Int = 65_536) throws -> PassiveListener {
        var listener = PassiveListener()
        listener.maximumHosts = maximumHosts
        for name in names {
            for packet in try capture(name) { listener.observe(linkType: packet.linkType, packet.bytes) }
        }
        return listener
    }

    @Test func aCiscoSwitchNamesItselfOverCDP() throws {
        let hosts = try listen(["3560_CDP.pcap"]).hosts(rules: try rules(), vendors: nil)
        let h = try #require(hosts.first)
        #expect(hosts.count == 1 && h.ip.description == "192.168.0.1" && h.mac == "00:19:06:ea:b8:85")
        #expect(h.fingerprint.deviceClass == .network && h.fingerprint.vendor == "Cisco")
        #expect(h.fingerprint.model == "WS-C3560G-24PS" && h.hostname == "Switch")
        #expect(h.fingerprint.os?.hasPrefix("Cisco IOS 12.2") == true)
    }

    @Test func lldpAndDHCPGiveNamesCapabilitiesAndParameterLists() throws {
        let lldp = try listen(["lldp_mudurl.pcap"]).hosts(rules: try rules(), vendors: nil)
        #expect(lldp.first?.hostname == "upstairs.ofcourseimright.com")
        #expect(lldp.first?.fingerprint.deviceClass == .network)
        let dhcp = try listen(["dhcp-rfc3004.pcap"])
        let client = try #require(dhcp.heard["00:0c:29:1f:74:06"])
        #expect(client.signals.first("dhcp.parameterList") == "1,28,2,3,15,6,12" && client.ips == ["192.168.1.4"])
    }

    @Test func malformedCapturesAreCountedNotFatal() throws {
        let all = try Fixtures.captureNames()
        #expect(all.count >= 40)
        let listener = try listen(all)
        #expect(listener.frames > 100 && listener.refused > 0)
        #expect(listener.heard.keys.allSatisfy { !PassiveListener.isGroupAddress($0) })
        // Memory is bounded: past the cap, new MACs are not kept.
        #expect(try listen(all, maximumHosts: 3).heard.count == 3)
    }

    // A capture on a Linux cooked interface ("any", DLT 113) was not heard at all.
    @Test func aLinuxCookedCaptureIsHeardToo() throws {
        // SLL header: packet type, ARPHRD_ETHER, address length 6, the sender's MAC, protocol IPv4.
        let mac: [UInt8] = [0x00, 0x1B, 0xA9, 0x12, 0x34, 0x56]
        // A DHCP request: BOOTP header, the client's MAC, the magic cookie, host name option 12.
        var dhcp: [UInt8] = [1, 1, 6, 0] + Array(repeating: 0, count: 24) + mac + Array(repeating: 0, count: 202)
        dhcp += [0x63, 0x82, 0x53, 0x63, 53, 1, 3, 12, 6] + Array("lab-pc".utf8) + [255]
        let ether = IPv4Frames.udp(
            from: mac, to: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], source: 0xC612_0110, destination: 0xFFFF_FFFF,
            sourcePort: 68, port: 67, id: 1, payload: dhcp)
        let sll: [UInt8] = [0, 0, 0, 1, 0, 6] + mac + [0, 0, 0x08, 0x00] + ether[14...]
        var listener = PassiveListener()
        listener.observe(linkType: 113, sll)
        let heard = try #require(listener.heard["00:1b:a9:12:34:56"])
        #expect(heard.signals.first("dhcp.hostname") == "lab-pc" && heard.ips == ["198.18.1.16"])
    }
}
