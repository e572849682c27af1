import Foundation
import LedgerModel
import Testing

/// The scan evidence the security check reads back: port lists both ways, and which
/// observation counts as the device's newest port scan or SNMP question.
@Suite struct ScanEvidenceTests {
    @Test func portListsRoundTrip() {
        #expect(ScanEvidence.portText([9100, 21, 22, 23, 80, 80, 65535]) == "21-23,80,9100,65535")
        #expect(ScanEvidence.ports("21-23,80,9100,65535") == [21, 22, 23, 80, 9100, 65535])
        #expect(ScanEvidence.ports("1-65535")?.count == 65535)
        #expect(ScanEvidence.ports("23-21") == nil && ScanEvidence.ports("x") == nil)
        #expect(ScanEvidence.portText([]) == "")
    }

    @Test func theNewestScanSpeaksForTheDevice() {
        func e(_ field: String, _ value: String) -> Evidence {
            Evidence(field: field, value: value, reason: "t", certainty: 100)
        }
        let old = (at: Date(timeIntervalSince1970: 100), evidence: [e("port", "tcp/23"), e("ports.scanned", "1-1024")])
        let new = (
            at: Date(timeIntervalSince1970: 200), evidence: [e("port", "tcp/80"), e("ports.scanned", "21-23,80")]
        )
        // A later observation without port evidence (an agent report) does not hide the scan.
        let agent = (at: Date(timeIntervalSince1970: 300), evidence: [e("class", "printer")])
        let facts = ScanEvidence.portFacts([old, new, agent])
        #expect(facts?.open == [80] && facts?.scanned == [21, 22, 23, 80] && facts?.at.timeIntervalSince1970 == 200)
        // UDP ports are not TCP ports.
        let udp = ScanEvidence.portFacts([(at: Date(), evidence: [e("port", "udp/23")])])
        #expect(udp?.open == [] && udp?.scanned == nil)
        #expect(ScanEvidence.portFacts([agent]) == nil)
        let snmp = ScanEvidence.snmpFacts([
            (at: Date(timeIntervalSince1970: 1), evidence: [e("snmp.asked", "public"), e("snmp.community", "public")]),
            (at: Date(timeIntervalSince1970: 2), evidence: [e("snmp.asked", "public,private")]),
        ])
        #expect(snmp?.answered == [] && snmp?.asked == ["public", "private"])
    }
}
