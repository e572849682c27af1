import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

/// Runs a program and returns its standard output; throws with its standard error on failure.
@discardableResult
func run(_ program: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw LedgerError(
            .io,
            "\(program) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: errors, as: UTF8.self))"
        )
    }
    return String(decoding: data, as: UTF8.self)
}

func which(_ tool: String) -> String? {
    ["/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin"].map { "\($0)/\(tool)" }.first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}

/// The collectors and agents run for real on this machine (Debian 12; scripts/install-deps.sh
/// installs clamav, fusioninventory-agent and ocsinventory-agent). Needs root for firmware data.
@Suite(.serialized) struct CollectorTests {
    func tempFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("al-\(UUID().uuidString)-\(name)")
    }

    @Test func theLinuxCollectorDescribesThisMachineAndItsReportImports() throws {
        let output = tempFile("linux.json")
        defer { try? FileManager.default.removeItem(at: output) }
        try run(
            "/bin/sh",
            [
                Fixtures.scanners("collectors/assetledger-collect-linux.sh").path,
                "--output", output.path,
            ])
        let report = try EndpointFile.read(Data(contentsOf: output), file: output.path)

        let installed = try run("/usr/bin/dpkg-query", ["-W", "-f=${db:Status-Abbrev}\n"])
            .split(separator: "\n").filter { $0.hasPrefix("ii") }.count
        #expect(report.software.count == installed)
        #expect(report.software.allSatisfy { $0.source == "deb" })
        #expect(
            report.identity.hostname == (try run("/bin/hostname", [])).trimmingCharacters(in: .whitespacesAndNewlines))
        let osRelease = try String(contentsOfFile: "/etc/os-release", encoding: .utf8)
        let pretty = osRelease.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }?
            .dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        #expect(report.os?.name == pretty)
        #expect(report.identity.smbiosUUID != nil)  // firmware UUID, or the machine id
        let clamscan = try #require(which("clamscan"), "clamav must be installed (scripts/install-deps.sh)")
        // "ClamAV 1.4.6" or, with signatures, "ClamAV 1.4.6/27472/Tue Nov 26 09:33:11 2024"
        let clamVersion = try run(clamscan, ["--version"]).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: " ").dropFirst().first.map { String($0.split(separator: "/")[0]) }
        #expect(report.antivirus.map(\.name) == ["ClamAV"])
        #expect(report.antivirus.first?.productVersion == clamVersion)

        let ledger = try campusLedger()
        let id = try ledger.importEndpointReports([report], sourceRef: output.lastPathComponent).deviceIDs[0]
        #expect(try ledger.endpoint(id)?.software.count == installed)
        #expect(try ledger.device(id).summary.deviceClass == .pc)
    }

    @Test func debiansFusionInventoryAgentReportsThisMachine() throws {
        let agent = try #require(
            which("fusioninventory-inventory"), "fusioninventory-agent must be installed (scripts/install-deps.sh)")
        let xml = try run(agent, [])
        let report = try EndpointFile.read(Data(xml.utf8), file: "fusioninventory-inventory")
        #expect(report.format == "fusioninventory-xml")
        let installed = try run("/usr/bin/dpkg-query", ["-W", "-f=${db:Status-Abbrev}\n"])
            .split(separator: "\n").filter { $0.hasPrefix("ii") }.count
        #expect(report.software.count == installed)
        #expect(report.os?.name?.contains("Debian") == true)
        let ledger = try campusLedger()
        #expect(try ledger.importEndpointReports([report], sourceRef: "fusion").merge.created == 1)
    }

    @Test func debiansOCSInventoryAgentReportsThisMachine() throws {
        let agent = try #require(
            which("ocsinventory-agent"), "ocsinventory-agent must be installed (scripts/install-deps.sh)")
        let dir = tempFile("ocs")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try run(agent, ["--local=\(dir.path)"])
        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasSuffix(".ocs") })
        let report = try EndpointFile.read(Data(contentsOf: dir.appendingPathComponent(file)), file: file)
        #expect(report.format == "fusioninventory-xml")
        #expect(report.software.count > 100)
        #expect(report.os?.name?.contains("Debian") == true)
    }
}
