import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerApp
import LedgerModel
import LedgerServer
import Testing

/// The self-check in the console: a liaison sees their departments' findings and PCs, resolves a
/// finding, marks a PC checked and records the head's sign-off; nobody reaches past their scope
/// and an auditor only reads.
@Suite struct CampaignPageTests {
    @Test func aLiaisonDoesTheSelfCheckInTheConsole() async throws {
        let campus = try Campus()
        let campaign = try campus.service.openCampaign(
            kind: "self-check", name: "2026年软件正版化自查", deadline: "2026-12-31", scope: .everything,
            actor: Principal("test"))
        try await campus.app().test(.router) { client in
            let two = try await client.signIn("two", Campus.passwords["two"]!)
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            let aud = try await client.signIn("aud", Campus.passwords["aud"]!)
            func form(_ uri: String, _ body: String, as b: Browser) async throws -> TestResponse {
                try await client.execute(
                    uri: uri, method: .post,
                    headers: [.cookie: b.cookie, .contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "csrf=\(b.csrf)&" + body))
            }
            let list = String(buffer: try await client.get("/campaigns", as: dzb).body)
            #expect(list.contains("2026年软件正版化自查") && list.contains("/campaigns/\(campaign.id)"))
            // The JYXY-JYS PC has never reported: a finding of that department, not of DZB.
            let findings = try campus.service.campaignFindings(campaign.id, scope: .departments(["JYXY"]))
            let finding = try #require(findings.first { $0.device == campus.jys })
            #expect(finding.kind == "no_report")
            let page = String(buffer: try await client.get("/campaigns/\(campaign.id)", as: two).body)
            #expect(
                page.contains("value=\"\(finding.id)\"") && page.contains("name=\"device\" value=\"\(campus.jys)\""))
            // Every form posts to this campaign (found in review: the findings' rows had taken
            // the campaign's id key for their own).
            for action in ["resolve", "check", "sign-off"] {
                #expect(page.contains("action=\"/campaigns/\(campaign.id)/\(action)\""), "\(action)")
            }
            #expect(page.contains("JYXY-JYS") && !page.contains("<td>DZB</td>"))
            let dzbPage = String(buffer: try await client.get("/campaigns/\(campaign.id)", as: dzb).body)
            #expect(!dzbPage.contains(finding.id) && !dzbPage.contains("/devices/\(campus.jys)"))
            let audPage = String(buffer: try await client.get("/campaigns/\(campaign.id)", as: aud).body)
            #expect(
                audPage.contains("/devices/\(campus.jys)")
                    && !audPage.contains("action=\"/campaigns/\(campaign.id)/resolve\""))
            #expect(try await client.get("/campaigns/99999", as: two).status == .notFound)
            // Outside the scope, or an auditor: refused, nothing written.
            let before = try RouteTests.snapshot(campus)
            #expect(
                try await form("/campaigns/\(campaign.id)/check", "device=\(campus.jys)", as: dzb).status == .notFound)
            #expect(
                try await form(
                    "/campaigns/\(campaign.id)/resolve", "finding=\(finding.id)&resolution=uninstalled", as: dzb
                )
                .status == .notFound)
            #expect(
                try await form("/campaigns/\(campaign.id)/sign-off", "department=JYXY-JYS&by=x&statement=y", as: dzb)
                    .status == .notFound)
            #expect(
                try await form("/campaigns/\(campaign.id)/check", "device=\(campus.jys)", as: aud).status == .forbidden)
            // Only PCs are checked: CWC's printer, in scope, is refused.
            #expect(
                try await form("/campaigns/\(campaign.id)/check", "device=\(campus.cwc)", as: two).status == .badRequest
            )
            #expect(
                try await form("/campaigns/\(campaign.id)/resolve", "finding=\(finding.id)&resolution=exempt", as: two)
                    .status == .badRequest)  // an exemption needs its reason
            #expect(try RouteTests.snapshot(campus) == before)
            // The liaison's three steps.
            let reason = "实验室隔离网内的测试机".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(
                try await form(
                    "/campaigns/\(campaign.id)/resolve", "finding=\(finding.id)&resolution=exempt&detail=\(reason)",
                    as: two
                ).status == .found)
            #expect(try await form("/campaigns/\(campaign.id)/check", "device=\(campus.jys)", as: two).status == .found)
            let head = "张主任".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(
                try await form(
                    "/campaigns/\(campaign.id)/sign-off", "department=JYXY-JYS&by=\(head)&statement=done", as: two
                ).status == .found)
            let resolved = try campus.service.campaignFindings(campaign.id, scope: .everything).first {
                $0.id == finding.id
            }
            #expect(resolved?.status == "resolved" && resolved?.reason == "实验室隔离网内的测试机")
            #expect(
                try campus.service.campaignPCs(campaign.id, scope: .everything).first { $0.device == campus.jys }?
                    .checked == true)
            let row = try campus.service.showCampaign(campaign.id, scope: .everything).departments.first {
                $0.department == "JYXY-JYS"
            }
            #expect(row?.signedBy == "张主任" && row?.pcsChecked == 1 && row?.resolved == 1)
            let after = String(buffer: try await client.get("/campaigns/\(campaign.id)", as: two).body)
            #expect(after.contains("张主任") && !after.contains("name=\"device\" value=\"\(campus.jys)\""))
        }
    }
}
