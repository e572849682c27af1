import Foundation
import Testing

@testable import Ingest
@testable import LedgerModel

/// Every raw collector output in ../shared/fixtures/agents/glpi-agent-raw, with its facts.
@Suite struct CollectorOutputTests {
    func read(_ path: String) throws -> EndpointReport {
        let f = try agentFixture("glpi-agent-raw/\(path)")
        #expect(try ImportFormat.detect(f.data, file: f.path) == .collectorOutput, "\(path)")
        return try EndpointFile.read(f.data, file: f.path)
    }

    @Test func linuxPackageLists() throws {
        let dpkg = try read("linux-packaging/dpkg")
        #expect(dpkg.software.count == 16)  // 17 lines; vlc-nox is "deinstall ok config-files"
        #expect(!dpkg.software.contains { $0.name == "vlc-nox" })
        #expect(dpkg.software.first { $0.name == "apache2" }?.version == "2.2.16-6+squeeze6")
        let rpm = try read("linux-packaging/rpm")
        #expect(rpm.software.count == 10)
        #expect(rpm.software.first?.publisher == "Mageia.Org")
        #expect(rpm.software.first?.installedAt == Date(timeIntervalSince1970: 1_311_080_703))
        let pacman = try read("linux-packaging/pacman")
        #expect(pacman.software.count == 11)
        #expect(pacman.software.first?.name == "ca-certificates")
        #expect(pacman.software.allSatisfy { $0.source == "pacman" })
    }

    @Test func osReleaseFiles() throws {
        #expect(try read("linux-distro/os-release-debian-11.2").os?.name == "Debian GNU/Linux 11 (bullseye)")
        #expect(try read("linux-distro/os-release-fedora-35").os?.version == "35")
        #expect(try read("linux-distro/os-release-centos-7.9").os?.name?.contains("CentOS") == true)
    }

    @Test func linuxAntivirusStatusTools() throws {
        let defender = try read("linux-antivirus/defender-101.23062.0010.json").antivirus.first
        #expect(defender?.productVersion == "101.23062.0010")
        #expect(defender?.enabled == false)  // passive mode, real-time protection off
        #expect(defender?.signaturesUpToDate == true)
        #expect(defender?.signatureVersion == "1.395.30.0")
        let bitdefender = try read("linux-antivirus/bduitool-7.0.3.2239").antivirus.first
        #expect(bitdefender?.productVersion == "7.0.3.2239")
        #expect(bitdefender?.enabled == true)
        #expect(bitdefender?.signaturesUpToDate == true)
        #expect(bitdefender?.signatureDate == day(2023, 8, 24))
        let sentinel = try read("linux-antivirus/sentinelone-30.1.1.10").antivirus.first
        #expect(sentinel?.productVersion == "30.1.1.10")
        #expect(sentinel?.enabled == true)
        for file in [
            "cortex-xdr-8.2.1.120305-info", "cortex-xdr-8.2.1.120305-info-query",
            "cortex-xdr-8.2.1.120305-runtime-query",
        ] {
            #expect(try read("linux-antivirus/\(file)").antivirus.first?.name == "Cortex XDR", "\(file)")
        }
        #expect(
            try read("linux-antivirus/cortex-xdr-8.2.1.120305-info").antivirus.first?.productVersion == "8.2.1.120305")
    }

    @Test func windowsDumpsAndTheUWPList() throws {
        let uwp = try read("powershell/10_russian.txt")
        #expect(uwp.software.count == 8)
        #expect(uwp.software.first?.name == "Проводник")
        #expect(uwp.software.allSatisfy { $0.source == "uwp" && $0.installedAt != nil })
        #expect(try read("registry/xp-Uninstall.reg").software.count > 100)
        let qfe = try read("wmi/xp-Win32_QuickFixEngineering.wmi")
        #expect(qfe.identity.hostname == "ORDI-DE-GONÉRI")
        #expect(qfe.patches.count == 16)
        #expect(try read("wmi/win7-sp1-x64-Win32_OperatingSystem.wmi").identity.hostname == "LUBIANKA")
    }
    /// Rule and data files saved on Windows (CRLF) read like any other.
    @Test func theUWPListWithCRLF() throws {
        let uwp =
            "NAME: App One\r\nPUBLISHER: Microsoft Corporation\r\nVERSION: 1.0\r\n\r\nNAME: App Two\r\nPUBLISHER: Microsoft Corporation\r\n"
        #expect(try CollectorOutput.read(Data(uwp.utf8), file: "u.txt").software.map(\.name) == ["App One", "App Two"])
    }
}
