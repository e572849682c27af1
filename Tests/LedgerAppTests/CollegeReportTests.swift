import Foundation
import LedgerModel
import Reports
import TestSupport
import Testing

@testable import LedgerApp

/// `report`: the numbers of the test college of `ComplianceTests` (280 PCs, hand-counted there),
/// scoped, and laid out as a document.
@Suite struct CollegeReportTests {
    static let day = ComplianceTests.day

    @Test func theReportCountsWhatComplianceCounts() throws {
        let s = try ComplianceTests.college()
        let r = try s.collegeReport(ReportQuery(day: Self.day), scope: .everything)
        #expect(r.devices == 280 && r.department == nil && r.day == Self.day)
        #expect(
            r.devicesByClass.map { "\($0.department ?? "-") \($0.deviceClass) \($0.devices)" } == [
                "CWC pc 60", "DZB pc 100", "JYXY pc 80", "JYXY-JYS pc 40",
            ])
        // Operating systems: 280 installs; JYXY-JYS's 10 Home PCs and 10 Pro PCs beyond the
        // pool are unlicensed → 260 licensed.
        let os = try #require(r.compliance.first { $0.category == "os_pc" })
        #expect(os.installs == 280 && os.licensed == 260 && os.unlicensed == 20)
        #expect(abs(os.rate - 260.0 / 280.0) < 1e-9)
        // Per department: only JYXY-JYS has unlicensed operating systems.
        let osRows = r.complianceByDepartment.filter { $0.category == "os_pc" }
        #expect(
            osRows.map { "\($0.department ?? "-") \($0.installs) \($0.unlicensed)" } == [
                "CWC 60 0", "DZB 100 0", "JYXY 80 0", "JYXY-JYS 40 20",
            ])
        // The categories' totals are the compliance rows' sums, cracks excluded.
        let rows = try s.compliance(ComplianceQuery(day: Self.day), scope: .everything)
        for rate in r.compliance {
            let mine = rows.filter { $0.category == rate.category }
            #expect(rate.installs == mine.reduce(0) { $0 + $1.installs })
            #expect(rate.unlicensed == mine.reduce(0) { $0 + $1.unlicensedDevices.count })
        }
        #expect(!r.compliance.contains { $0.category == "crack" })
        // Every unlicensed install is listed once, with why.
        func count(_ product: String, _ edition: String, _ reason: String) -> Int {
            r.unlicensed.filter { $0.product == product && $0.edition == edition && $0.reason == reason }.count
        }
        #expect(count("Microsoft Windows", "Home", "home_edition") == 10)
        #expect(count("Microsoft Windows", "Pro", "unlicensed") == 10)
        #expect(count("Microsoft Office", "Professional Plus", "unlicensed") == 15)
        #expect(count("Microsoft SQL Server", "Standard", "expired") == 10)
        #expect(count("Activation crack", "", "crack") == 5)
        #expect(r.unlicensed.count == rows.reduce(0) { $0 + $1.unlicensedDevices.count })
        #expect(r.unlicensed.allSatisfy { $0.hostname?.hasPrefix("pc") == true })
        // What must not be listed: parts, components, free software.
        #expect(!r.unlicensed.contains { ["Word", "Excel"].contains($0.edition) || $0.product == "LibreOffice" })
        #expect(r.selfCheck == nil && r.commitmentYear == 2026 && r.commitments.isEmpty)
        // The usage summary is the compliance rows (cracks apart); the domestic shares are the
        // domestic use case's for the year of the day.
        #expect(r.usageSummary.count == rows.filter { $0.category != "crack" }.count)
        #expect(
            r.usageSummary.reduce(0) { $0 + $1.installs }
                == rows.filter { $0.category != "crack" }.reduce(0) { $0 + $1.installs })
        #expect(
            r.domestic
                == (try s.domesticShare(DomesticShareQuery(year: 2026, day: Self.day), scope: .everything)))
        let pcs = try #require(r.domestic.first { $0.measure == "devices" && $0.category == "pc" })
        #expect(pcs.domestic + pcs.foreign + pcs.unknown + pcs.virtual == 280)
    }

    @Test func aLiaisonsReportHoldsOnlyTheirDepartment() throws {
        let s = try ComplianceTests.college()
        let cwc = try s.collegeReport(ReportQuery(day: Self.day), scope: .departments(["CWC"]))
        #expect(cwc.devices == 60)
        #expect(cwc.devicesByClass.allSatisfy { $0.department == "CWC" })
        #expect(cwc.complianceByDepartment.allSatisfy { $0.department == "CWC" })
        #expect(cwc.unlicensed.map(\.product) == Array(repeating: "Activation crack", count: 5))
        // A sub-tree: JYXY with JYXY-JYS; a foreign department is not found.
        let jyxy = try s.collegeReport(ReportQuery(department: "JYXY", day: Self.day), scope: .everything)
        #expect(jyxy.devices == 120 && jyxy.departmentName == "教育学院")
        #expect(Set(jyxy.unlicensed.compactMap(\.department)) == ["JYXY", "JYXY-JYS"])
        #expect(
            code { try s.collegeReport(ReportQuery(department: "DZB"), scope: .departments(["CWC"])) } == .notFound)
    }

    @Test func theDocumentHasEverySectionInEitherLanguage() throws {
        let s = try ComplianceTests.college()
        _ = try s.openCampaign(
            kind: "self-check", name: "2026年软件正版化自查", deadline: "2026-12-31", scope: .everything,
            actor: Principal("it"))
        let r = try s.collegeReport(ReportQuery(day: Self.day), scope: .everything)
        #expect(r.selfCheck?.campaign.name == "2026年软件正版化自查")
        let zh = ReportLayout.college(r, language: .zh)
        #expect(
            zh.sections.map(\.title) == [
                "设备分类统计", "软件正版化情况", "自查进度", "正版软件使用承诺书签署情况", "网络安全检查", "国产化率",
                "软件使用情况汇总表",
            ])
        #expect(
            zh.sheets.map(\.name) == [
                "设备分类", "正版率", "各部门正版率", "未授权安装", "自查进度", "承诺书签署", "国产化率", "软件使用情况汇总表",
            ])
        let unlicensed = try #require(zh.sheets.first { $0.name == "未授权安装" })
        #expect(unlicensed.rows.count == r.unlicensed.count)
        #expect(unlicensed.rows.contains { $0.last == .text("家庭版（非单位正版）") })
        let en = ReportLayout.college(r, language: .en)
        #expect(en.title == "Software legalization report")
        #expect(en.sheets.first?.header.first == "Department")
        let rates = try #require(zh.sections[1].charts.first)
        #expect(rates.bars.first?.label == "操作系统(PC)" && rates.bars.first?.share == 260.0 / 280.0)
    }
}
