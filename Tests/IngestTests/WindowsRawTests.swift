import Foundation
import Testing

@testable import Ingest
@testable import LedgerModel

/// The Windows collector's rules applied to real dumps (PowerShell itself does not run here).
@Suite struct WindowsRawTests {
    @Test func uninstallKeysOfAnXPDesktop() throws {
        let f = try agentFixture("glpi-agent-raw/registry/xp-Uninstall.reg")
        let (software, patches) = try WindowsRaw.uninstall(f.data, file: f.path)
        // 419 DisplayName values, one of them empty: Windows does not list that key either.
        #expect(software.count + patches.count == 418)
        #expect(patches.contains { $0.id == "KB2079403" && $0.installedAt == day(2010, 8, 16) })
        #expect(patches.allSatisfy { $0.id.hasPrefix("KB") })
        #expect(
            software.contains {
                $0.name == "Adobe Shockwave Player 11" && $0.publisher == "Adobe Systems, Inc." && $0.version == "11"
            })
        #expect(software.contains { $0.name.hasPrefix("Symantec Endpoint Protection") })
        #expect(!software.contains { $0.name.contains("(KB") })
    }

    @Test func cyrillicProgramsFromARussianWindows10() throws {
        let f = try agentFixture("glpi-agent-raw/registry/10_russian-Uninstall.reg")
        let (software, patches) = try WindowsRaw.uninstall(f.data, file: f.path)
        #expect(
            Set(software.map(\.name)).isSuperset(of: ["КриптоПро CSP", "1C Предприятие 7.7"]) || software.count == 2)
        #expect(software.count == 2)
        #expect(patches.isEmpty)
    }

    @Test func hotfixesFromQuickFixEngineeringOnXP() throws {
        let f = try agentFixture("glpi-agent-raw/wmi/xp-Win32_QuickFixEngineering.wmi")
        let records = try WindowsRaw.wmiRecords(f.data, file: f.path)
        #expect(records.count == 16)
        #expect(records.first?["CSName"] == "ORDI-DE-GONÉRI")
        let patches = WindowsRaw.quickFixEngineering(records)
        #expect(patches.count == 16)
        #expect(patches.filter { $0.id.hasPrefix("KB") }.count == 15)
        #expect(patches.filter { $0.installedAt == day(2011, 1, 15) }.count == 10)
        #expect(patches.contains { $0.id == "KB2079403" })  // from ServicePackInEffect
    }

    @Test func operatingSystemFromWMI() throws {
        let f = try agentFixture("glpi-agent-raw/wmi/win7-sp1-x64-Win32_OperatingSystem.wmi")
        let record = try #require(try WindowsRaw.wmiRecords(f.data, file: f.path).first)
        let os = WindowsRaw.operatingSystem(record)
        #expect(os.name == "Microsoft Windows 7 Professionnel")
        #expect(os.build == "7600")
        #expect(os.version == "6.1.7600")
        #expect(os.installedAt == day(2013, 8, 13).addingTimeInterval(15 * 3600 + 37 * 60 + 55))
    }

    @Test func securityCenterProductState() {
        // Values seen in the field: 0x41000 Defender on and current; 0x40000 off; 0x61110
        // a third-party product on with old signatures.
        #expect(WindowsRaw.securityCenterState(0x41000) == (true, true))
        #expect(WindowsRaw.securityCenterState(0x40000) == (false, true))
        #expect(WindowsRaw.securityCenterState(0x61110) == (true, false))
        #expect(WindowsRaw.securityCenterState(397_568) == (true, true))  // 0x61100
    }
}
