import Foundation
import Ingest
import LedgerModel
import LedgerStore
import Reports
import TestSupport
import Testing

@testable import LedgerApp

/// The whole legalization year on the test college of `ComplianceTests` (four departments, 280
/// PCs built from the real agent samples, department and campus licences, installs that must
/// not count): commitments, the self-check from opening to closing by every department's
/// liaison, and the college report — its numbers against the hand count, its workbook read back
/// by openpyxl, its page built and drawn by headless Chromium.
@Suite struct LegalizationEndToEndTests {
    static let day = ComplianceTests.day
    static let it = Principal("cli:it")
    static let departments = ["CWC", "DZB", "JYXY", "JYXY-JYS"]

    static func liaison(_ department: String) -> (scope: DeviceScope, actor: Principal) {
        (.departments([department]), Principal("web:liaison-\(department.lowercased())"))
    }

    @Test func aCollegeRunsItsLegalizationYearEndToEnd() throws {
        let s = try ComplianceTests.college()
        let now = t0.addingTimeInterval(3600)

        // Commitments: eight staff, five signed this year's text (CWC 2/2, DZB 2/3, JYXY 1/2,
        // JYXY-JYS 0/1).
        let staff = try tempFile(
            "staff.csv",
            """
            employee_id,name,department_code,email
            C01,王五,CWC,
            C02,赵六,CWC,
            D01,李明,DZB,liming@example.edu.cn
            D02,张伟,DZB,
            D03,刘芳,DZB,
            J01,陈静,JYXY,
            J02,孙丽,JYXY,
            S01,周强,JYXY-JYS,

            """)
        _ = try s.importStaff(file: staff, scope: .everything, actor: Self.it)
        let signed = try tempFile(
            "signed.csv",
            "employee_id,signed_at,text_year\nC01,2026-03-01,2026\nC02,2026-03-02,2026\nD01,2026-03-01,2026\nD02,2026-03-05,2026\nJ01,2026-03-09,2026\nD03,2025-03-01,2025\n"
        )
        _ = try s.importCommitments(file: signed, scope: .everything, actor: Self.it)

        // The self-check: IT opens it; each liaison resolves every finding of their department
        // (cracks uninstalled, missing licences bought, unclassified titles exempt), checks every
        // PC and has the head sign off; IT samples three PCs per department.
        let c = try s.openCampaign(
            kind: "self-check", name: "2026年软件正版化自查", deadline: "2026-12-31", scope: .everything, actor: Self.it)
        var resolvedCount: [String: Int] = [:]
        for d in Self.departments {
            let (scope, actor) = Self.liaison(d)
            // A liaison's scope takes in the sub-departments (JYXY sees JYXY-JYS): each
            // resolves only their own department's here.
            let all = try s.campaignFindings(c.id, now: now, scope: scope)
            #expect(all.allSatisfy { $0.department == d || ($0.department == "JYXY-JYS" && d == "JYXY") })
            let findings = all.filter { $0.department == d }
            let resolutions = findings.map { f -> (String, Resolution) in
                (
                    f.id,
                    f.product == "Activation crack"
                        ? .uninstalled
                        : f.kind == "unlicensed"
                            ? .licenceBought(reference: "HT-2026-\(d)") : .exempt(reason: "教学专用免费软件")
                )
            }
            if !resolutions.isEmpty {
                _ = try s.resolveFindings(campaign: c.id, resolutions, scope: scope, actor: actor)
            }
            resolvedCount[d] = findings.count
            let pcs = try s.listDevices(scope: scope).filter { $0.department == d }.map(\.id)
            try s.checkPCs(campaign: c.id, devices: pcs, scope: scope, actor: actor)
            try s.signOff(
                campaign: c.id, department: d, by: "\(d)负责人", statement: "本部门已完成软件正版化自查", scope: scope,
                actor: actor)
            let sample = try s.drawSample(
                campaign: c.id, department: d, count: 3, seed: 2026, scope: .everything, actor: Self.it)
            for p in sample {
                try s.recordSampleResult(
                    campaign: c.id, device: p.device, passed: true, note: "抽查无问题", confirmedBy: "\(d)负责人",
                    scope: .everything, actor: Self.it)
            }
        }
        // CWC's findings include its five KMSpico PCs; the JYXY-JYS ones its Home and uncovered
        // Windows, its uncovered Office; a liaison never saw another department's.
        let cwcFindings = try s.campaignFindings(c.id, now: now, scope: Self.liaison("CWC").scope)
        #expect(cwcFindings.filter { $0.product == "Activation crack" }.count == 5)
        let jys = try s.campaignFindings(c.id, now: now, scope: Self.liaison("JYXY-JYS").scope)
        #expect(jys.filter { $0.kind == "unlicensed" && $0.product == "Microsoft Windows" }.count == 20)
        #expect(jys.filter { $0.kind == "unlicensed" && $0.product == "Microsoft Office" }.count == 15)

        // A newer report of one cracked PC still holds KMSpico: that finding reopens.
        let crack = try #require(cwcFindings.first { $0.product == "Activation crack" })
        var report = EndpointReport(format: "test")
        report.collectedAt = Date().addingTimeInterval(120)
        let crackedPC = try #require(crack.device)
        report.identity.serials = [try #require(try s.ledger.device(crackedPC).summary.serial)]
        var os = EndpointReport.OperatingSystem()
        os.name = "Microsoft Windows 7 Professional"
        report.os = os
        report.software = [EndpointReport.Software(name: "KMSpico 10.2.0", source: "registry")]
        try s.ledger.importEndpointReports([report], sourceRef: "newer")

        // The annual security check (网络安全检查) on the same PCs: the ledger answers what it
        // knows, each liaison records the manual items of their PCs, IT closes it.
        let security = try s.openCampaign(
            kind: "security-check", name: "2026年网络安全检查", deadline: "2026-12-31", scope: .everything,
            actor: Self.it)
        let before = try s.securityCheckResults(security.id, SecurityCheckQuery(now: now), scope: .everything)
        // 280 PCs × the PC items; what the ledger judges: unlicensed software fails exactly on the
        // PCs compliance says (JYXY-JYS's 20 OS and 15 Office, CWC's 5 cracked ones, JYXY's 10 SQL
        // Server ones — some overlap on a PC), every PC has an owner department.
        #expect(Set(before.map(\.device)).count == 280)
        let licensedFails = Set(
            before.filter { $0.item == "pc_licensed_software" && $0.result == "fail" }.map(\.device))
        let unlicensedPCs = Set(
            try s.compliance(ComplianceQuery(day: LedgerService.today(now)), scope: .everything).flatMap(
                \.unlicensedDevices))
        #expect(licensedFails == unlicensedPCs && !licensedFails.isEmpty)
        #expect(before.filter { $0.item == "pc_owner_department" }.allSatisfy { $0.result == "pass" })
        #expect(before.filter { $0.item == "pc_private_network" }.allSatisfy { $0.result == "unanswered" })
        for d in Self.departments {
            let (scope, actor) = Self.liaison(d)
            for pc in try s.listDevices(scope: scope).filter({ $0.department == d }).prefix(5) {
                _ = try s.recordSecurityCheck(
                    campaign: security.id, device: pc.id, item: "pc_private_network", result: "pass",
                    note: "现场检查", now: now, scope: scope, actor: actor)
            }
            // Another department's PC is not found.
            let foreign = try #require(
                try s.listDevices(scope: .everything).first {
                    $0.department != nil && !(d == "JYXY" && $0.department == "JYXY-JYS") && $0.department != d
                })
            #expect(
                code {
                    try s.recordSecurityCheck(
                        campaign: security.id, device: foreign.id, item: "pc_private_network", result: "pass",
                        now: now, scope: scope, actor: actor)
                } == .notFound)
        }
        let securityProgress = try s.securityCheckProgress(campaign: security.id, now: now, scope: .everything)
        #expect(securityProgress.compactMap(\.department) == Self.departments)
        #expect(securityProgress.reduce(0) { $0 + $1.devices } == 280)
        _ = try s.closeSecurityCheck(security.id, now: now, scope: .everything, actor: Self.it)

        // The report, as of the day of the hand count.
        let r = try s.collegeReport(ReportQuery(day: Self.day, campaign: c.id), scope: .everything, now: now)
        #expect(r.devices == 280)
        let osRate = try #require(r.compliance.first { $0.category == "os_pc" })
        #expect(osRate.installs == 280 && osRate.licensed == 260)
        let progress = try #require(r.selfCheck?.departments)
        #expect(progress.map(\.department) == Self.departments)
        for p in progress {
            #expect(p.findings == resolvedCount[p.department], "\(p.department)")
            #expect(p.signedBy == "\(p.department)负责人" && p.sampled == 3 && p.samplePassed == 3)
            #expect(p.pcsChecked == p.pcs && p.open == 0)
            #expect(p.reopened == (p.department == "CWC" ? 1 : 0), "\(p.department)")
            #expect(p.resolved == p.findings - p.reopened)
        }
        #expect(progress.map(\.pcs) == [60, 100, 80, 40])
        #expect(
            r.commitments.map { "\($0.department) \($0.signed)/\($0.staff)" } == [
                "CWC 2/2", "DZB 2/3", "JYXY 1/2", "JYXY-JYS 0/1",
            ])

        // A liaison's report is their department's.
        let own = try s.collegeReport(
            ReportQuery(day: Self.day, campaign: c.id), scope: Self.liaison("JYXY-JYS").scope, now: now)
        #expect(own.devices == 40 && own.selfCheck?.departments.map(\.department) == ["JYXY-JYS"])
        #expect(own.commitments.map(\.department) == ["JYXY-JYS"])

        // Closing freezes the campaign; the report then shows the frozen progress.
        _ = try s.closeCampaign(c.id, now: now, scope: .everything, actor: Self.it)
        let closed = try s.collegeReport(ReportQuery(day: Self.day, campaign: c.id), scope: .everything, now: now)
        #expect(closed.selfCheck?.campaign.status == "closed" && closed.selfCheck?.departments == progress)
        #expect(closed.securityCheck?.status == "closed" && closed.securityCheckResults.count == 4)

        // The workbook, read back by openpyxl: one sheet per table, headers frozen and bold,
        // numbers as numbers, every unlicensed install a row.
        let doc = ReportLayout.college(closed, language: .zh)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("al-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let book = dir.appendingPathComponent("report.xlsx").path
        try Workbook.write(doc.sheets, to: book)
        let back = try Programs.openpyxl(book)
        #expect(
            back["sheets"] as? [String] == [
                "设备分类", "正版率", "各部门正版率", "未授权安装", "自查进度", "承诺书签署", "网络安全检查", "国产化率",
                "软件使用情况汇总表",
            ])
        let cells = try #require(back["cells"] as? [String: [[Any]]])
        let unlicensed = try #require(cells["未授权安装"])
        #expect(unlicensed.count == closed.unlicensed.count + 1)
        #expect(unlicensed.first?.first as? String == "部门代码")
        let selfCheck = try #require(cells["自查进度"])
        #expect(selfCheck.count == 5 && selfCheck[1][0] as? String == "CWC" && selfCheck[1][6] as? Int == 60)
        let frozen = try #require(back["frozen"] as? [String: String])
        #expect(frozen.values.allSatisfy { $0 == "A2" })

        // The page, in headless Chromium: every section, the charts, the Chinese text; a
        // screenshot of it (ASSETLEDGER_WRITE_SCREENSHOT=1 keeps it as docs/report-college.png).
        let page = dir.appendingPathComponent("report.html").path
        try Data(HTMLReport.render(doc).utf8).write(to: URL(fileURLWithPath: page))
        let dom = try Programs.Chromium.dumpDOM(page)
        for title in doc.sections.map(\.title) { #expect(dom.contains(title), "\(title)") }
        #expect(
            dom.components(separatedBy: "<svg").count - 1
                == doc.sections.flatMap(\.charts).filter { !$0.bars.isEmpty }.count)
        #expect(dom.contains("2026年软件正版化自查") && !dom.contains("<script"))
        let png = dir.appendingPathComponent("report.png").path
        try Programs.Chromium.screenshot(page, to: png, width: 1100, height: 2200)
        let image = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]) && image.count > 50_000)
        if ProcessInfo.processInfo.environment["ASSETLEDGER_WRITE_SCREENSHOT"] == "1" {
            try image.write(to: Fixtures.docs("report-college.png"))
        }
    }
}
