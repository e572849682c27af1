import Foundation
import TestSupport
import Testing

@testable import Ingest
@testable import LedgerModel

/// The shipped catalog, read from scanners/ in this repository.
func shippedCatalog() throws -> SoftwareCatalog {
    let url = Fixtures.scanners("software-catalog.tsv")
    return SoftwareCatalog(rules: try CatalogFile.read(Fixtures.read(url), file: url.path))
}

@Suite struct SoftwareCatalogTests {
    @Test func whatChineseCampusPCsRunIsClassified() throws {
        let catalog = try shippedCatalog()
        let expected: [(String, String?, String, SoftwareCategory, LicenseClass, Bool)] = [
            ("Microsoft Windows 10 专业版", nil, "Microsoft Windows", .osPC, .commercial, false),
            (
                "Microsoft Office Professional Plus 2019 - zh-cn", "Microsoft Corporation", "Microsoft Office", .office,
                .commercial, false
            ),
            ("WPS Office (11.1.0.14309)", "Kingsoft Corp.", "WPS Office", .office, .commercial, true),
            ("360安全卫士", "360.cn", "360安全卫士", .antivirus, .freeware, true),
            ("360杀毒", "360.cn", "360杀毒", .antivirus, .freeware, true),
            ("火绒安全软件", "北京火绒网络科技有限公司", "火绒安全软件", .antivirus, .freeware, true),
            ("腾讯电脑管家", "Tencent", "腾讯电脑管家", .antivirus, .freeware, true),
            ("金山毒霸", "Kingsoft", "金山毒霸", .antivirus, .freeware, true),
            ("奇安信天擎", "奇安信", "奇安信天擎", .antivirus, .commercial, true),
            ("Kaspersky Endpoint Security 10 for Windows", nil, "Kaspersky", .antivirus, .commercial, false),
            ("ESET Endpoint Antivirus", nil, "ESET", .antivirus, .commercial, false),
            (
                "Symantec Endpoint Protection", "Symantec Corporation", "Symantec Endpoint Protection", .antivirus,
                .commercial, false
            ),
            (
                "Adobe Acrobat Reader DC - Chinese Simplified", "Adobe Systems", "Adobe Acrobat Reader", .tool,
                .freeware, false
            ),
            ("Adobe Acrobat DC (64-bit)", "Adobe", "Adobe Acrobat", .tool, .commercial, false),
            ("Adobe Photoshop 2021", "Adobe Inc.", "Adobe Photoshop", .tool, .commercial, false),
            ("AutoCAD 2020 - 简体中文 (Simplified Chinese)", "Autodesk", "AutoCAD", .tool, .commercial, false),
            ("MATLAB R2021a", "MathWorks", "MATLAB", .tool, .commercial, false),
            ("IBM SPSS Statistics 26", "IBM Corp.", "IBM SPSS Statistics", .tool, .commercial, false),
            (
                "Microsoft SQL Server 2019 (64-bit)", "Microsoft Corporation", "Microsoft SQL Server", .database,
                .commercial, false
            ),
            (
                "Microsoft SQL Server 2019 Express LocalDB", "Microsoft Corporation", "SQL Server component", .other,
                .freeware, false
            ),
            ("Oracle Database 19c", "Oracle", "Oracle Database", .database, .commercial, false),
            ("VMware Workstation", "VMware, Inc.", "VMware Workstation", .server, .commercial, false),
            ("钉钉", "Alibaba", "钉钉", .tool, .freeware, true),
            ("企业微信", "Tencent", "企业微信", .tool, .freeware, true),
            ("微信", "Tencent", "微信", .tool, .freeware, true),
            ("腾讯QQ", "Tencent", "腾讯QQ", .tool, .freeware, true),
            ("搜狗输入法 13.0正式版", "Sogou.com", "搜狗输入法", .tool, .freeware, true),
            ("WinRAR 6.02 (64-bit)", "win.rar GmbH", "WinRAR", .tool, .commercial, false),
            ("7-Zip 19.00 (x64)", "Igor Pavlov", "7-Zip", .tool, .openSource, false),
            ("Google Chrome", "Google LLC", "Google Chrome", .tool, .freeware, false),
            ("Mozilla Firefox (x64 zh-CN)", "Mozilla", "Mozilla Firefox", .tool, .openSource, false),
        ]
        for (name, publisher, product, category, license, domestic) in expected {
            let hit = catalog.classify(name: name, publisher: publisher, source: "registry")
            #expect(hit?.product.product == product, "\(name)")
            #expect(hit?.product.category == category, "\(name)")
            #expect(hit?.product.license == license, "\(name)")
            #expect(hit?.product.domestic == domestic, "\(name)")
        }
    }

    @Test func theRealSamplesAreClassifiedAndTheRestListedNotGuessed() throws {
        let catalog = try shippedCatalog()
        let ws = try agentFixture("fusioninventory/rudder/WORKSTATION1-8f94b6a2-5cb6-4f76-9fa7-467e8b22f5e7.ocs")
        let report = try GLPIInventory.xml(ws.data, file: ws.path)
        let unknown = Set(
            report.software.filter {
                catalog.classify(name: $0.name, publisher: $0.publisher, source: $0.source) == nil
            }
            .map(\.name))
        #expect(
            catalog.classify(name: "Microsoft Edge", publisher: "Microsoft Corporation", source: "registry")?.product
                .product == "Microsoft Edge")
        #expect(!unknown.contains("Microsoft Edge"))
        #expect(unknown.contains("WIC"))  // no publisher, no rule: listed for review
        #expect(!unknown.contains("Power Automate"))  // a Microsoft store app
        #expect(unknown.count < 10)
        let debian = try agentFixture("fusioninventory/rudder/debian12.ocs")
        let packages = try GLPIInventory.xml(debian.data, file: debian.path).software
        let classified = packages.filter {
            catalog.classify(name: $0.name, publisher: $0.publisher, source: $0.source) != nil
        }
        #expect(classified.count == packages.count)  // every package names Debian as its publisher
        #expect(catalog.classify(name: "google-chrome-stable", publisher: "Google LLC", source: "deb") == nil)
    }

    /// Chinese Linux distributions are domestic (国产) for the domestic share; the others are not,
    /// and a package named after a distribution is not its operating system.
    @Test func domesticLinuxDistributionsAreFlaggedDomestic() throws {
        let catalog = try shippedCatalog()
        for os in ["Deepin 20.9", "openEuler 22.03 (LTS-SP1)", "Anolis OS 8.8", "openKylin 1.0", "OpenCloudOS 8.6"] {
            let hit = catalog.classify(name: os, publisher: nil, source: "os")?.product
            #expect(hit?.product == "国产Linux发行版" && hit?.domestic == true && hit?.category == .osPC, "\(os)")
        }
        for os in ["Ubuntu 22.04.3 LTS", "Debian GNU/Linux 12 (bookworm)", "CentOS Linux 7 (Core)"] {
            let hit = catalog.classify(name: os, publisher: nil, source: "os")?.product
            #expect(hit?.product == "Linux" && hit?.domestic == false, "\(os)")
        }
        #expect(
            catalog.classify(name: "deepin-terminal", publisher: nil, source: "deb")?.product.product != "国产Linux发行版")
    }

    @Test func aBadRuleFileNamesTheLine() {
        let header = CatalogFile.oldHeader.joined(separator: "\t")
        func refuse(_ body: String, line: Int, _ reason: String) {
            #expect(throws: InputError(file: "c.tsv", line: line, reason: reason)) {
                try CatalogFile.read(Data("\(header)\n\(body)\n".utf8), file: "c.tsv")
            }
        }
        refuse("^Foo(\t\t\tFoo\tAcme\tother\tfreeware\tno", line: 2, "bad name pattern '^Foo('")
        refuse(
            "^Foo\t\t\tFoo\tAcme\tgame\tfreeware\tno", line: 2,
            "unknown category 'game' (os_pc, os_server, office, antivirus, database, server, tool, other)")
        refuse(
            "^Foo\t\t\tFoo\tAcme\tother\tpirated\tno", line: 2,
            "unknown license 'pirated' (commercial, freeware, open-source)")
        refuse("^Foo\t\t\tFoo\tAcme\tother\tfreeware\tmaybe", line: 2, "domestic must be yes or no, got 'maybe'")
        refuse("# comment\n^Foo\tAcme\tother", line: 3, "3 tab-separated fields, expected 8")
        #expect(throws: InputError.self) { try CatalogFile.read(Data("name\tproduct\n".utf8), file: "c.tsv") }
        let new = CatalogFile.header.joined(separator: "\t")
        #expect(
            throws: InputError(
                file: "c.tsv", line: 2, reason: "unknown kind 'maybe' (product, part, component, crack, exclude)")
        ) {
            try CatalogFile.read(
                Data("\(new)\n^Foo\t\t\tFoo\tAcme\tother\tfreeware\tno\tmaybe\t\t\n".utf8), file: "c.tsv")
        }
        #expect(
            throws: InputError(
                file: "c.tsv", line: 2, reason: "edition_pattern 'Pro' has no capture group for the edition")
        ) {
            try CatalogFile.read(
                Data("\(new)\n^Foo\t\t\tFoo\tAcme\tother\tfreeware\tno\tproduct\tPro\t\n".utf8), file: "c.tsv")
        }
    }
}
