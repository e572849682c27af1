import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

func agentReport(_ path: String) throws -> EndpointReport {
    let url = Fixtures.agents(path)
    return try EndpointFile.read(Fixtures.read(url), file: url.path)
}

@Suite struct EndpointImportTests {
    let workstation = "fusioninventory/rudder/WORKSTATION1-8f94b6a2-5cb6-4f76-9fa7-467e8b22f5e7.ocs"

    @Test func aReportBecomesAPCWithItsSoftwarePatchesAndAntivirus() throws {
        let ledger = try campusLedger()
        let report = try agentReport(workstation)
        let s = try ledger.importEndpointReports([report], sourceRef: "ws1.ocs")
        let id = try #require(s.deviceIDs.first)
        let device = try ledger.device(id).summary
        #expect(device.deviceClass == .pc)
        #expect(device.os == "Microsoft Windows 11 Enterprise Evaluation 2009 (22631)")
        let state = try #require(try ledger.endpoint(id))
        #expect(state.software.count == 127)
        #expect(state.patches.count == 7)
        #expect(state.antivirus.map(\.name) == ["Windows Defender"])
        #expect(state.antivirus.first?.enabled == true)
        #expect(state.pendingUpdates.count == 2)
        #expect(state.os?.build == "22631")
        #expect(try ledger.check().isEmpty)
    }

    @Test func aReportJoinsTheDeviceTheScannerAlreadyKnows() throws {
        let ledger = try campusLedger()
        let report = try agentReport("fusioninventory/inventory_format/2.xml")
        let mac = try #require(report.identity.macs.first)
        let scanned = try ledger.merge([scan(0, mac: mac, ip: "198.18.10.44", cls: .pc)]).deviceIDs[0]
        let s = try ledger.importEndpointReports([report], sourceRef: "2.xml")
        #expect(s.deviceIDs == [scanned])
        #expect(try ledger.devices(DeviceFilter()).count == 1)
        #expect(try ledger.device(scanned).summary.serial == "CZC0479792")
        #expect(try ledger.endpoint(scanned)?.antivirus.count == 2)
    }

    @Test func newerReportsReplaceOlderOrPartialOnesNeverErase() throws {
        let ledger = try campusLedger()
        var report = EndpointReport(format: "test")
        report.identity.serials = ["PF2TEST01"]
        report.identity.hostname = "jwc-pc-01"
        report.collectedAt = at(100)
        report.software = [.init(name: "WPS Office"), .init(name: "WinRAR")]
        report.antivirus = [EndpointReport.AntivirusProduct(name: "火绒安全软件")]
        let id = try ledger.importEndpointReports([report], sourceRef: "r1").deviceIDs[0]

        var newer = report
        newer.collectedAt = at(200)
        newer.software = [.init(name: "WPS Office")]
        newer.sections = [.software, .os]  // carries no antivirus section
        try ledger.importEndpointReports([newer], sourceRef: "r2")
        var state = try #require(try ledger.endpoint(id))
        #expect(state.software.map(\.name) == ["WPS Office"])
        #expect(state.antivirus.map(\.name) == ["火绒安全软件"])

        var older = report
        older.collectedAt = at(50)
        older.software = [.init(name: "Old Thing")]
        older.antivirus = []
        let s = try ledger.importEndpointReports([older], sourceRef: "r0")
        #expect(s.olderSections > 0)
        state = try #require(try ledger.endpoint(id))
        #expect(state.software.map(\.name) == ["WPS Office"])
        #expect(state.antivirus.map(\.name) == ["火绒安全软件"])
        #expect(state.reports == 3)

        // A newer report that carries an empty antivirus section says: no antivirus any more.
        var removed = report
        removed.collectedAt = at(300)
        removed.antivirus = []
        try ledger.importEndpointReports([removed], sourceRef: "r3")
        #expect(try ledger.endpoint(id)?.antivirus.isEmpty == true)
    }

    @Test func endpointStateFollowsMergesAndSplits() throws {
        let ledger = try campusLedger()
        var report = EndpointReport(format: "test")
        report.identity.serials = ["PF2TEST02"]
        report.collectedAt = at(10)
        report.software = [.init(name: "MATLAB")]
        let reported = try ledger.importEndpointReports([report], sourceRef: "r").deviceIDs[0]
        let scanned = try ledger.merge([scan(0, mac: "54:e1:ad:30:00:09", ip: "198.18.10.9")]).deviceIDs[0]
        try ledger.mergeDevices(keep: scanned, other: reported)
        #expect(try ledger.endpoint(scanned)?.software.map(\.name) == ["MATLAB"])
        let reportObservation = try #require(
            try ledger.device(scanned).observations.first { $0.observation.source == .agent })
        let split = try ledger.split(device: scanned, observations: [reportObservation.id])
        #expect(try ledger.endpoint(split)?.software.map(\.name) == ["MATLAB"])
        #expect(try ledger.endpoint(scanned)?.software.isEmpty ?? true)
        #expect(try ledger.check().isEmpty)
    }
}
