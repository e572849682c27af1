import Foundation
import TestSupport
import Testing

@testable import AssetLedgerCLI

/// `staff import`, `commitment import|sign|status` as a user types them.
@Suite struct CommitmentCLITests {
    @Test func staffSignaturesAndCoverageFromTheCommandLine() async throws {
        let s = try Session()
        let departments = try s.write(
            "d.csv",
            """
            code,name,name_en,kind,parent_code,leader,liaison,liaison_phone,liaison_email,sysadmin,sysadmin_phone,sysadmin_email
            CWC,财务处,,职能部门,,,,,,,,
            DZB,党政办公室,,职能部门,,,,,,,,
            """)
        try await s.run("dept", "import", departments)
        let staff = try s.write(
            "staff.csv", "employee_id,name,department_code,email\nC001,张三,CWC,\nC002,李四,CWC,\nD001,王五,DZB,\n")
        #expect(try await s.run("staff", "import", staff).contains("3 employee(s): 3 added"))
        let signed = try s.write("c.csv", "employee_id,signed_at,text_year\nC001,2026-03-01,2026\n")
        #expect(try await s.run("commitment", "import", signed).contains("1 commitment(s) recorded"))
        #expect(try await s.run("commitment", "sign", "D001", "--year", "2026", "--date", "2026-03-02").contains("王五"))

        let zh = try await s.run("commitment", "status", "--year", "2026")
        #expect(zh.hasPrefix("部门") && zh.contains("签署率") && zh.contains("50.0%") && zh.contains("2 of 3 signed"))
        let en = try await s.run("commitment", "status", "--year", "2026", "--lang", "en", "--format", "csv")
        #expect(en.hasPrefix("\u{FEFF}department,name,year,staff,signed,unsigned,share\r\nCWC,财务处,2026,2,1,1,50.0%"))
        let unsigned = try await s.run("commitment", "status", "--year", "2026", "--unsigned", "--format", "json")
        #expect(unsigned.contains("\"employee_id\" : \"C002\"") && !unsigned.contains("C001"))

        let book = s.dir.appendingPathComponent("c.xlsx").path
        #expect(
            try await s.run("commitment", "status", "--year", "2026", "--format", "xlsx", "--output", book).contains(
                "2 sheet(s)"))
        #expect(FileManager.default.contents(atPath: book)?.prefix(2) == Data("PK".utf8))
        #expect(await s.usageError("commitment", "status", "--format", "xlsx")?.contains("--output") == true)
        #expect(await s.usageError("compliance", "--output", book)?.contains("--format xlsx") == true)
        let compliance = s.dir.appendingPathComponent("compliance.xlsx").path
        #expect(try await s.run("compliance", "--format", "xlsx", "--output", compliance).contains("2 sheet(s)"))
        #expect(
            try Self.sheets(book)
                == "签署情况|部门,名称,年度,教职工,已签,未签,签署率|CWC,财务处,2026,2,1,1,0.5|DZB,党政办公室,2026,1,1,0,1;未签名单|工号,姓名,部门,邮箱|C002,李四,CWC,"
        )
        #expect(try Self.sheets(compliance).hasPrefix("合规情况|类别,软件,版本,部门,安装数,授权数,差额,状态,设备;设备明细|类别,"))
    }

    /// The workbook as openpyxl reads it: `sheet|row|row;sheet|...`, up to three rows a sheet.
    static func sheets(_ path: String) throws -> String {
        try Programs.openpyxlSheets(path).map { sheet in
            ([sheet.title] + sheet.rows.prefix(3).map { $0.joined(separator: ",") }).joined(separator: "|")
        }.joined(separator: ";")
    }
}
