import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ingest
import LedgerApp
import LedgerModel
import LedgerServer
import LedgerStore
import TestSupport
import Testing

/// The read-only pages (departments, software, audit log) hold the caller's scope, and what
/// users and machines wrote is escaped on them.
@Suite struct LedgerPageTests {
    /// The device page shows the newest port scan's open ports and, for an office PC, its
    /// posture (findings, antivirus, patches) from the agent's report, in the caller's scope.
    @Test func theDevicePageShowsPortsAndThePCsPosture() async throws {
        let campus = try Campus()
        var scanned = Observation(
            source: .scan, sourceRef: "scan lab0", observedAt: Date(timeIntervalSince1970: 1_790_000_600),
            macs: ["3c:d9:2b:00:00:01"], ips: ["198.18.10.5"])
        scanned.evidence = [
            Evidence(field: "port", value: "tcp/9100", reason: "open", certainty: 0),
            Evidence(field: "port", value: "tcp/80", reason: "open", certainty: 0),
            Evidence(field: "ports.scanned", value: "21-23,80,9100", reason: "asked", certainty: 0),
        ]
        _ = try campus.service.ledger.merge([scanned])
        let workstation = "fusioninventory/rudder/WORKSTATION1-8f94b6a2-5cb6-4f76-9fa7-467e8b22f5e7.ocs"
        let pc = try #require(
            try campus.service.importFile(try Fixtures.readable(Fixtures.agents(workstation)).path).device)
        try campus.service.assign(device: pc, to: "DZB", scope: .everything, actor: Principal("test"))
        try await campus.app().test(.router) { client in
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            let printer = String(buffer: try await client.get("/devices/\(campus.dzb)?lang=en", as: dzb).body)
            #expect(printer.contains("Open TCP ports: 80, 9100 · Ports asked: 21-23,80,9100"), "\(printer)")
            #expect(!printer.contains("Endpoint posture"), "a printer has no posture section")
            let page = String(buffer: try await client.get("/devices/\(pc)?lang=en", as: dzb).body)
            #expect(page.contains("Endpoint posture") && page.contains("No port scan has seen it"))
            let posture = try #require(try campus.service.posture(PostureQuery(device: pc), scope: .everything).first)
            #expect(posture.id == pc)
            for f in posture.findings { #expect(page.contains(f.code), "\(f.code)") }
            let detail = try campus.service.showDevice(pc, scope: .everything)
            #expect(!posture.findings.isEmpty && detail.endpoint?.patches.isEmpty == false)
            #expect(detail.endpoint?.antivirus.isEmpty == false)
            for p in (detail.endpoint?.patches ?? []).suffix(50) { #expect(page.contains(">\(p.id)<"), "\(p.id)") }
            for a in detail.endpoint?.antivirus ?? [] { #expect(page.contains(a.name), "\(a.name)") }
            // Another department's PC: not found, its posture nowhere.
            let two = try await client.signIn("two", Campus.passwords["two"]!)
            #expect(try await client.get("/devices/\(pc)", as: two).status == .notFound)
        }
        // The posture of one PC is that PC's row of the department's list, and only in scope.
        let one = try campus.service.posture(PostureQuery(device: pc), scope: .everything)
        #expect(one == (try campus.service.posture(scope: .everything)).filter { $0.id == pc })
        #expect(try campus.service.posture(PostureQuery(device: pc), scope: .departments(["CWC"])).isEmpty)
        #expect(try campus.service.posture(PostureQuery(device: campus.dzb), scope: .everything).isEmpty)
    }

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
