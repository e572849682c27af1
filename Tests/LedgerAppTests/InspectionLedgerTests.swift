import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

@testable import LedgerApp

/// The three inspection ledgers (软件使用情况汇总表, 软件使用情况明细表, 软件安装维护情况明细表) on a
/// small college: DZB (198.18.10) and CWC (198.18.11), a DZB licence for Windows Pro and a
/// campus licence for Office Professional Plus 2016. Every number below is counted by hand.
@Suite struct InspectionLedgerTests {
    static let day = "2026-10-01"

    static let licences = """
        product,edition,versions,metric,seats,department_code,valid_from,valid_to,source,contract,supplier,amount_cny,note
        Microsoft Windows,Pro,<=11,device,2,DZB,,,volume,HT-DZB-1,,,
        Microsoft Office,Professional Plus,2016,device,4,,,,政府采购,HT-CAMPUS-1,,,
        """

    /// The second reports' collection: two and five days after the first.
    static let second = t0.addingTimeInterval(2 * 86_400)
    static let third = t0.addingTimeInterval(5 * 86_400)

    static func titles(_ list: [(String, String?)]) -> [EndpointReport.Software] {
        list.map { EndpointReport.Software(name: $0.0, version: $0.1, source: "registry") }
    }

    static func report(_ n: Int, _ ip: String, _ os: String, _ software: [EndpointReport.Software], at: Date)
        -> EndpointReport
    {
        var r = EndpointReport(format: "test")
        r.collectedAt = at
        r.identity.hostname = ip.hasPrefix("198.18.10.") ? "dzb-\(n)" : "cwc-\(n)"
        r.identity.serials = ["SN-INSPECT-\(n)"]
        r.identity.macs = [String(format: "00:16:3e:10:00:%02x", n)]
        r.identity.ips = [ip]
        var o = EndpointReport.OperatingSystem()
        o.name = os
        r.os = o
        r.software = software
        return r
    }

    /// pc1..pc3 in DZB, pc4 and pc5 in CWC (device ids 1...5 in that order).
    ///
    /// - pc1 Windows 10 Pro: Office Professional Plus 2016 with Word 2016 (a part: not a second
    ///   install), an Excel ODBC driver (not Office), 火绒 (free, domestic); its second report
    ///   upgrades 火绒, installs the Excel Viewer (not Office) and removes Chrome.
    /// - pc2 Windows 10 Pro: WPS Office 2019 专业版 (commercial, domestic, no licence), a Visual
    ///   C++ redistributable (not counted).
    /// - pc3 Windows 10 Home: a home edition, never a unit licence.
    /// - pc4 Windows 10 Pro, pc5 Windows 11 Pro: no CWC or campus Windows licence; Office
    ///   Professional Plus 2016 from the campus pool. pc4's second report installs an ODBC driver.
    static func college() throws -> (LedgerService, [Int64]) {
        let s = try campusService()
        let office = [("Microsoft Office Professional Plus 2016", "16.0.4266.1001"), ("Microsoft Word 2016", nil)]
        let pc1 =
            office + [
                ("Microsoft Excel Driver (*.xls)", nil), ("火绒安全软件", "5.0.73.8"), ("Google Chrome", "120.0.6099.109"),
            ]
        let first = [
            report(1, "198.18.10.11", "Microsoft Windows 10 Pro", titles(pc1), at: t0),
            report(
                2, "198.18.10.12", "Microsoft Windows 10 Pro",
                titles([
                    ("WPS Office 2019 专业版", "11.8.2.8411"),
                    ("Microsoft Visual C++ 2015 Redistributable (x64) - 14.0.23026", "14.0.23026"),
                ]), at: t0),
            report(3, "198.18.10.13", "Microsoft Windows 10 Home", [], at: t0),
            report(4, "198.18.11.21", "Microsoft Windows 10 Pro", titles(office), at: t0),
            report(5, "198.18.11.22", "Microsoft Windows 11 Pro", titles(office), at: t0),
        ]
        let ids = try s.ledger.importEndpointReports(first, sourceRef: "first").deviceIDs
        let pc1Later =
            office + [
                ("Microsoft Excel Driver (*.xls)", nil), ("火绒安全软件", "5.0.74.2"),
                ("Microsoft Office Excel Viewer", "12.0"),
            ]
        try s.ledger.importEndpointReports(
            [report(1, "198.18.10.11", "Microsoft Windows 10 Pro", titles(pc1Later), at: second)], sourceRef: "second")
        try s.ledger.importEndpointReports(
            [
                report(
                    4, "198.18.11.21", "Microsoft Windows 10 Pro",
                    titles(office + [("Microsoft ODBC Driver 17 for SQL Server", "17.10.5.1")]), at: third)
            ], sourceRef: "third")
        let file = try tempFile("licences.csv", licences)
        _ = try s.importLicenses(file: file, scope: .everything, actor: Principal("test"))
        return (s, ids)
    }

    /// A day in China Standard Time.
    static func cst(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let c = cal.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    @Test func theSummaryIsTheComplianceRowsCountedByHand() throws {
        let (s, _) = try Self.college()
        let rows = try s.inspectionSummary(InspectionQuery(day: Self.day), scope: .everything)
        struct Expected: Equatable {
            var category, product, edition: String
            var department: String?
            var installs, entitled, consumed, unlicensed: Int
            var sources, contracts: [String]
            var domestic: Bool
            var status: String
        }
        let got = rows.map {
            Expected(
                category: $0.category, product: $0.product, edition: $0.edition, department: $0.department,
                installs: $0.installs, entitled: $0.entitled, consumed: $0.consumed, unlicensed: $0.unlicensed,
                sources: $0.licenceSources, contracts: $0.contracts, domestic: $0.domestic, status: $0.status)
        }
        let windows = "Microsoft Windows"
        let office = "Microsoft Office"
        #expect(
            got == [
                // CWC's two Pro PCs: no licence of CWC, none in the pool.
                Expected(
                    category: "os_pc", product: windows, edition: "Pro", department: "CWC", installs: 2, entitled: 0,
                    consumed: 0, unlicensed: 2, sources: [], contracts: [], domestic: false, status: "unlicensed"),
                // pc3's Home edition: not covered by the Pro licence, never a unit licence.
                Expected(
                    category: "os_pc", product: windows, edition: "Home", department: "DZB", installs: 1, entitled: 0,
                    consumed: 0, unlicensed: 1, sources: [], contracts: [], domestic: false, status: "unlicensed"),
                // pc1 and pc2 take DZB's two seats.
                Expected(
                    category: "os_pc", product: windows, edition: "Pro", department: "DZB", installs: 2, entitled: 2,
                    consumed: 2, unlicensed: 0, sources: ["volume"], contracts: ["HT-DZB-1"], domestic: false,
                    status: "compliant"),
                // The pool's four seats: CWC takes two (CWC comes first), DZB one, one is left.
                Expected(
                    category: "office", product: office, edition: "Professional Plus", department: "CWC", installs: 2,
                    entitled: 2, consumed: 2, unlicensed: 0, sources: ["volume"], contracts: ["HT-CAMPUS-1"],
                    domestic: false, status: "compliant"),
                // pc1: the suite and Word 2016 are one install; the driver and the viewer none.
                Expected(
                    category: "office", product: office, edition: "Professional Plus", department: "DZB", installs: 1,
                    entitled: 1, consumed: 1, unlicensed: 0, sources: ["volume"], contracts: ["HT-CAMPUS-1"],
                    domestic: false, status: "compliant"),
                Expected(
                    category: "office", product: "WPS Office", edition: "Pro", department: "DZB", installs: 1,
                    entitled: 0, consumed: 0, unlicensed: 1, sources: [], contracts: [], domestic: true,
                    status: "unlicensed"),
                Expected(
                    category: "office", product: office, edition: "Professional Plus", department: nil, installs: 0,
                    entitled: 1, consumed: 0, unlicensed: 0, sources: ["volume"], contracts: ["HT-CAMPUS-1"],
                    domestic: false, status: "over_licensed"),
                Expected(
                    category: "antivirus", product: "火绒安全软件", edition: "", department: "DZB", installs: 1,
                    entitled: 0, consumed: 0, unlicensed: 0, sources: ["free"], contracts: [], domestic: true,
                    status: "compliant"),
            ])
        // Nothing named after a product that is not it: no viewer, driver, redistributable, and
        // Chrome (removed by pc1's second report) is gone.
        #expect(rows.allSatisfy { !$0.product.contains("viewer") && !$0.product.contains("Driver") })
        #expect(!rows.contains { $0.product.contains("Visual C++") || $0.product == "Google Chrome" })
        #expect(rows.first { $0.department == "DZB" }?.departmentName == "党政办公室")
        // The same numbers as the compliance use case, row for row.
        let compliance = try s.compliance(ComplianceQuery(day: Self.day), scope: .everything)
        #expect(
            Set(rows.map { "\($0.department ?? "-") \($0.product) \($0.edition) \($0.installs) \($0.entitled)" })
                == Set(
                    compliance.map {
                        "\($0.department ?? "-") \($0.product) \($0.edition) \($0.installs) \($0.entitled)"
                    }))
    }

    @Test func theDetailListsEachCountedInstallWithItsLicence() throws {
        let (s, ids) = try Self.college()
        let rows = try s.inspectionDetail(InspectionQuery(day: Self.day), scope: .everything)
        let (pc1, pc2, pc3, pc4, pc5) = (ids[0], ids[1], ids[2], ids[3], ids[4])
        let licences = try s.listLicenses(day: Self.day, scope: .everything)
        let dzbWindows = try #require(licences.first { $0.contract == "HT-DZB-1" }).id
        let pool = try #require(licences.first { $0.contract == "HT-CAMPUS-1" }).id
        func line(_ r: InspectionDetailOutput) -> String {
            [
                String(r.device), r.hostname ?? "", r.department ?? "", r.product, r.edition, r.version,
                r.licensed ? "yes" : "no", r.licence.map(String.init) ?? "", r.licenceSource ?? "", r.contract ?? "",
                r.homeEdition ? "home" : "", r.evaluation ? "evaluation" : "",
            ].joined(separator: "|")
        }
        #expect(
            rows.map(line) == [
                "\(pc4)|cwc-4|CWC|Microsoft Windows|Pro|10|no|||||",
                "\(pc4)|cwc-4|CWC|Microsoft Office|Professional Plus|2016|yes|\(pool)|volume|HT-CAMPUS-1||",
                "\(pc5)|cwc-5|CWC|Microsoft Windows|Pro|11|no|||||",
                "\(pc5)|cwc-5|CWC|Microsoft Office|Professional Plus|2016|yes|\(pool)|volume|HT-CAMPUS-1||",
                "\(pc1)|dzb-1|DZB|Microsoft Windows|Pro|10|yes|\(dzbWindows)|volume|HT-DZB-1||",
                "\(pc1)|dzb-1|DZB|Microsoft Office|Professional Plus|2016|yes|\(pool)|volume|HT-CAMPUS-1||",
                "\(pc1)|dzb-1|DZB|火绒安全软件|||yes||free|||",
                "\(pc2)|dzb-2|DZB|Microsoft Windows|Pro|10|yes|\(dzbWindows)|volume|HT-DZB-1||",
                "\(pc2)|dzb-2|DZB|WPS Office|Pro|2019|no|||||",
                "\(pc3)|dzb-3|DZB|Microsoft Windows|Home|10|no||||home|",
            ])
        // The ledger has no responsible person for a device yet: the column is there, empty.
        #expect(rows.allSatisfy { $0.responsible == nil })
        #expect(rows.first?.categoryLabel == "操作系统(PC)" && rows.first?.departmentName == "财务处")
    }

    @Test func theMaintenanceLedgerListsTheEventsBetweenReportsInThePeriod() throws {
        let (s, ids) = try Self.college()
        let all = try s.inspectionMaintenance(scope: .everything)
        func line(_ e: InspectionEventOutput) -> String {
            "\(e.device) \(e.department ?? "-") \(e.event) \(e.title) \(e.previousVersion ?? "-")→\(e.version ?? "-")"
        }
        // The first reports are the baseline; pc1's second report: three events; pc4's: one.
        #expect(
            all.map(line) == [
                "\(ids[0]) DZB removed Google Chrome -→120.0.6099.109",
                "\(ids[0]) DZB installed Microsoft Office Excel Viewer -→12.0",
                "\(ids[0]) DZB upgraded 火绒安全软件 5.0.73.8→5.0.74.2",
                "\(ids[3]) CWC installed Microsoft ODBC Driver 17 for SQL Server -→17.10.5.1",
            ])
        #expect(all.first?.at == isoDate(Self.second) && all.last?.at == isoDate(Self.third))
        #expect(Set(all.prefix(3).map(\.report)).count == 1 && all[0].report != all[3].report)
        // --from/--to are days, both included.
        let day2 = Self.cst(Self.second)
        let only = try s.inspectionMaintenance(InspectionQuery(from: day2, to: day2), scope: .everything)
        #expect(only.count == 3 && only.allSatisfy { $0.device == ids[0] })
        #expect(try s.inspectionMaintenance(InspectionQuery(from: Self.cst(Self.third)), scope: .everything).count == 1)
        #expect(try s.inspectionMaintenance(InspectionQuery(to: Self.cst(t0)), scope: .everything).isEmpty)
        #expect(
            code { try s.inspectionMaintenance(InspectionQuery(from: "2026-13-01"), scope: .everything) }
                == .invalidInput)
        #expect(
            code { try s.inspectionMaintenance(InspectionQuery(from: day2, to: Self.cst(t0)), scope: .everything) }
                == .invalidInput)
    }

    @Test func aLiaisonSeesOnlyTheirDepartmentsRowsAndEvents() throws {
        let (s, ids) = try Self.college()
        let dzb = DeviceScope.departments(["DZB"])
        let summary = try s.inspectionSummary(InspectionQuery(day: Self.day), scope: dzb)
        // DZB's five rows; never CWC's, never the campus level (the pool's unused seat).
        #expect(summary.count == 5 && summary.allSatisfy { $0.department == "DZB" })
        let detail = try s.inspectionDetail(InspectionQuery(day: Self.day), scope: dzb)
        #expect(Set(detail.map(\.device)) == Set(ids[0...2]) && detail.count == 6)
        let events = try s.inspectionMaintenance(scope: dzb)
        #expect(events.count == 3 && events.allSatisfy { $0.device == ids[0] })
        let cwc = try s.inspectionMaintenance(scope: .departments(["CWC"]))
        #expect(cwc.map(\.device) == [ids[3]])
        // Another department named is not found, for each ledger.
        let foreign = InspectionQuery(department: "CWC", day: Self.day)
        #expect(code { try s.inspectionSummary(foreign, scope: dzb) } == .notFound)
        #expect(code { try s.inspectionDetail(foreign, scope: dzb) } == .notFound)
        #expect(code { try s.inspectionMaintenance(foreign, scope: dzb) } == .notFound)
        // --dept narrows the whole college to one department.
        let cwcOnly = try s.inspectionDetail(InspectionQuery(department: "CWC", day: Self.day), scope: .everything)
        #expect(cwcOnly.count == 4 && cwcOnly.allSatisfy { $0.department == "CWC" })
    }
}
