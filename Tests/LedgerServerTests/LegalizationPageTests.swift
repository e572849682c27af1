import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerApp
import LedgerModel
import LedgerServer
import LedgerStore
import Testing

/// The legalization work beyond a liaison's own self-check, in the console and the API: IT's
/// sample and its results, a security check's results recorded by hand, the staff commitments
/// and the domestic share — each in the caller's scope, refused outside it with nothing written.
@Suite struct LegalizationPageTests {
    static func headers(_ b: Browser) -> HTTPFields {
        [.cookie: b.cookie, HTTPField.Name("X-CSRF-Token")!: b.csrf, .contentType: "application/json"]
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, _ body: String, as b: Browser) async throws
        -> TestResponse
    {
        try await client.execute(uri: uri, method: .post, headers: headers(b), body: ByteBuffer(string: body))
    }

    static func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    @Test func itDrawsASampleAndRecordsItsResultAndALiaisonWorksThroughTheAPI() async throws {
        let campus = try Campus()
        let campaign = try campus.service.openCampaign(
            kind: "self-check", name: "2026年软件正版化自查", deadline: "2026-12-31", scope: .everything,
            actor: Principal("test"))
        let id = campaign.id
        try await campus.app().test(.router) { client in
            let it = try await client.signIn("it", Campus.passwords["it"]!)
            let two = try await client.signIn("two", Campus.passwords["two"]!)
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            let itPage = String(buffer: try await client.get("/campaigns/\(id)", as: it).body)
            #expect(itPage.contains("action=\"/campaigns/\(id)/sample\""))
            #expect(!String(buffer: try await client.get("/campaigns/\(id)", as: two).body).contains("/sample\""))
            // A liaison draws nothing; IT draws JYXY-JYS's one PC.
            let draw = "department=JYXY-JYS&count=1"
            #expect(try await client.postForm("/campaigns/\(id)/sample", draw, as: two).status == .forbidden)
            #expect(
                try await client.postForm("/campaigns/\(id)/sample", "department=JYXY-JYS&count=0", as: it).status
                    == .badRequest)
            #expect(try await client.postForm("/campaigns/\(id)/sample", draw, as: it).status == .found)
            #expect(try campus.service.samples(id, scope: .everything).map(\.device) == [campus.jys])
            let sampled = String(buffer: try await client.get("/campaigns/\(id)", as: it).body)
            #expect(
                sampled.contains("action=\"/campaigns/\(id)/sample-result\"")
                    && sampled.contains("value=\"\(campus.jys)\""))
            // The result needs who of the department confirmed it.
            let before = try RouteTests.snapshot(campus)
            #expect(
                try await client.postForm("/campaigns/\(id)/sample-result", "device=\(campus.jys)&result=pass", as: it)
                    .status == .badRequest)
            #expect(
                try await client.postForm(
                    "/campaigns/\(id)/sample-result", "device=\(campus.jys)&result=maybe&confirmed_by=x", as: it
                ).status == .badRequest)
            #expect(try RouteTests.snapshot(campus) == before)
            let teacher = Self.encoded("王老师")
            #expect(
                try await client.postForm(
                    "/campaigns/\(id)/sample-result", "device=\(campus.jys)&result=pass&confirmed_by=\(teacher)", as: it
                ).status == .found)
            var sample = try #require(try campus.service.samples(id, scope: .everything).first)
            #expect(sample.result == "pass" && sample.confirmedBy == "王老师")
            // The API: IT records a failed inspection; the liaison reads their sample, another doesn't.
            let failed = try await Self.post(
                client, "/api/v1/campaigns/\(id)/sample-results",
                #"{"device":\#(campus.jys),"result":"fail","note":"发现未授权软件","confirmed_by":"王老师"}"#, as: it)
            #expect(failed.status == .ok, "\(String(buffer: failed.body))")
            sample = try #require(try campus.service.samples(id, scope: .everything).first)
            #expect(sample.result == "fail" && sample.note == "发现未授权软件")
            let mine = try #require(
                try json(try await client.get("/api/v1/campaigns/\(id)/samples", as: two)) as? [[String: Any]])
            #expect(
                mine.map { $0["device"] as? Int } == [Int(campus.jys)] && mine.first?["result"] as? String == "fail")
            #expect(
                (try json(try await client.get("/api/v1/campaigns/\(id)/samples", as: dzb)) as? [Any])?.isEmpty == true)
            // A department is sampled once per campaign; a second campaign's sample through the API.
            #expect(
                try await Self.post(
                    client, "/api/v1/campaigns/\(id)/samples", #"{"department":"JYXY-JYS","count":1}"#, as: it
                )
                .status == .conflict)
            let next = try campus.service.openCampaign(
                kind: "self-check", name: "2027年自查", deadline: "2027-12-31", scope: .everything,
                actor: Principal("test"))
            let drawn = try await Self.post(
                client, "/api/v1/campaigns/\(next.id)/samples", #"{"department":"JYXY-JYS","count":1,"seed":7}"#, as: it
            )
            #expect(drawn.status == .created, "\(String(buffer: drawn.body))")
            #expect((try json(drawn) as? [[String: Any]])?.map { $0["device"] as? Int } == [Int(campus.jys)])
            #expect(
                try await Self.post(
                    client, "/api/v1/campaigns/\(next.id)/samples", #"{"department":"JYXY-JYS","count":1}"#, as: two
                ).status == .forbidden)
            // A liaison's findings, PCs, resolutions, checks and sign-off through the API.
            let findings = try #require(
                try json(try await client.get("/api/v1/campaigns/\(id)/findings", as: two)) as? [[String: Any]])
            let finding = try #require(findings.first { $0["device"] as? Int == Int(campus.jys) }?["id"] as? String)
            #expect(
                (try json(try await client.get("/api/v1/campaigns/\(id)/findings", as: dzb)) as? [[String: Any]])?
                    .contains { $0["id"] as? String == finding } == false)
            let pcs = try #require(
                try json(try await client.get("/api/v1/campaigns/\(id)/pcs", as: two)) as? [[String: Any]])
            #expect(pcs.map { $0["device"] as? Int } == [Int(campus.jys)])
            let mixed = try await Self.post(
                client, "/api/v1/campaigns/\(id)/resolutions",
                #"{"findings":["\#(finding)","F-nobody"],"resolution":"uninstalled"}"#, as: two)
            #expect(mixed.status == .notFound)
            #expect(
                try await Self.post(
                    client, "/api/v1/campaigns/\(id)/resolutions",
                    #"{"findings":["\#(finding)"],"resolution":"exempt"}"#,
                    as: two
                ).status == .badRequest)  // an exemption needs its reason
            #expect(
                try campus.service.campaignFindings(id, scope: .everything).first { $0.id == finding }?.status == "open"
            )
            // The reason goes with an exemption, the reference with a bought licence: the other
            // field is not taken for it.
            #expect(
                try await Self.post(
                    client, "/api/v1/campaigns/\(id)/resolutions",
                    #"{"findings":["\#(finding)"],"resolution":"licence-bought","reason":"no contract"}"#, as: two
                ).status == .badRequest)
            let resolved = try await Self.post(
                client, "/api/v1/campaigns/\(id)/resolutions",
                #"{"findings":["\#(finding)"],"resolution":"exempt","reference":"","reason":"隔离网测试机"}"#, as: two)
            #expect(resolved.status == .ok)
            #expect((try json(resolved) as? [[String: Any]])?.first?["status"] as? String == "resolved")
            let checked = try await Self.post(
                client, "/api/v1/campaigns/\(id)/checks", #"{"devices":[\#(campus.jys)]}"#, as: two)
            #expect((try json(checked) as? [[String: Any]])?.first?["checked"] as? Bool == true)
            let signed = try await Self.post(
                client, "/api/v1/campaigns/\(id)/sign-offs",
                #"{"department":"JYXY-JYS","by":"张主任","statement":"已完成自查"}"#, as: two)
            #expect(signed.status == .created)
            #expect(
                try await Self.post(
                    client, "/api/v1/campaigns/\(id)/sign-offs", #"{"department":"JYXY-JYS","by":"x","statement":"y"}"#,
                    as: dzb
                ).status == .notFound)
            let row = try campus.service.showCampaign(id, scope: .everything).departments.first {
                $0.department == "JYXY-JYS"
            }
            #expect(row?.signedBy == "张主任" && row?.pcsChecked == 1 && row?.resolved == 1 && row?.sampleFailed == 1)
            // The page's one-pass view says what the use cases it stands for say.
            for scope in [DeviceScope.everything, .departments(["CWC", "JYXY"]), .departments(["DZB"])] {
                let view = try campus.service.selfCheckView(id, scope: scope)
                #expect(view.show == (try campus.service.showCampaign(id, scope: scope)))
                #expect(view.findings == (try campus.service.campaignFindings(id, scope: scope)))
            }
            let actions = Set(try campus.service.auditLog(scope: .everything).map(\.action))
            #expect(actions.isSuperset(of: ["campaign.sample", "campaign.sample_result"]), "\(actions)")
        }
    }

    @Test func aSecurityCheckIsRecordedByHandInTheConsoleAndTheAPI() async throws {
        let campus = try Campus()
        let check = try campus.service.openCampaign(
            kind: "security-check", name: "2026年网络安全检查", deadline: "2026-12-31", scope: .everything,
            actor: Principal("test"))
        let id = check.id
        try await campus.app().test(.router) { client in
            let two = try await client.signIn("two", Campus.passwords["two"]!)
            let aud = try await client.signIn("aud", Campus.passwords["aud"]!)
            let page = String(buffer: try await client.get("/campaigns/\(id)?lang=en", as: two).body)
            // The liaison's devices' items (CWC's printer, named like a script, shown as text), not DZB's.
            #expect(page.contains("jys-pc") && page.contains("&lt;script&gt;") && !page.contains("<script>"))
            #expect(!page.contains("dzb-printer") && page.contains("No forbidden link between"))
            #expect(page.contains("action=\"/campaigns/\(id)/result\""))
            let narrowed = String(buffer: try await client.get("/campaigns/\(id)?dept=JYXY-JYS", as: two).body)
            #expect(narrowed.contains("jys-pc") && !narrowed.contains("&lt;script&gt;"))
            #expect(try await client.get("/campaigns/\(id)?dept=DZB", as: two).status == .notFound)
            let audPage = String(buffer: try await client.get("/campaigns/\(id)", as: aud).body)
            #expect(audPage.contains("dzb-printer") && !audPage.contains("action=\"/campaigns/\(id)/result\""))
            // A manual item by hand; an automatic one overridden only with its reason.
            let recorded = try await client.postForm(
                "/campaigns/\(id)/result", "device=\(campus.jys)&item=pc_private_network&result=pass&dept=JYXY-JYS",
                as: two)
            #expect(recorded.status == .found && recorded.headers[.location] == "/campaigns/\(id)?dept=JYXY-JYS")
            let before = try RouteTests.snapshot(campus)
            #expect(
                try await client.postForm(
                    "/campaigns/\(id)/result", "device=\(campus.jys)&item=pc_patched&result=pass", as: two
                )
                .status == .badRequest)
            #expect(
                try await client.postForm(
                    "/campaigns/\(id)/result", "device=\(campus.cwc)&item=pc_patched&result=pass&note=x", as: two
                )
                .status == .badRequest)  // a PC's item on a printer
            #expect(try RouteTests.snapshot(campus) == before)
            let results = try campus.service.securityCheckResults(id, scope: .everything)
            let privateNet = try #require(results.first { $0.device == campus.jys && $0.item == "pc_private_network" })
            #expect(privateNet.result == "pass" && privateNet.source == "manual" && privateNet.checkedBy == "web:two")
            // The API: the liaison's results, failing ones only, and one recorded.
            let all = try #require(
                try json(try await client.get("/api/v1/campaigns/\(id)/results", as: two)) as? [[String: Any]])
            #expect(
                !all.isEmpty && all.allSatisfy { [Int(campus.jys), Int(campus.cwc)].contains($0["device"] as? Int) })
            let failing = try #require(
                try json(try await client.get("/api/v1/campaigns/\(id)/results?failing=1", as: two)) as? [[String: Any]]
            )
            #expect(failing.allSatisfy { $0["result"] as? String == "fail" } && failing.count < all.count)
            #expect(try await client.get("/api/v1/campaigns/\(id)/results?failing=x", as: two).status == .badRequest)
            let paged = try await client.get("/api/v1/campaigns/\(id)/results?per_page=2&page=2", as: two)
            #expect((try json(paged) as? [[String: Any]])?.count == 2)
            #expect(paged.headers[HTTPField.Name("X-Total-Count")!] == String(all.count))
            #expect(try await client.get("/api/v1/campaigns/\(id)/results?per_page=501", as: two).status == .badRequest)
            // The page's one-pass view says what the use cases it stands for say, open and closed.
            func sameAsTheUseCases() throws {
                for (scope, dept) in [
                    (DeviceScope.everything, nil), (.everything, "JYXY"), (.departments(["CWC", "JYXY"]), "JYXY-JYS"),
                    (.departments(["CWC", "JYXY"]), nil),
                ] as [(DeviceScope, String?)] {
                    for failing in [false, true] {
                        let query = SecurityCheckQuery(department: dept, failingOnly: failing)
                        let view = try campus.service.securityCheckView(id, query, scope: scope)
                        #expect(view.show == (try campus.service.showSecurityCheck(id, scope: scope)))
                        #expect(view.results == (try campus.service.securityCheckResults(id, query, scope: scope)))
                    }
                }
            }
            try sameAsTheUseCases()
            let media = try await Self.post(
                client, "/api/v1/campaigns/\(id)/results",
                #"{"device":\#(campus.jys),"item":"pc_storage_media","result":"fail","note":"送修前未拆硬盘"}"#, as: two)
            #expect(media.status == .ok, "\(String(buffer: media.body))")
            let out = try #require(try json(media) as? [String: Any])
            #expect(out["result"] as? String == "fail" && out["source"] as? String == "manual")
            #expect(
                try await Self.post(
                    client, "/api/v1/campaigns/\(id)/results",
                    #"{"device":\#(campus.dzb),"item":"dev_firmware","result":"pass","note":"x"}"#,
                    as: two
                ).status == .notFound)
            _ = try campus.service.closeAnyCampaign(id, scope: .everything, actor: Principal("test"))
            try sameAsTheUseCases()
            #expect(try await client.get("/campaigns/\(id)?dept=JYXY-JYS", as: two).status == .ok)
        }
    }

    @Test func staffCommitmentsAreSignedInTheConsoleAndTheDomesticShareIsShown() async throws {
        let campus = try Campus()
        let staff = FileManager.default.temporaryDirectory.appendingPathComponent("staff-\(UUID().uuidString).csv")
        try Data(
            """
            employee_id,name,department_code,email
            D001,李一,DZB,
            J101,周九,JYXY-JYS,zhou@example.edu.cn
            J102,吴十<b>,JYXY-JYS,
            """.utf8
        ).write(to: staff)
        _ = try campus.service.importStaff(file: staff.path, scope: .everything, actor: Principal("test"))
        try await campus.app().test(.router) { client in
            let two = try await client.signIn("two", Campus.passwords["two"]!)
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            let aud = try await client.signIn("aud", Campus.passwords["aud"]!)
            let page = String(buffer: try await client.get("/commitments?year=2026", as: two).body)
            #expect(page.contains("J101") && page.contains("吴十&lt;b&gt;") && !page.contains("D001"))
            #expect(page.contains("action=\"/commitments/sign\""))
            #expect(
                !String(buffer: try await client.get("/commitments?year=2026", as: aud).body).contains(
                    "action=\"/commitments/sign\""))
            let before = try RouteTests.snapshot(campus)
            #expect(
                try await client.postForm("/commitments/sign", "employee=J101&year=2026", as: dzb).status == .notFound)
            #expect(
                try await client.postForm("/commitments/sign", "employee=J101&year=2026", as: aud).status == .forbidden)
            #expect(
                try await client.postForm("/commitments/sign", "employee=J101&year=2026&day=2026-13-01", as: two).status
                    == .badRequest)
            #expect(try RouteTests.snapshot(campus) == before)
            let signed = try await client.postForm(
                "/commitments/sign", "employee=J101&year=2026&day=2026-11-30&dept=JYXY-JYS", as: two)
            #expect(signed.status == .found && signed.headers[.location] == "/commitments?year=2026&dept=JYXY-JYS")
            let coverage = try campus.service.commitmentCoverage(year: 2026, scope: .everything)
            let jys = try #require(coverage.first { $0.department == "JYXY-JYS" })
            #expect(jys.signed == 1 && jys.unsigned == 1)
            // The API: who has not signed, and a signature.
            let unsigned = try #require(
                try json(try await client.get("/api/v1/commitments/unsigned?year=2026", as: two)) as? [[String: Any]])
            #expect(unsigned.compactMap { $0["employee_id"] as? String } == ["J102"])
            let api = try await Self.post(client, "/api/v1/commitments", #"{"employee":"D001","year":2026}"#, as: dzb)
            #expect(api.status == .created)
            #expect((try json(api) as? [String: Any])?["signed_at"] as? String != nil)
            #expect(
                try await Self.post(client, "/api/v1/commitments", #"{"employee":"J102","year":2026}"#, as: dzb).status
                    == .notFound)
            // The domestic share and the licence register.
            let domestic = try await client.get("/domestic?lang=en", as: aud)
            #expect(domestic.status == .ok && String(buffer: domestic.body).contains("Domestic share"))
            #expect(try await client.get("/domestic?dept=CWC", as: dzb).status == .notFound)
            #expect(try await client.get("/api/v1/licenses", as: dzb).status == .ok)
        }
    }
    /// Closing freezes a campaign; the next one of its kind, closed, shows the difference on its
    /// page and in the API, in the caller's departments.
    @Test func lastYearsCampaignIsComparedOnTheClosedPageAndInTheAPI() async throws {
        let campus = try Campus()
        let it = Principal("test")
        let last = try campus.service.openCampaign(
            kind: "self-check", name: "2025年自查", deadline: "2025-12-31", scope: .everything, actor: it)
        _ = try campus.service.closeAnyCampaign(last.id, scope: .everything, actor: it)
        // A CWC PC appears during the year: a finding last year's campaign did not have.
        var seen = Observation(
            source: .scan, sourceRef: "test", observedAt: Date(timeIntervalSince1970: 1_790_000_000),
            deviceClass: .pc, macs: ["3c:d9:2b:00:00:06"], ips: ["198.18.11.60"])
        seen.evidence = [Evidence(field: "class", value: "pc", reason: "test rule", certainty: 80)]
        _ = try campus.service.ledger.merge([seen])
        let this = try campus.service.openCampaign(
            kind: "self-check", name: "2026年自查", deadline: "2026-12-31", scope: .everything, actor: it)
        let check = try campus.service.openCampaign(
            kind: "security-check", name: "2026年网络安全检查", deadline: "2026-12-31", scope: .everything, actor: it)
        try await campus.app().test(.router) { client in
            let aud = try await client.signIn("aud", Campus.passwords["aud"]!)
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            // Open: nothing to compare yet (the API says so: 409).
            #expect(
                !String(buffer: try await client.get("/campaigns/\(this.id)", as: aud).body).contains(
                    "#\(last.id) 2025年自查"))
            #expect(try await client.get("/api/v1/campaigns/\(this.id)/diff", as: aud).status == .conflict)
            _ = try campus.service.closeAnyCampaign(this.id, scope: .everything, actor: it)
            let page = String(buffer: try await client.get("/campaigns/\(this.id)?lang=en", as: aud).body)
            #expect(page.contains("Compared with the one before: #\(last.id) 2025年自查"))
            #expect(page.contains("<td>CWC</td><td>0</td><td>1</td>"), "\(page)")
            let diff = try #require(
                try json(try await client.get("/api/v1/campaigns/\(this.id)/diff", as: aud)) as? [String: Any])
            #expect((diff["new_findings"] as? [[String: Any]])?.count == 1 && diff["old"] as? Int == Int(last.id))
            let theirs = try #require(
                try json(try await client.get("/api/v1/campaigns/\(this.id)/diff?against=\(last.id)", as: dzb))
                    as? [String: Any])
            #expect((theirs["new_findings"] as? [Any])?.isEmpty == true, "another department's finding")
            #expect(try await client.get("/api/v1/campaigns/\(this.id)/diff?against=x", as: aud).status == .badRequest)
            #expect(
                try await client.get("/api/v1/campaigns/\(this.id)/diff?against=\(check.id)", as: aud).status
                    == .badRequest)
            #expect(try await client.get("/api/v1/campaigns/\(last.id)/diff", as: aud).status == .notFound)
            // The older one first: against itself or a newer one is refused.
            for against in [this.id, check.id + 1, last.id] {
                let r = try await client.get("/api/v1/campaigns/\(last.id)/diff?against=\(against)", as: aud)
                #expect(r.status == .badRequest || r.status == .notFound, "against \(against): \(r.status)")
            }
            #expect(
                try await client.get("/api/v1/campaigns/\(last.id)/diff?against=\(this.id)", as: aud).status
                    == .badRequest)
        }
    }
}
