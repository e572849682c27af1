import Foundation
import Testing

@testable import AssetLedgerCLI

@Suite struct CLIRegressionTests {
    // dept export "re-imports unchanged" (docs), but the formula guard adds ' to phones like +86...
    @Test func deptExportRoundTripKeepsPhones() async throws {
        let s = try Session()
        let f = try s.write(
            "d.csv",
            "code,name,name_en,kind,parent_code,leader,liaison,liaison_phone,liaison_email,sysadmin,sysadmin_phone,sysadmin_email\nXXZX,信息化中心,,support,,,张三,+86-10-62751234,,,,\n"
        )
        try await s.run("dept", "import", f)
        let out = s.dir.appendingPathComponent("out.csv").path
        try await s.run("dept", "export", "-o", out)
        try await s.run("dept", "import", out)
        let json = try await s.run("dept", "list", "--format", "json")
        #expect(json.contains("\"+86-10-62751234\""))
    }
}
