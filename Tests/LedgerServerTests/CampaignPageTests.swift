import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ingest
import LedgerApp
import LedgerModel
import LedgerServer
import Testing

/// The self-check in the console: a liaison sees their departments' findings and PCs, resolves a
/// finding, marks a PC checked and records the head's sign-off; nobody reaches past their scope
/// and an auditor only reads.
@Suite struct CampaignPageTests {
    /// IT opens and closes campaigns in the console and the API; the college report downloads as
    /// HTML and XLSX and reads as JSON in the caller's scope, beside commitments and the domestic
    /// share; liaisons and auditors open and close nothing.
    @Test func itOpensAndClosesCampaignsAndEveryoneReadsTheReport() async throws {
        let campus = try Campus()
        // A department name with markup in it: the downloaded report shows it as text.
        let departments = """
            code,name,name_en,kind,parent_code,leader,liaison,liaison_phone,liaison_email,sysadmin,sysadmin_phone,sysadmin_email
            DZB,党政办公室<i>x</i>,,职能部门,,,,,,,,
            CWC,财务处,,职能部门,,,,,,,,
            JYXY,教育学院,,二级学院,,,,,,,,
            JYXY-JYS,教研室,,二级学院,JYXY,,,,,,,
            """
        try campus.service.ledger.importDepartments(
            DepartmentFile.read(Data(departments.utf8), file: "d.csv"), file: "d.csv")
        try await campus.app().test(.router) { client in
            let it = try await client.signIn("it", Campus.passwords["it"]!)
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            let aud = try await client.signIn("aud", Campus.passwords["aud"]!)
            let list = String(buffer: try await client.get("/campaigns?lang=en", as: it).body)
            #expect(list.contains("action=\"/campaigns\"") && list.contains("href=\"/report?format=xlsx\""))
            #expect(!String(buffer: try await client.get("/campaigns", as: dzb).body).contains("action=\"/campaigns\""))
            let open = "kind=self-check&name=2027%E5%B9%B4%E8%87%AA%E6%9F%A5&deadline=2027-06-30"
            for b in [dzb, aud] { #expect(try await client.postForm("/campaigns", open, as: b).status == .forbidden) }
            #expect(
                try await client.postForm("/campaigns", "kind=audit&name=x&deadline=2027-06-30", as: it).status
                    == .badRequest)
            #expect(try campus.service.listCampaigns(scope: .everything).isEmpty)
            let opened = try await client.postForm("/campaigns", open, as: it)
            #expect(opened.status == .found)
            let campaign = try #require(try campus.service.listCampaigns(scope: .everything).first)
            #expect(campaign.name == "2027年自查" && campaign.deadline == "2027-06-30" && campaign.status == "open")
            #expect(opened.headers[.location] == "/campaigns/\(campaign.id)")
            let page = String(buffer: try await client.get("/campaigns/\(campaign.id)", as: it).body)
            #expect(page.contains("action=\"/campaigns/\(campaign.id)/close\"") && page.contains("/report?campaign="))
            #expect(!String(buffer: try await client.get("/campaigns/\(campaign.id)", as: dzb).body).contains("/close"))
            // The report: a download in each format, the JSON in the caller's scope.
            let html = try await client.get("/report?campaign=\(campaign.id)&lang=en", as: dzb)
            #expect(html.status == .ok && html.headers[.contentDisposition]?.contains("college-report.html") == true)
            let text = String(buffer: html.body)
            #expect(text.hasPrefix("<!DOCTYPE html>") && !text.contains("财务处"))
            #expect(text.contains("党政办公室&lt;i&gt;x&lt;/i&gt;") && !text.contains("<i>x</i>"))
            // Headed as the liaison's department, never as the whole college's.
            #expect(text.contains("Scope: 党政办公室&lt;i&gt;x&lt;/i&gt;（DZB）") && !text.contains("the whole college"))
            let college = String(buffer: try await client.get("/report?lang=en", as: aud).body)
            #expect(college.contains("Scope: the whole college") && college.contains("财务处"))
            let xlsx = try await client.get("/report?format=xlsx", as: aud)
            #expect(xlsx.status == .ok && Array(xlsx.body.readableBytesView.prefix(2)) == [0x50, 0x4B])  // a zip: PK
            #expect(try await client.get("/report?format=pdf", as: aud).status == .badRequest)
            #expect(try await client.get("/report?dept=CWC", as: dzb).status == .notFound)
            let reported = try await client.get("/api/v1/report", as: dzb)
            #expect((try json(reported) as? [String: Any])?.isEmpty == false)
            let body = String(buffer: reported.body)
            #expect(body.contains("DZB") && !body.contains("CWC") && !body.contains("财务处"), "\(body.prefix(400))")
            #expect(try await client.get("/api/v1/commitments", as: dzb).status == .ok)
            #expect(try await client.get("/api/v1/commitments?year=99", as: dzb).status == .badRequest)
            #expect(try await client.get("/api/v1/domestic", as: aud).status == .ok)
            #expect(try await client.get("/api/v1/domestic?dept=CWC", as: dzb).status == .notFound)
            // Closed by IT only; then frozen, and closing again is a conflict.
            for b in [dzb, aud] {
                #expect(try await client.postForm("/campaigns/\(campaign.id)/close", "", as: b).status == .forbidden)
            }
            #expect(try await client.postForm("/campaigns/\(campaign.id)/close", "", as: it).status == .found)
            #expect(try campus.service.campaign(campaign.id, scope: .everything).status == "closed")
            #expect(try await client.postForm("/campaigns/\(campaign.id)/close", "", as: it).status == .conflict)
            // The API: open a security check, close it.
            let api: HTTPFields = [
                .cookie: it.cookie, HTTPField.Name("X-CSRF-Token")!: it.csrf, .contentType: "application/json",
            ]
            let created = try await client.execute(
                uri: "/api/v1/campaigns", method: .post, headers: api,
                body: ByteBuffer(string: #"{"kind":"security-check","name":"网络安全检查","deadline":"2027-03-31"}"#))
            #expect(created.status == .created, "\(String(buffer: created.body))")
            let check = try #require((try json(created) as? [String: Any])?["id"] as? Int)
            let closed = try await client.execute(uri: "/api/v1/campaigns/\(check)/close", method: .post, headers: api)
            #expect(closed.status == .ok, "\(String(buffer: closed.body))")
            #expect((try json(closed) as? [String: Any])?["campaign"] != nil)
            let actions = try campus.service.auditLog(scope: .everything).map(\.action).filter {
                $0.hasPrefix("campaign.")
            }
            #expect(
                actions.filter { $0 == "campaign.open" }.count == 2
                    && actions.filter { $0 == "campaign.close" }.count == 2)
        }
    }

    @Test func aLiaisonDoesTheSelfCheckInTheConsole() async throws {
        let campus = try Campus()
        let campaign = try campus.service.openCampaign(
            kind: "self-check", name: "2026年软件正版化自查", deadline: "2026-12-31", scope: .everything,
            actor: Principal("test"))
        try await campus.app().test(.router) { client in
            let two = try await client.signIn("two", Campus.passwords["two"]!)
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            let aud = try await client.signIn("aud", Campus.passwords["aud"]!)
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
                try await client.postForm("/campaigns/\(campaign.id)/check", "device=\(campus.jys)", as: dzb).status
                    == .notFound)
            #expect(
                try await client.postForm(
                    "/campaigns/\(campaign.id)/resolve", "finding=\(finding.id)&resolution=uninstalled", as: dzb
                )
                .status == .notFound)
            #expect(
                try await client.postForm(
                    "/campaigns/\(campaign.id)/sign-off", "department=JYXY-JYS&by=x&statement=y", as: dzb
                )
                .status == .notFound)
            #expect(
                try await client.postForm("/campaigns/\(campaign.id)/check", "device=\(campus.jys)", as: aud).status
                    == .forbidden)
            // Only PCs are checked: CWC's printer, in scope, is refused.
            #expect(
                try await client.postForm("/campaigns/\(campaign.id)/check", "device=\(campus.cwc)", as: two).status
                    == .badRequest
            )
            #expect(
                try await client.postForm(
                    "/campaigns/\(campaign.id)/resolve", "finding=\(finding.id)&resolution=exempt", as: two
                )
                .status == .badRequest)  // an exemption needs its reason
            #expect(try RouteTests.snapshot(campus) == before)
            // The liaison's three steps.
            let reason = "实验室隔离网内的测试机".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(
                try await client.postForm(
                    "/campaigns/\(campaign.id)/resolve", "finding=\(finding.id)&resolution=exempt&detail=\(reason)",
                    as: two
                ).status == .found)
            #expect(
                try await client.postForm("/campaigns/\(campaign.id)/check", "device=\(campus.jys)", as: two).status
                    == .found)
            let head = "张主任".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(
                try await client.postForm(
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
