import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ingest
import LedgerApp
import LedgerModel
import LedgerServer
import LedgerStore
import Testing

/// The read-only pages (departments, software, audit log) hold the caller's scope, and what
/// users and machines wrote is escaped on them.
@Suite struct LedgerPageTests {
    @Test func departmentsSoftwareAndAuditShowOnlyTheCallersScope() async throws {
        let campus = try Campus()
        let departments = """
            code,name,name_en,kind,parent_code,leader,liaison,liaison_phone,liaison_email,sysadmin,sysadmin_phone,sysadmin_email
            DZB,党政办公室,,职能部门,,李主任,<b>王五</b>,010-1234,,,,
            CWC,财务处,,职能部门,,赵处长,钱六,010-5678,,,,
            JYXY,教育学院,,二级学院,,,,,,,,
            JYXY-JYS,教研室,,二级学院,JYXY,,,,,,,
            """
        try campus.service.ledger.importDepartments(
            DepartmentFile.read(Data(departments.utf8), file: "d.csv"), file: "d.csv")
        _ = try campus.service.reviewDevices(
            [campus.dzb], status: .confirmed, note: "<img src=x onerror=alert(1)>", scope: .everything,
            actor: Principal("web:dzb"))
        _ = try campus.service.reviewDevices(
            [campus.cwc], status: .confirmed, note: "cwc-only-note", scope: .everything, actor: Principal("web:two"))
        try await campus.app().test(.router) { client in
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            let aud = try await client.signIn("aud", Campus.passwords["aud"]!)
            let page = String(buffer: try await client.get("/departments", as: dzb).body)
            #expect(page.contains("党政办公室") && page.contains("&lt;b&gt;王五&lt;/b&gt;") && !page.contains("<b>王五"))
            #expect(!page.contains("财务处") && !page.contains("钱六"))
            let all = String(buffer: try await client.get("/departments", as: aud).body)
            #expect(all.contains("财务处") && all.contains("钱六") && all.contains("教研室"))
            let audit = String(buffer: try await client.get("/audit", as: dzb).body)
            #expect(audit.contains("device.review") && audit.contains("&lt;img src=x") && !audit.contains("<img"))
            #expect(!audit.contains("cwc-only-note"))
            #expect(String(buffer: try await client.get("/audit", as: aud).body).contains("cwc-only-note"))
            let software = try await client.get("/software", as: dzb)
            #expect(software.status == .ok && String(buffer: software.body).contains("软件正版化"))
            // The dashboard: the scope's failing PCs (the JYXY-JYS PC has never reported) and
            // licence position; none of them for DZB, which has no PC.
            let two = try await client.signIn("two", Campus.passwords["two"]!)
            let dashboard = String(buffer: try await client.get("/", as: two).body)
            #expect(dashboard.contains("未达标的办公电脑") && dashboard.contains("/devices/\(campus.jys)\""))
            let dzbDashboard = String(buffer: try await client.get("/", as: dzb).body)
            #expect(!dzbDashboard.contains("/devices/\(campus.jys)\"") && dzbDashboard.contains("0 台，共 0"))
            // The English switch.
            let english = String(buffer: try await client.get("/departments?lang=en", as: dzb).body)
            #expect(english.contains("Security liaison") && !english.contains("信息安全联络员"))
        }
    }
}
