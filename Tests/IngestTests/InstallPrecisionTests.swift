import Foundation
import Testing

@testable import Ingest
@testable import LedgerModel

/// Installs counted on every real inventory in ../shared/fixtures/agents (a missing file fails):
/// exactly these (product | edition | version, flags), and the titles that must not count.
@Suite struct InstallPrecisionTests {
    static let expected: [String: [String]] = [
        "fusioninventory/inventory_format/1.xml": ["Linux||"],
        "fusioninventory/inventory_format/2.xml": [
            "CCleaner||", "Microsoft Office|Home and Business|2010 oem", "Microsoft Windows|Pro|8.1 oem", "OpenVPN||",
        ],
        "fusioninventory/rudder/WIN-AI8CLNPLOV5-2014-06-20-18-15-49.ocs": [
            "Microsoft Windows Server|Standard|2012", "freeSSHd||",
        ],
        "fusioninventory/rudder/WORKSTATION1-8f94b6a2-5cb6-4f76-9fa7-467e8b22f5e7.ocs": [
            "Microsoft Windows|Enterprise|11 evaluation", "Vim||",
        ],
        "fusioninventory/rudder/centos8.ocs": ["Git||", "Linux||", "Vim||"],
        "fusioninventory/rudder/debian12.ocs": ["Git||", "Linux||", "Vim||"],
        "fusioninventory/rudder/mint.ocs": ["Linux||"],
        "fusioninventory/rudder/tuxedo.ocs": ["Git||", "Linux||", "PostgreSQL||", "Vim||"],
        "fusioninventory/rudder/ubuntu22_04.ocs": ["Git||", "Linux||", "Vim||"],
        "fusioninventory/rudder/windows2012r2.ocs": ["Microsoft Windows Server|Standard|2012 R2"],
        "fusioninventory/rudder/windows2016.ocs": ["Microsoft Windows Server|Datacenter|2016 evaluation"],
        "fusioninventory/rudder/windows2022.ocs": ["Microsoft Windows Server|Standard|2022 evaluation"],
        "glpi-agent-raw/linux-antivirus/bduitool-7.0.3.2239": [],
        "glpi-agent-raw/linux-antivirus/cortex-xdr-8.2.1.120305-info": [],
        "glpi-agent-raw/linux-antivirus/cortex-xdr-8.2.1.120305-info-query": [],
        "glpi-agent-raw/linux-antivirus/cortex-xdr-8.2.1.120305-runtime-query": [],
        "glpi-agent-raw/linux-antivirus/defender-101.23062.0010.json": [],
        "glpi-agent-raw/linux-antivirus/sentinelone-30.1.1.10": [],
        "glpi-agent-raw/linux-distro/os-release-centos-7.9": ["Linux||"],
        "glpi-agent-raw/linux-distro/os-release-debian-11.2": ["Linux||"],
        "glpi-agent-raw/linux-distro/os-release-fedora-35": ["Linux||"],
        "glpi-agent-raw/linux-packaging/dpkg": [],
        "glpi-agent-raw/linux-packaging/pacman": ["Vim||"],
        "glpi-agent-raw/linux-packaging/rpm": [],
        "glpi-agent-raw/powershell/10_russian.txt": [],
        "glpi-agent-raw/registry/10_russian-Uninstall.reg": [],
        "glpi-agent-raw/registry/xp-Uninstall.reg": [
            "Adobe Acrobat Reader||", "CCleaner||", "Microsoft Office|Professional Plus|2010", "Mozilla Firefox||",
            "Symantec Endpoint Protection||",
        ],
        "glpi-agent-raw/wmi/win7-sp1-x64-Win32_OperatingSystem.wmi": ["Microsoft Windows|Pro|7"],
        "glpi-agent-raw/wmi/xp-Win32_QuickFixEngineering.wmi": [],
        "glpi-json/inventory_format/computer_1.json": ["Linux||"],
        "glpi-json/inventory_format/computer_3.json": [
            "Git||", "LibreOffice||", "Linux||", "Mozilla Firefox||", "OpenVPN||", "PostgreSQL||", "Vim||",
        ],
        "open-audit/debian.xml": ["Linux||", "Vim||"],
        "open-audit/laptop.xml": [
            "7-Zip||", "Google Chrome||", "LibreOffice||", "Microsoft Windows|Ultimate|7", "Mozilla Firefox||", "VLC||",
        ],
        "open-audit/ubuntu1604-chilli.xml": ["Git||", "Linux||", "Vim||"],
        "open-audit/win2008r2_web01.xml": ["Microsoft Windows Server|Standard|2008 R2"],
        "osquery/fleet/windows_11.tmpl": ["Microsoft Windows|Enterprise|11"],
    ]

    /// Titles present in a fixture that are named after a product but are not it.
    static let notCounted: [String: [String]] = [
        "glpi-agent-raw/registry/xp-Uninstall.reg": [
            "Microsoft Office Proofing (English) 2010", "Microsoft Office Word MUI (English) 2010",
            "Microsoft Office Shared Setup Metadata MUI (English) 2010", "Microsoft Office 2010 Service Pack 1 (SP1)",
            "Microsoft Visual C++ 2005 Redistributable", "Microsoft Office Excel MUI (English) 2010",
        ],
        "open-audit/laptop.xml": [
            "Microsoft Excel Driver (*.xls)", "Microsoft Access Driver (*.mdb)", "SQL Server",
            "Microsoft Visual C++ 2013 x86 Minimum Runtime - 12.0.21005",
        ],
        "open-audit/win2008r2_web01.xml": [
            "Microsoft Excel Driver (*.xls)", "SQL Server", "Microsoft ODBC for Oracle",
        ],
        "fusioninventory/inventory_format/2.xml": [
            "Update for Microsoft Office 2010 (KB2553140) 64-Bit Edition",
            "Microsoft Visual Studio 2010 Tools for Office Runtime (x64)",
        ],
        "fusioninventory/rudder/WORKSTATION1-8f94b6a2-5cb6-4f76-9fa7-467e8b22f5e7.ocs": [
            "Windows Defender SmartScreen", "Microsoft Edge",
        ],
    ]

    static func describe(_ i: SoftwareInstall) -> String {
        var s = "\(i.product.product)|\(i.edition)|\(i.version)"
        if let c = i.channel { s += " \(c.rawValue)" }
        if i.evaluation { s += " evaluation" }
        if i.homeEdition { s += " home" }
        return s
    }

    @Test func everyRealInventoryCountsExactlyItsInstalls() throws {
        let root = try agentFixture("README.md").path.replacingOccurrences(of: "/README.md", with: "")
        let files = try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }.filter {
            var dir: ObjCBool = false
            return $0 != "README.md" && FileManager.default.fileExists(atPath: "\(root)/\($0)", isDirectory: &dir)
                && !dir.boolValue
        }
        let matcher = InstallMatcher(catalog: try shippedCatalog())
        var checked = 0
        for file in files.sorted() {
            let f = try agentFixture(file)
            let report = try EndpointFile.read(f.data, file: f.path)
            let result = matcher.installs(
                os: report.os?.name, software: report.software.map { ($0.name, $0.publisher, $0.source) },
                activations: report.activations)
            let expected = try #require(Self.expected[file], "no expectation for \(file)")
            #expect(result.installs.map(Self.describe) == expected, "\(file)")
            #expect(result.cracks.isEmpty, "\(file)")
            for title in Self.notCounted[file] ?? [] {
                #expect(report.software.contains { $0.name == title }, "\(file) has no title '\(title)'")
                #expect(!result.installs.contains { $0.titles.contains(title) }, "\(file): '\(title)' counted")
            }
            checked += 1
        }
        #expect(checked == Self.expected.count)
    }

    func installs(os: String? = nil, _ titles: [String], _ activations: [Activation] = []) throws -> [String] {
        InstallMatcher(catalog: try shippedCatalog()).installs(
            os: os, software: titles.map { ($0, nil, "registry") }, activations: activations
        ).installs.map(Self.describe)
    }

    @Test func componentsOfOneProductAreOneInstallAndNamedAfterItAreNone() throws {
        #expect(
            try installs([
                "Microsoft SQL Server 2014 (64-bit)", "SQL Server 2014 Database Engine Services",
                "SQL Server 2014 Standard", "Microsoft SQL Server 2014 Setup (English)",
                "Microsoft SQL Server 2012 Native Client", "SQL Server Management Studio",
                "Microsoft ODBC Driver 11 for SQL Server", "Microsoft SQL Server 2014 Management Objects",
            ]) == ["Microsoft SQL Server|Standard|2014"])
        #expect(
            try installs([
                "Microsoft Excel Driver (*.xls)", "Office 16 Click-to-Run Localization Component",
                "Office 16 Click-to-Run Extensibility Component", "Microsoft Visual C++ 2015 Redistributable (x64)",
                "Microsoft Access database engine 2010 (English)", "Microsoft Office File Validation Add-In",
                "Microsoft Word Viewer", "SQL Server Native Client", "Windows Software Development Kit - Windows 10",
                "Windows Driver Kit", "Microsoft Office Proofing Tools 2016 - English",
                "Microsoft Office Language Pack 2016 - Chinese (Simplified)",
            ]).isEmpty)
    }

    @Test func editionsVersionsSuitesAndFlags() throws {
        #expect(
            try installs(
                os: "Microsoft Windows 10 Pro",
                ["Microsoft Office Professional Plus 2016", "Microsoft Word 2016", "Microsoft Excel 2016"])
                == ["Microsoft Office|Professional Plus|2016", "Microsoft Windows|Pro|10"])
        // An OS title in a software list is not a second OS install.
        #expect(
            try installs(os: "Microsoft Windows 10 Pro", ["Microsoft Windows 10 Pro"]) == ["Microsoft Windows|Pro|10"])
        #expect(try installs(["Microsoft Word 2016"]) == ["Microsoft Office|Word|2016"])  // no suite: the part counts
        #expect(try installs(os: "Microsoft Windows 10 专业版", []) == ["Microsoft Windows|Pro|10"])
        #expect(try installs(os: "Microsoft Windows 10 Home", []) == ["Microsoft Windows|Home|10 home"])
        #expect(
            try installs(os: "Microsoft Windows Server 2019 Datacenter", [], [Activation(product: nil, channel: .oem)])
                == ["Microsoft Windows Server|Datacenter|2019 oem"])
        #expect(
            try installs(["Microsoft Office Home and Student 2019 - zh-cn"])
                == ["Microsoft Office|Home and Student|2019 home"])
        #expect(
            InstallMatcher(catalog: try shippedCatalog()).installs(
                os: nil,
                software: [
                    ("KMSpico", nil, "registry"), ("KMSAuto Net", nil, "registry"), ("HEU KMS Activator", nil, nil),
                ]
            ).cracks == ["HEU KMS Activator", "KMSAuto Net", "KMSpico"])
    }

    @Test func severalVersionsOfOneEditionAreOneInstallOfTheHighest() throws {
        #expect(
            try installs(["Microsoft Office Professional Plus 2016", "Microsoft Office Professional Plus 2019"])
                == ["Microsoft Office|Professional Plus|2019"])
        #expect(
            try installs(["Microsoft Office Professional Plus 2019", "Microsoft Office Professional Plus 2016"])
                == ["Microsoft Office|Professional Plus|2019"])
        // Three devices, each with 2016 and 2019, and 4 seats: 3 installs, compliant.
        let m = InstallMatcher(catalog: try shippedCatalog())
        var placed: [PlacedInstall] = []
        for device in [Int64(9), 7, 8] {
            let r = m.installs(
                os: nil,
                software: [
                    ("Microsoft Office Professional Plus 2016", nil, "registry"),
                    ("Microsoft Office Professional Plus 2019", nil, "registry"),
                ])
            placed += r.installs.map { PlacedInstall(device: device, department: "A", install: $0) }
        }
        let licence = Entitlement(
            id: 1, product: "Microsoft Office", edition: "Professional Plus", seats: 4, department: "A")
        let rows = Compliance.evaluate(installs: placed, entitlements: [licence], parents: [:], on: "2026-06-01")
        #expect(rows.count == 1)
        #expect(rows.first?.devices == [7, 8, 9] && rows.first?.installs == 3)
        #expect(rows.first?.consumed == [1: 3] && rows.first?.status == .overLicensed)
        // Installs placed twice with two versions (a caller that did not fold) still count once.
        var twice = placed
        for i in twice.indices { twice[i].install.version = "2016" }
        let again = Compliance.evaluate(
            installs: placed + twice, entitlements: [Entitlement(id: 1, product: "Microsoft Office", seats: 3)],
            parents: [:], on: "2026-06-01")
        #expect(again.first?.devices == [7, 8, 9] && again.first?.consumed == [1: 3])
        #expect(again.first?.status == .compliant && again.first?.unlicensedDevices == [])
    }

    @Test func homeEditionsAreDecidedByRule() throws {
        for edition in [
            "Home", "Home China", "Home Single Language", "家庭中文版", "家庭单语言版", "CoreCountrySpecific",
            "CoreSingleLanguage", "Home N", "Core", "Home Premium", "Home and Student", "家庭和学生版",
        ] {
            #expect(Editions.isHome(Editions.canonical(edition)), "\(edition)")
        }
        for edition in [
            "Home and Business", "Home & Business", "小型企业版", "Pro", "Pro N", "Enterprise", "Education",
            "Professional Plus", "Corporate", "Standard",
        ] {
            #expect(!Editions.isHome(Editions.canonical(edition)), "\(edition)")
        }
        #expect(try installs(os: "Microsoft Windows 10 Home China", []) == ["Microsoft Windows|Home China|10 home"])
        #expect(
            try installs(os: "Microsoft Windows 11 Home Single Language", [])
                == ["Microsoft Windows|Home Single Language|11 home"])
        #expect(try installs(os: "Microsoft Windows 10 Home N", []) == ["Microsoft Windows|Home|10 home"])
        #expect(try installs(os: "Microsoft Windows 10 家庭单语言版", []) == ["Microsoft Windows|家庭单语言版|10 home"])
        #expect(
            try installs(["Microsoft Office Home and Business 2016 - zh-cn"])
                == ["Microsoft Office|Home and Business|2016"])
        // A home edition is never covered, not even by an any-edition licence.
        let home = InstallMatcher(catalog: try shippedCatalog()).installs(
            os: "Microsoft Windows 10 Home China", software: []
        ).installs
        let rows = Compliance.evaluate(
            installs: home.map { PlacedInstall(device: 1, department: "A", install: $0) },
            entitlements: [Entitlement(id: 1, product: "Microsoft Windows", seats: 5, department: "A")],
            parents: [:], on: "2026-06-01")
        #expect(rows.first { $0.edition == "Home China" }?.unlicensedDevices == [1])
        #expect(rows.first { $0.edition == "Home China" }?.homeEditionDevices == [1])
    }

    @Test func editionNamesLoseTheirYearAndVariant() throws {
        #expect(
            try installs(os: "Microsoft Windows 10 Enterprise LTSC 2019", [])
                == ["Microsoft Windows|Enterprise LTSC|10"])
        #expect(
            try installs(os: "Microsoft Windows 10 Enterprise 2016 LTSB", [])
                == ["Microsoft Windows|Enterprise LTSB|10"])
        #expect(try installs(os: "Microsoft Windows 10 Pro N", []) == ["Microsoft Windows|Pro|10"])
        #expect(try installs(os: "Microsoft Windows 10 Pro KN", []) == ["Microsoft Windows|Pro|10"])
        #expect(try installs(os: "Microsoft Windows 10 专业教育版", []) == ["Microsoft Windows|Pro Education|10"])
        #expect(
            try installs(os: "Microsoft Windows 10 专业工作站版", []) == ["Microsoft Windows|Pro for Workstations|10"])
        #expect(
            try installs(os: "Microsoft Windows 10 企业版 LTSC 2019", []) == ["Microsoft Windows|Enterprise LTSC|10"])
        #expect(
            try installs(["Microsoft Office 365 ProPlus - zh-cn"]) == ["Microsoft 365 Apps|Apps for enterprise|"])
        #expect(
            try installs(["Microsoft 365 Apps for enterprise - en-us"])
                == ["Microsoft 365 Apps|Apps for enterprise|"])
        // Office's own ProPlus is Professional Plus.
        #expect(Editions.canonical("ProPlus", product: "Microsoft Office") == "Professional Plus")
        #expect(Editions.canonical("ProPlus", product: "Microsoft 365 Apps") == "Apps for enterprise")
        // A licence for Enterprise LTSC covers the LTSC 2019 install.
        let ltsc = InstallMatcher(catalog: try shippedCatalog()).installs(
            os: "Microsoft Windows 10 Enterprise LTSC 2019", software: []
        ).installs
        let rows = Compliance.evaluate(
            installs: ltsc.map { PlacedInstall(device: 1, department: "A", install: $0) },
            entitlements: [
                Entitlement(id: 1, product: "Microsoft Windows", edition: "Enterprise LTSC", seats: 1, department: "A")
            ],
            parents: [:], on: "2026-06-01")
        #expect(rows.map(\.status) == [.compliant])
    }

    @Test func sqlServerSharedComponentsAreNoInstall() throws {
        let shared = [
            "SQL Server 2019 Database Engine Shared", "SQL Server 2019 XEvent", "SQL Server 2019 Batch Parser",
            "SQL Server 2019 DMF", "Microsoft SQL Server 2017 RsFx Driver", "SQL Server 2019 Common Files",
            "Microsoft SQL Server 2019 Setup (English)", "Microsoft SQL Server 2019 Browser",
            "Microsoft SQL Server 2019 VSS Writer", "SQL Server 2019 Management Objects",
            "Microsoft SQL Server 2019 Policies",
            "Microsoft SQL Server 2012 Native Client", "Microsoft SQL Server 2019 T-SQL Language Service",
            "Microsoft SQL Server 2019 Writer", "SQL Server 2019 Database Engine Services",
        ]
        for title in shared { #expect(try installs([title]).isEmpty, "\(title)") }
        #expect(try installs(["Microsoft SQL Server 2019 Express"] + shared) == ["SQL Server Express||2019"])
        #expect(
            try installs(["Microsoft SQL Server 2019 Standard"] + shared) == ["Microsoft SQL Server|Standard|2019"])
    }

    @Test func foldingDoesNotDependOnTitleOrder() throws {
        // WPS's PDF tool is a component of WPS Office, not a second install.
        for title in ["WPS Office 2019 PDF", "WPS PDF", "Kingsoft PDF"] { #expect(try installs([title]).isEmpty) }
        let titles = ["WPS Office (11.1.0.14309)", "WPS Office 2019 PDF"]
        #expect(try installs(titles) == ["WPS Office||"])
        #expect(try installs(titles.reversed()) == ["WPS Office||"])
        let office = [
            "Microsoft Office 2016 something", "Microsoft Office Professional Plus 2016", "Microsoft Word 2016",
            "Microsoft Office Standard 2010", "WPS Office 2019", "WPS Office",
        ]
        let once = try installs(office)
        #expect(try installs(office.reversed()) == once)
        #expect(try installs(Array(office[2...] + office[..<2])) == once)
    }

    @Test func oldFormatCatalogFilesAreStillRead() throws {
        let old = CatalogFile.oldHeader.joined(separator: "\t") + "\n^Foo\t\t\tFoo\tAcme\tos\tcommercial\tno\n"
        let rules = try CatalogFile.read(Data(old.utf8), file: "old.tsv")
        #expect(rules.first?.kind == .product && rules.first?.product.category == .osPC)
    }
}
