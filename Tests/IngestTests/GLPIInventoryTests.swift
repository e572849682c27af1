import Foundation
import TestSupport
import Testing

@testable import Ingest
@testable import LedgerModel

/// The real agent inventories in ../shared/fixtures/agents. A missing or unreadable file fails
/// the test (it is never skipped).
func agentFixture(_ path: String) throws -> (data: Data, path: String) {
    let url = Fixtures.agents(path)
    return (try Fixtures.read(url), url.path)
}

func day(_ y: Int, _ m: Int, _ d: Int) -> Date {
    var c = DateComponents()
    (c.year, c.month, c.day) = (y, m, d)
    c.timeZone = TimeZone(identifier: "UTC")
    return Calendar(identifier: .gregorian).date(from: c)!
}

@Suite struct GLPIInventoryTests {
    func xml(_ path: String) throws -> EndpointReport {
        let f = try agentFixture(path)
        return try GLPIInventory.xml(f.data, file: f.path)
    }

    func json(_ path: String) throws -> EndpointReport {
        let f = try agentFixture(path)
        return try GLPIInventory.json(f.data, file: f.path)
    }

    @Test func windows11WorkstationWithDefenderAndDatedHotfixes() throws {
        let r = try xml("fusioninventory/rudder/WORKSTATION1-8f94b6a2-5cb6-4f76-9fa7-467e8b22f5e7.ocs")
        #expect(r.software.count == 127)
        #expect(r.patches.count == 7)
        #expect(r.patches.allSatisfy { $0.installedAt != nil && $0.id.hasPrefix("KB") })
        #expect(r.patches.contains { $0.id == "KB5050578" && $0.installedAt == day(2025, 3, 26) })
        #expect(r.pendingUpdates.count == 2)
        #expect(r.os?.name == "Microsoft Windows 11 Enterprise Evaluation")
        #expect(r.os?.build == "22631")
        #expect(r.os?.version == "2009")
        let av = try #require(r.antivirus.first)
        #expect(r.antivirus.count == 1)
        #expect(av.name == "Windows Defender")
        #expect(av.enabled == true && av.signaturesUpToDate == true)
        #expect(av.productVersion == "4.18.25010.11")
        #expect(av.signatureVersion == "1.425.252.0")
        #expect(Set(r.software.compactMap(\.source)) == ["registry", "uwp"])
    }

    @Test func oldAgentHotfixesHaveNoDates() throws {
        let r = try xml("fusioninventory/rudder/WIN-AI8CLNPLOV5-2014-06-20-18-15-49.ocs")
        #expect(r.patches.count == 142)
        #expect(r.patches.allSatisfy { $0.installedAt == nil })
        #expect(r.software.count == 165 - 142)
        #expect(r.os?.name?.contains("2012") == true)
        #expect(r.antivirus.isEmpty)
    }

    @Test func frenchWindows81LaptopWithTwoAntivirusProducts() throws {
        let r = try xml("fusioninventory/inventory_format/2.xml")
        #expect(r.antivirus.map(\.name) == ["Windows Defender", "Kaspersky Endpoint Security 10 for Windows"])
        #expect(r.antivirus.allSatisfy { $0.enabled == true && $0.signaturesUpToDate == true })
        #expect(r.software.count + r.patches.count == 8)
        #expect(r.patches.count == 1)
        #expect(r.identity.serials.first == "CZC0479792")
        #expect(r.identity.model == "HP EliteBook 2540p")
        #expect(r.os?.name?.contains("Professionnel") == true)
        #expect(r.collectedAt == ISODate.parse("2017-05-15T18:38:07Z"))
    }

    @Test func linuxInventoriesWithPackagesAndPendingUpdates() throws {
        let debian = try xml("fusioninventory/rudder/debian12.ocs")
        #expect(debian.software.count == 364)
        #expect(debian.software.allSatisfy { $0.source == "deb" })
        #expect(debian.patches.isEmpty)
        let ubuntu = try xml("fusioninventory/rudder/ubuntu22_04.ocs")
        #expect(ubuntu.software.count == 606)
        #expect(ubuntu.pendingUpdates.count == 190)
        #expect(ubuntu.pendingUpdates.contains { $0.security == true })
        let centos = try xml("fusioninventory/rudder/centos8.ocs")
        #expect(centos.software.count == 778)
        #expect(centos.software.allSatisfy { $0.source == "rpm" && $0.installedAt != nil })
        #expect(centos.pendingUpdates.count == 464)
    }

    @Test func glpiJSONReadsLikeTheXMLOfTheSameLaptop() throws {
        let json3 = try json("glpi-json/inventory_format/computer_3.json")
        #expect(json3.software.count == 3033)
        #expect(json3.os?.name == "Fedora release 25 (Twenty Five)")
        #expect(json3.identity.serials.first == "8C554721F")
        let xml1 = try xml("fusioninventory/inventory_format/1.xml")
        #expect(xml1.software.count == 42)
        // Same laptop: same SMBIOS UUID and model (its serials were anonymised differently).
        #expect(xml1.identity.smbiosUUID == "0055ADC9-1D3A-E411-8043-B05D95113232")
        #expect(xml1.identity.smbiosUUID == json3.identity.smbiosUUID)
        #expect(xml1.identity.model == json3.identity.model)
        let json1 = try json("glpi-json/inventory_format/computer_1.json")
        #expect(json1.software.count == 6)
        #expect(json1.software.first { $0.name == "gitg" }?.installedAt == day(2019, 12, 19))
        #expect(json1.identity.serials.first == "640HP72")
        #expect(json1.os?.kernel == "5.6.15-200.fc31.x86_64")
    }

    @Test func everyGLPIOrFusionInventoryFileImports() throws {
        for path in [
            "fusioninventory/rudder/windows2022.ocs", "fusioninventory/rudder/windows2016.ocs",
            "fusioninventory/rudder/windows2012r2.ocs", "fusioninventory/rudder/tuxedo.ocs",
            "fusioninventory/rudder/mint.ocs",
        ] {
            let r = try xml(path)
            #expect(r.os?.name != nil, "\(path)")
            #expect(!r.software.isEmpty, "\(path)")
        }
        #expect(try xml("fusioninventory/rudder/windows2022.ocs").pendingUpdates.count == 4)
        #expect(try xml("fusioninventory/rudder/windows2016.ocs").patches.count == 3)
        #expect(try xml("fusioninventory/rudder/tuxedo.ocs").software.count == 418)
    }
}

@Suite struct HostileInventoryTests {
    @Test func entityExpansionAndExternalEntitiesAreRefusedBeforeParsing() {
        let bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <REQUEST><CONTENT><HARDWARE><NAME>&lol2;</NAME></HARDWARE></CONTENT></REQUEST>
            """
        #expect(
            throws: InputError(file: "bomb.xml", line: 2, reason: "DOCTYPE or ENTITY declarations are not accepted")
        ) {
            try GLPIInventory.xml(Data(bomb.utf8), file: "bomb.xml")
        }
        let xxe =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<REQUEST>&x;</REQUEST>"
        #expect(throws: InputError.self) { try GLPIInventory.xml(Data(xxe.utf8), file: "xxe.xml") }
    }

    /// A document with many errors is refused naming the first; and the parse is not stopped
    /// from its error callback (`abortParsing()` there crashed libxml2; found by the nmap XML
    /// fuzz target: its input is checked here too).
    @Test func malformedXMLIsRefusedAtItsFirstError() throws {
        let bad = "<REQUEST>\n<A x=1>\n" + String(repeating: "<B y=2>\n", count: 10) + "</REQUEST>\n"
        do {
            _ = try GLPIInventory.xml(Data(bad.utf8), file: "bad.xml")
            Issue.record("malformed XML accepted")
        } catch let e as InputError {
            #expect(e.file == "bad.xml")
            #expect(e.line == 2, "the first error is on line 2: \(e)")
            #expect(e.reason.hasPrefix("malformed XML"))
        }
        let crashed =
            Data([0, 0, 0]) + Data("<?xmlrencoding=\"UTF-4CTm anEprup -O sV -o\"?>\n<<T?".utf8)
            + Data(repeating: 0, count: 36) + Data("<? D".utf8)
        #expect(throws: InputError.self) { try GLPIInventory.xml(crashed, file: "crash.xml") }
        // An empty instruction behind a bad one, which libxml2 reads after recovering.
        let hidden = "<?xml version=\"1.0\"?>\n<nmaprun r<?'<??l??nse\"12.1. port<?x?>\n</nmaprun>\n"
        #expect(throws: InputError(file: "pi.xml", line: 2, reason: "processing instruction without data")) {
            try GLPIInventory.xml(Data(hidden.utf8), file: "pi.xml")
        }
    }

    @Test func truncatedDeepAndWrongDocumentsNameTheFile() throws {
        do {
            _ = try GLPIInventory.xml(Data("<REQUEST>\n<CONTENT>\n<SOFTWARES><NAME>x".utf8), file: "cut.xml")
            Issue.record("truncated XML accepted")
        } catch let e as InputError {
            #expect(e.file == "cut.xml")
            #expect(e.reason.hasPrefix("malformed XML") || e.reason.hasPrefix("truncated"))
        }
        let deep = String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
        #expect(throws: InputError(file: "deep.xml", line: 1, reason: "nested deeper than 32 levels")) {
            try GLPIInventory.xml(Data(deep.utf8), file: "deep.xml")
        }
        let deepJSON = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: InputError.self) { try GLPIInventory.json(Data(deepJSON.utf8), file: "deep.json") }
        #expect(throws: InputError.self) { try GLPIInventory.json(Data("{\"content\": ".utf8), file: "cut.json") }
        #expect(throws: InputError.self) { try GLPIInventory.xml(Data("<html><body/></html>".utf8), file: "page.xml") }
    }

    @Test func inventoryDatesAreReadWithoutLocale() {
        #expect(InventoryDate.parse("26/03/2025") == day(2025, 3, 26))
        #expect(InventoryDate.parse("2019-12-19") == day(2019, 12, 19))
        #expect(InventoryDate.parse("20110115") == day(2011, 1, 15))
        #expect(
            InventoryDate.parse("2025-03-12 04:26:20") == day(2025, 3, 12).addingTimeInterval(4 * 3600 + 26 * 60 + 20))
        #expect(InventoryDate.parse("31/31/2025") == nil)
        #expect(InventoryDate.parse("yesterday") == nil)
    }
}

@Suite struct OpenAuditInventoryTests {
    func read(_ path: String) throws -> EndpointReport {
        let f = try agentFixture(path)
        return try OpenAuditInventory.xml(f.data, file: f.path)
    }

    @Test func windows7LaptopWithQFEHotfixes() throws {
        let r = try read("open-audit/laptop.xml")
        #expect(r.software.count + r.patches.count == 403)
        #expect(r.patches.count == 228)
        #expect(r.patches.contains { $0.id == "KB2849696" && $0.installedAt == day(2015, 6, 23) })
        #expect(r.os?.name == "Microsoft Windows 7 Ultimate")
        #expect(r.os?.build == "7601")
        #expect(r.identity.serials == ["CNF9212882"])
        #expect(r.identity.smbiosUUID == "39464E43-3132-3832-3832-00238BC6B17D")
        #expect(r.antivirus.isEmpty)
        #expect(
            r.software.first { $0.name == "Audio - l3codeca" }?.installedAt
                == day(2009, 7, 14).addingTimeInterval(10 * 3600 + 22 * 60 + 31))
    }

    @Test func serversAndLinuxAudits() throws {
        let web = try read("open-audit/win2008r2_web01.xml")
        #expect(web.software.count == 33)
        #expect(web.patches.map(\.id) == ["KB976902"])
        #expect(web.patches.first?.installedAt != nil)
        let debian = try read("open-audit/debian.xml")
        #expect(debian.software.count == 297)
        #expect(debian.os?.name == "Debian GNU/Linux 7.8 (wheezy)")
        let ubuntu = try read("open-audit/ubuntu1604-chilli.xml")
        #expect(ubuntu.software.count == 548)
        #expect(ubuntu.os?.version == "16.04")
    }
}
