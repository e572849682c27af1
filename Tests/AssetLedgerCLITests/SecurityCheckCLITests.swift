import Foundation
import LedgerModel
import Testing

@testable import AssetLedgerCLI

/// The security check (网络安全检查) and device custody as a user types them, on the sample
/// campus (device 1 is its HP printer in DZB).
@Suite struct SecurityCheckCLITests {
    @Test func aSecurityCheckFromTheCommandLine() async throws {
        let s = try await loadedSession()
        #expect(
            try await s.run("campaign", "open", "security-check", "2026年网络安全检查", "--deadline", "2026-12-31")
                .contains("campaign 1 opened"))
        #expect(
            try await s.run("device", "custody", "1", "--responsible", "张三", "--location", "行政楼 301")
                == "device 1: responsible 张三, 行政楼 301\n")
        #expect(try await s.run("device", "show", "1").contains("responsible: 张三, 行政楼 301 (set by cli:"))
        let show = try await s.run("campaign", "show", "1")
        #expect(show.hasPrefix("部门") && show.contains("security-check, open") && show.contains("printer 1"))
        #expect(
            try await s.run(
                "campaign", "check", "1", "1", "dev_admin_password", "--result", "fail", "--note", "出厂口令未改"
            ).hasPrefix("device 1 dev_admin_password: fail recorded by cli:"))
        let csv = try await s.run("campaign", "results", "1", "--lang", "en", "--format", "csv", "--failing")
        #expect(
            csv.hasPrefix(
                "\u{FEFF}device,hostname,class,department,item,title,result,source,auto_result,evidence,note,checked_by,checked_at\r\n"
            ))
        #expect(csv.contains("dev_admin_password,Administrator password changed from the default,fail,manual,,,出厂口令未改"))
        #expect(!csv.contains(",pass,"))
        let json = try await s.run("campaign", "results", "1", "--format", "json", "--dept", "DZB")
        #expect(json.contains("\"item\" : \"dev_responsible\"") && !json.contains("\"department\" : \"CWC\""))
        let book = s.dir.appendingPathComponent("sec.xlsx").path
        #expect(try await s.run("campaign", "results", "1", "--format", "xlsx", "-o", book).contains("2 sheet(s)"))
        let sheets = try CommitmentCLITests.sheets(book)
        #expect(sheets.hasPrefix("检查结果|设备,主机名,类别,部门,检查项,检查内容,结果,来源,自动判断,依据,备注,检查人,检查时间|"))
        #expect(sheets.contains(";部门进度|部门,名称,设备,检查项,合格,不合格,不适用,未答,有问题设备,全部合格设备|"))
        // Self-check steps refuse it (invalid input, not a usage error).
        await #expect(throws: LedgerError.self) { try await s.run("campaign", "findings", "1") }
        #expect(
            await s.usageError("campaign", "check", "1", "1", "dev_firmware", "--result", "ok")?.contains(
                "pass, fail or na") == true)
        #expect(
            await s.usageError("campaign", "open", "audit", "x", "--deadline", "2026-12-31")?.contains("security-check")
                == true)
        #expect(try await s.run("campaign", "close", "1").contains("campaign 1 closed"))
        await #expect(throws: LedgerError.self) {
            try await s.run("campaign", "check", "1", "1", "dev_physical", "--result", "pass")
        }
        // Next year's check, compared with this one (the manual item is unanswered again).
        try await s.run("campaign", "open", "security-check", "2027年网络安全检查", "--deadline", "2027-12-31")
        try await s.run("campaign", "close", "2")
        let diff = try await s.run("campaign", "diff", "1", "2", "--lang", "en")
        #expect(diff.hasPrefix("department") && diff.contains("old_failed") && diff.contains("result(s) changed"))
        #expect(!diff.hasSuffix("0 result(s) changed\n"))
    }
}
