import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

@testable import LedgerApp

/// A test college: four departments (JYXY-JYS under JYXY), 280 PCs built from the real agent
/// samples with varied titles, department and campus licences; every number below is computed
/// by hand in the comments.
@Suite struct ComplianceTests {
    static let day = "2026-06-01"

    static let licences = """
        product,edition,versions,metric,seats,department_code,valid_from,valid_to,source,contract,supplier,amount_cny,note
        Microsoft Windows,Pro,<=10,device,50,DZB,2024-01-01,2028-12-31,volume,HT-2024-001,某公司,25000.00,
        Microsoft Windows,Pro,,device,10,,,,随机预装,OEM-DELL,Dell,,随机预装
        Microsoft Windows,Pro,<=11,device,200,,2025-01-01,2027-12-31,政府采购,HT-2025-010,某公司,120000,
        Microsoft Windows,Pro,10,device,30,JYXY,2022-01-01,2024-12-31,volume,HT-2022-003,,,expired
        Microsoft Office,Professional Plus,<=2016,device,120,,2025-01-01,2027-12-31,volume,HT-2025-010,,,
        Microsoft Office,Professional Plus,2010,device,30,CWC,,,零售,HT-2019-007,,,
        Microsoft SQL Server,Standard,2014,core,10,JYXY,2020-01-01,2025-06-30,volume,HT-2020-002,,,
        Symantec Endpoint Protection,,,site,unlimited,,2025-01-01,2026-12-31,订阅,HT-2025-020,,8000.5,
        Microsoft Office,Professional Plus,2016,device,5,DZB,2025-01-01,2030-12-31,volume,HT-2025-011,,,
        """

    static func software(_ fixture: String) throws -> [EndpointReport.Software] {
        let path = try agentFixture(fixture)
        return try EndpointFile.read(Data(contentsOf: URL(fileURLWithPath: path)), file: path).software
    }

    /// The college, its PCs imported as endpoint reports (the subnet map places them).
    static func college() throws -> LedgerService {
        let s = try campusService()
        let laptop = try software("open-audit/laptop.xml")
        let workstation = try software("fusioninventory/rudder/WORKSTATION1-8f94b6a2-5cb6-4f76-9fa7-467e8b22f5e7.ocs")
        let french = try software("fusioninventory/inventory_format/2.xml").filter {
            !$0.name.hasPrefix("Microsoft Office Famille")
        }
        let xp = try CollectorOutput.read(
            Data(contentsOf: URL(fileURLWithPath: try agentFixture("glpi-agent-raw/registry/xp-Uninstall.reg"))),
            file: "xp-Uninstall.reg"
        ).software
        func titles(_ names: [String]) -> [EndpointReport.Software] {
            names.map { EndpointReport.Software(name: $0, source: "registry") }
        }
        var reports: [EndpointReport] = []
        var n = 0
        func pc(_ subnet: String, os: String, _ sw: [EndpointReport.Software], oem: Bool = false) {
            n += 1
            var r = EndpointReport(format: "test")
            r.collectedAt = t0
            r.identity.hostname = "pc\(n)"
            r.identity.serials = ["SN-COLLEGE-\(n)"]
            r.identity.macs = [String(format: "00:16:3e:00:%02x:%02x", n / 256, n % 256)]
            r.identity.ips = ["\(subnet).\(n % 100 + (subnet == "198.18.30" ? 1 : 1))"]
            var o = EndpointReport.OperatingSystem()
            o.name = os
            r.os = o
            r.software = sw
            if oem { r.activations = [Activation(product: nil, channel: .oem)] }
            reports.append(r)
        }
        // CWC (198.18.11): 60 × Windows 7 Professional with the laptop's titles (LibreOffice, ODBC
        // drivers named Excel and SQL Server); 20 with Office Professional Plus 2010 and its MUI;
        // 5 others with KMSpico.
        for i in 0..<60 {
            var sw = laptop
            if i < 20 {
                sw += titles(["Microsoft Office Professional Plus 2010", "Microsoft Office Excel MUI (English) 2010"])
            }
            if i >= 50 && i < 55 { sw += titles(["KMSpico 10.2.0"]) }
            pc("198.18.11", os: "Microsoft Windows 7 Professional", sw)
        }
        // DZB (198.18.10): 100 × Windows 10 Pro with the workstation's titles, Office Professional
        // Plus 2016 and its parts and components; the last 10 activated OEM.
        for i in 0..<100 {
            pc(
                "198.18.10", os: "Microsoft Windows 10 Pro",
                workstation
                    + titles([
                        "Microsoft Office Professional Plus 2016", "Microsoft Word 2016", "Microsoft Excel 2016",
                        "Microsoft Office Proofing Tools 2016 - English", "Microsoft Excel Driver (*.xls)",
                        "Office 16 Click-to-Run Localization Component",
                    ]), oem: i >= 90)
        }
        // JYXY (198.18.30.0/25): 80 × Windows 11 Pro with the French laptop's titles; 10 with
        // SQL Server 2014 Standard as its many titles.
        for i in 0..<80 {
            var sw = french
            if i < 10 {
                sw += titles([
                    "Microsoft SQL Server 2014 (64-bit)", "Microsoft SQL Server 2014 Standard Edition",
                    "SQL Server 2014 Database Engine Services", "Microsoft SQL Server 2012 Native Client",
                    "SQL Server 2014 Management Studio", "Microsoft SQL Server 2014 Setup (English)",
                ])
            }
            pc("198.18.30", os: "Microsoft Windows 11 Pro", sw)
        }
        // JYXY-JYS (198.18.30.128/25): 40 with the XP machine's titles (Office Professional Plus
        // 2010 and its MUI/proofing, Symantec, Adobe Reader); 10 of them Windows 10 Home.
        for i in 0..<40 {
            n += 1
            var r = EndpointReport(format: "test")
            r.collectedAt = t0
            r.identity.hostname = "pc\(n)"
            r.identity.serials = ["SN-COLLEGE-\(n)"]
            r.identity.macs = [String(format: "00:16:3e:00:%02x:%02x", n / 256, n % 256)]
            r.identity.ips = ["198.18.30.\(130 + i)"]
            var o = EndpointReport.OperatingSystem()
            o.name = i < 10 ? "Microsoft Windows 10 Home" : "Microsoft Windows 10 Pro"
            r.os = o
            r.software = xp
            reports.append(r)
        }
        // JYXY's 80 must sit in .30.0/25: renumber them.
        for i in reports.indices where reports[i].os?.name == "Microsoft Windows 11 Pro" {
            reports[i].identity.ips = ["198.18.30.\(2 + (i - 160))"]
        }
        try s.ledger.importEndpointReports(reports, sourceRef: "college")
        let file = try tempFile("licences.csv", licences)
        let imported = try s.importLicenses(file: file, scope: .everything, actor: Principal("test"))
        // The OEM pool and the volume pool for Windows Pro overlap: both count, listed.
        #expect(imported.imported == 9 && imported.warnings.map(\.line) == [4])
        return s
    }

    func row(_ rows: [ComplianceOutput], _ dept: String?, _ product: String, _ edition: String) throws
        -> ComplianceOutput
    {
        try #require(rows.first { $0.department == dept && $0.product == product && $0.edition == edition })
    }

    @Test func theCollegesNumbersMatchTheHandCount() throws {
        let s = try Self.college()
        let rows = try s.compliance(ComplianceQuery(day: Self.day), scope: .everything)
        func check(
            _ dept: String?, _ product: String, _ edition: String, installs: Int, entitled: Int, status: String,
            _ sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            let r = try row(rows, dept, product, edition)
            #expect(r.installs == installs, sourceLocation: sourceLocation)
            #expect(r.entitled == entitled, sourceLocation: sourceLocation)
            #expect(r.status == status, sourceLocation: sourceLocation)
            #expect(r.devices.count == installs, sourceLocation: sourceLocation)
        }
        // Windows, installs taken by department code then device id:
        // CWC 60 × 7 Pro: no CWC licence → pool #3 (<=11): 60; #3 has 140 left.
        try check("CWC", "Microsoft Windows", "Pro", installs: 60, entitled: 60, status: "compliant")
        // DZB 100 × 10 Pro: own #1 (50), then pool: 40 from #3 (100 left), the 10 OEM PCs from
        // the OEM pool #2 (OEM first in its tier).
        try check("DZB", "Microsoft Windows", "Pro", installs: 100, entitled: 100, status: "compliant")
        let dzb = try row(rows, "DZB", "Microsoft Windows", "Pro")
        #expect(dzb.licenses.map { [$0.license, Int64($0.seats)] } == [[1, 50], [2, 10], [3, 40]])
        // JYXY 80 × 11 Pro: its own #4 expired → pool #3: 80; 20 left.
        try check("JYXY", "Microsoft Windows", "Pro", installs: 80, entitled: 80, status: "compliant")
        // JYXY-JYS 30 × 10 Pro: parent JYXY's #4 expired, pool #3: 20 → 10 uncovered. The 10
        // Home PCs are no unit licence.
        try check("JYXY-JYS", "Microsoft Windows", "Pro", installs: 30, entitled: 20, status: "unlicensed")
        try check("JYXY-JYS", "Microsoft Windows", "Home", installs: 10, entitled: 0, status: "unlicensed")
        #expect(try row(rows, "JYXY-JYS", "Microsoft Windows", "Home").homeEditionDevices.count == 10)
        #expect(try row(rows, "JYXY-JYS", "Microsoft Windows", "Pro").delta == -10)
        // Office Professional Plus: CWC 20 × 2010 from its own #6 (30): 10 unused → over.
        try check("CWC", "Microsoft Office", "Professional Plus", installs: 20, entitled: 30, status: "over_licensed")
        #expect(try row(rows, "CWC", "Microsoft Office", "Professional Plus").delta == 10)
        // DZB 100 × 2016: own #9 (5), pool #5 (<=2016): 95 → 25 left. Word/Excel 2016 are parts
        // of the suite, the Excel driver and C2R component nothing.
        try check("DZB", "Microsoft Office", "Professional Plus", installs: 100, entitled: 100, status: "compliant")
        // JYXY-JYS 40 × 2010 (downgrade rights of #5): 25 → 15 uncovered.
        try check(
            "JYXY-JYS", "Microsoft Office", "Professional Plus", installs: 40, entitled: 25, status: "unlicensed")
        // SQL Server: six titles, one install each; only an expired licence.
        try check("JYXY", "Microsoft SQL Server", "Standard", installs: 10, entitled: 0, status: "expired")
        // Symantec under the campus site licence; LibreOffice needs none.
        try check("JYXY-JYS", "Symantec Endpoint Protection", "", installs: 40, entitled: 40, status: "compliant")
        try check("CWC", "LibreOffice", "", installs: 60, entitled: 0, status: "compliant")
        #expect(try row(rows, "CWC", "LibreOffice", "").delta == 0)
        // Cracks: a finding of their own.
        let crack = try #require(rows.first { $0.category == "crack" })
        #expect(crack.department == "CWC" && crack.installs == 5 && crack.status == "unlicensed")
        // What must not count.
        #expect(!rows.contains { $0.product == "Microsoft Office" && ["Word", "Excel"].contains($0.edition) })
        #expect(!rows.contains { $0.product.contains("component") || $0.product.contains("driver") })
        #expect(!rows.contains { $0.product == "Microsoft SQL Server" && $0.edition == "" })
        #expect(!rows.contains { $0.department == nil })  // every pool seat was taken
        // Grouped by the seed's categories.
        let categories = rows.map(\.category)
        #expect(categories.firstIndex(of: "os_pc")! < categories.firstIndex(of: "office")!)
        #expect(categories.firstIndex(of: "office")! < categories.firstIndex(of: "database")!)
        #expect(categories.last == "crack")
    }

    @Test func aDepartmentSeesOnlyItsRowsAndTheDayDecidesExpiry() throws {
        let s = try Self.college()
        let jyxy = try s.compliance(ComplianceQuery(day: Self.day), scope: .departments(["JYXY"]))
        #expect(!jyxy.isEmpty && jyxy.allSatisfy { $0.department == "JYXY" || $0.department == "JYXY-JYS" })
        let dept = try s.compliance(ComplianceQuery(department: "JYXY-JYS", day: Self.day), scope: .everything)
        #expect(dept.allSatisfy { $0.department == "JYXY-JYS" })
        #expect(
            code { try s.compliance(ComplianceQuery(department: "CWC"), scope: .departments(["JYXY"])) } == .notFound)
        // Before JYXY's SQL Server licence ended, it counted.
        let earlier = try s.compliance(ComplianceQuery(day: "2025-01-15"), scope: .everything)
        #expect(try row(earlier, "JYXY", "Microsoft SQL Server", "Standard").status == "compliant")
        // And JYXY's own Windows licence (#4, 30 seats, exactly 10) does not cover Windows 11.
        #expect(try row(earlier, "JYXY", "Microsoft Windows", "Pro").licenses.allSatisfy { $0.license != 4 })
    }

    /// An OEM licence that names its machines covers exactly those serials, wherever they
    /// are; an OEM licence that names none covers only installs activated OEM in its pool.
    @Test func anOEMLicenceCoversOnlyTheMachinesItCameWith() throws {
        let s = try campusService()
        func pc(_ n: Int, _ subnet: String, serial: String, oem: Bool) -> EndpointReport {
            var r = EndpointReport(format: "test")
            r.collectedAt = t0
            r.identity.hostname = "oem\(n)"
            r.identity.serials = [serial]
            r.identity.macs = [String(format: "00:16:3e:01:00:%02x", n)]
            r.identity.ips = ["\(subnet).\(10 + n)"]
            var o = EndpointReport.OperatingSystem()
            o.name = "Microsoft Windows 10 Pro"
            r.os = o
            if oem { r.activations = [Activation(product: nil, channel: .oem)] }
            return r
        }
        // CWC: A (no channel reported), B (activated OEM), C (no channel); DZB: D (activated OEM).
        try s.ledger.importEndpointReports(
            [
                pc(1, "198.18.11", serial: "SN-OEM-A", oem: false), pc(2, "198.18.11", serial: "SN-OEM-B", oem: true),
                pc(3, "198.18.11", serial: "SN-OEM-C", oem: false), pc(4, "198.18.10", serial: "SN-OEM-D", oem: true),
            ], sourceRef: "oem")
        let header = (LicenseFile.header + LicenseFile.optionalColumns).joined(separator: ",")
        // 1: came with A and Z (Z not in the ledger), registered under DZB — A sits in CWC now.
        // 2: CWC's OEM pool, naming no machine: only an install activated OEM (B).
        let file = try tempFile(
            "oem.csv",
            """
            \(header)
            Microsoft Windows,Pro,,device,2,DZB,,,随机预装,OEM-LENOVO,Lenovo,,,sn-oem-a;SN-OEM-Z
            Microsoft Windows,Pro,,device,5,CWC,,,oem,OEM-POOL,,,,

            """)
        _ = try s.importLicenses(file: file, scope: .everything, actor: Principal("test"))
        #expect(try s.listLicenses(scope: .everything).map(\.devices) == [["SN-OEM-A", "SN-OEM-Z"], []])
        let rows = try s.compliance(ComplianceQuery(day: Self.day), scope: .everything)
        let cwc = try row(rows, "CWC", "Microsoft Windows", "Pro")
        // Entitled: the two seats taken and the OEM pool's four unused.
        #expect(cwc.installs == 3 && cwc.entitled == 6 && cwc.status == "unlicensed")
        #expect(cwc.licenses.map { [$0.license, Int64($0.seats)] } == [[1, 1], [2, 1]])
        let ids = Dictionary(
            uniqueKeysWithValues: try s.listDevices(scope: .everything).compactMap { d in d.hostname.map { ($0, d.id) }
            })
        let c = try #require(ids["oem3"])
        #expect(cwc.unlicensedDevices == [c])
        // D is activated OEM but in DZB: CWC's pool is not DZB's, and licence 1 names other
        // machines; its unused seat (Z) stays with DZB.
        let dzb = try row(rows, "DZB", "Microsoft Windows", "Pro")
        let d = try #require(ids["oem4"])
        #expect(dzb.installs == 1 && dzb.unlicensedDevices == [d] && dzb.entitled == 1)
        // Refused: machines on a licence that is not OEM, placeholder serials, a serial twice,
        // more seats than machines.
        for (row, reason) in [
            (
                "Microsoft Windows,Pro,,device,1,,,,volume,HT-1,,,,SN-1234",
                "devices names the machines an OEM licence came with: source must be oem (随机预装), got 'volume'"
            ),
            (
                "Microsoft Windows,Pro,,device,1,,,,oem,HT-1,,,,To be filled by O.E.M.",
                "devices: serial 'To' cannot name one machine (too short to be unique)"
            ),
            (
                "Microsoft Windows,Pro,,device,1,,,,oem,HT-1,,,,\"SN-1234, sn-1234\"",
                "devices: serial 'sn-1234' is listed twice"
            ),
            (
                "Microsoft Windows,Pro,,device,3,,,,oem,HT-1,,,,SN-1234;SN-5678",
                "seats 3 is more than the 2 machine(s) this OEM licence came with"
            ),
        ] {
            let bad = try tempFile("bad.csv", "\(header)\n\(row)\n")
            #expect(throws: InputError(file: bad, line: 2, reason: reason)) {
                try s.importLicenses(file: bad, scope: .everything, actor: Principal("test"))
            }
        }
        // The export carries the column and re-imports unchanged.
        let exported = try s.exportLicenses(scope: .everything)
        #expect(exported.contains(",note,devices\r\n") && exported.contains(",SN-OEM-A;SN-OEM-Z\r\n"))
        _ = try s.importLicenses(
            file: try tempFile("again.csv", exported), scope: .everything, actor: Principal("test"))
        #expect(try s.exportLicenses(scope: .everything) == exported)
    }

    @Test func aBadRegisterIsRefusedWholeAndAGoodOneRoundTrips() throws {
        let s = try Self.college()
        let header = LicenseFile.header.joined(separator: ",")
        func refuse(_ row: String, _ reason: String, line: Int = 3) throws {
            let good = "Microsoft Windows,Pro,,device,5,,,,volume,HT-X,,,"
            let file = try tempFile("bad.csv", "\(header)\n\(good)\n\(row)\n")
            #expect(throws: InputError(file: file, line: line, reason: reason)) {
                try s.importLicenses(file: file, scope: .everything, actor: Principal("test"))
            }
        }
        try refuse(
            "Windows,Pro,,device,5,,,,volume,,,,", "unknown product 'Windows': not a product of the software catalog")
        try refuse(
            "Microsoft Windows,,,seat,5,,,,volume,,,,", "unknown metric 'seat' (device, user, site, concurrent, core)")
        try refuse("Microsoft Windows,,,device,5.5,,,,volume,,,,", "seats '5.5' must be a whole number or unlimited")
        try refuse("Microsoft Windows,,,device,5,XYZ,,,volume,,,,", "unknown department 'XYZ'")
        try refuse(
            "Microsoft Windows,,,device,5,,2026-02-30,,volume,,,,", "valid_from '2026-02-30' is not a date YYYY-MM-DD")
        try refuse(
            "Microsoft Windows,,,device,5,,2026-03-01,2026-01-01,volume,,,,",
            "valid_from 2026-03-01 is after valid_to 2026-01-01")
        try refuse(
            "Microsoft Windows,,,device,5,,,,pirated,,,,",
            "unknown source 'pirated' (volume, oem, retail, subscription, free, open-source, 政府采购, 随机预装, 零售, 订阅, 免费, 开源)"
        )
        try refuse("Microsoft Windows,,,device,5,,,,volume,,,-3,", "amount_cny '-3' must be a decimal number ≥ 0")
        try refuse(
            "Microsoft Windows,,<=ten,device,5,,,,volume,,,,",
            "versions '<=ten' must be empty, a version (2019) or <=VERSION")
        try refuse(
            "Microsoft Windows,Pro,,device,9,,2026-01-01,,volume,HT-X,,,",
            "contract 'HT-X' already grants Microsoft Windows Pro to the campus pool for an overlapping period on line 2: one contract, one row"
        )
        for bad in [">=2019", "2016-2019", "<2019", "\"2019,2021\"", "abc", "+2019", "2019."] {
            let shown = bad.replacingOccurrences(of: "\"", with: "")
            try refuse(
                "Microsoft Windows,,\(bad),device,5,,,,volume,,,,",
                "versions '\(shown)' must be empty, a version (2019) or <=VERSION")
        }
        for bad in ["2026-12-+1", "2026-1-01", "2026-13-01", "2026-02-29", "２０２６-01-01"] {
            let shown = bad.replacingOccurrences(of: "\"", with: "")
            try refuse(
                "Microsoft Windows,,,device,5,,\(bad),,volume,,,,",
                "valid_from '\(shown)' is not a date YYYY-MM-DD")
        }
        // The same contract twice: refused whatever the edition's spelling, and an empty edition
        // overlaps every edition.
        try refuse(
            "Microsoft Windows,专业版,,device,9,,2026-01-01,,volume,HT-X,,,",
            "contract 'HT-X' already grants Microsoft Windows 专业版 to the campus pool for an overlapping period on line 2: one contract, one row"
        )
        try refuse(
            "Microsoft Windows,,,device,9,,,,volume,HT-X,,,",
            "contract 'HT-X' already grants Microsoft Windows (any edition) to the campus pool for an overlapping period on line 2: one contract, one row"
        )
        #expect(try s.listLicenses(scope: .everything).count == 9)  // nothing written
        // Two contracts for one pool: accepted, listed.
        let two = try tempFile(
            "two.csv",
            "\(header)\nMicrosoft Windows,Pro,,device,5,CWC,,,volume,A,,,\nMicrosoft Windows,Pro,,device,5,CWC,,,volume,B,,,\n"
        )
        let warned = try s.importLicenses(file: two, scope: .everything, actor: Principal("test"))
        #expect(warned.imported == 2 && warned.replaced == 9 && warned.warnings.map(\.line) == [3])
        // One contract for Windows Pro 10 and Pro 11 is two rows, neither a contradiction nor an overlap.
        let versions = try tempFile(
            "versions.csv",
            "\(header)\nMicrosoft Windows,Pro,10,device,5,CWC,,,volume,A,,,\nMicrosoft Windows,Pro,11,device,5,CWC,,,volume,A,,,\nMicrosoft Windows,Pro,<=8.1,device,5,CWC,,,volume,B,,,\n"
        )
        let split = try s.importLicenses(file: versions, scope: .everything, actor: Principal("test"))
        #expect(split.imported == 3 && split.warnings.isEmpty)
        // Another contract for an edition spelled otherwise, or for any edition: a warning.
        let spelled = try tempFile(
            "spelled.csv",
            "\(header)\nMicrosoft Windows,Pro,,device,5,CWC,,,volume,A,,,\nMicrosoft Windows,专业版,,device,5,CWC,,,volume,B,,,\nMicrosoft Windows,,,device,5,CWC,,,volume,C,,,\n"
        )
        let overlapping = try s.importLicenses(file: spelled, scope: .everything, actor: Principal("test"))
        #expect(overlapping.warnings.map(\.line) == [3, 4, 4])
        // Export, re-import (GB18030 too): the same register.
        let first = try tempFile("college.csv", Self.licences)
        _ = try s.importLicenses(file: first, scope: .everything, actor: Principal("test"))
        let exported = try s.exportLicenses(scope: .everything)
        #expect(exported.hasPrefix("\u{FEFF}"))
        let again = try tempFile("again.csv", exported)
        _ = try s.importLicenses(file: again, scope: .everything, actor: Principal("test"))
        #expect(try s.exportLicenses(scope: .everything) == exported)
        let gb = FileManager.default.temporaryDirectory.appendingPathComponent("gb-\(UUID().uuidString).csv")
        // GB18030 as Chinese Excel saves it (converted by the system's iconv).
        let iconv = Process()
        iconv.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        iconv.arguments = ["-f", "UTF-8", "-t", "GB18030", first]
        let pipe = Pipe()
        iconv.standardOutput = pipe
        try iconv.run()
        let gbData = pipe.fileHandleForReading.readDataToEndOfFile()
        iconv.waitUntilExit()
        #expect(gbData != Data(Self.licences.utf8))
        try gbData.write(to: gb)
        _ = try s.importLicenses(file: gb.path, scope: .everything, actor: Principal("test"))
        #expect(try s.exportLicenses(scope: .everything) == exported)
        let listed = try s.listLicenses(day: Self.day, scope: .everything)
        #expect(listed[1].source == "oem" && listed[1].seats == 10 && listed[3].state == "expired")
        #expect(listed[7].seats == nil && listed[7].source == "subscription")
        #expect(
            code { try s.importLicenses(file: first, scope: .departments(["CWC"]), actor: Principal("test")) }
                == .forbidden)
        #expect(
            try s.listLicenses(scope: .departments(["CWC"])).allSatisfy {
                $0.department == nil || $0.department == "CWC"
            })
    }
}
