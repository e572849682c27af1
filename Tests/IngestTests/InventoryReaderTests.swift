import Foundation
import TestSupport
import Testing

@testable import Ingest
@testable import LedgerModel

/// Every file in ../shared/fixtures/agents with the format it must be told as.
let agentFixtureFormats: [(String, ImportFormat)] = [
    ("fusioninventory/inventory_format/1.xml", .fusionInventoryXML),
    ("fusioninventory/inventory_format/2.xml", .fusionInventoryXML),
    ("fusioninventory/rudder/WIN-AI8CLNPLOV5-2014-06-20-18-15-49.ocs", .fusionInventoryXML),
    ("fusioninventory/rudder/WORKSTATION1-8f94b6a2-5cb6-4f76-9fa7-467e8b22f5e7.ocs", .fusionInventoryXML),
    ("fusioninventory/rudder/centos8.ocs", .fusionInventoryXML),
    ("fusioninventory/rudder/debian12.ocs", .fusionInventoryXML),
    ("fusioninventory/rudder/mint.ocs", .fusionInventoryXML),
    ("fusioninventory/rudder/tuxedo.ocs", .fusionInventoryXML),
    ("fusioninventory/rudder/ubuntu22_04.ocs", .fusionInventoryXML),
    ("fusioninventory/rudder/windows2012r2.ocs", .fusionInventoryXML),
    ("fusioninventory/rudder/windows2016.ocs", .fusionInventoryXML),
    ("fusioninventory/rudder/windows2022.ocs", .fusionInventoryXML),
    ("glpi-json/inventory_format/computer_1.json", .glpiJSON),
    ("glpi-json/inventory_format/computer_3.json", .glpiJSON),
    ("open-audit/debian.xml", .openAuditXML),
    ("open-audit/laptop.xml", .openAuditXML),
    ("open-audit/ubuntu1604-chilli.xml", .openAuditXML),
    ("open-audit/win2008r2_web01.xml", .openAuditXML),
    ("osquery/fleet/windows_11.tmpl", .osquery),
    ("glpi-agent-raw/linux-antivirus/bduitool-7.0.3.2239", .collectorOutput),
    ("glpi-agent-raw/linux-antivirus/cortex-xdr-8.2.1.120305-info", .collectorOutput),
    ("glpi-agent-raw/linux-antivirus/cortex-xdr-8.2.1.120305-info-query", .collectorOutput),
    ("glpi-agent-raw/linux-antivirus/cortex-xdr-8.2.1.120305-runtime-query", .collectorOutput),
    ("glpi-agent-raw/linux-antivirus/defender-101.23062.0010.json", .collectorOutput),
    ("glpi-agent-raw/linux-antivirus/sentinelone-30.1.1.10", .collectorOutput),
    ("glpi-agent-raw/linux-distro/os-release-centos-7.9", .collectorOutput),
    ("glpi-agent-raw/linux-distro/os-release-debian-11.2", .collectorOutput),
    ("glpi-agent-raw/linux-distro/os-release-fedora-35", .collectorOutput),
    ("glpi-agent-raw/linux-packaging/dpkg", .collectorOutput),
    ("glpi-agent-raw/linux-packaging/pacman", .collectorOutput),
    ("glpi-agent-raw/linux-packaging/rpm", .collectorOutput),
    ("glpi-agent-raw/powershell/10_russian.txt", .collectorOutput),
    ("glpi-agent-raw/registry/10_russian-Uninstall.reg", .collectorOutput),
    ("glpi-agent-raw/registry/xp-Uninstall.reg", .collectorOutput),
    ("glpi-agent-raw/wmi/win7-sp1-x64-Win32_OperatingSystem.wmi", .collectorOutput),
    ("glpi-agent-raw/wmi/xp-Win32_QuickFixEngineering.wmi", .collectorOutput),
]

/// A file of the repository (fixtures/sample, ...); missing is a failure, not a skip.
func repoFixture(_ path: String) throws -> (data: Data, path: String) {
    let url = Fixtures.file(path)
    return (try Fixtures.read(url), url.path)
}

func reason(_ body: () throws -> Void) -> InputError? {
    do {
        try body()
        return nil
    } catch let e as InputError { return e } catch { return InputError(file: "?", line: nil, reason: "\(error)") }
}

@Suite struct InventoryReaderTests {
    /// Every fixture, our own samples and nmap's: (bytes, path, format).
    func everySample() throws -> [(data: Data, path: String, format: ImportFormat)] {
        var out = try agentFixtureFormats.map { path, format in
            let f = try agentFixture(path)
            return (f.data, f.path, format)
        }
        let observations = try repoFixture("fixtures/sample/observations.jsonl")
        out.append((observations.data, observations.path, .observations))
        out.append((Data(nmapSample.utf8), "scan.xml", .nmapXML))
        out.append((Data(EndpointFileTests.sample.utf8), "report.json", .assetledgerReport))
        let log =
            #"{"name":"pack/system_info","hostIdentifier":"h","columns":{"hostname":"pc1","uuid":"8A7B6C5D-1234-11E9-8000-54E1AD102030"},"action":"added"}"#
        out.append((Data(log.utf8), "osquery.log", .osquery))
        return out
    }

    @Test func theRegistryListsEveryFormatOnce() {
        let formats = InventoryReaders.all.map { $0.format }
        #expect(Set(formats) == Set(ImportFormat.allCases))
        #expect(formats.count == ImportFormat.allCases.count)
        for f in ImportFormat.allCases { #expect(InventoryReaders.help.contains(f.rawValue)) }
    }

    @Test func everyRealFixtureIsDetectedAndRead() throws {
        for sample in try everySample() {
            #expect(try ImportFormat.detect(sample.data, file: sample.path) == sample.format, "\(sample.path)")
            switch try InventoryReaders.read(sample.data, file: sample.path) {
            case .observations(let o):
                #expect([.observations, .nmapXML].contains(sample.format), "\(sample.path)")
                #expect(!o.isEmpty, "\(sample.path)")
            case .endpoint(let r):
                #expect(![.observations, .nmapXML].contains(sample.format), "\(sample.path)")
                #expect(!r.sections.isEmpty || r.identity.hostname != nil, "\(sample.path)")
            }
        }
    }

    /// No sniffer but its own claims a sample: the order of the registry is not what keeps
    /// formats apart.
    @Test func noOtherReaderClaimsASample() throws {
        for sample in try everySample() {
            let head = SniffHead(sample.data)
            for reader in InventoryReaders.all where reader.format != sample.format {
                let claims = reader.sniff(head, file: sample.path)
                #expect(!claims, "\(reader.format) claims \(sample.path)")
            }
        }
    }

    @Test func lookalikesAreNotTakenForAFormat() throws {
        let notIt: [(String, ImportFormat?)] = [
            ("code,name\nA,B\n", nil),  // a CSV
            ("hello", nil),
            (#"{"source":"scan","macs":[]}"#, nil),  // no observed_at: not observations
            (#"{"observed_at":"2026-01-01T00:00:00Z"}"#, nil),  // no source
            ("<html><body><p>system</p></body></html>", nil),  // not Open-AudIT
            ("<?xml version=\"1.0\"?><inventory><content/></inventory>", nil),  // not REQUEST
            ("{{ define \"other\" }}[]{{ end }}", nil),  // a template, not Fleet's
            ("a\tb c\t1\t2\tx\n", nil),  // an architecture with a space: not dpkg
            ("a\tb\tc\tnot-a-time\te\tf\tg\th\n", nil),  // rpm without an install time
            ("NAME=x\nthis is prose\n", nil),  // not os-release
            (#"{"content":{"hardware":{}}}"#, .glpiJSON),
            ("<REQUEST><CONTENT/></REQUEST>", .fusionInventoryXML),
        ]
        for (text, expected) in notIt {
            let detected = try? ImportFormat.detect(Data(text.utf8), file: "x")
            #expect(detected == expected, "\(text.prefix(30))")
        }
        // Sniffed right, read wrong: the reader refuses with the file, not a crash.
        #expect(reason { _ = try InventoryReaders.read(Data("<REQUEST><QUERY/></REQUEST>".utf8), file: "x") } != nil)
        #expect(reason { _ = try InventoryReaders.read(Data(#"{"content": 3"#.utf8), file: "x") } != nil)
    }

    // MARK: Crashes found by the audit and the fuzzers

    /// A package list whose head is dpkg but a later line is not: the reader checked only the
    /// head and indexed fields the line did not have (out-of-range crash).
    @Test func aShortLineAfterTheHeadIsRefusedWithItsLine() throws {
        var text = ""
        for i in 0..<12_000 { text += "pkg\(i)\tamd64\t1.0-\(i)\t100\tutils\n" }
        text += "broken-line\n"
        let data = Data(text.utf8)
        #expect(data.count > SniffHead.window)
        #expect(try ImportFormat.detect(data, file: "dpkg.txt") == .collectorOutput)
        let e = reason { _ = try EndpointFile.read(data, file: "dpkg.txt") }
        #expect(e?.line == 12_001)
        #expect(e?.reason.contains("dpkg") == true)
        // The same for rpm, and a line of a lone byte-order mark.
        let rpm =
            String(repeating: "a\tx86_64\t1-1\t1311080703\t5\tVendor\tSummary\tGroup\n", count: 2000) + "b\tx86_64\n"
        #expect(reason { _ = try EndpointFile.read(Data(rpm.utf8), file: "rpm.txt") }?.line == 2001)
        let dpkg = "a\tamd64\t1\t1\tutils\n\u{FEFF}\n"
        #expect(try EndpointFile.read(Data(dpkg.utf8), file: "d.txt").software.count == 1)
    }

    /// A registry value line `"="...` made a backwards range (crash).
    @Test func aRegistryLineWithAnEmptyNameDoesNotCrash() throws {
        let reg =
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\A]\r\n\"=\"\r\n\"\r\n\"DisplayName\"=\"App\"\r\n"
        let r = try EndpointFile.read(Data(reg.utf8), file: "u.reg")
        #expect(r.software.map(\.name) == ["App"])
    }

    /// A date of too many digits overflowed the fast ISO reader (crash); absurd epochs (inf,
    /// 1e300) in rpm, osquery, mdatp or nmap became dates.
    @Test func hostileNumbersAreNoDates() throws {
        let digits = String(repeating: "9", count: 40)
        let line = #"{"source":"scan","observed_at":"\#(digits)-01-01T00:00:00Z"}"#
        #expect(reason { _ = try ObservationFile.read(Data(line.utf8), file: "o.jsonl") }?.line == 1)
        #expect(ISODate.parse("2026-01-01T00:00:00Z") != nil)
        #expect(InventoryDate.epoch(.infinity) == nil)
        #expect(InventoryDate.epoch(.nan) == nil)
        #expect(InventoryDate.epoch(1e300) == nil)
        #expect(InventoryDate.parse("1" + String(repeating: "0", count: 300)) == nil)
        #expect(InventoryDate.parse("2020-01-01 99999999999:00:00") == nil)
        #expect(InventoryDate.parse("2020-01-01 23:59:59") != nil)
        let rpm = "a\tx86_64\t1-1\t99999999999999\t5\tV\tS\tG\n"
        #expect(try EndpointFile.read(Data(rpm.utf8), file: "rpm.txt").software.first?.installedAt == nil)
        let xml = nmapSample.replacingOccurrences(of: "endtime=\"1790000042\"", with: "endtime=\"inf\"")
        let seen = try #require(try NmapXML.read(Data(xml.utf8), file: "n.xml").first?.observedAt)
        #expect(seen.timeIntervalSince1970.isFinite && seen.timeIntervalSince1970 < 5e9)
    }

    /// A Fleet template of many defines was read again from each define to the end of the
    /// file (quadratic: minutes for a megabyte).
    @Test func manyFleetDefinesCostTheirLength() throws {
        let define = "{{ define \"fleet_detail_query_x\" -}}\n"
        let text = String(repeating: define, count: 20_000)
        let started = Date()
        let e = reason { _ = try OsqueryInventory.read(Data(text.utf8), file: "t.tmpl") }
        #expect(e != nil)
        #expect(Date().timeIntervalSince(started) < 10)
        let blocks = String(
            repeating: "{{ define \"fleet_detail_query_os_version\" -}}\n[{\"name\": \"W\"}]\n{{- end }}\n", count: 5000
        )
        #expect(try OsqueryInventory.read(Data(blocks.utf8), file: "t.tmpl").os?.name == "W")
    }

    /// Bytes that are not UTF-8 inside an element name crashed Foundation's XMLParser (found by
    /// Fuzz/inventory.swift and Fuzz/nmapxml.swift): refused before parsing, with the line.
    @Test func xmlThatIsNotUTF8IsRefusedBeforeTheParser() throws {
        var bad = Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQUEST>\n<CONTENT>\n<BIOS".utf8)
        bad.append(contentsOf: [0xC2, 0x41, 0xFF, 0xFF])
        bad.append(contentsOf: Data(" a=\"1\"/></CONTENT></REQUEST>".utf8))
        let e = reason { _ = try InventoryReaders.read(bad, file: "x.ocs") }
        #expect(e?.line == 4)
        var nmap = Data("<nmaprun><host><address a".utf8)
        nmap.append(contentsOf: [0xFF, 0xFF, 0xFF])
        nmap.append(contentsOf: Data("=\"1\"/></host></nmaprun>".utf8))
        #expect(reason { _ = try NmapXML.read(nmap, file: "n.xml") }?.reason == "not UTF-8 text")
        let latin1 = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><REQUEST><CONTENT/></REQUEST>".utf8)
        #expect(reason { _ = try GLPIInventory.xml(latin1, file: "l.xml") }?.reason.contains("ISO-8859-1") == true)
    }

    /// A processing instruction without data (`<?xm?>`) made Foundation's XMLParser call strlen
    /// on a null pointer (found by Fuzz/nmapxml.swift); nmap's stylesheet instruction stays
    /// accepted.
    @Test func aProcessingInstructionWithoutDataIsRefused() throws {
        let bad = "<?xml version=\"1.0\"?>\n<?xm?>\n<nmaprun></nmaprun>"
        #expect(reason { _ = try NmapXML.read(Data(bad.utf8), file: "n.xml") }?.line == 2)
        #expect(reason { _ = try NmapXML.read(Data("<?x   ?><nmaprun/>".utf8), file: "n.xml") } != nil)
        let styled = nmapSample.replacingOccurrences(
            of: "<nmaprun ",
            with: "<?xml-stylesheet href=\"file:///usr/share/nmap/nmap.xsl\" type=\"text/xsl\"?>\n<nmaprun ")
        #expect(try NmapXML.read(Data(styled.utf8), file: "n.xml").count == 2)
    }

    /// A dpkg list larger than the sniffing window was "unrecognized format".
    @Test func aFiveMegabytePackageListIsRead() throws {
        var text = ""
        text.reserveCapacity(5 << 20)
        var n = 0
        while text.utf8.count < 5 << 20 {
            text +=
                "package-\(n)\tamd64\t\(n % 9).\(n % 97)-\(n % 5)+deb12u1\t\(n % 4000)\tlibs\tinstall ok installed\n"
            n += 1
        }
        let data = Data(text.utf8)
        #expect(try ImportFormat.detect(data, file: "big-dpkg") == .collectorOutput)
        #expect(CollectorOutput.kind(data, file: "big-dpkg") == .dpkg)
        let r = try EndpointFile.read(data, file: "big-dpkg")
        #expect(r.software.count == n)
        #expect(r.software.last?.name == "package-\(n - 1)")
    }

    @Test func theHeadIsCutAtALineEndAndUTF16IsRead() throws {
        let long = Data((String(repeating: "x\tamd64\t1\t1\tlibs\n", count: 5000)).utf8)
        let head = SniffHead(long)
        #expect(!head.isWholeFile)
        #expect(head.text.hasSuffix("libs"))
        let reg = try agentFixture("glpi-agent-raw/registry/xp-Uninstall.reg")
        let regHead = SniffHead(reg.data)
        #expect(regHead.lines.first?.hasPrefix("Windows Registry Editor") == true)
        // Only the first bytes of a file, as `open` reads them, with the file's size.
        let part = SniffHead(long.prefix(SniffHead.window), fileSize: long.count)
        #expect(!part.isWholeFile && part.text == head.text)
    }

    // MARK: Streaming observation lines

    func temporaryFile(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("obs-\(UUID().uuidString).jsonl")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func theStreamReadsWhatTheWholeFileReaderReads() throws {
        let sample = try repoFixture("fixtures/sample/observations.jsonl")
        let path = try temporaryFile("\u{FEFF}" + String(decoding: sample.data, as: UTF8.self) + "\n\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let stream = try ObservationStream(path: path, batchSize: 3)
        var streamed: [Observation] = []
        while let batch = try stream.next() {
            #expect(batch.count <= 3)
            streamed += batch
        }
        #expect(streamed == (try ObservationFile.read(sample.data, file: "o")))
        guard case .observationLines = try InventoryReaders.open(file: path) else {
            Issue.record("not streamed")
            return
        }
    }

    @Test func theStreamNamesABadLastLineAndALongLine() throws {
        var text = ""
        for i in 0..<12_000 {
            text +=
                #"{"source":"scan","observed_at":"2026-11-20T09:00:00Z","macs":["54:e1:ad:00:\#(String(format: "%02x:%02x", i >> 8, i & 255))"]}"#
                + "\n"
        }
        let path = try temporaryFile(text + #"{"source":"scan","observed_at":"yesterday"}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let stream = try ObservationStream(path: path)
        let e = reason { while try stream.next() != nil {} }
        #expect(e?.line == 12_001)
        #expect(e?.file == path)

        let long = try temporaryFile(
            String(text.prefix(while: { $0 != "\n" })) + "\n" + #"{"source":"scan","x":""#
                + String(repeating: "a", count: 3 << 20) + "\"}\n")
        defer { try? FileManager.default.removeItem(atPath: long) }
        let e2 = reason {
            let s = try ObservationStream(path: long); while try s.next() != nil {}
        }
        #expect(e2?.reason.contains("longer than") == true)
        #expect(e2?.line == 2)
    }
}
