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
}
