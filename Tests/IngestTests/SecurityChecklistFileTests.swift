import Foundation
import Ingest
import LedgerModel
import TestSupport
import Testing

/// The security check's checklist (scanners/security-checklist.tsv): the shipped file, and
/// every refusal naming FILE:LINE.
@Suite struct SecurityChecklistFileTests {
    static let header = SecurityChecklistFile.header.joined(separator: "\t")

    func read(_ lines: String...) throws -> [SecurityCheckItem] {
        try SecurityChecklistFile.read(Data(([Self.header] + lines).joined(separator: "\n").utf8), file: "c.tsv")
    }

    /// The refusal's `FILE:LINE: reason`, or nil when the lines are accepted.
    func refusal(_ lines: String...) -> String? {
        do {
            _ = try SecurityChecklistFile.read(
                Data(([Self.header] + lines).joined(separator: "\n").utf8), file: "c.tsv")
            return nil
        } catch let e as InputError {
            return e.description
        } catch {
            return "\(error)"
        }
    }

    @Test func theShippedChecklistCoversTheSeedsDeviceClasses() throws {
        let path = Fixtures.scanners("security-checklist.tsv").path
        let items = try SecurityChecklistFile.read(Data(contentsOf: URL(fileURLWithPath: path)), file: path)
        let byID = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0) })
        // The automatic items, each with its rule.
        let automatic: [(String, SecurityCheckRule)] = [
            ("pc_patched", .patched), ("pc_antivirus", .antivirus), ("pc_os_supported", .osSupported),
            ("pc_licensed_software", .licensedSoftware), ("dev_no_telnet_ftp", .portsClosed),
            ("dev_snmp_default", .snmpDefaultCommunity), ("dev_firmware", .firmwareRecorded),
            ("dev_owner_department", .ownerDepartment), ("dev_responsible", .responsiblePerson),
        ]
        for (id, rule) in automatic { #expect(byID[id]?.rule == rule, "\(id)") }
        #expect(byID["dev_no_telnet_ftp"]?.parameter == ["21", "23"])
        #expect(byID["dev_snmp_default"]?.parameter == ["public", "private"])
        #expect(byID["pc_patched"]?.classes == [.pc, .server])
        // Printers, MFPs, fax machines and displays: the same device items.
        #expect(byID["dev_no_telnet_ftp"]?.classes == [.printer, .mfp, .fax, .display])
        // Manual items exist for every class checked, and none takes a parameter.
        let manual = items.filter(\.isManual)
        for c in [DeviceClass.pc, .server, .printer, .mfp, .fax, .display] {
            #expect(manual.contains { $0.classes.contains(c) }, "\(c)")
        }
        #expect(manual.allSatisfy { $0.parameter.isEmpty && !$0.titleZH.isEmpty && !$0.titleEN.isEmpty })
        // Classes nobody asked to check are not in it.
        #expect(!items.contains { $0.classes.contains(.network) || $0.classes.contains(.unknown) })
    }

    @Test func badLinesAreRefusedWithTheirLine() throws {
        let good = "a_1\tprinter,fax\tports_closed\t21, 23\t端口\tPorts"
        let items = try read("# comment", good, "b\tpc\tmanual\t-\t介质\tMedia")
        #expect(items.map(\.id) == ["a_1", "b"] && items[0].parameter == ["21", "23"])
        #expect(items[0].classes == [.printer, .fax] && items[1].rule == .manual)
        #expect(refusal(good, good)?.hasPrefix("c.tsv:3: item 'a_1' repeats") == true)
        #expect(refusal("A-1\tpc\tmanual\t-\t中\ten")?.hasPrefix("c.tsv:2: item 'A-1'") == true)
        #expect(refusal("x\tpc,phone\tmanual\t-\t中\ten")?.hasPrefix("c.tsv:2: unknown class 'phone'") == true)
        #expect(refusal("x\t\tmanual\t-\t中\ten")?.contains("names no device class") == true)
        #expect(refusal("x\tpc\tguess\t-\t中\ten")?.hasPrefix("c.tsv:2: unknown rule 'guess'") == true)
        #expect(refusal("x\tpc\tports_closed\t-\t中\ten")?.contains("needs a parameter") == true)
        #expect(refusal("x\tpc\tports_closed\t21,0\t中\ten")?.contains("port '0'") == true)
        #expect(refusal("x\tpc\tports_closed\t21,,23\t中\ten")?.contains("port ''") == true)
        #expect(refusal("x\tpc\tports_closed\t70000\t中\ten")?.contains("port '70000'") == true)
        #expect(refusal("x\tpc\tmanual\t21\t中\ten")?.contains("takes no parameter") == true)
        #expect(refusal("x\tpc\tsnmp_default_community\tpub lic\t中\ten")?.contains("community 'pub lic'") == true)
        #expect(refusal("x\tpc\tmanual\t-\t\ten")?.contains("needs title_zh and title_en") == true)
        #expect(refusal("x\tpc\tmanual\t-\t中")?.hasPrefix("c.tsv:2: 5 tab-separated fields") == true)
        #expect(refusal()?.contains("no item") == true)
        #expect(
            (try? SecurityChecklistFile.read(Data("item\tclass\n".utf8), file: "c.tsv")) == nil)
    }
}
