import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

/// The install/uninstall history (`software_event`, v11) written by endpoint imports.
@Suite struct SoftwareEventTests {
    static func report(_ minutes: Double, _ software: [EndpointReport.Software]) -> EndpointReport {
        var r = EndpointReport(format: "test")
        r.identity.serials = ["PF2HIST01"]
        r.identity.hostname = "jwc-pc-07"
        r.identity.ips = ["198.18.10.7"]
        r.collectedAt = at(minutes)
        r.software = software
        return r
    }

    static let first: [EndpointReport.Software] = [
        .init(name: "WPS Office", publisher: "Kingsoft", version: "11.1.0.11194"),
        .init(name: "WinRAR 5.50", publisher: "win.rar GmbH", version: "5.50.0"),
        .init(name: "Google Chrome", publisher: "Google LLC", version: "120.0.6099.109"),
        .init(name: "7-Zip 19.00", publisher: "Igor Pavlov", version: "19.00"),
    ]

    /// WinRAR removed, Chrome upgraded, 火绒 installed; WPS and 7-Zip unchanged.
    static let second: [EndpointReport.Software] = [
        .init(name: "WPS Office", publisher: "Kingsoft", version: "11.1.0.11194"),
        .init(
            name: "Google Chrome", publisher: "Google LLC", version: "121.0.6167.85",
            installedAt: Date(timeIntervalSince1970: 1_790_003_000)),
        .init(name: "7-Zip 19.00", publisher: "Igor Pavlov", version: "19.00"),
        .init(
            name: "火绒安全软件", publisher: "北京火绒网络科技有限公司", version: "5.0.73.8",
            installedAt: Date(timeIntervalSince1970: 1_790_002_000)),
    ]

    @Test func aNewerReportWritesExactlyTheRemovalTheInstallAndTheUpgrade() throws {
        let ledger = try campusLedger()
        let baseline = try ledger.importEndpointReports([Self.report(0, Self.first)], sourceRef: "r1")
        // The first software report is the baseline: nothing was "installed" by it.
        #expect(baseline.softwareEvents == 0)
        #expect(try ledger.softwareEvents().isEmpty)

        let newer = try ledger.importEndpointReports([Self.report(60, Self.second)], sourceRef: "r2")
        #expect(newer.softwareEvents == 3)
        let events = try ledger.softwareEvents()
        #expect(events.count == 3)
        let byName = Dictionary(uniqueKeysWithValues: events.map { ($0.event.name, $0) })
        let device = try #require(baseline.deviceIDs.first)

        let removed = try #require(byName["WinRAR 5.50"])
        #expect(removed.event.kind == .removed && removed.event.version == "5.50.0")
        #expect(removed.event.publisher == "win.rar GmbH" && removed.event.installedAt == nil)

        let upgraded = try #require(byName["Google Chrome"])
        #expect(upgraded.event.kind == .upgraded)
        #expect(upgraded.event.version == "121.0.6167.85" && upgraded.event.previousVersion == "120.0.6099.109")
        #expect(upgraded.event.installedAt == Date(timeIntervalSince1970: 1_790_003_000))

        let installed = try #require(byName["火绒安全软件"])
        #expect(installed.event.kind == .installed && installed.event.previousVersion == nil)
        #expect(installed.event.installedAt == Date(timeIntervalSince1970: 1_790_002_000))

        for e in events {
            #expect(e.device == device && e.at == at(60) && e.hostname == "jwc-pc-07" && e.department == "DZB")
        }
        // Every event names the report that showed it: the second one.
        #expect(Set(events.map(\.report)).count == 1)
        #expect(try ledger.endpoint(device)?.software.map(\.name).sorted() == Self.second.map(\.name).sorted())
    }

    @Test func theSameReportAgainOrAnOlderOneWritesNothing() throws {
        let ledger = try campusLedger()
        try ledger.importEndpointReports([Self.report(0, Self.first)], sourceRef: "r1")
        try ledger.importEndpointReports([Self.report(60, Self.second)], sourceRef: "r2")
        #expect(try ledger.softwareEvents().count == 3)

        // The same report re-imported: the lists are equal, no event.
        let again = try ledger.importEndpointReports([Self.report(60, Self.second)], sourceRef: "r2 again")
        #expect(again.softwareEvents == 0 && again.replacedSections > 0)
        // An older report arriving late is history only: it replaces nothing, writes no event.
        let late = try ledger.importEndpointReports(
            [Self.report(30, [.init(name: "Late title", version: "1")])], sourceRef: "late")
        #expect(late.softwareEvents == 0 && late.olderSections > 0)
        let device = try #require(late.deviceIDs.first)
        #expect(try ledger.endpoint(device)?.software.map(\.name).contains("Late title") == false)
        #expect(try ledger.softwareEvents().count == 3)
        #expect(try ledger.counts()["software_event"] == 3)
    }

    @Test func eventsAreScopedByTheDeviceAndFilteredByReportTime() throws {
        let ledger = try campusLedger()
        try ledger.importEndpointReports([Self.report(0, Self.first)], sourceRef: "r1")
        try ledger.importEndpointReports([Self.report(60, Self.second)], sourceRef: "r2")
        // The PC is DZB's (198.18.10.0/24): CWC's liaison sees none of its events.
        #expect(try ledger.softwareEvents(DeviceFilter(scope: .departments(["CWC"]))).isEmpty)
        #expect(try ledger.softwareEvents(DeviceFilter(scope: .departments(["DZB"]))).count == 3)
        #expect(try ledger.softwareEvents(from: at(60), to: at(61)).count == 3)
        #expect(try ledger.softwareEvents(from: at(61)).isEmpty)
        #expect(try ledger.softwareEvents(to: at(60)).isEmpty)
    }
}
