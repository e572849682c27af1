import Foundation
import TestSupport
import Testing

@testable import Ingest
@testable import LedgerModel

let departmentHeader = DepartmentFile.header.joined(separator: ",")

@Suite struct RuleFileTests {
    @Test func departmentRowsAcceptEnglishOrChineseKinds() throws {
        let text = """
            \(departmentHeader)
            A,甲,Alpha,二级学院,,,,,,,,
            B,乙,,functional,A,王,李,010,li@example.edu.cn,,,
            """
        let entries = try DepartmentFile.read(Data(text.utf8), file: "d.csv")
        #expect(entries.map(\.department.kind) == [.college, .functional])
        #expect(entries[1].department.liaison == Contact(name: "李", phone: "010", email: "li@example.edu.cn"))
        #expect(entries[1].line == 3)
    }

    @Test func departmentRowErrorsNameTheLine() {
        func refuse(_ row: String, _ reason: String) {
            #expect(throws: InputError(file: "d.csv", line: 2, reason: reason)) {
                try DepartmentFile.read(Data("\(departmentHeader)\n\(row)\n".utf8), file: "d.csv")
            }
        }
        refuse("A,甲,,学院,,,,,,,,", "unknown kind '学院' (use functional/职能部门, support/教辅机构 or college/二级学院)")
        refuse(",甲,,college,,,,,,,,", "empty department code")
        refuse("A,,,college,,,,,,,,", "empty name for department 'A'")
        refuse("A,甲,,college,A,,,,,,,", "department 'A' is its own parent")
        refuse("A,甲,,college,,,,,not-mail,,,", "liaison_email 'not-mail' is not an e-mail address")
        refuse("A,甲,,college,,,,,,,", "ragged row: 11 fields, header has 12")
    }

    @Test func subnetFileRefusesBadCIDRAndDuplicates() throws {
        let header = SubnetFile.header.joined(separator: ",")
        let good = try SubnetFile.read(
            Data("\(header)\n198.18.10.0/24,DZB,楼,110,\n2001:db8::/32,DZB,,,\n".utf8), file: "s.csv")
        #expect(good.map(\.rule.network.description) == ["198.18.10.0/24", "2001:db8::/32"])
        #expect(good[0].rule.vlan == 110)
        #expect(throws: InputError.self) {
            try SubnetFile.read(Data("\(header)\n198.18.10.0/24,DZB,,,\n198.18.300.0/24,DZB,,,\n".utf8), file: "s.csv")
        }
        do {
            _ = try SubnetFile.read(
                Data("\(header)\n198.18.10.0/24,DZB,,,\n198.18.10.0/24,CWC,,,\n".utf8), file: "s.csv")
            Issue.record("duplicate accepted")
        } catch let e as InputError {
            #expect(e.description == "s.csv:3: duplicate subnet 198.18.10.0/24 (first on line 2)")
        }
        #expect(throws: InputError.self) {
            try SubnetFile.read(Data("\(header)\n198.18.10.0/24,DZB,,5000,\n".utf8), file: "s.csv")
        }
    }

    @Test func hostnameRulesRefuseCatchAllPatterns() {
        #expect(throws: InputError.self) {
            try HostnameRuleFile.read(Data("pattern,department_code,note\n*,CWC,\n".utf8), file: "h.csv")
        }
    }

    // Excel leaves rows of bare commas after cleared cells.
    @Test func excelEmptyRowOfCommas() throws {
        let text = "cidr,department_code,site,vlan,note\r\n10.0.0.0/8,X,,,\r\n,,,,\r\n"
        #expect(throws: Never.self) { try SubnetFile.read(Data(text.utf8), file: "s.csv") }
    }

    // A header's error names what it read without its raw escape bytes (they would drive the terminal).
    @Test func headerErrorCarriesRawEscape() throws {
        let text = "cidr\u{1b}[2J,department_code,site,vlan,note\n"
        do { _ = try SubnetFile.read(Data(text.utf8), file: "s.csv"); Issue.record("accepted") } catch let e
            as InputError
        { #expect(!e.description.contains("\u{1b}")) }
    }

    /// Rule and data files saved on Windows (CRLF) read like any other.
    @Test func catalogPolicyAndLifecycleFilesWithCRLF() throws {
        let catalog =
            CatalogFile.oldHeader.joined(separator: "\t")
            + "\r\n^WPS\t\t\tWPS Office\tKingsoft\toffice\tcommercial\tyes\r\n"
        #expect(try CatalogFile.read(Data(catalog.utf8), file: "c.tsv").count == 1)
        let policy = "# thresholds\r\npatch_max_age_days = 45\r\n"
        #expect(try PolicyFile.read(Data(policy.utf8), file: "p.conf").patchMaxAgeDays == 45)
        let lifecycle = LifecycleFile.header.joined(separator: "\t") + "\r\nWindows 7\t\t\t2020-01-14\tWindows 7\r\n"
        #expect(try LifecycleFile.read(Data(lifecycle.utf8), file: "l.tsv").count == 1)
    }
}
