import Foundation
import LedgerModel
import LedgerStore
import Testing

@testable import LedgerApp

/// The licensed-software commitment (承诺书): staff list, signatures, coverage.
@Suite struct CommitmentTests {
    let it = Principal("cli:it")
    let cwc = DeviceScope.departments(["CWC"])
    static let header = "employee_id,name,department_code,email\n"

    /// The test college's staff: 4 in CWC, 2 in JYXY, 1 in its sub-department JYXY-JYS.
    func staffed() throws -> LedgerService {
        let s = try campusService()
        let file = try tempFile(
            "staff.csv",
            "\u{FEFF}" + Self.header + """
                C001,张三,CWC,zhangsan@example.edu.cn
                C002,李四,CWC,
                C003,王五,CWC,
                C004,赵六,CWC,
                J001,钱七,JYXY,
                J002,孙八,JYXY,
                J101,周九,JYXY-JYS,
                """)
        let r = try s.importStaff(file: file, scope: .everything, actor: it)
        #expect(r.staff == 7 && r.added == 7 && r.removed == 0)
        return s
    }

    func inputError(_ body: () throws -> Any) -> InputError? {
        do {
            _ = try body()
            return nil
        } catch let e as InputError { return e } catch { return nil }
    }

    @Test func badStaffFilesAreRefusedWholeWithTheirLine() throws {
        let s = try staffed()
        for (text, line, reason) in [
            ("X1,甲,CWC,\nX1,乙,CWC,\n", 3, "duplicate employee_id 'X1' (first on line 2)"),
            ("X1,甲,CWC,\nX2,乙,NOPE,\n", 3, "unknown department 'NOPE'"),
            ("X1,甲,CWC,not-a-mail\n", 2, "email 'not-a-mail' is not an e-mail address"),
            ("X1,,CWC,\n", 2, "empty name"),
        ] {
            let e = try #require(
                inputError {
                    try s.importStaff(file: try tempFile("s.csv", Self.header + text), scope: .everything, actor: it)
                })
            #expect(e.line == line && e.reason == reason)
        }
        let wrong = try #require(
            inputError {
                try s.importStaff(file: try tempFile("s.csv", "id,name\n1,a\n"), scope: .everything, actor: it)
            })
        #expect(wrong.line == 1 && wrong.reason.hasPrefix("wrong header"))
        // Nothing was written: still the 7 of the first import, and only its audit entry.
        #expect(try s.ledger.staffSignatures(year: 2026).count == 7)
        #expect(
            try s.auditLog(scope: .everything).filter { $0.action == "staff.import" }.map(\.department) == [
                "CWC", "JYXY", "JYXY-JYS", nil,
            ])
        // The staff list is IT's (or HR's): a liaison may not import it.
        #expect(
            code { try s.importStaff(file: try tempFile("s.csv", Self.header), scope: cwc, actor: it) } == .forbidden)
    }

    @Test func signaturesCoverageAndReimport() throws {
        let s = try staffed()
        let signed = try tempFile(
            "c.csv",
            """
            employee_id,signed_at,text_year
            C001,2026-03-01,2026
            C002,2026-03-02,2026
            J001,2026-03-05,2026
            C001,2025-03-01,2025
            """)
        #expect(try s.importCommitments(file: signed, scope: .everything, actor: it).imported == 4)

        // Refusals name the line, and nothing of the file is recorded.
        for (text, line, reason) in [
            ("C003,2026-03-01,2026\nNOBODY,2026-03-01,2026\n", 3, "unknown employee 'NOBODY': not on the staff list"),
            ("C003,2026-02-30,2026\n", 2, "signed_at '2026-02-30' is not a date YYYY-MM-DD"),
            ("C003,2026-03-01,26\n", 2, "text_year '26' is not a 4-digit year"),
            (
                "C003,2026-03-01,2026\nC003,2026-03-04,2026\n", 3,
                "employee 'C003' signs the 2026 text twice (first on line 2)"
            ),
        ] {
            let file = try tempFile("c.csv", "employee_id,signed_at,text_year\n" + text)
            let e = try #require(inputError { try s.importCommitments(file: file, scope: .everything, actor: it) })
            #expect(e.line == line && e.reason == reason)
        }

        let coverage = try s.commitmentCoverage(year: 2026, scope: .everything)
        #expect(coverage.map(\.department) == ["CWC", "JYXY", "JYXY-JYS"])
        let c = try #require(coverage.first)
        #expect(c.name == "财务处" && c.staff == 4 && c.signed == 2 && c.unsigned == 2 && c.share == 0.5)
        #expect(coverage[1].staff == 2 && coverage[1].signed == 1 && coverage[2].signed == 0 && coverage[2].share == 0)
        // --dept takes the sub-tree; another year counts that year's text only.
        #expect(
            try s.commitmentCoverage(department: "JYXY", year: 2026, scope: .everything).map(\.department) == [
                "JYXY", "JYXY-JYS",
            ])
        #expect(try s.commitmentCoverage(year: 2025, scope: .everything).map(\.signed) == [1, 0, 0])
        #expect(
            try s.unsignedStaff(year: 2026, scope: .everything).map(\.employeeId) == ["C003", "C004", "J002", "J101"])

        // Signing one by one.
        let one = try s.signCommitment(employee: "C003", year: 2026, day: "2026-04-01", scope: .everything, actor: it)
        #expect(one.name == "王五" && one.signedAt == "2026-04-01")
        #expect(
            code { try s.signCommitment(employee: "C004", year: 2026, day: "1 April", scope: .everything, actor: it) }
                == .invalidInput)
        #expect(
            code { try s.signCommitment(employee: "NOBODY", year: 2026, scope: .everything, actor: it) } == .notFound)
        #expect(try s.commitmentCoverage(year: 2026, scope: .everything)[0].signed == 3)

        // Re-import: C002 and J002 leave (with their signatures), C001 moves to JYXY and keeps his.
        let again = try tempFile(
            "staff2.csv",
            Self.header + """
                C001,张三,JYXY,
                C003,王五,CWC,
                C004,赵六,CWC,
                J001,钱七,JYXY,
                J101,周九,JYXY-JYS,
                N001,吴十,DZB,
                """)
        let r = try s.importStaff(file: again, scope: .everything, actor: it)
        #expect(r.staff == 6 && r.added == 1 && r.updated == 5 && r.removed == 2 && r.commitmentsRemoved == 1)
        let after = try s.commitmentCoverage(year: 2026, scope: .everything)
        #expect(
            after.map { "\($0.department):\($0.signed)/\($0.staff)" } == [
                "CWC:1/2", "DZB:0/1", "JYXY:2/2", "JYXY-JYS:0/1",
            ])
        #expect(try s.commitmentCoverage(year: 2025, scope: .everything).first { $0.department == "JYXY" }?.signed == 1)

        let actions = try s.auditLog(scope: .everything).map(\.action)
        // Each staff import: one entry per department whose staff changed, then the campus one.
        let imports = try s.auditLog(scope: .everything).filter { $0.action == "staff.import" }
        #expect(imports.filter { $0.department == nil }.count == 2)
        let second = Array(imports.drop { !($0.entityId ?? "").hasSuffix("staff2.csv") })
        try #require(second.map(\.department) == ["CWC", "DZB", "JYXY", nil])
        func person(_ id: String, _ name: String) -> JSONValue {
            .object(["employee_id": .string(id), "name": .string(name)])
        }
        // Who left is named in their department's entry, with the signatures that went with them.
        #expect(
            second[0].details.filter { $0.key != "file" } == [
                "added": [], "moved_in": [], "moved_out": [person("C001", "张三")],
                "removed": [.object(["employee_id": "C002", "name": "李四", "commitments_removed": [2026]])],
            ])
        #expect(second[1].details["added"] == [person("N001", "吴十")])
        #expect(second[2].details["moved_in"] == [person("C001", "张三")])
        #expect(
            second[2].details["removed"] == [.object(["employee_id": "J002", "name": "孙八", "commitments_removed": []])])
        #expect(second[3].details["removed"] == 2 && second[3].details["commitments_removed"] == 1)
        // One entry per department the file concerns (CWC, JYXY), each in that department's log.
        #expect(actions.filter { $0 == "commitment.import" }.count == 2)
        #expect(
            try s.auditLog(department: "JYXY", scope: .everything).contains {
                $0.action == "commitment.import" && $0.details["imported"] == 1
            })
        #expect(actions.filter { $0 == "commitment.sign" }.count == 1)
    }

    @Test func aLiaisonSeesAndSignsOnlyTheirDepartment() throws {
        let s = try staffed()
        #expect(try s.commitmentCoverage(year: 2026, scope: cwc).map(\.department) == ["CWC"])
        #expect(try s.unsignedStaff(year: 2026, scope: cwc).map(\.employeeId) == ["C001", "C002", "C003", "C004"])
        #expect(code { try s.commitmentCoverage(department: "JYXY", year: 2026, scope: cwc) } == .notFound)
        // A foreign employee is not found, exactly like one that does not exist.
        #expect(code { try s.signCommitment(employee: "J001", year: 2026, scope: cwc, actor: it) } == .notFound)
        let liaison = Principal("web:wangwu")
        #expect(
            try s.signCommitment(employee: "C002", year: 2026, day: "2026-03-09", scope: cwc, actor: liaison).department
                == "CWC")
        // A file naming a foreign employee is refused whole, with its line.
        let file = try tempFile(
            "c.csv", "employee_id,signed_at,text_year\nC001,2026-03-01,2026\nJ001,2026-03-01,2026\n")
        let e = try #require(inputError { try s.importCommitments(file: file, scope: cwc, actor: liaison) })
        #expect(e.line == 3 && e.reason.hasPrefix("unknown employee 'J001'"))
        #expect(try s.commitmentCoverage(year: 2026, scope: cwc)[0].signed == 1)
        // The liaison's entries are in their department's audit log.
        let log = try s.auditLog(scope: cwc)
        #expect(log.contains { $0.action == "commitment.sign" && $0.department == "CWC" && $0.actor == "web:wangwu" })
        // Of the staff import, their department's entry only (not the campus-wide one).
        #expect(log.filter { $0.action == "staff.import" }.map(\.department) == ["CWC"])
    }
}
