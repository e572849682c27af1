import Foundation
import Testing

@testable import Ingest
@testable import LedgerModel

/// The shape of `nmap -O -sV -oX` output (nmap 7.93), two hosts up and one down.
let nmapSample = """
    <?xml version="1.0" encoding="UTF-8"?>
    <nmaprun scanner="nmap" args="nmap -O -sV -oX - 198.18.10.0/24" start="1790000000" version="7.93" xmloutputversion="1.05">
    <host starttime="1790000001" endtime="1790000042"><status state="up" reason="arp-response"/>
    <address addr="198.18.10.21" addrtype="ipv4"/><address addr="3C:D9:2B:11:22:33" addrtype="mac" vendor="Hewlett Packard"/>
    <hostnames><hostname name="npi112233.campus.example" type="PTR"/></hostnames>
    <ports><port protocol="tcp" portid="80"><state state="open" reason="syn-ack"/><service name="http" product="HP LaserJet http config"/></port>
    <port protocol="tcp" portid="9100"><state state="open" reason="syn-ack"/><service name="jetdirect"/></port>
    <port protocol="tcp" portid="22"><state state="closed" reason="reset"/></port></ports>
    <os><osmatch name="HP LaserJet Pro M404 printer" accuracy="96" line="1"><osclass type="printer" vendor="HP" osfamily="embedded" accuracy="96"/></osmatch>
    <osmatch name="HP JetDirect print server" accuracy="90" line="2"><osclass type="print server" vendor="HP" osfamily="JetDirect" accuracy="90"/></osmatch></os>
    </host>
    <host><status state="down" reason="no-response"/><address addr="198.18.10.22" addrtype="ipv4"/></host>
    <host starttime="1790000001" endtime="1790000050"><status state="up" reason="arp-response"/>
    <address addr="198.18.10.60" addrtype="ipv4"/><address addr="10:60:4B:01:01:01" addrtype="mac" vendor="Hewlett Packard"/>
    <ports><port protocol="tcp" portid="445"><state state="open" reason="syn-ack"/><service name="microsoft-ds"/></port></ports>
    <os><osmatch name="Microsoft Windows 10 1709 - 1909" accuracy="93"><osclass type="general purpose" vendor="Microsoft" osfamily="Windows" osgen="10" accuracy="93"/></osmatch></os>
    </host>
    <runstats><finished time="1790000060" elapsed="60"/><hosts up="2" down="1" total="3"/></runstats>
    </nmaprun>
    """

@Suite struct NmapXMLTests {
    @Test func hostsThatWereUpBecomeObservations() throws {
        #expect(try ImportFormat.detect(Data(nmapSample.utf8), file: "scan.xml") == .nmapXML)
        let observations = try NmapXML.read(Data(nmapSample.utf8), file: "scan.xml")
        #expect(observations.count == 2)
        let printer = observations[0]
        #expect(printer.ips == ["198.18.10.21"])
        #expect(printer.macs == ["3C:D9:2B:11:22:33"])
        #expect(printer.hostnames == ["npi112233.campus.example"])
        #expect(printer.deviceClass == .printer)
        #expect(printer.vendor == "HP")
        #expect(printer.os == "HP LaserJet Pro M404 printer")
        #expect(printer.observedAt == Date(timeIntervalSince1970: 1_790_000_042))
        #expect(printer.evidence.filter { $0.field == "port" }.map(\.value) == ["tcp/80", "tcp/9100"])
        #expect(printer.evidence.contains { $0.field == "class" && $0.certainty == 96 })
        #expect(observations[1].deviceClass == .pc)
    }

    /// The run's `scaninfo` says which TCP ports were asked (the security check passes a closed
    /// port only if it was): each host with ports carries it; without `scaninfo`, nothing is claimed.
    @Test func theTCPPortsAskedComeFromScaninfo() throws {
        let withInfo = nmapSample.replacingOccurrences(
            of: "version=\"7.93\" xmloutputversion=\"1.05\">",
            with: """
                version="7.93" xmloutputversion="1.05">
                <scaninfo type="syn" protocol="tcp" numservices="6" services="21-23,80,445,9100"/>
                <scaninfo type="udp" protocol="udp" numservices="1" services="161"/>
                """)
        let observations = try NmapXML.read(Data(withInfo.utf8), file: "scan.xml")
        #expect(
            observations.allSatisfy { o in
                o.evidence.filter { $0.field == "ports.scanned" }.map(\.value) == ["21-23,80,445,9100"]
            })
        let without = try NmapXML.read(Data(nmapSample.utf8), file: "scan.xml")
        #expect(without.allSatisfy { o in !o.evidence.contains { $0.field == "ports.scanned" } })
    }

    @Test func notNmapAndHostileXMLAreRefused() {
        #expect(throws: InputError.self) { try NmapXML.read(Data("<REQUEST/>".utf8), file: "x.xml") }
        #expect(throws: InputError.self) {
            try NmapXML.read(
                Data("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n<nmaprun/>".utf8), file: "x.xml")
        }
        // An external DTD is refused too (it would be fetched or read).
        #expect(throws: InputError(file: "x.xml", line: 2, reason: "DOCTYPE or ENTITY declarations are not accepted")) {
            try NmapXML.read(
                Data("<?xml version=\"1.0\"?>\n<!DOCTYPE nmaprun SYSTEM \"file:///etc/passwd\">\n<nmaprun/>".utf8),
                file: "x.xml")
        }
    }

    @Test func theBareDoctypeNmapWritesIsAccepted() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE nmaprun>
            <nmaprun scanner="nmap" start="1800000000"><host><status state="up"/><address addr="198.18.1.20" addrtype="ipv4"/></host></nmaprun>
            """
        #expect(try NmapXML.read(Data(xml.utf8), file: "nmap.xml").map(\.ips) == [["198.18.1.20"]])
    }
}
