import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerApp
import LedgerModel
import LedgerServer
import TestSupport
import Testing

/// The console in a real browser: headless Chromium driven through chromedriver against the
/// live server on loopback. `ASSETLEDGER_WRITE_SCREENSHOT=1` keeps the screenshots in docs/.
@Suite(.serialized) struct BrowserTests {
    /// The console served live on loopback and a headless Chromium: `body` gets the browser,
    /// the server's address and the test client; the browser quits whatever happens.
    static func inBrowser(
        _ campus: Campus, _ body: @escaping @Sendable (WebDriver, String, any TestClientProtocol) async throws -> Void
    ) async throws {
        let (router, _) = try LedgerServer.router(service: campus.service)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let browser = try await WebDriver()
            do {
                try await body(browser, base, client)
            } catch {
                await browser.quit()
                throw error
            }
            await browser.quit()
        }
    }

    @Test func aLiaisonSignsInSeesOnlyTheirDevicesReviewsOneAndExports() async throws {
        let campus = try Campus()
        try await Self.inBrowser(campus) { browser, base, client in
            try await browser.go(base + "/devices")
            #expect(try await browser.source().contains("name=\"password\""))  // sent to sign in
            try await browser.type("input[name=login]", "two")
            try await browser.type("input[name=password]", Campus.passwords["two"]!)
            try await browser.click("form.login button")
            // The click returns once the form is sent; the dashboard follows its redirect.
            #expect(try await browser.wait { $0.contains("总览") && $0.contains("CWC, JYXY") })
            let dashboard = try await browser.source()
            #expect(dashboard.contains("总览") && dashboard.contains("CWC, JYXY"), "\(dashboard.prefix(3000))")
            #expect(try await browser.cookie("al_session") != nil)
            // The device list: theirs only; the hostile host name shown as text, no script ran.
            try await browser.go(base + "/devices")
            let list = try await browser.source()
            #expect(list.contains("jys-pc") && !list.contains("dzb-printer"))
            #expect(try await browser.title() == "设备 · AssetLedger")
            #expect(list.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            let shot = try await browser.screenshot()
            #expect(shot.starts(with: [0x89, 0x50, 0x4E, 0x47]) && shot.count > 10_000)
            // Another department's device: not found.
            try await browser.go(base + "/devices/\(campus.dzb)")
            #expect(try await browser.source().contains("404"))
            // The review on the device page: confirmed, through the page's own form (CSRF token).
            try await browser.go(base + "/devices/\(campus.jys)")
            try await browser.click("form.review button")
            #expect(try await browser.wait { $0.contains("确认属于本部门 ·") })
            #expect(try campus.service.reviews(scope: .everything)[campus.jys]?.status == "confirmed")
            let page = try await browser.screenshot()
            // The export of the current filter, fetched with the browser's session.
            let session = try #require(try await browser.cookie("al_session"))
            let csv = try await client.execute(
                uri: "/devices/export?format=csv", method: .get, headers: [.cookie: "al_session=\(session)"])
            let text = String(buffer: csv.body)
            #expect(text.hasPrefix("\u{FEFF}") && text.contains("jys-pc") && !text.contains("dzb-printer"))
            // English on a switch.
            try await browser.go(base + "/devices?lang=en")
            #expect(try await browser.title() == "Devices · AssetLedger")
            if ProcessInfo.processInfo.environment["ASSETLEDGER_WRITE_SCREENSHOT"] == "1" {
                try shot.write(to: Fixtures.docs("console-devices.png"))
                try page.write(to: Fixtures.docs("console-device.png"))
            }
        }
    }

    /// IT in the browser: the queue shows another department's claim, a click grants it; the
    /// self-check's page shows each department's progress.
    @Test func itClearsTheQueueAndFollowsTheSelfCheck() async throws {
        let campus = try Campus()
        let claim = try campus.service.fileClaim(
            identifier: "3C-D9-2B-00-00-02", reason: "二楼财务室的打印机其实是党政办的", scope: .departments(["DZB"]),
            actor: Principal("web:dzb"))
        let campaign = try campus.service.openCampaign(
            kind: "self-check", name: "2026年软件正版化自查", deadline: "2026-12-31", scope: .everything,
            actor: Principal("test"))
        try await Self.inBrowser(campus) { browser, base, _ in
            try await browser.signIn(base, "it", Campus.passwords["it"]!)
            #expect(try await browser.wait { $0.contains("总览") && $0.contains("全校") })
            try await browser.go(base + "/queue")
            let queue = try await browser.source()
            #expect(queue.contains("二楼财务室的打印机其实是党政办的") && queue.contains("stray"))
            let queueShot = try await browser.screenshot()
            try await browser.click("form.decision button[value=grant]")
            #expect(try await browser.wait { !$0.contains("二楼财务室的打印机其实是党政办的") && $0.contains("stray") })
            #expect(try campus.service.showDevice(campus.cwc, scope: .everything).device.department == "DZB")
            #expect(try campus.service.listClaims(scope: .everything).first?.id == claim.id)
            try await browser.go(base + "/campaigns/\(campaign.id)")
            let page = try await browser.source()
            #expect(page.contains("2026年软件正版化自查") && page.contains("JYXY-JYS") && page.contains("no_report"))
            let campaignShot = try await browser.screenshot()
            #expect(campaignShot.count > 10_000 && queueShot.count > 10_000)
            if ProcessInfo.processInfo.environment["ASSETLEDGER_WRITE_SCREENSHOT"] == "1" {
                try queueShot.write(to: Fixtures.docs("console-queue.png"))
                try campaignShot.write(to: Fixtures.docs("console-campaign.png"))
            }
        }
    }
    /// A liaison in the browser does the security check and the commitments: the check's page
    /// narrowed to one department, a manual item recorded from its row; the commitments page's
    /// unsigned staff, one signature recorded.
    @Test func aLiaisonRecordsTheSecurityCheckAndACommitment() async throws {
        let campus = try Campus()
        let check = try campus.service.openCampaign(
            kind: "security-check", name: "2026年网络安全检查", deadline: "2026-12-31", scope: .everything,
            actor: Principal("test"))
        let staff = FileManager.default.temporaryDirectory.appendingPathComponent("staff-\(UUID().uuidString).csv")
        try Data("employee_id,name,department_code,email\nJ101,周九,JYXY-JYS,\nD001,李一,DZB,\n".utf8).write(to: staff)
        _ = try campus.service.importStaff(file: staff.path, scope: .everything, actor: Principal("test"))
        let year = Int(LedgerService.today().prefix(4))!
        try await Self.inBrowser(campus) { browser, base, _ in
            try await browser.signIn(base, "two", Campus.passwords["two"]!)
            #expect(try await browser.wait { $0.contains("总览") })
            try await browser.go(base + "/campaigns/\(check.id)?dept=JYXY-JYS")
            let page = try await browser.source()
            #expect(page.contains("未违规连接专网、涉密网络与互联网") && page.contains("jys-pc") && !page.contains("dzb-printer"))
            try await browser.click("form.result:has(input[name=item][value=pc_private_network]) button")
            #expect(try await browser.wait { $0.contains("web:two") })
            let shot = try await browser.screenshot()
            let result = try campus.service.securityCheckResults(check.id, scope: .everything).first {
                $0.device == campus.jys && $0.item == "pc_private_network"
            }
            #expect(result?.result == "pass" && result?.source == "manual")
            try await browser.go(base + "/commitments")
            #expect(try await browser.wait { $0.contains("周九") && !$0.contains("李一") })
            try await browser.click("form.sign button")
            #expect(try await browser.wait { !$0.contains("form method=\"post\" action=\"/commitments/sign\"") })
            let coverage = try campus.service.commitmentCoverage(year: year, scope: .everything)
            #expect(coverage.first { $0.department == "JYXY-JYS" }?.signed == 1)
            #expect(shot.count > 10_000)
            if ProcessInfo.processInfo.environment["ASSETLEDGER_WRITE_SCREENSHOT"] == "1" {
                try shot.write(to: Fixtures.docs("console-security-check.png"))
            }
        }
    }
}

extension WebDriver {
    /// Signs in through the sign-in page's form, as a person would.
    func signIn(_ base: String, _ login: String, _ password: String) async throws {
        try await go(base + "/login")
        try await type("input[name=login]", login)
        try await type("input[name=password]", password)
        try await click("form.login button")
    }
}
