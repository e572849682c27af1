import Foundation
import Ingest
import LedgerModel
import TestSupport
import Testing

@testable import Discovery
@testable import Wire

/// The frames, questions and answer readers of the port scan and the service probes.
@Suite struct ProbeFrameTests {
    let ours: [UInt8] = [0x02, 0, 0xC6, 0x12, 0, 1]
    let theirs: [UInt8] = [0x00, 0x1B, 0xA9, 0, 0, 1]

    @Test func aSYNFrameHasValidChecksumsAndReadsBack() throws {
        let cookie = ProbeCookie(key: 42)
        let seq = cookie.sequence(address: 0xC612_010B, port: 9100)
        let f = IPv4Frames.syn(
            from: ours, to: theirs, source: 0xC612_0001, destination: 0xC612_010B, sourcePort: 45_000, port: 9100,
            sequence: seq, id: 7)
        #expect(f.count == 60)
        #expect(Array(f[0..<6]) == theirs && Array(f[6..<12]) == ours && f[12] == 0x08 && f[13] == 0)
        // A header with its checksum sums to zero.
        #expect(IPv4Frames.checksum(f[14..<34]) == 0)
        let pseudo: [UInt8] = [198, 18, 0, 1, 198, 18, 1, 11, 0, 6, 0, 24]
        #expect(IPv4Frames.checksum((pseudo + f[34..<58])[...]) == 0)
        let head = try #require(TCPSegmentHead.parse(linkType: 1, f))
        #expect(head.source == 0xC612_0001 && head.destination == 0xC612_010B)
        #expect(head.sourcePort == 45_000 && head.destinationPort == 9100 && head.sequence == seq)
        #expect(head.flags == IPv4Frames.tcpSYN && !head.isSynAck && !head.isReset)
    }

    @Test func onlyAnAnswerAcknowledgingTheCookieCounts() {
        let cookie = ProbeCookie(key: 99)
        let seq = cookie.sequence(address: 0xC612_010B, port: 80)
        var answer = TCPSegmentHead(
            source: 0xC612_010B, destination: 0xC612_0001, sourcePort: 80, destinationPort: 45_000, sequence: 1,
            acknowledgement: seq &+ 1, flags: 0x12)
        #expect(cookie.answers(answer, ourPort: 45_000) && answer.isSynAck)
        answer.destinationPort = 45_001
        #expect(!cookie.answers(answer, ourPort: 45_000))
        answer.destinationPort = 45_000
        answer.sourcePort = 81  // another port's answer cannot reuse this cookie
        #expect(!cookie.answers(answer, ourPort: 45_000))
        // Different keys give different cookies: answers to another scan are not ours.
        #expect(ProbeCookie(key: 1).sequence(address: 1, port: 1) != ProbeCookie(key: 2).sequence(address: 1, port: 1))
    }

    @Test func aUDPFrameCarriesItsPayloadWithAValidChecksum() throws {
        let payload = ProbeRequests.nbnsNodeStatus(id: 0x1234)
        let f = IPv4Frames.udp(
            from: ours, to: theirs, source: 0xC612_0001, destination: 0xC612_010B, sourcePort: 50_000, port: 137,
            id: 1, payload: payload)
        let udp = try #require(Frames.udp(linkType: 1, f))
        #expect(udp.destinationPort == 137 && udp.source == "198.18.0.1" && Array(udp.payload) == payload)
        let length = UInt16(8 + payload.count)
        let pseudo: [UInt8] = [198, 18, 0, 1, 198, 18, 1, 11, 0, 17, UInt8(length >> 8), UInt8(length & 0xFF)]
        #expect(IPv4Frames.checksum((pseudo + f[34..<(34 + Int(length))])[...]) == 0)
    }

    @Test func realTCPCapturesParseAndNoTruncationCrashes() throws {
        let packets = try capture("ipv4_tcp_http_xml.pcap")
        let heads = packets.compactMap { TCPSegmentHead.parse(linkType: $0.linkType, $0.bytes) }
        #expect(heads.count == packets.count && heads.contains { $0.sourcePort == 80 || $0.destinationPort == 80 })
        for packet in packets {
            for cut in stride(from: 0, to: packet.bytes.count, by: 7) {
                _ = TCPSegmentHead.parse(linkType: packet.linkType, Array(packet.bytes.prefix(cut)))
            }
        }
        #expect(TCPSegmentHead.parse(linkType: 1, Array(repeating: 0x45, count: 33)) == nil)
    }
}

@Suite struct ProbeQuestionTests {
    @Test func snmpRequestsAreValidMessagesOurCodecReads() throws {
        let get = ProbeRequests.snmp(
            version: 1, community: "public", pdu: 0xA0, requestID: 300, oids: ProbeRequests.snmpGetOIDs)
        let m = try SNMPMessage.parse(get[...])
        #expect(m.version == 1 && m.community == "public" && m.pduType == 0xA0 && m.requestID == 300)
        #expect(m.bindings.map(\.oid) == ProbeRequests.snmpGetOIDs && m.bindings.allSatisfy { $0.value == .null })
        let next = try SNMPMessage.parse(
            ProbeRequests.snmp(
                version: 0, community: "校园", pdu: 0xA1, requestID: -5, oids: ["1.2.840.10036.3.1.2.1.3"])[
                    ...])
        #expect(next.version == 0 && next.community == "校园" && next.requestID == -5)
        #expect(next.bindings.map(\.oid) == ["1.2.840.10036.3.1.2.1.3"])
        let v3 = try SNMPMessage.parse(ProbeRequests.snmpV3Discovery(messageID: 77)[...])
        #expect(v3.version == 3)
    }

    @Test func dnsAndNetBIOSQuestionsAreWellFormed() throws {
        let q = try DNSMessage.parse(
            ProbeRequests.dnsQuery(id: 9, names: ProbeRequests.dnssdServices, type: DNSMessage.ptr)[...])
        #expect(!q.isResponse && q.id == 9 && q.questions.map(\.name) == ProbeRequests.dnssdServices)
        let nb = try DNSMessage.parse(ProbeRequests.nbnsNodeStatus(id: 5)[...], rawRecordData: true)
        #expect(nb.questions.count == 1 && nb.questions[0].type == 0x21)
        #expect(NBNSInfo.decodeName(nb.questions[0].name)?.name == "*")
        let search = String(decoding: ProbeRequests.ssdpSearch(host: "198.18.1.30"), as: UTF8.self)
        let head = try HTTPHead.parse(Array(search.utf8)[...])
        #expect(head.startLine == "M-SEARCH * HTTP/1.1" && head["man"] == "\"ssdp:discover\"")
    }

    @Test func manyDNSSDNamesBecomeSeveralQueriesThatFitAFrame() throws {
        // ~90 instance names in one answer once made a single 2 KB query and trapped the frame builder.
        let names = (0..<90).map { "Shared printer queue number \($0)._ipp._tcp.local" }
        let queries = ProbeRequests.dnsQueries(id: 1, names: names, type: DNSMessage.txt)
        #expect(queries.count > 1 && queries.allSatisfy { $0.count <= 1_200 })
        let asked = try queries.flatMap { try DNSMessage.parse($0[...]).questions.map(\.name) }
        #expect(asked == names)
        let tooLong = String(repeating: "x", count: 60) + "." + String(repeating: "y", count: 60)
        #expect(
            ProbeRequests.dnsQueries(id: 1, names: Array(repeating: tooLong, count: 3), type: 16, maximumBytes: 100)
                .isEmpty)
    }
}

@Suite struct ProbeAnswerTests {
    func response(_ bindings: [(String, [UInt8])]) -> SNMPMessage {
        let list = bindings.flatMap { ber(0x30, ber(0x06, berOID($0.0).dropFirst(2).map { $0 }) + $0.1) }
        let pdu = ber(0xA2, berInt(1) + berInt(0) + berInt(0) + ber(0x30, list))
        return try! SNMPMessage.parse(ber(0x30, berInt(1) + ber(0x04, Array("public".utf8)) + pdu)[...])
    }

    @Test func snmpAnswersBecomeNamedSignals() {
        let m = response([
            ("1.3.6.1.2.1.1.1.0", ber(0x04, Array("SHARP MX-3570N".utf8))),
            ("1.3.6.1.2.1.1.2.0", ber(0x06, Array(berOID("1.3.6.1.4.1.2385.3.1.67").dropFirst(2)))),
            ("1.3.6.1.2.1.43.5.1.1.17.1", ber(0x04, Array("6509415X00".utf8))),
            ("1.3.6.1.2.1.2.2.1.6.1", ber(0x04, [0, 0x22, 0xF3, 1, 2, 3])),
            // A GET-NEXT that walked out of its column into another table is not that column.
            ("1.3.6.1.2.1.25.3.3.1.2.1", ber(0x02, [5])),
        ])
        let s = ProbeAnswers.snmp(m)
        #expect(s.first("snmp.sysDescr") == "SHARP MX-3570N")
        #expect(s.first("snmp.sysObjectID") == "1.3.6.1.4.1.2385.3.1.67")
        #expect(s.first("snmp.prtGeneralSerialNumber") == "6509415X00")
        #expect(s.first("snmp.ifPhysAddress") == "00:22:f3:01:02:03")
        #expect(s.first("snmp.printerMIB") == "present")
        #expect(s.values["snmp.hrDeviceType"] == nil)
    }

    @Test func theStructuresAnswerBecomesSignals() {
        // The structure's GET: sysServices, ifNumber, ipForwarding, dot1dBaseNumPorts, and the
        // UPS-MIB the agent lacks (noSuchObject: no signal).
        let m = response([
            ("1.3.6.1.2.1.1.7.0", ber(0x02, [6])), ("1.3.6.1.2.1.2.1.0", ber(0x02, [59])),
            ("1.3.6.1.2.1.4.1.0", ber(0x02, [1])), ("1.3.6.1.2.1.17.1.2.0", ber(0x02, [34])),
            ("1.3.6.1.2.1.33.1.1.1.0", [0x80, 0x00]),
        ])
        let s = ProbeAnswers.snmp(m)
        #expect(s.first("snmp.sysServices") == "6" && s.first("snmp.ifNumber") == "59")
        #expect(s.first("snmp.ipForwarding") == "1" && s.first("snmp.dot1dBaseNumPorts") == "34")
        #expect(s.values["snmp.upsIdentManufacturer"] == nil)
        let derived = DeviceStructure.derive(s.values, enterprises: nil)
        #expect(derived["snmp.layer"] == ["2", "3"])
        #expect(derived["snmp.role"] == ["router", "bridge"])
        #expect(derived["snmp.bridgeMIB"] == ["present"])
        // One GET asks all of them.
        #expect(ProbeRequests.snmpStructureOIDs.count == 7)
    }

    /// The security check's default-community item needs to know which community an agent
    /// took: a response names it, a request or a v3 report does not, and a community that is no
    /// factory default is a credential, never written.
    @Test func snmpResponsesNameTheCommunityTheAgentTook() throws {
        func answer(_ community: String, pdu tag: UInt8 = 0xA2, error: Int = 0) throws -> Signals {
            let pdu = ber(tag, berInt(1) + berInt(error) + berInt(0) + ber(0x30, []))
            return ProbeAnswers.snmp(
                try SNMPMessage.parse(ber(0x30, berInt(1) + ber(0x04, Array(community.utf8)) + pdu)[...]))
        }
        #expect(try answer("public").values["snmp.community"] == ["public"])
        #expect(try answer("private").values["snmp.community"] == ["private"])
        // An error status still proves the agent accepted the community (a wrong one gets silence).
        #expect(try answer("public", error: 2).values["snmp.community"] == ["public"])
        #expect(try answer("campus-ro-7").values["snmp.community"] == ["(other)"])
        #expect(try answer("Public").values["snmp.community"] == ["(other)"])
        // Our own GET echoed back is no answer.
        #expect(try answer("public", pdu: 0xA0).values["snmp.community"] == nil)
        let v3 = try SNMPMessage.parse(ProbeRequests.snmpV3Discovery(messageID: 77)[...])
        #expect(ProbeAnswers.snmp(v3).values["snmp.community"] == nil)
    }

    /// What reaches the ledger of a scan: each open port, the ports and default communities
    /// asked (only with the scan's coverage), the community answered.
    @Test func scanObservationsCarryPortsAndCommunities() throws {
        var h = ScannedHost(ip: IPAddress("198.18.1.12")!, mac: "00:1b:a9:00:00:02", macVendor: nil)
        h.openPorts = [9100, 23]
        h.signals.add("snmp.community", "public")
        let o = h.observation(
            at: Date(), sourceRef: "scan",
            coverage: ScanCoverage(tcpPorts: [21, 22, 23, 80, 9100], snmpCommunities: ["public", "campus-ro"]))
        func values(_ field: String) -> [String] { o.evidence.filter { $0.field == field }.map(\.value) }
        #expect(values("port") == ["tcp/23", "tcp/9100"])
        #expect(values("ports.scanned") == ["21-23,80,9100"])
        #expect(values("snmp.asked") == ["public"])
        #expect(values("snmp.community") == ["public"])
        #expect(!o.evidence.contains { $0.value.contains("campus-ro") })
        // Without coverage (heard passively): open ports only, nothing claimed about the rest.
        let heard = h.observation(at: Date(), sourceRef: "listen")
        #expect(heard.evidence.filter { $0.field == "ports.scanned" || $0.field == "snmp.asked" }.isEmpty)
        // The scan's coverage follows its phases and skips.
        var scan = NetworkScan(scope: try ScanScope(targets: ["198.18.1.0/30"]), limits: ScanLimits())
        scan.communities = ["public", "private"]
        #expect(scan.coverage == ScanCoverage(tcpPorts: PortList.defaultPorts, snmpCommunities: ["public", "private"]))
        scan.skip = ["snmp"]
        scan.phases = [.udp]
        #expect(scan.coverage == ScanCoverage(tcpPorts: nil, snmpCommunities: nil))
    }

    @Test func dnssdAnswersGiveServicesTxtAndHostName() throws {
        func name(_ n: String) -> [UInt8] {
            n.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
        }
        func record(_ owner: String, _ type: UInt16, _ data: [UInt8]) -> [UInt8] {
            name(owner) + [0, UInt8(type), 0, 1, 0, 0, 0, 120, UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
        }
        let txt = ["ty=Brother MFC-L2710DW series", "Fax=T", "usb_MFG=Brother"].flatMap {
            [UInt8($0.utf8.count)] + Array($0.utf8)
        }
        let bytes: [UInt8] =
            [0, 1, 0x84, 0, 0, 0, 0, 3, 0, 0, 0, 0]
            + record("_ipp._tcp.local", 12, name("Brother MFC._ipp._tcp.local"))
            + record("Brother MFC._ipp._tcp.local", 33, [0, 0, 0, 0, 0x02, 0x77] + name("BRN3C2AF4.local"))
            + record("Brother MFC._ipp._tcp.local", 16, txt)
        let (s, pending) = ProbeAnswers.dnssd(try DNSMessage.parse(bytes[...]))
        #expect(s.values["mdns.service"] == ["_ipp._tcp"])
        #expect(s.first("mdns.instance") == "Brother MFC")
        #expect(s.first("mdns.hostname") == "BRN3C2AF4")
        #expect(s.first("mdns.txt.ty") == "Brother MFC-L2710DW series" && s.first("mdns.txt.fax") == "T")
        #expect(pending.isEmpty)  // the TXT came along
    }

    @Test func upnpPJLinkAndIPPAnswers() throws {
        let xml = Array(
            "<root><device><deviceType>urn:schemas-upnp-org:device:MediaRenderer:1</deviceType><friendlyName>Room 101 &amp; Lab</friendlyName><manufacturer>NEC</manufacturer><modelName>NP-P525UL</modelName><serialNumber>7X0012</serialNumber></device></root>"
                .utf8)
        let u = ProbeAnswers.upnpDescription(xml[...])
        #expect(u.first("upnp.deviceType") == "urn:schemas-upnp-org:device:MediaRenderer:1")
        #expect(u.first("upnp.friendlyName") == "Room 101 & Lab" && u.first("upnp.serialNumber") == "7X0012")
        let p = ProbeAnswers.pjlink("PJLINK 0\r%1NAME=Hall A\r%1INF1=EPSON\r%1INF2=EB-L1100U\r%1CLSS=ERR3\r")
        #expect(p.first("pjlink.greeting") == "PJLINK 0" && p.first("pjlink.inf1") == "EPSON")
        #expect(p.first("pjlink.inf2") == "EB-L1100U" && p.values["pjlink.clss"] == nil)
        let ipp = IPPMessage(
            version: 0x0200, code: 0, requestID: 1,
            attributes: [
                .init(group: 4, name: "printer-make-and-model", values: [.text("HP LaserJet M404")]),
                .init(
                    group: 4, name: "printer-device-id",
                    values: [.text("MFG:HP;MDL:LaserJet Pro M404dn;CMD:PJL,PCL;")]),
            ])
        let i = ProbeAnswers.ipp(ipp)
        #expect(i.first("ipp.mfg") == "HP" && i.first("ipp.mdl") == "LaserJet Pro M404dn")
    }

    @Test func wsDiscoveryProbeAndProbeMatch() throws {
        let probe = String(decoding: ProbeRequests.wsdProbe(messageID: UUID()), as: UTF8.self)
        #expect(probe.contains("<wsd:Probe/>") && probe.contains("discovery/Probe</wsa:Action>"))
        _ = try InventoryTree.xml(Data(probe.utf8), file: "probe.xml")  // well-formed XML
        // A ProbeMatch as a WSD printer sends it (namespace prefixes vary by maker).
        let match = Array(
            """
            <?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" \
            xmlns:wsd="http://schemas.xmlsoap.org/ws/2005/04/discovery"><SOAP-ENV:Body><wsd:ProbeMatches><wsd:ProbeMatch>\
            <wsd:Types>wsdp:Device wprt:PrintDeviceType wscn:ScanDeviceType</wsd:Types>\
            <wsd:XAddrs>http://198.18.1.15:80/wsd/mfp</wsd:XAddrs></wsd:ProbeMatch></wsd:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>
            """.utf8)
        let s = ProbeAnswers.wsd(match[...])
        #expect(s.first("wsd.types") == "wsdp:Device wprt:PrintDeviceType wscn:ScanDeviceType")
        #expect(s.first("wsd.xaddrs") == "http://198.18.1.15:80/wsd/mfp")
        #expect(ProbeAnswers.wsd(probe.utf8.map { $0 }[...]).isEmpty)  // our own Probe is no answer
    }

    @Test func signalsAreCleanedAndBounded() {
        var s = Signals()
        s.add("http.title", "  \u{1B}[31mPrinter\u{07}  ")
        s.add("http.title", "Printer")
        s.add("http.server", String(repeating: "x", count: 5_000))
        s.add("http.server", "")
        #expect(s.values["http.title"] == ["[31mPrinter", "Printer"])  // ESC and BEL gone, repeats dropped
        #expect(s.first("http.server")?.count == 512)
    }

    // A hostile UPnP LOCATION must not crash the scan or smuggle headers into the description fetch.
    @Test func aUPnPLocationIsFetchedOnlyWhenSafe() {
        let host = IPAddress("198.18.1.28")!
        #expect(
            ServiceProbes.descriptionTarget("http://198.18.1.28:49152/desc.xml", host: host)! == (49152, "/desc.xml"))
        #expect(ServiceProbes.descriptionTarget("http://198.18.1.28/d?x=1", host: host)! == (80, "/d?x=1"))
        // A port past 65535 crashed the scan (UInt16 trap); now it is no target.
        #expect(ServiceProbes.descriptionTarget("http://198.18.1.28:70000/d.xml", host: host) == nil)
        // Percent-encoded CR LF stays encoded: no header can be smuggled into our request.
        #expect(
            ServiceProbes.descriptionTarget("http://198.18.1.28/a%0D%0AX:%20y", host: host)! == (80, "/a%0D%0AX:%20y"))
        #expect(ServiceProbes.descriptionTarget("http://198.18.1.99/d.xml", host: host) == nil)  // another host
        #expect(ServiceProbes.descriptionTarget("https://198.18.1.28/d.xml", host: host) == nil)
        #expect(ServiceProbes.descriptionTarget("http://198.18.1.28:0/d.xml", host: host) == nil)
    }

    // One hostile host's answers must not make the scan keep unbounded signals.
    @Test func oneHostCannotMakeUsKeepUnboundedSignals() {
        var s = Signals()
        for i in 0..<40 { s.add("http.title", "title \(i)") }
        for i in 0..<300 { s.add("mdns.txt.key\(i)", "v") }
        #expect(s.values["http.title"]?.count == Signals.maximumValues)
        #expect(s.values.count == Signals.maximumNames)
    }
}

/// The lab's fingerprints, end to end on signals: every class the issue names is reached.
@Suite struct ScannedHostClassificationTests {
    func rules() throws -> [FingerprintRule] { try shippedFingerprints() }

    func classify(_ signals: [String: [String]], ports: [UInt16] = [], vendor: String? = nil) throws -> ScannedHost {
        var h = ScannedHost(ip: IPAddress("198.18.1.10")!, mac: "00:1b:a9:00:00:01", macVendor: vendor)
        h.openPorts = ports
        h.signals = Signals(signals)
        h.classify(rules: try rules())
        return h
    }

    @Test func eachKindOfDeviceIsToldFromWhatItSays() throws {
        let fax = try classify(
            ["banner.hylafax": ["220 fax1 server (HylaFAX (tm) Version 6.0.7) ready."]], ports: [4559])
        #expect(fax.fingerprint.deviceClass == .fax && fax.fingerprint.faxCapable == true)
        #expect(fax.fingerprint.os == "HylaFAX 6.0.7")
        let mfp = try classify(
            ["mdns.service": ["_ipp._tcp"], "mdns.txt.fax": ["T"], "mdns.txt.ty": ["Ricoh IM C3000"]],
            ports: [631, 9100])
        #expect(mfp.fingerprint.deviceClass == .mfp && mfp.fingerprint.faxCapable == true)
        #expect(mfp.fingerprint.model == "Ricoh IM C3000")
        let projector = try classify(
            ["pjlink.greeting": ["PJLINK 0"], "pjlink.inf1": ["EPSON"], "pjlink.inf2": ["EB-L1100U"]], ports: [4352])
        #expect(projector.fingerprint.deviceClass == .display && projector.fingerprint.vendor == "EPSON")
        let tv = try classify(["upnp.deviceType": ["urn:schemas-upnp-org:device:MediaRenderer:1"]])
        #expect(tv.fingerprint.deviceClass == .display)
        let wsdMFP = try classify(["wsd.types": ["wsdp:Device wprt:PrintDeviceType wscn:ScanDeviceType"]])
        #expect(wsdMFP.fingerprint.deviceClass == .mfp)
        let pc = try classify(["nbns.name": ["LAB-PC-07"], "nbns.workgroup": ["CAMPUS"]], ports: [139, 445])
        #expect(pc.fingerprint.deviceClass == .pc && pc.hostname == "LAB-PC-07")
        // A placeholder sysName is no name: the next signal's name is taken.
        let hidden = try classify(["snmp.sysName": ["<private>"], "mdns.hostname": ["BRN3C2AF4"]])
        #expect(hidden.hostname == "BRN3C2AF4")
        // Open ports alone are weak evidence, and say so.
        let raw = try classify([:], ports: [9100])
        #expect(raw.fingerprint.deviceClass == .printer)
        #expect(raw.fingerprint.evidence.first { $0.field == "class" }?.certainty == 40)
        let observation = raw.observation(at: Date(timeIntervalSince1970: 0), sourceRef: "scan test")
        #expect(
            observation.source == .scan && observation.ips == ["198.18.1.10"] && observation.deviceClass == .printer)
        #expect(raw.observation(at: Date(), sourceRef: "x", origin: "sensor-b").source == .sensor)
    }
}

/// Scan output other tools read: nmap's XML goes back through our own nmap importer.
@Suite struct ScanOutputTests {
    func host() -> ScannedHost {
        var h = ScannedHost(ip: IPAddress("198.18.1.11")!, mac: "00:1b:a9:00:00:01", macVendor: "Brother <Industries>")
        h.openPorts = [80, 9100]
        h.signals = Signals(["snmp.sysName": ["prn-\"1\"&'2'"]])
        h.fingerprint = Fingerprint(
            deviceClass: .mfp, faxCapable: true, vendor: "Brother", model: "MFC-L2710DW", os: nil,
            evidence: [Evidence(field: "class", value: "mfp", reason: "test", certainty: 95)])
        return h
    }

    @Test func nmapXMLRoundTripsThroughTheImporter() throws {
        let xml = ScanOutput.nmapXML(
            hosts: [host()], ports: PortList.defaultPorts, arguments: "assetledger scan 198.18.1.0/24 --x \"<y>\"",
            started: Date(timeIntervalSince1970: 1_800_000_000), finished: Date(timeIntervalSince1970: 1_800_000_009),
            targets: 254)
        let observations = try NmapXML.read(Data(xml.utf8), file: "scan.xml")
        let o = try #require(observations.first)
        #expect(observations.count == 1)
        #expect(o.ips == ["198.18.1.11"] && o.macs == ["00:1B:A9:00:00:01"])
        #expect(o.hostnames == ["prn-\"1\"&'2'"])
        #expect(o.deviceClass == .printer && o.vendor == "Brother")
        #expect(o.evidence.filter { $0.field == "port" }.map(\.value) == ["tcp/80", "tcp/9100"])
        #expect(xml.contains("<extraports state=\"closed\" count=\"21\"/>"))
    }

    @Test func jsonLinesAndCSVCarryTheClaims() throws {
        let line = try ScanOutput.jsonLine(host())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["class"] as? String == "mfp" && object["fax_capable"] as? Bool == true)
        #expect(object["open_ports"] as? [Int] == [80, 9100] && !line.contains("\n"))
        let row = ScanOutput.csvRow(host())
        #expect(row.count == ScanOutput.csvHeader.count && row[3] == "mfp" && row[4] == "yes" && row[11] == "80 9100")
    }

    @Test func xmlEscapingDropsControlCharacters() {
        #expect(ScanOutput.escape("a<b>&\"'\u{01}\u{1B}c") == "a&lt;b&gt;&amp;&quot;&apos;c")
    }
}

/// Discovery beyond the local link: the scope split, the route to the gateway, the ping frames.
@Suite struct RoutedDiscoveryTests {
    @Test func theScopeSplitsIntoOnLinkAndRoutedParts() throws {
        let scope = try ScanScope(targets: ["198.18.0.250-198.18.1.5", "198.19.0.0/24"], exclusions: ["198.19.0.7"])
        let (inside, outside) = scope.split(by: 0xC612_0000...0xC612_00FF)  // 198.18.0.0/24
        #expect(inside?.description == "198.18.0.250-198.18.0.255")  // a range keeps its edges
        #expect(outside?.description == "198.18.1.0-198.18.1.5,198.19.0.1-198.19.0.6,198.19.0.8-198.19.0.254")
        #expect(inside!.count + outside!.count == scope.count)
        let (all, none) = scope.split(by: 0...UInt32.max)
        #expect(all == scope && none == nil)
    }

    @Test func theMostSpecificRouteOnTheInterfaceWins() {
        // /proc/net/route as Linux writes it: little-endian hex.
        let table = RouteTable(
            procNetRoute: """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                scan0\t00000000\tFE0012C6\t0003\t0\t0\t0\t00000000\t0\t0\t0
                scan0\t000012C6\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                scan0\t000013C6\tFE0012C6\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0
                eth9\t000013C6\t010013C6\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0
                garbage line
                """)
        #expect(table.routes.count == 4)
        #expect(table.route(to: 0xC613_000B, via: "scan0")?.gateway == 0xC612_00FE)  // 198.19.0.11 via .0.254
        #expect(table.route(to: 0xC612_0105, via: "scan0")?.gateway == 0)  // on-link /16
        #expect(table.route(to: 0x0A00_0001, via: "scan0")?.mask == 0)  // default route
        #expect(table.route(to: 0xC613_000B, via: "wlan0") == nil)
    }

    @Test func anEchoRequestIsValidAndItsReplyReadsBack() throws {
        let f = IPv4Frames.echoRequest(
            from: [2, 0, 0, 0, 0, 1], to: [0, 0x1B, 0xA9, 0xFE, 0, 1], source: 0xC612_0001, destination: 0xC613_000B,
            identifier: 0xBEEF, sequence: 42, id: 3)
        #expect(IPv4Frames.checksum(f[14..<34]) == 0 && IPv4Frames.checksum(f[34..<50]) == 0)
        #expect(f[23] == 1 && f[34] == 8)
        // The same bytes with type 0 (echo reply) and the addresses swapped read as a reply.
        var reply = f
        reply[34] = 0
        reply.replaceSubrange(26..<30, with: [198, 19, 0, 11])
        let answer = try #require(IPv4Frames.echoReply(linkType: 1, reply))
        #expect(answer.source == 0xC613_000B && answer.identifier == 0xBEEF && answer.sequence == 42)
        #expect(IPv4Frames.echoReply(linkType: 1, f) == nil)  // a request is not a reply
        #expect(IPv4Frames.echoReply(linkType: 1, Array(f.prefix(40))) == nil)
    }

    // A routed scope is reached through one gateway: one that is ambiguous or excluded is refused,
    // never guessed or asked.
    @Test func theGatewayIsFoundOnceAndRefusedWhenAmbiguousOrExcluded() throws {
        let table = RouteTable(
            procNetRoute: """
                Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT
                scan0\t000012C6\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                scan0\t000013C6\tFE0012C6\t0003\t0\t0\t0\t0000FFFF\t0\t0\t0
                scan0\t800013C6\tFD0012C6\t0003\t0\t0\t0\t80FFFFFF\t0\t0\t0
                """)
        let routed = try ScanScope(targets: ["198.19.0.0/25"])
        #expect(try NetworkScan.gateway(for: routed, via: "scan0", table: table) == 0xC612_00FE)
        // 198.19.0.128/25 goes through another gateway: a /24 spans two, refused.
        #expect(throws: LedgerError.self) {
            try NetworkScan.gateway(for: try ScanScope(targets: ["198.19.0.0/24"]), via: "scan0", table: table)
        }
        // No route at all on that interface.
        #expect(throws: ScanError.self) {
            try NetworkScan.gateway(for: try ScanScope(targets: ["198.20.0.0/24"]), via: "scan0", table: table)
        }
        // The gateway excluded: refused rather than asked.
        let excluding = try ScanScope(targets: ["198.19.0.0/25"], exclusions: ["198.18.0.254"])
        #expect(
            throws: LedgerError(
                .refusedByPolicy,
                "the gateway 198.18.0.254 is excluded, and the routed part can only be reached through it")
        ) {
            try NetworkScan.gateway(for: excluding, via: "scan0", table: table)
        }
    }
}

/// SMB2 negotiate and the NTLM challenge: what a Windows or Samba host says before any login.
@Suite struct SMBNegotiateTests {
    func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16) }
    func utf16(_ s: String) -> [UInt8] { s.utf16.flatMap { le16(Int($0)) } }

    /// An NTLM CHALLENGE as MS-NLMP lays it out: names in the target info, version 10.0.19041.
    func challenge(version: Bool = true, infoLengthOverride: Int? = nil) -> [UInt8] {
        var info: [UInt8] = []
        for (id, value) in [(2, "CAMPUS"), (1, "ACCT-PC07"), (4, "campus.edu.cn"), (3, "acct-pc07.campus.edu.cn")] {
            let v = utf16(value)
            info += le16(id) + le16(v.count) + v
        }
        info += le16(0) + le16(0)
        let flags = 0x0080_0000 | (version ? 0x0200_0000 : 0) | 0x1
        var m: [UInt8] = Array("NTLMSSP".utf8) + [0] + le32(2)
        m += le16(0) + le16(0) + le32(56)  // target name: empty
        m += le32(flags) + Array(repeating: 0x11, count: 8) + Array(repeating: 0, count: 8)
        m += le16(infoLengthOverride ?? info.count) + le16(info.count) + le32(56)
        m += [10, 0] + le16(19041) + [0, 0, 0, 15]
        return m + info
    }

    func smb2(command: Int, body: [UInt8]) -> [UInt8] {
        var h: [UInt8] = [0xFE, 0x53, 0x4D, 0x42] + le16(64) + le16(0) + le32(0) + le16(command) + le16(1)
        h += Array(repeating: 0, count: 64 - h.count)
        let m = h + body
        return [0, 0, UInt8(m.count >> 8), UInt8(m.count & 0xFF)] + m
    }

    @Test func theRequestsAreFramedSMB2() {
        let n = SMBNegotiate.negotiateRequest()
        #expect(SMBNegotiate.isWhole(n) && Array(n[4..<8]) == [0xFE, 0x53, 0x4D, 0x42] && n[16] == 0)
        #expect(n.count == 4 + 64 + 36 + 2 * SMBNegotiate.dialects.count)
        let s = SMBNegotiate.sessionSetupRequest()
        #expect(SMBNegotiate.isWhole(s) && s[16] == 1)
        #expect(Array(s[(4 + 88)..<(4 + 96)]) == Array("NTLMSSP".utf8) + [0])  // at the offset it names
        #expect(!SMBNegotiate.isWhole(Array(s.dropLast())))
    }

    @Test func dialectAndChallengeAreRead() throws {
        let negotiate = smb2(command: 0, body: le16(65) + le16(1) + le16(0x0302) + Array(repeating: 0, count: 58))
        #expect(try SMBNegotiate.dialect(negotiate) == "3.0.2")
        let blob = challenge()
        let setup = smb2(command: 1, body: le16(9) + le16(0) + le16(72) + le16(blob.count) + blob)
        let c = try SMBNegotiate.challenge(setup)
        #expect(c.version == "10.0.19041")
        #expect(c.netbiosComputer == "ACCT-PC07" && c.netbiosDomain == "CAMPUS")
        #expect(c.dnsComputer == "acct-pc07.campus.edu.cn" && c.dnsDomain == "campus.edu.cn")
        #expect(try SMBNegotiate.ntlmChallenge(([0x30, 0x82] + blob)[...]).version == "10.0.19041")  // in SPNEGO
        #expect(try SMBNegotiate.ntlmChallenge(challenge(version: false)[...]).version == nil)
    }

    @Test func malformedAnswersAreRefusedWithTheByteAtFault() {
        #expect(throws: CodecError.self) { try SMBNegotiate.dialect([0, 0, 0, 10]) }
        #expect(throws: CodecError.self) { try SMBNegotiate.ntlmChallenge(challenge(infoLengthOverride: 4_000)[...]) }
        // SMB1-only servers say so.
        var smb1 = smb2(command: 0, body: Array(repeating: 0, count: 8))
        smb1[4] = 0xFF
        #expect(throws: CodecError("smb2", 4, "SMB1 only")) { try SMBNegotiate.dialect(smb1) }
        // An answer to another command is not taken for this one.
        let other = smb2(command: 5, body: Array(repeating: 0, count: 8))
        #expect(throws: CodecError.self) { try SMBNegotiate.challenge(other) }
        for cut in 0..<challenge().count { _ = try? SMBNegotiate.ntlmChallenge(challenge().prefix(cut)) }
    }
}

/// Every capture in ../shared/fixtures/pcap (the malformed ones included) through the scanner's
/// own readers: nothing crashes, and what is refused is refused with a reason.
@Suite struct ProbeReadersOnEveryCaptureTests {
    @Test func everyFrameOfEveryCaptureIsReadOrRefused() throws {
        let names = try Fixtures.captureNames()
        #expect(names.count >= 40)
        var tcp = 0, smbRefused = 0, answers = 0
        for name in names {
            for packet in try capture(name) {
                if let s = TCPSegmentHead.parse(linkType: packet.linkType, packet.bytes) {
                    tcp += 1
                    if [139, 445].contains(s.sourcePort) || [139, 445].contains(s.destinationPort) {
                        do { _ = try SMBNegotiate.dialect(Array(s.payload)) } catch is CodecError { smbRefused += 1 }
                        _ = try? SMBNegotiate.challenge(Array(s.payload))
                    }
                    _ = ProbeAnswers.pjlink(String(decoding: s.payload, as: UTF8.self))
                    _ = ProbeAnswers.upnpDescription(s.payload)
                }
                _ = IPv4Frames.echoReply(linkType: packet.linkType, packet.bytes)
                if let udp = Frames.udp(linkType: packet.linkType, packet.bytes) {
                    if let m = try? SNMPMessage.parse(udp.payload) { _ = ProbeAnswers.snmp(m); answers += 1 }
                    if let m = try? DNSMessage.parse(udp.payload) { _ = ProbeAnswers.dnssd(m); answers += 1 }
                    _ = ProbeAnswers.wsd(udp.payload)
                }
            }
        }
        #expect(tcp >= 30 && answers >= 50)
        // The SMB captures are SMB1 (print jobs): refused as not SMB2, never misread.
        #expect(smbRefused > 0)
    }
}
