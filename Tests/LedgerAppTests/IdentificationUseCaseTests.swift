import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

@testable import LedgerApp

/// Issue 14 at the application layer: every merge names makers by the dictionary (the raw
/// spelling kept as evidence), `device show` lists the claims that conflict, and `fingerprint
/// test` shows which rules fire on a recording or a capture.
@Suite struct IdentificationUseCaseTests {
    @Test func oneNamePerMakerWhateverTheSource() throws {
        let s = try campusService()
        let spellings = [
            "Seiko Epson Corporation", "EPSON", "Epson", "Dell Inc.", "Dell", "HP Inc.", "HP", "Hewlett Packard",
        ]
        var ids: [Int64] = []
        for (i, raw) in spellings.enumerated() {
            var o = seen(Double(i), mac: String(format: "3c:d9:2b:00:01:%02x", i), ip: "198.18.10.\(20 + i)")
            o.source = i % 2 == 0 ? .scan : .import
            o.vendor = raw
            ids.append(try device(s, o))
        }
        let vendors = Set(try s.listDevices(scope: .everything).compactMap(\.vendor))
        #expect(vendors.count == 3, "\(vendors)")
        #expect(vendors.contains("Dell") && vendors.contains("HP Inc."))
        // The raw value stays in the evidence; a name already canonical adds none.
        let epson = try s.showDevice(ids[1], scope: .everything)
        #expect(epson.observations[0].evidence.contains { $0.field == "vendor" && $0.value == "EPSON" })
        let dell = try s.showDevice(ids[4], scope: .everything)
        #expect(!dell.observations[0].evidence.contains { $0.field == "vendor" })
        // A string no entry names is kept as it came.
        var unknown = seen(20, mac: "3c:d9:2b:00:02:01", ip: "198.18.10.90")
        unknown.vendor = "Zyxwv Widgets"
        #expect(try s.showDevice(try device(s, unknown), scope: .everything).device.vendor == "Zyxwv Widgets")
    }

    @Test func oneNamePerOperatingSystem() throws {
        let s = try campusService()
        let raw = [
            ("Microsoft Windows 10 Pro", "Windows 10 Pro"), ("Windows 10 Pro", "Windows 10 Pro"),
            ("Windows 6.1 build 7601", "Windows NT 6.1 build 7601"),
            ("Debian GNU/Linux 12 (bookworm)", "Debian 12 (bookworm)"),
            ("Ubuntu 22.04.3 LTS", "Ubuntu 22.04.3"), ("Plan 9", "Plan 9"),
        ]
        for (i, (spelled, named)) in raw.enumerated() {
            var o = seen(Double(i), mac: String(format: "3c:d9:2b:00:04:%02x", i), ip: "198.18.10.\(60 + i)", cls: .pc)
            o.os = spelled
            let detail = try s.showDevice(try device(s, o), scope: .everything)
            #expect(detail.device.os == named, "\(spelled)")
            #expect(
                (spelled == named)
                    != detail.observations[0].evidence.contains { $0.field == "os" && $0.value == spelled },
                "\(spelled)")
        }
        #expect(throws: InputError(file: "o.tsv", line: 2, reason: "bad regex '^(Win'")) {
            try OSNameFile.read(Data("pattern\tname\tnote\n^(Win\tWindows\t\n".utf8), file: "o.tsv")
        }
    }

    @Test func deviceShowSaysWhichClaimsConflict() throws {
        let s = try campusService()
        var scan = seen(0, mac: "3c:d9:2b:00:03:01", ip: "198.18.10.40")
        scan.vendor = "HP Inc."
        scan.evidence.append(
            Evidence(
                field: "conflict", value: "vendor: HP Inc. (ipp, mdns) over Kyocera (snmp)",
                reason: "independent sources disagree", certainty: 0))
        let id = try device(s, scan)
        var agent = Observation(
            source: .agent, observedAt: at(5), deviceClass: .printer, vendor: "Kyocera Document Solutions",
            macs: ["3c:d9:2b:00:03:01"])
        agent.model = "ECOSYS P2040dn"
        try device(s, agent)
        let detail = try s.showDevice(id, scope: .everything)
        #expect(detail.conflicts.contains("scan: vendor: HP Inc. (ipp, mdns) over Kyocera (snmp)"))
        #expect(detail.conflicts.contains("vendor: HP Inc. (scan) vs Kyocera (agent)"))
        // The same class from both sources is no conflict.
        #expect(!detail.conflicts.contains { $0.hasPrefix("class:") })
    }

    @Test func fingerprintTestShowsWhichRulesFireAndWhatWins() throws {
        let brother = try LedgerService.testFingerprint(
            file: try Fixtures.readable(Fixtures.snmprec("brother.snmprec")).path)
        #expect(brother.input == "snmprec" && brother.hosts.count == 1)
        let h = try #require(brother.hosts.first)
        #expect(h.verdict.deviceClass == "mfp" && h.verdict.vendor == "Brother" && h.verdict.model == "MFC-L2710DW")
        #expect(h.fired.contains { $0.reason.hasPrefix("snmp.sysObjectID prefix '1.3.6.1.4.1.2435'") })
        #expect(h.signals["snmp.enterpriseName"] == ["Brother Industries, Ltd."])
        // A rule of the user's own, after the shipped ones, and what it changes.
        let rule = try tempFile(
            "mine.tsv",
            "signal\tmatch\tpattern\tclass\tfax\tvendor\tmodel\tos\tfirmware\tcertainty\tnote\n"
                + "snmp.sysDescr\tregex\tNC-8300h\t\t\t\tNC-8300h print server\t\t\t99\tmine\n")
        let mine = try LedgerService.testFingerprint(
            file: try Fixtures.readable(Fixtures.snmprec("brother.snmprec")).path, fingerprints: [rule])
        #expect(mine.hosts[0].fired.contains { $0.reason.contains("mine.tsv:2") })
        // A capture: every host heard, each with its verdict.
        let capture = try LedgerService.testFingerprint(
            file: try Fixtures.readable(Fixtures.pcap("3560_CDP.pcap")).path)
        #expect(capture.input == "capture")
        #expect(capture.hosts.contains { $0.verdict.deviceClass == "network" && $0.verdict.vendor == "Cisco" })
        // Neither a recording nor a capture: refused.
        let junk = try tempFile("junk.bin", "not a capture")
        #expect(throws: (any Error).self) { try LedgerService.testFingerprint(file: junk) }
    }
}
