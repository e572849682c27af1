import Foundation
import LedgerModel

/// What devices say on their own, heard without sending anything: ARP, DHCP (host name option
/// 12, parameter list 55, vendor class 60), mDNS announcements, SSDP NOTIFY, NetBIOS
/// broadcasts, LLDP and CDP. Pure: frames in, hosts (by MAC) with signals out; the capture
/// (live or from a file) is the caller's. Memory is bounded: at most `maximumHosts` hosts.
public struct PassiveListener: Sendable {
    public struct Heard: Sendable, Equatable {
        public var mac: String
        public var ips: [String] = []
        public var signals = Signals()
        public var frames = 0
    }

    /// The libpcap filter that admits what the listener reads.
    public static let captureFilter =
        "arp or udp port 67 or udp port 68 or udp port 5353 or udp port 1900 or udp port 137 or udp port 138 or ether proto 0x88cc or ether[12:2] <= 1500"

    public private(set) var heard: [String: Heard] = [:]
    public private(set) var frames = 0
    public private(set) var refused = 0
    public var maximumHosts = 65_536

    public init() {}

    public mutating func observe(linkType: Int32, _ frame: [UInt8]) {
        frames += 1
        guard let eth = Frames.ethernet(linkType: linkType, frame) else {
            // Linux cooked captures (`tcpdump -i any`) carry the sender's MAC in their header.
            if linkType == 113, frame.count >= 16, frame[4] == 0, frame[5] == 6,
                let udp = Frames.udp(linkType: linkType, frame)
            {
                observe(udp, from: ByteText.mac(frame[6..<12]))
            }
            return
        }
        let source = eth.source
        guard !Self.isGroupAddress(source) else { return }
        switch eth.type {
        case 0x0806:
            guard let arp = try? ARPPacket.parse(linkType: linkType, frame: frame) else { return refuse() }
            // A probe (sender 0.0.0.0) says nothing about an address.
            if arp.senderIP.bytes != [0, 0, 0, 0] { note(arp.senderMACText, ip: arp.senderIP.description) }
        case 0x88CC:
            guard let lldp = try? LLDPInfo.parse(eth.payload) else { return refuse() }
            var s = Signals()
            s.add("lldp.systemName", lldp.systemName)
            s.add("lldp.systemDescription", lldp.systemDescription)
            for c in lldp.capabilities { s.add("lldp.capability", c) }
            note(source, ips: lldp.managementAddresses, s)
        case let length where length <= 1500:
            guard eth.payload.starts(with: [0xAA, 0xAA, 0x03, 0, 0, 0x0C, 0x20, 0]) else { return }
            guard let cdp = try? CDPInfo.parse(llc: eth.payload) else { return refuse() }
            var s = Signals()
            s.add("cdp.deviceID", cdp.deviceID)
            s.add("cdp.platform", cdp.platform)
            s.add("cdp.softwareVersion", cdp.softwareVersion)
            note(source, ips: cdp.addresses, s)
        default:
            guard let udp = Frames.udp(linkType: linkType, frame) else { return }
            observe(udp, from: source)
        }
    }

    mutating func observe(_ udp: UDPDatagram, from mac: String) {
        var s = Signals()
        var ip: String? = udp.source.contains(".") && udp.source != "0.0.0.0" ? udp.source : nil
        switch (udp.sourcePort, udp.destinationPort) {
        case (68, 67):
            guard let dhcp = try? DHCPMessage.parse(udp.payload) else { return refuse() }
            s.add("dhcp.hostname", dhcp.hostname)
            s.add("dhcp.vendorClass", dhcp.vendorClass)
            if !dhcp.parameterRequestList.isEmpty {
                s.add("dhcp.parameterList", dhcp.parameterRequestList.map(String.init).joined(separator: ","))
            }
            ip = ip ?? dhcp.requestedAddress
            note(dhcp.clientMAC ?? mac, ip: ip, s)
            return
        case (5353, _):
            guard let dns = try? DNSMessage.parse(udp.payload), dns.isResponse else { return }
            s = ProbeAnswers.dnssd(dns).signals
        case (_, 1900), (1900, _):
            guard let head = try? HTTPHead.parse(udp.payload) else { return refuse() }
            guard head.startLine.hasPrefix("NOTIFY") || head.status != nil else { return }
            s = ProbeAnswers.ssdp(head).signals
            s.add("ssdp.nt", head["nt"])
        case (137, _), (138, _):
            guard udp.sourcePort == 137, let info = try? NBNSInfo.parse(udp.payload) else { return }
            s = ProbeAnswers.nbns(info)
            // A registration or query names the host only with its own unique name: the
            // browser election's group name (__MSBROWSE__) names nobody.
            // (Registrations do not say here whether a name is the host's or its workgroup's:
            // kept as a heard name, not as the host name.)
            if s.isEmpty, let name = info.queriedName, !name.hasPrefix("__") { s.add("nbns.heardName", name) }
        default: return
        }
        note(mac, ip: ip, s)
    }

    mutating func refuse() { refused += 1 }

    mutating func note(_ mac: String, ip: String? = nil, ips: [String] = [], _ signals: Signals = Signals()) {
        // A multicast or zero MAC (in an ARP or DHCP body) names no device.
        guard !Self.isGroupAddress(mac) else { return }
        if heard[mac] == nil {
            guard heard.count < maximumHosts else { return }
            heard[mac] = Heard(mac: mac)
        }
        heard[mac]!.frames += 1
        let usable = ([ip].compactMap { $0 } + ips).filter {
            IPAddress($0).map { !$0.bytes.allSatisfy { $0 == 0 } } ?? false
        }
        for address in usable where heard[mac]!.ips.count < 16 {
            if !heard[mac]!.ips.contains(address) { heard[mac]!.ips.append(address) }
        }
        heard[mac]!.signals.merge(signals)
    }

    static func isGroupAddress(_ mac: String) -> Bool {
        guard let first = UInt8(mac.prefix(2), radix: 16) else { return true }
        return first & 1 == 1 || mac == "00:00:00:00:00:00"
    }

    /// The hosts heard, classified, in MAC order; each IPv4 address found is the host's address.
    public func hosts(
        rules: [FingerprintRule], vendors: MACVendors?, knowledge: Identification = Identification()
    ) -> [ScannedHost] {
        heard.values.sorted { $0.mac < $1.mac }.compactMap { h in
            guard let ip = h.ips.lazy.compactMap({ IPAddress($0) }).first(where: \.isV4) else { return nil }
            var host = ScannedHost(ip: ip, mac: h.mac, macVendor: vendors?.vendor(of: h.mac))
            host.signals = h.signals
            host.classify(rules: rules, knowledge: knowledge)
            return host
        }
    }
}
