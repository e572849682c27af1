import Foundation
import LedgerModel
import TestSupport
import Testing

@testable import Discovery

/// The scan phases run in-process on the fake network (`FakeLink`, `FakeClock`): virtual time,
/// every frame recorded, so scope, rate, retries and caps are checked without the lab.
let us = NetworkInterface(
    name: "fake0", mac: [0x02, 0, 0, 0, 0, 0x01], ipv4: IPAddress("198.18.0.1")!, netmask: 0xFFFF_FF00)

func mac(_ last: UInt8) -> [UInt8] { [0x00, 0x1B, 0xA9, 0, 0, last] }

/// The destination address of an IPv4 frame (nil for ARP and others).
func ipDestination(_ f: [UInt8]) -> UInt32? {
    guard f.count >= 34, f[12] == 0x08, f[13] == 0x00 else { return nil }
    return f[30..<34].reduce(0) { $0 << 8 | UInt32($1) }
}

func arpTarget(_ f: [UInt8]) -> IPAddress? { (try? ARPPacket.parse(linkType: 1, frame: f))??.targetIP }

/// At most `limit` of `times` in any window of `seconds`.
func mostInAnyWindow(_ times: [Double], _ seconds: Double) -> Int {
    var best = 0
    var j = 0
    for i in times.indices {
        while times[i] - times[j] >= seconds { j += 1 }
        best = max(best, i - j + 1)
    }
    return best
}

/// Canned answers (SNMP ones built with TestSupport's BER helpers).
enum Canned {
    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }

    /// An SNMP response to a v1/v2c request of an agent speaking `versions`: GET objects it
    /// has, GET-NEXT as the column's first row.
    static func snmp(_ values: [String: String], versions: Set<Int64> = [0, 1]) -> ([UInt8]) -> [FakeHost.Datagram] {
        { request in
            guard let m = try? SNMPMessage.parse(request[...]), versions.contains(m.version), m.version != 3 else {
                return []
            }
            let list = m.bindings.compactMap { b -> [UInt8]? in
                guard let value = values[b.oid] else { return nil }
                let oid = m.pduType == 0xA1 ? b.oid + ".1" : b.oid
                return ber(0x30, berOID(oid) + ber(0x04, Array(value.utf8)))
            }
            let pdu = ber(0xA2, berInt(Int(m.requestID ?? 0)) + berInt(0) + berInt(0) + ber(0x30, list.flatMap { $0 }))
            return [
                .init(port: 161, ber(0x30, berInt(Int(m.version)) + ber(0x04, Array((m.community ?? "").utf8)) + pdu))
            ]
        }
    }

    static func name(_ n: String) -> [UInt8] {
        n.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }
    static func record(_ owner: String, _ type: UInt16, _ data: [UInt8]) -> [UInt8] {
        name(owner) + [0, UInt8(type), 0, 1, 0, 0, 0, 120, UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
    }

    /// A DNS-SD responder with one IPP instance: PTR without TXT first, the TXT when asked.
    static func mdns(_ request: [UInt8]) -> [FakeHost.Datagram] {
        guard let q = try? DNSMessage.parse(request[...]), !q.isResponse else { return [] }
        let instance = "Office Printer._ipp._tcp.local"
        var answers: [[UInt8]] = []
        for question in q.questions {
            if question.type == DNSMessage.ptr, question.name == "_ipp._tcp.local" {
                answers.append(record("_ipp._tcp.local", 12, name(instance)))
            } else if question.type == DNSMessage.txt, question.name == instance {
                answers.append(
                    record(instance, 16, [UInt8("ty=Acme Laser 9".utf8.count)] + Array("ty=Acme Laser 9".utf8)))
            }
        }
        guard !answers.isEmpty else { return [] }
        let header: [UInt8] = [
            UInt8(q.id >> 8), UInt8(q.id & 0xFF), 0x84, 0, 0, 0, 0, UInt8(answers.count), 0, 0, 0, 0,
        ]
        return [.init(port: 5353, header + answers.flatMap { $0 })]
    }

    /// An SSDP answer from a fresh port of the host's own.
    static func ssdp(_ request: [UInt8]) -> [FakeHost.Datagram] {
        [
            .init(
                port: 40_001,
                Array(
                    "HTTP/1.1 200 OK\r\nSERVER: Acme/1.0 UPnP/1.0\r\nST: upnp:rootdevice\r\nLOCATION: http://198.18.0.10:8080/desc.xml\r\n\r\n"
                        .utf8))
        ]
    }

    static func nbns(_ request: [UInt8]) -> [FakeHost.Datagram] {
        guard request.count >= 2 else { return [] }
        var b = Array(request[0..<2]) + [0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0]
        b += name("CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") + [0, 0x21, 0, 1, 0, 0, 0, 0]
        let entry = Array("LAB-PC-07".padding(toLength: 15, withPad: " ", startingAt: 0).utf8) + [0, 0x04, 0]
        let rdata = [1] + entry + [0x54, 0xE1, 0xAD, 0x10, 0x20, 0x30] + Array(repeating: 0, count: 40)
        b += be16(UInt16(rdata.count)) + rdata
        return [.init(port: 137, b)]
    }
}

@Suite struct ARPSweepPhaseTests {
    func network() -> FakeNetwork {
        var late = FakeHost(ip: "198.18.0.20", mac: mac(0x20))
        late.lostARPRequests = 1
        var mute = FakeHost(ip: "198.18.0.30", mac: mac(0x30))
        mute.answersARP = false
        return FakeNetwork(hosts: [FakeHost(ip: "198.18.0.10", mac: mac(0x10)), late, mute])
    }

    func requests(_ link: FakeLink) -> [IPAddress: Int] {
        link.sent.compactMap { arpTarget($0.frame) }.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    @Test func findsExactlyTheLiveHostsAndAsksOnlyTheSilentAgain() throws {
        let net = network()
        // A stranger outside the scope answers every request too: not ours.
        let stranger = FakeHost(ip: "198.18.0.200", mac: mac(0xC8))
        let clock = FakeClock()
        let link = FakeLink(clock: clock) { frame in
            var answers = net.respond(frame)
            if arpTarget(frame) != nil {
                var f = Array(frame[6..<12]) + stranger.mac + [0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 2]
                f += stranger.mac + stranger.ip.bytes + Array(frame[6..<12]) + us.ipv4.bytes
                answers.append(f + Array(repeating: 0, count: 60 - f.count))
            }
            return answers
        }
        var sweep = ARPSweep(scope: try ScanScope(targets: ["198.18.0.0/26"]), limits: ScanLimits())
        sweep.seed = 7
        let result = try sweep.run(link: link, interface: us, clock: clock)
        #expect(result.answers.map(\.ip.description) == ["198.18.0.10", "198.18.0.20"])
        #expect(result.answers.map(\.mac) == ["00:1b:a9:00:00:10", "00:1b:a9:00:00:20"])
        let asked = requests(link)
        #expect(asked[IPAddress("198.18.0.10")!] == 1)  // answered: never asked again
        #expect(asked[IPAddress("198.18.0.20")!] == 2)  // lost the first: asked once more
        #expect(asked[IPAddress("198.18.0.30")!] == 2)  // silent: every round
        #expect(asked[us.ipv4] == nil)  // never ourselves
        #expect(asked.keys.allSatisfy { sweep.scope.contains($0) })
        #expect(result.packetsSent == link.sent.count)
    }

    @Test func neverAsksAnExcludedAddress() throws {
        let clock = FakeClock()
        let link = network().link(clock: clock)
        let scope = try ScanScope(targets: ["198.18.0.0/26"], exclusions: ["198.18.0.10", "198.18.0.32-198.18.0.40"])
        let result = try ARPSweep(scope: scope, limits: ScanLimits()).run(link: link, interface: us, clock: clock)
        let asked = requests(link)
        #expect(asked[IPAddress("198.18.0.10")!] == nil && asked[IPAddress("198.18.0.35")!] == nil)
        #expect(!result.answers.contains { $0.ip.description == "198.18.0.10" })
        #expect(result.answers.map(\.ip.description) == ["198.18.0.20"])
    }

    @Test func keepsToTheRateAndStopsByItsDeadline() throws {
        let clock = FakeClock()
        let link = network().link(clock: clock)
        var limits = ScanLimits()
        limits.packetsPerSecond = 100
        limits.retries = 2
        var sweep = ARPSweep(scope: try ScanScope(targets: ["198.18.0.0/24"]), limits: limits)
        sweep.settle = 0.5
        let start = clock.now()
        let result = try sweep.run(link: link, interface: us, clock: clock)
        let times = link.sent.map(\.time)
        // The bucket lets `burst` (1 at this rate) go back to back, then one per 1/rate.
        #expect(mostInAnyWindow(times, 1.0) <= 101)
        // Silent hosts cannot hold it open: three rounds at the rate, the settles, then done.
        let bound = Double(result.packetsSent) / 100 + 3 * 0.5 + 0.6
        #expect(result.seconds <= bound && clock.now() - start <= bound)
        #expect(result.packetsSent == 253 * 3 - 2 - 1)  // .10 once, .20 twice, the rest three times
    }
}

@Suite struct SYNScanPhaseTests {
    let ports: [UInt16] = [22, 80, 443, 9100]

    func hosts() -> [FakeHost] {
        var printer = FakeHost(ip: "198.18.0.10", mac: mac(0x10))
        printer.openPorts = [80, 9100]
        printer.filteredPorts = [443]
        var walled = FakeHost(ip: "198.18.0.20", mac: mac(0x20))
        walled.filteredPorts = Set(1...65_535)
        return [printer, walled]
    }

    func targets(_ hosts: [FakeHost]) -> [LinkTarget] { hosts.map { LinkTarget(ip: $0.ip, mac: $0.mac) } }

    func syns(_ link: FakeLink) -> [(time: Double, head: TCPSegmentHead)] {
        link.sent.compactMap { s in TCPSegmentHead.parse(linkType: 1, s.frame).map { (s.time, $0) } }
    }

    @Test func openClosedAndSilentAreToldApartAndOnlyTheSilentRetried() throws {
        let net = FakeNetwork(hosts: hosts())
        let clock = FakeClock()
        let link = net.link(clock: clock)
        var scan = SYNScan(targets: targets(net.hosts), ports: ports, limits: ScanLimits())
        scan.seed = 11
        let result = try scan.run(link: link, interface: us, clock: clock)
        #expect(result.open == [IPAddress("198.18.0.10")!: [80, 9100]])
        #expect(result.closed == 1 && result.silent == 5)
        var count: [String: Int] = [:]
        for (_, h) in syns(link) { count["\(IPAddress(v4: h.destination)):\(h.destinationPort)", default: 0] += 1 }
        #expect(count["198.18.0.10:80"] == 1 && count["198.18.0.10:22"] == 1 && count["198.18.0.10:9100"] == 1)
        #expect(count["198.18.0.10:443"] == 2 && ports.allSatisfy { count["198.18.0.20:\($0)"] == 2 })
        // Nothing went to anyone but the targets, each to its own MAC, from our port.
        for s in link.sent {
            let head = try #require(TCPSegmentHead.parse(linkType: 1, s.frame))
            let target = try #require(scan.targets.first { $0.ip.v4Value == head.destination })
            #expect(
                Array(s.frame[0..<6]) == target.mac && head.sourcePort == scan.ourPort && head.source == us.ipv4.v4Value
            )
        }
    }

    @Test func eachHostStaysUnderItsRateAndTheInFlightCapHolds() throws {
        let net = FakeNetwork(hosts: hosts())
        let clock = FakeClock()
        let link = net.link(clock: clock)
        var limits = ScanLimits()
        limits.perHostPacketsPerSecond = 10
        let many = Array(UInt16(1000)..<UInt16(1040))
        _ = try SYNScan(targets: targets(net.hosts), ports: many, limits: limits).run(
            link: link, interface: us, clock: clock)
        for host in net.hosts {
            let times = syns(link).filter { $0.head.destination == host.ip.v4Value }.map(\.time)
            #expect(mostInAnyWindow(times, 1.0) <= 11)
        }
        // Every port filtered, a cap of 8: the ninth probe waits until the first has gone
        // unanswered for the answer timeout (one second), within the first round.
        let walled = FakeNetwork(
            hosts: hosts().map {
                var h = $0; h.filteredPorts = Set(1...65_535); return h
            })
        let link2 = walled.link(clock: clock)
        var capped = ScanLimits()
        capped.maximumInFlight = 8
        capped.packetsPerSecond = 10_000
        capped.perHostPacketsPerSecond = 5_000
        _ = try SYNScan(targets: targets(walled.hosts), ports: many, limits: capped).run(
            link: link2, interface: us, clock: clock)
        let times = syns(link2).map(\.time)
        let firstRound = Array(times.prefix(2 * many.count))
        #expect(firstRound.count == 80 && times.count == 160)
        #expect(mostInAnyWindow(firstRound, 1.0) <= 8)
    }

    @Test func answersWithTheWrongCookieAreIgnored() throws {
        let net = FakeNetwork(hosts: hosts())
        let clock = FakeClock()
        // Someone answers for the printer with a forged acknowledgement.
        let link = FakeLink(clock: clock) { frame in
            net.respond(frame).map { answer in
                var f = answer
                f[14 + 20 + 11] &+= 1
                return f
            }
        }
        let result = try SYNScan(targets: targets(net.hosts), ports: ports, limits: ScanLimits()).run(
            link: link, interface: us, clock: clock)
        #expect(result.open.isEmpty && result.closed == 0 && result.silent == 8)
    }
}

@Suite struct UDPQuestionPhaseTests {
    func network() -> FakeNetwork {
        var printer = FakeHost(ip: "198.18.0.10", mac: mac(0x10))
        printer.udp[161] = Canned.snmp(
            ["1.3.6.1.2.1.1.1.0": "Acme Laser 9", "1.3.6.1.2.1.1.5.0": "prn-1", "1.3.6.1.2.1.43.5.1.1.17": "ACME123"],
            versions: [1])
        printer.udp[5353] = Canned.mdns
        printer.udp[1900] = Canned.ssdp
        var old = FakeHost(ip: "198.18.0.20", mac: mac(0x20))
        old.udp[161] = Canned.snmp(
            ["1.3.6.1.2.1.1.1.0": "Old Switch", "1.3.6.1.2.1.1.5.0": "sw-1", "1.3.6.1.2.1.47.1.1.1.1.11": "SW99"],
            versions: [0])
        var pc = FakeHost(ip: "198.18.0.30", mac: mac(0x30))
        pc.udp[137] = Canned.nbns
        return FakeNetwork(hosts: [printer, old, pc])
    }

    func run(_ net: FakeNetwork, skip: Set<String> = [], kernel: Bool = false) throws -> (UDPQuestions.Result, FakeLink)
    {
        let clock = FakeClock()
        let link = net.link(clock: clock)
        let socket = FakeDatagramSocket(link: link, interface: us)
        var questions = UDPQuestions(
            targets: net.hosts.map { LinkTarget(ip: $0.ip, mac: $0.mac) }, limits: ScanLimits())
        questions.seed = 5
        questions.skip = skip
        questions.throughKernel = kernel
        let result = try questions.run(link: kernel ? nil : link, socket: socket, interface: us, clock: clock)
        return (result, link)
    }

    func datagrams(_ link: FakeLink) -> [UDPDatagram] { link.sent.compactMap { Frames.udp(linkType: 1, $0.frame) } }

    @Test func answersBecomeSignals() throws {
        let (result, link) = try run(network())
        let printer = try #require(result.signals[IPAddress("198.18.0.10")!])
        #expect(
            printer.first("snmp.sysDescr") == "Acme Laser 9"
                && printer.first("snmp.prtGeneralSerialNumber") == "ACME123")
        #expect(printer.first("mdns.service") == "_ipp._tcp" && printer.first("ssdp.server") == "Acme/1.0 UPnP/1.0")
        #expect(result.descriptions[IPAddress("198.18.0.10")!] == "http://198.18.0.10:8080/desc.xml")
        #expect(result.signals[IPAddress("198.18.0.30")!]?.first("nbns.name") == "LAB-PC-07")
        // The community each agent took (the security check's default-community item); the PC
        // without SNMP names none.
        #expect(printer.values["snmp.community"] == ["public"])
        #expect(result.signals[IPAddress("198.18.0.20")!]?.first("snmp.community") == "public")
        #expect(result.signals[IPAddress("198.18.0.30")!]?.first("snmp.community") == nil)
        #expect(result.signals[IPAddress("198.18.0.20")!]?.first("snmp.sysName") == "sw-1")
        #expect(result.packetsSent == link.sent.count)
        // The same through the kernel (no frames of our own).
        let (kernel, _) = try run(network(), kernel: true)
        #expect(kernel.signals[IPAddress("198.18.0.10")!]?.first("snmp.sysDescr") == "Acme Laser 9")
    }

    @Test func silentSNMPIsAskedAgainAsV1AndItsColumnsOneByOne() throws {
        let (result, link) = try run(network())
        func snmp(to ip: String) -> [SNMPMessage] {
            datagrams(link).filter { $0.destination == ip && $0.destinationPort == 161 }.compactMap {
                try? SNMPMessage.parse($0.payload)
            }.filter { $0.version != 3 }
        }
        let old = snmp(to: "198.18.0.20")
        // v2c GET, GET-NEXT and the structure's GET, then v1 for the system group, then one
        // object per request.
        #expect(
            old.prefix(4).map(\.version) == [1, 1, 1, 0] && old[3].bindings.map(\.oid) == ProbeRequests.snmpSystemOIDs)
        #expect(old[2].bindings.map(\.oid) == ProbeRequests.snmpStructureOIDs)
        let followUps = old.dropFirst(4)
        #expect(followUps.allSatisfy { $0.version == 0 && $0.bindings.count == 1 })
        #expect(
            followUps.count == ProbeRequests.snmpGetOIDs.count - ProbeRequests.snmpSystemOIDs.count
                + ProbeRequests.snmpStructureOIDs.count + ProbeRequests.snmpNextOIDs.count)
        #expect(result.signals[IPAddress("198.18.0.20")!]?.first("snmp.entPhysicalSerialNum") == "SW99")
        // The v2c agent is never asked as v1: one GET, one GET-NEXT, one GET of the structure,
        // then (it answered) one GETBULK of ifType; the v1 agent never gets a GETBULK.
        let v2c = snmp(to: "198.18.0.10")
        #expect(v2c.map(\.version) == [1, 1, 1, 1] && v2c.map(\.pduType) == [0xA0, 0xA1, 0xA0, 0xA5])
        #expect(v2c[3].bindings.map(\.oid) == [ProbeRequests.ifTypeColumn])
        #expect(!old.contains { $0.pduType == 0xA5 })
    }

    /// An agent answering GETBULK as a walk of `types` (ifIndex 1, 2, …), at most 64 rows an
    /// answer, then ifMtu.1 when the column ends; other requests as `Canned.snmp`.
    static func bulkAgent(_ values: [String: String], types: [Int]) -> ([UInt8]) -> [FakeHost.Datagram] {
        let other = Canned.snmp(values, versions: [1])
        return { request in
            guard let m = try? SNMPMessage.parse(request[...]), m.pduType == 0xA5, m.version == 1,
                let from = m.bindings.first?.oid
            else { return other(request) }
            let column = ProbeRequests.ifTypeColumn
            let after = from == column ? 0 : Int(from.dropFirst(column.count + 1)) ?? types.count
            var list = types.enumerated().filter { $0.offset + 1 > after }.prefix(64).map {
                ber(0x30, berOID("\(column).\($0.offset + 1)") + berInt($0.element))
            }
            if list.count < 64 { list.append(ber(0x30, berOID("1.3.6.1.2.1.2.2.1.4.1") + berInt(1500))) }
            let pdu = ber(0xA2, berInt(Int(m.requestID ?? 0)) + berInt(0) + berInt(0) + ber(0x30, list.flatMap { $0 }))
            return [.init(port: 161, ber(0x30, berInt(1) + ber(0x04, Array((m.community ?? "").utf8)) + pdu))]
        }
    }

    /// A 48-port switch with its uplinks and VLANs (70 interfaces): one GETBULK, continued once
    /// from the last row; the types counted over both answers.
    @Test func aV2cAgentsInterfacesAreWalkedWithGetBulk() throws {
        var sw = FakeHost(ip: "198.18.0.40", mac: mac(0x40))
        let types = Array(repeating: 6, count: 52) + [24] + Array(repeating: 135, count: 16) + [71]
        sw.udp[161] = Self.bulkAgent(["1.3.6.1.2.1.1.1.0": "XS-5000 v2.1", "1.3.6.1.2.1.1.7.0": "2"], types: types)
        var small = FakeHost(ip: "198.18.0.41", mac: mac(0x41))
        small.udp[161] = Self.bulkAgent(["1.3.6.1.2.1.1.1.0": "Acme Laser 9"], types: [6, 24])
        let (result, link) = try run(FakeNetwork(hosts: [sw, small]))
        func bulks(to ip: String) -> [String?] {
            datagrams(link).filter { $0.destination == ip && $0.destinationPort == 161 }.compactMap {
                try? SNMPMessage.parse($0.payload)
            }.filter { $0.pduType == 0xA5 }.map { $0.bindings.first?.oid }
        }
        #expect(bulks(to: "198.18.0.40") == [ProbeRequests.ifTypeColumn, ProbeRequests.ifTypeColumn + ".64"])
        #expect(bulks(to: "198.18.0.41") == [ProbeRequests.ifTypeColumn])
        let signals = try #require(result.signals[IPAddress("198.18.0.40")!])
        #expect(signals.first("snmp.ifTypes") == "ethernetCsmacd:52 l2vlan:16 softwareLoopback:1 ieee80211:1")
        #expect(signals.first("snmp.ifRows") == "70")
        #expect(signals.values["snmp.ifTypes"]?.count == 1)
        #expect(signals.first("snmp.sysDescr") == "XS-5000 v2.1")
        let printer = try #require(result.signals[IPAddress("198.18.0.41")!])
        #expect(
            printer.first("snmp.ifTypes") == "ethernetCsmacd:1 softwareLoopback:1"
                && printer.first("snmp.ifRows") == "2")
        // The walk's rows make no other signal (ifMtu, ifType's rows as first-row values).
        #expect(printer.values["snmp.ifType"] == nil)
    }

    /// A switch no product rule knows: the structure's GET finds its bridge ports and
    /// forwarding, and the host classifies as network on them, maker from its enterprise.
    @Test func theStructureOfAnUnknownAgentClassifiesIt() throws {
        var sw = FakeHost(ip: "198.18.0.40", mac: mac(0x40))
        sw.udp[161] = Canned.snmp(
            [
                "1.3.6.1.2.1.1.1.0": "XS-5000 v2.1", "1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.14988.1",
                "1.3.6.1.2.1.1.7.0": "6", "1.3.6.1.2.1.4.1.0": "1", "1.3.6.1.2.1.17.1.2.0": "24",
                "1.3.6.1.2.1.2.1.0": "26",
            ], versions: [1])
        let (result, _) = try run(FakeNetwork(hosts: [sw]))
        let signals = try #require(result.signals[IPAddress("198.18.0.40")!])
        #expect(signals.first("snmp.sysServices") == "6" && signals.first("snmp.dot1dBaseNumPorts") == "24")
        var host = ScannedHost(ip: IPAddress("198.18.0.40")!, mac: "02:00:00:00:00:40", macVendor: nil)
        host.signals = signals
        host.classify(rules: try shippedFingerprints(), knowledge: try shippedIdentification())
        #expect(host.fingerprint.deviceClass == .network)
        #expect(host.vendor == "MikroTik")
        #expect(host.fingerprint.evidence.contains { $0.reason.hasPrefix("snmp.role equals 'bridge'") })
    }

    @Test func dnssdInstancesWithoutTXTAreAskedForIt() throws {
        let (result, link) = try run(network())
        let txt = datagrams(link).filter { $0.destination == "198.18.0.10" && $0.destinationPort == 5353 }.compactMap {
            try? DNSMessage.parse($0.payload)
        }.flatMap(\.questions).filter { $0.type == DNSMessage.txt }
        #expect(txt.map(\.name) == ["Office Printer._ipp._tcp.local"])
        #expect(result.signals[IPAddress("198.18.0.10")!]?.first("mdns.txt.ty") == "Acme Laser 9")
    }

    @Test func aSkippedQuestionSendsNothingAndNothingGoesBeyondTheTargets() throws {
        let (result, link) = try run(network(), skip: ["snmp", "snmpv3", "ssdp"])
        let sent = datagrams(link)
        #expect(!sent.contains { $0.destinationPort == 161 || $0.destinationPort == 1900 })
        #expect(result.signals[IPAddress("198.18.0.10")!]?.first("snmp.sysDescr") == nil)
        #expect(Set(sent.map(\.destinationPort)) == [137, 5353, 3702])
        #expect(Set(sent.map(\.destination)) == ["198.18.0.10", "198.18.0.20", "198.18.0.30"])
    }

    @Test func theWholeScanLeavesExcludedHostsAlone() throws {
        // ARP with an exclusion, then ports and questions to what it found: no frame of any
        // kind ever names the excluded host.
        let net = network()
        let clock = FakeClock()
        let link = net.link(clock: clock)
        let scope = try ScanScope(targets: ["198.18.0.0/27"], exclusions: ["198.18.0.30"])
        let swept = try ARPSweep(scope: scope, limits: ScanLimits()).run(link: link, interface: us, clock: clock)
        let targets = swept.answers.map { LinkTarget(ip: $0.ip, mac: NetworkScan.macBytes($0.mac)) }
        #expect(targets.map(\.ip.description) == ["198.18.0.10", "198.18.0.20"])
        _ = try SYNScan(targets: targets, ports: [80, 161], limits: ScanLimits()).run(
            link: link, interface: us, clock: clock)
        let socket = FakeDatagramSocket(link: link, interface: us)
        _ = try UDPQuestions(targets: targets, limits: ScanLimits()).run(
            link: link, socket: socket, interface: us, clock: clock)
        let excluded = IPAddress("198.18.0.30")!
        #expect(!link.sent.contains { arpTarget($0.frame) == excluded || ipDestination($0.frame) == excluded.v4Value })
        #expect(
            link.sent.allSatisfy { f in
                arpTarget(f.frame).map(scope.contains) ?? scope.contains(IPAddress(v4: ipDestination(f.frame)!))
            })
    }

    @Test func anAnswerGoesToTheQuestionOfItsPortAndSSDPOnlyByItsShape() {
        var memory = UDPHostMemory()
        // Not an HTTP response: no SSDP reading, whatever port it came from.
        #expect(SSDPQuestion().read(port: 40_001, Array("garbage".utf8)[...], memory: &memory) == nil)
        #expect(SSDPQuestion().read(port: 40_001, Canned.ssdp([])[0].payload[...], memory: &memory) != nil)
        // The two SNMP questions share 161: each takes its own version only.
        let v2 = Canned.snmp(["1.3.6.1.2.1.1.5.0": "x"], versions: [1])(
            ProbeRequests.snmp(version: 1, community: "public", pdu: 0xA0, requestID: 1, oids: ["1.3.6.1.2.1.1.5.0"]))
        #expect(SNMPv3Question().read(port: 161, v2[0].payload[...], memory: &memory) == nil)
        #expect(
            SNMPQuestion().read(port: 161, v2[0].payload[...], memory: &memory)?.signals.first("snmp.sysName") == "x")
    }
}

@Suite struct ProbeRegistryTests {
    @Test func namesAreUniqueAndTheHelpComesFromThem() {
        let names = ProbeRegistry.names
        #expect(Set(names).count == names.count)
        #expect(names == UDPQuestions.probeNames + ServiceProbes.probeNames)
        #expect(ProbeRegistry.helpText.contains("snmp, snmpv3, nbns, mdns, ssdp, wsd, banner, http"))
        #expect(
            ProbeRegistry.validate(skip: ["snmp", "pjl"]) == nil && ProbeRegistry.validate(skip: ["telnet"]) == "telnet"
        )
    }

    @Test func theREADMEListIsTheRegistrys() throws {
        let url = Fixtures.scanners("README.md")
        var text = try Fixtures.text(url)
        let start = try #require(text.range(of: "<!-- probes -->\n"))
        let end = try #require(text.range(of: "<!-- /probes -->"))
        // To regenerate: ASSETLEDGER_WRITE_PROBE_LIST=1 swift test --filter theREADMEListIsTheRegistrys
        if ProcessInfo.processInfo.environment["ASSETLEDGER_WRITE_PROBE_LIST"] == "1" {
            text.replaceSubrange(start.upperBound..<end.lowerBound, with: ProbeRegistry.markdown)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(String(text[start.upperBound..<end.lowerBound]) == ProbeRegistry.markdown)
    }
}

/// A stop asked for while a phase runs (a cancelled scan job): the phase throws `stopped`
/// within one check's batch of packets, whichever phase it is.
@Suite struct StoppedPhaseTests {
    /// A link that asks the stop after `after` frames, and a /22 of silent addresses with one host.
    func stoppingLink(after: Int, _ stop: ScanStop, _ clock: FakeClock) -> FakeLink {
        let net = FakeNetwork(hosts: [FakeHost(ip: "198.18.0.10", mac: mac(0x10))])
        var count = 0
        return FakeLink(clock: clock) { frame in
            count += 1
            if count == after { stop.request() }
            return net.respond(frame)
        }
    }

    func limits(_ stop: ScanStop) -> ScanLimits {
        var l = ScanLimits()
        l.packetsPerSecond = 100_000
        l.stop = stop
        return l
    }

    @Test func theSweepThePortScanAndTheQuestionsStopWithinABatch() throws {
        let scope = try ScanScope(targets: ["198.18.0.0/22"])
        let targets = scope.ascending.map { LinkTarget(ip: $0, mac: mac(0x10)) }
        let phases: [(String, (FakeLink, FakeClock, ScanLimits) throws -> Void)] = [
            (
                "arp",
                { link, clock, l in
                    _ = try ARPSweep(scope: scope, limits: l).run(link: link, interface: us, clock: clock)
                }
            ),
            (
                "syn",
                { link, clock, l in
                    _ = try SYNScan(targets: targets, ports: [22, 80], limits: l).run(
                        link: link, interface: us, clock: clock)
                }
            ),
            (
                "udp",
                { link, clock, l in
                    let socket = FakeDatagramSocket(link: link, interface: us)
                    _ = try UDPQuestions(targets: targets, limits: l).run(
                        link: link, socket: socket, interface: us, clock: clock)
                }
            ),
        ]
        for (name, phase) in phases {
            let stop = ScanStop()
            let clock = FakeClock()
            let link = stoppingLink(after: 200, stop, clock)
            let error = #expect(throws: ScanError.self, "\(name)") { try phase(link, clock, limits(stop)) }
            #expect(error?.code == .stopped, "\(name)")
            #expect(link.sent.count >= 200 && link.sent.count < 200 + 64, "\(name): \(link.sent.count) frames")
            // Not stopped: the same phase runs to its end, past where the stop came.
            let free = stoppingLink(after: Int.max, ScanStop(), clock)
            try phase(free, clock, limits(ScanStop()))
            #expect(free.sent.count > 1_000, "\(name): \(free.sent.count)")
        }
    }

    @Test func aStopAskedBeforeTheScanSendsNothing() throws {
        let stop = ScanStop()
        stop.request(reason: "cancelled by test")
        stop.request(reason: "again")
        let clock = FakeClock()
        let link = stoppingLink(after: Int.max, stop, clock)
        let scope = try ScanScope(targets: ["198.18.0.0/24"])
        #expect(throws: ScanError(.stopped, "the scan was stopped before it ended: cancelled by test")) {
            try ARPSweep(scope: scope, limits: limits(stop)).run(link: link, interface: us, clock: clock)
        }
        #expect(link.sent.isEmpty)
    }
}
