import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

@testable import LedgerApp

/// A small college: PCs of several makers (one whose SMBIOS says nothing), a Hyper-V guest, a
/// server of no department, printers, an MFP and a switch; WPS Office (domestic) against
/// Microsoft Office; licences with amounts in two years and one undated. Every number below is
/// counted by hand in the comments.
@Suite struct DomesticShareTests {
    static let day = "2026-06-01"

    static let licences = """
        product,edition,versions,metric,seats,department_code,valid_from,valid_to,source,contract,supplier,amount_cny,note
        WPS Office,,,device,10,DZB,2025-03-01,,volume,HT-2025-W1,金山,3000.00,
        Microsoft Office,Professional Plus,,device,2,CWC,2025-06-01,,volume,HT-2025-O1,,5000,
        Microsoft Windows,Pro,,device,5,,2026-01-01,,volume,HT-2026-P1,,8000,
        WPS Office,,,device,5,CWC,2026-02-01,,volume,HT-2026-W2,,1500.50,
        Microsoft Office,Professional Plus,,device,1,DZB,,,retail,HT-OLD,,1000,
        Microsoft Windows,Pro,,device,3,DZB,2026-01-01,,oem,OEM-1,,,随机预装
        """

    static func college() throws -> LedgerService {
        let s = try campusService()
        var reports: [EndpointReport] = []
        func pc(_ ip: String, vendor: String?, model: String, os: String, _ titles: [String]) {
            let n = reports.count + 1
            var r = EndpointReport(format: "test")
            r.collectedAt = t0
            r.identity.hostname = "dom\(n)"
            r.identity.serials = ["SN-DOM-\(n)"]
            r.identity.macs = [String(format: "00:16:3e:10:00:%02x", n)]
            r.identity.ips = [ip]
            r.identity.vendor = vendor
            r.identity.model = model
            var o = EndpointReport.OperatingSystem()
            o.name = os
            r.os = o
            r.software = titles.map { EndpointReport.Software(name: $0, source: "registry") }
            reports.append(r)
        }
        // DZB
        pc(
            "198.18.10.1", vendor: "LENOVO", model: "ThinkCentre M720", os: "Microsoft Windows 10 Pro",
            ["WPS Office (11.1.0.14309)"])
        pc(
            "198.18.10.2", vendor: "LCFC(HeFei) Electronics Technology co., ltd", model: "ThinkPad E14",
            os: "Microsoft Windows 10 Pro", ["WPS Office (11.1.0.14309)", "WPS PDF"])
        pc(
            "198.18.10.3", vendor: "Dell Inc.", model: "OptiPlex 7090", os: "Microsoft Windows 10 Pro",
            ["Microsoft Office Professional Plus 2016", "Microsoft Word 2016"])
        pc("198.18.10.4", vendor: "To be filled by O.E.M.", model: "Default string", os: "Kylin V10", ["WPS Office"])
        // CWC
        pc(
            "198.18.11.5", vendor: "Hewlett-Packard", model: "HP EliteDesk 800", os: "Microsoft Windows 11 Pro",
            ["Microsoft Office Professional Plus 2019", "360安全卫士"])
        pc("198.18.11.6", vendor: "HUAWEI", model: "MateBook D14", os: "UOS 20", ["WPS Office 2019"])
        // JYXY: a Hyper-V guest (its maker says Microsoft, its model says virtual).
        pc(
            "198.18.30.7", vendor: "Microsoft Corporation", model: "Virtual Machine",
            os: "Microsoft Windows Server 2019 Standard", [])
        try s.ledger.importEndpointReports(reports, sourceRef: "college")
        // Scanned devices; a server no rule places.
        func scanned(_ ip: String, _ mac: String, _ cls: DeviceClass, _ vendor: String) throws {
            var o = seen(1, mac: mac, ip: ip, cls: cls)
            o.vendor = vendor
            try device(s, o)
        }
        try scanned("198.18.10.50", "00:16:3e:20:00:01", .printer, "Pantum")
        try scanned("198.18.11.50", "00:16:3e:20:00:02", .printer, "HP")
        try scanned("198.18.30.60", "00:16:3e:20:00:03", .mfp, "KYOCERA")
        try scanned("198.18.30.61", "00:16:3e:20:00:04", .network, "New H3C Technologies Co., Ltd")
        try scanned("10.9.9.9", "00:16:3e:20:00:05", .server, "Dell Inc.")
        let file = try tempFile("licences.csv", licences)
        _ = try s.importLicenses(file: file, scope: .everything, actor: Principal("test"))
        return s
    }

    func row(_ rows: [DomesticShareOutput], _ measure: String, _ category: String, _ year: Int? = 2026) throws
        -> DomesticShareOutput
    {
        try #require(rows.first { $0.measure == measure && $0.category == category && $0.year == year })
    }

    @Test func theCollegesSharesMatchTheHandCount() throws {
        let s = try Self.college()
        let rows = try s.domesticShare(DomesticShareQuery(day: Self.day), scope: .everything)
        func check(
            _ r: DomesticShareOutput, _ d: Double, _ f: Double, unknown: Double = 0, virtual: Double = 0,
            share: Double?, target: Double?, met: Bool?, _ loc: SourceLocation = #_sourceLocation
        ) {
            #expect([r.domestic, r.foreign, r.unknown, r.virtual] == [d, f, unknown, virtual], sourceLocation: loc)
            if let share {
                #expect(abs(r.share! - share) < 1e-9, sourceLocation: loc)
            } else {
                #expect(r.share == nil, sourceLocation: loc)
            }
            #expect(r.target == target && r.met == met, sourceLocation: loc)
        }
        // Installs. OS: 4 Windows (foreign), Kylin and UOS (domestic): 2/6; target 20% met.
        check(try row(rows, "installs", "os_pc"), 2, 4, share: 2.0 / 6, target: 0.2, met: true)
        // The server guest's Windows Server: 0/1 against 20%.
        check(try row(rows, "installs", "os_server"), 0, 1, share: 0, target: 0.2, met: false)
        // Office: WPS on four PCs (WPS PDF is a component, not a second install) against Office
        // 2016 (Word 2016 is a part of the suite, not an install) and Office 2019: 4/6, target 50%.
        let office = try row(rows, "installs", "office")
        check(office, 4, 2, share: 4.0 / 6, target: 0.5, met: true)
        #expect(office.items.map(\.name) == ["WPS Office", "Microsoft Office"])
        #expect(office.items.map(\.value) == [4, 2])
        check(try row(rows, "installs", "antivirus"), 1, 0, share: 1, target: 0.8, met: true)
        check(try row(rows, "installs", "all"), 7, 7, share: 0.5, target: nil, met: nil)
        #expect(!rows.contains { $0.measure == "installs" && ["other", "crack"].contains($0.category) })

        // Spend, by year of valid_from. 2025: WPS 3000 vs Office 5000, no target before 2026.
        check(try row(rows, "spend", "office", 2025), 3000, 5000, share: 0.375, target: nil, met: nil)
        check(try row(rows, "spend", "all", 2025), 3000, 5000, share: 0.375, target: nil, met: nil)
        // 2026: Windows 8000 (the OEM Windows licence has no amount: unpriced), WPS 1500.50.
        let os2026 = try row(rows, "spend", "os_pc")
        check(os2026, 0, 8000, share: 0, target: nil, met: nil)
        #expect(os2026.unpriced == 1)
        check(try row(rows, "spend", "office"), 1500.5, 0, share: 1, target: nil, met: nil)
        check(try row(rows, "spend", "all"), 1500.5, 8000, share: 1500.5 / 9500.5, target: 0.5, met: false)
        // The undated licence: a row of no year, no target.
        check(try row(rows, "spend", "office", nil), 0, 1000, share: 0, target: nil, met: nil)
        check(try row(rows, "spend", "all", nil), 0, 1000, share: 0, target: nil, met: nil)

        // Hardware. PCs: Lenovo twice (LCFC is Lenovo's ODM) and Huawei against Dell and HP; the
        // O.E.M. placeholder is an unknown vendor, in neither count: 3/5, target 50%.
        let pcs = try row(rows, "devices", "pc")
        check(pcs, 3, 2, unknown: 1, share: 0.6, target: 0.5, met: true)
        #expect(pcs.items.first { $0.name == "Lenovo" }?.value == 2)
        #expect(pcs.items.first { $0.name == "Lenovo" }?.nameZh == "联想")
        #expect(pcs.items.contains { $0.name == "To be filled by O.E.M." && $0.status == "unknown" })
        // Servers: the Hyper-V guest is virtual (not Microsoft hardware); the unplaced Dell counts.
        check(try row(rows, "devices", "server"), 0, 1, virtual: 1, share: 0, target: 0.5, met: false)
        check(try row(rows, "devices", "printer"), 1, 1, share: 0.5, target: 0.3, met: true)
        check(try row(rows, "devices", "mfp"), 0, 1, share: 0, target: 0.3, met: false)
        check(try row(rows, "devices", "network"), 1, 0, share: 1, target: 0.7, met: true)
        check(try row(rows, "devices", "all"), 5, 5, unknown: 1, virtual: 1, share: 0.5, target: nil, met: nil)
        // Rows in order: installs, spend, devices; spend's undated rows after the dated ones.
        let measures = rows.map(\.measure)
        #expect(measures.firstIndex(of: "spend")! > measures.lastIndex(of: "installs")!)
        #expect(measures.firstIndex(of: "devices")! > measures.lastIndex(of: "spend")!)
        #expect(rows.filter { $0.measure == "spend" }.last?.year == nil)
    }

    /// The real agent inventories: their machines counted by maker, the VirtualBox, VMware and
    /// Xen guests as virtual machines (not hardware), the one Lenovo laptop domestic.
    @Test func theRealAgentSamplesAreCountedByMaker() throws {
        let s = try campusService()
        let files = [
            "osquery/fleet/windows_11.tmpl", "open-audit/win2008r2_web01.xml", "open-audit/ubuntu1604-chilli.xml",
            "open-audit/debian.xml", "open-audit/laptop.xml", "glpi-json/inventory_format/computer_1.json",
            "glpi-json/inventory_format/computer_3.json", "fusioninventory/inventory_format/1.xml",
            "fusioninventory/inventory_format/2.xml", "fusioninventory/rudder/centos8.ocs",
            "fusioninventory/rudder/ubuntu22_04.ocs", "fusioninventory/rudder/mint.ocs",
            "fusioninventory/rudder/windows2022.ocs", "fusioninventory/rudder/windows2012r2.ocs",
            "fusioninventory/rudder/windows2016.ocs", "fusioninventory/rudder/debian12.ocs",
            "fusioninventory/rudder/WORKSTATION1-8f94b6a2-5cb6-4f76-9fa7-467e8b22f5e7.ocs",
            "fusioninventory/rudder/WIN-AI8CLNPLOV5-2014-06-20-18-15-49.ocs", "fusioninventory/rudder/tuxedo.ocs",
        ]
        for f in files { _ = try s.importFile(try agentFixture(f)) }
        let rows = try s.domesticShare(DomesticShareQuery(day: Self.day), scope: .everything)
        // PCs: LENOVO; Microsoft (Surface), Hewlett-Packard ×2, Dell, TOSHIBA ×2; seven guests.
        let pcs = try row(rows, "devices", "pc")
        #expect([pcs.domestic, pcs.foreign, pcs.unknown, pcs.virtual] == [1, 6, 0, 7])
        #expect(pcs.items.first { $0.name == "HP Inc." }?.value == 2)
        #expect(pcs.items.first { $0.name == "VirtualBox" }?.status == "virtual")
        // The servers are all guests: no share, never 0% or 100%.
        let servers = try row(rows, "devices", "server")
        #expect(servers.virtual == 5 && servers.domestic + servers.foreign == 0 && servers.share == nil)
    }

    @Test func aLiaisonSeesOnlyTheirDepartmentsNumbers() throws {
        let s = try Self.college()
        let cwc = try s.domesticShare(DomesticShareQuery(day: Self.day), scope: .departments(["CWC"]))
        // CWC's two PCs: Windows 11 and Office 2019 (HP) against UOS and WPS (Huawei).
        #expect(try row(cwc, "installs", "os_pc").domestic == 1 && row(cwc, "installs", "os_pc").foreign == 1)
        #expect(try row(cwc, "installs", "office").share == 0.5)
        // Its own licences only: not DZB's, not the campus pool's Windows.
        #expect(try row(cwc, "spend", "all", 2025).foreign == 5000)
        let all2026 = try row(cwc, "spend", "all")
        #expect(all2026.domestic == 1500.5 && all2026.foreign == 0)
        #expect(!cwc.contains { $0.measure == "spend" && $0.year == nil })
        // Its devices: HP PC and printer, Huawei PC; none of DZB's, nor the unplaced server.
        let pcs = try row(cwc, "devices", "pc")
        #expect(pcs.domestic == 1 && pcs.foreign == 1 && pcs.unknown == 0)
        #expect(try row(cwc, "devices", "printer").foreign == 1 && row(cwc, "devices", "printer").domestic == 0)
        #expect(!cwc.contains { $0.measure == "devices" && ["server", "mfp", "network"].contains($0.category) })
        #expect(try row(cwc, "devices", "all").domestic + row(cwc, "devices", "all").foreign == 3)
        // --dept is the same sub-tree for IT; a department outside the scope is not found.
        let dept = try s.domesticShare(DomesticShareQuery(department: "CWC", day: Self.day), scope: .everything)
        #expect(dept == cwc)
        #expect(
            code { try s.domesticShare(DomesticShareQuery(department: "DZB"), scope: .departments(["CWC"])) }
                == .notFound)
        // Extra data files are paths on the server: IT only.
        #expect(
            code { try s.domesticShare(DomesticShareQuery(targetsFile: "/etc/passwd"), scope: .departments(["CWC"])) }
                == .forbidden)
    }

    @Test func aYearJudgesThatYearAndShowsOnlyItsSpend() throws {
        let s = try Self.college()
        let rows = try s.domesticShare(DomesticShareQuery(year: 2025, day: Self.day), scope: .everything)
        #expect(Set(rows.filter { $0.measure == "spend" }.map(\.year)) == [2025])
        // No target is set before 2026.
        #expect(rows.allSatisfy { $0.target == nil && $0.met == nil })
        #expect(try row(rows, "devices", "pc", 2025).share == 0.6)
        // A targets file of the caller's (IT) replaces the shipped one.
        let targets = try tempFile("t.tsv", "measure\tcategory\tfrom_year\ttarget\tnote\ndevices\tpc\t2025\t65%\t\n")
        let own = try s.domesticShare(
            DomesticShareQuery(year: 2025, day: Self.day, targetsFile: targets), scope: .everything)
        #expect(try row(own, "devices", "pc", 2025).target == 0.65 && row(own, "devices", "pc", 2025).met == false)
        // An extra dictionary line of IT's names the placeholder board's maker.
        let makers = try tempFile(
            "m.tsv",
            "maker\tname_zh\tdomestic\trole\taliases\tpattern\tnote\nOEM board\t组装机\tyes\tmaker\tto be filled by o e m\t\t\n"
        )
        let more = try s.domesticShare(
            DomesticShareQuery(day: Self.day, manufacturerFiles: [makers]), scope: .everything)
        #expect(try row(more, "devices", "pc").domestic == 4 && row(more, "devices", "pc").unknown == 0)
    }
}
