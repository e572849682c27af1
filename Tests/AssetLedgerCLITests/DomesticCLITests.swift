import Foundation
import Testing

@testable import AssetLedgerCLI

/// `domestic` as a user types it, on the sample campus.
@Suite struct DomesticCLITests {
    @Test func sharesInEveryFormat() async throws {
        let s = try await loadedSession()
        // The sample's PCs: Lenovo (seen by scan and agent, one device) against Dell and HP.
        let zh = try await s.run("domestic", "--year", "2026")
        #expect(zh.hasPrefix("口径") && zh.contains("国产占比"))
        let pc = try #require(zh.split(separator: "\n").first { $0.hasPrefix("硬件设备") && $0.contains("计算机") })
        #expect(
            pc.split(separator: " ").map(String.init) == [
                "硬件设备", "计算机", "2026", "1", "2", "0", "0", "33.3%", "50.0%", "否",
            ])
        let en = try await s.run("domestic", "--year", "2026", "--lang", "en", "--format", "csv")
        #expect(en.hasPrefix("\u{FEFF}measure,category,year,domestic,foreign,unknown,virtual,share,target,met\r\n"))
        #expect(en.contains("\r\ndevices,pc,2026,1,2,0,0,33.3%,50.0%,no\r\n"))
        let json = try await s.run("domestic", "--year", "2026", "--format", "json")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let pcRow = try #require(
            rows.first { $0["measure"] as? String == "devices" && $0["category"] as? String == "pc" })
        #expect(pcRow["share"] as? Double == 1.0 / 3.0 && pcRow["met"] as? Bool == false)
        let book = s.dir.appendingPathComponent("d.xlsx").path
        #expect(try await s.run("domestic", "--format", "xlsx", "--output", book).contains("2 sheet(s)"))
        #expect(
            try CommitmentCLITests.sheets(book).hasPrefix(
                "国产化率|口径,类别,年度,国产,非国产,未知,虚拟机,国产占比,目标,达标|软件安装,合计,"))
        #expect(await s.usageError("domestic", "--format", "xlsx")?.contains("--output") == true)
        #expect(await s.usageError("domestic", "--year", "26")?.contains("not a year") == true)
        #expect(await s.usageError("domestic", "--lang", "fr") != nil)
    }
}
