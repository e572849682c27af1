import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerApp
import LedgerModel
import LedgerServer
import Testing

/// The console through its HTTP interface (Hummingbird's in-process router test client):
/// signing in, scoping, CSRF, escaping.
@Suite struct ConsoleTests {
    @Test func signingInSetsAFreshHttpOnlyLaxCookieAndFailuresAreLimited() async throws {
        let campus = try Campus()
        try await campus.app().test(.router) { client in
            let ok = try await client.postLogin("dzb", "dzb-liaison-pass")
            #expect(ok.status == .found && ok.headers[.location] == "/")
            let cookie = try #require(ok.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"))  // plain HTTP on loopback
            // A second sign-in gets another id.
            let again = try await client.postLogin("dzb", "dzb-liaison-pass")
            #expect(try #require(again.headers[.setCookie]).prefix(80) != cookie.prefix(80))
            // Without the sign-in page's own token (or with another's): refused, no session.
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let forged = try await client.execute(
                uri: "/login", method: .post, headers: form,
                body: ByteBuffer(string: "login=dzb&password=dzb-liaison-pass"))
            #expect(
                forged.status == .forbidden
                    && forged.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("al_session") })
            let other = try await client.loginForm()
            var mixed = form
            mixed[.cookie] = other.cookie
            let wrong = try await client.execute(
                uri: "/login", method: .post, headers: mixed,
                body: ByteBuffer(
                    string: "csrf=\(String(repeating: "0", count: 64))&login=dzb&password=dzb-liaison-pass"))
            #expect(wrong.status == .forbidden)
            // Wrong password and unknown user: one answer; the sixth try is refused even when right.
            for (login, password) in [("dzb", "wrong"), ("nobody", "whatever-else")] {
                let r = try await client.postLogin(login, password)
                #expect(
                    r.status == .unauthorized
                        && r.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("al_session") })
                #expect(String(buffer: r.body).contains("wrong user or password"))
            }
            for _ in 0..<4 { _ = try await client.postLogin("dzb", "wrong") }
            let limited = try await client.postLogin("dzb", "dzb-liaison-pass")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("al_session") })
        }
    }

    /// The limit holds for attempts sent at once: each is counted before its password is checked.
    @Test func parallelSignInsCannotRaceTheLimit() async throws {
        let campus = try Campus()
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<12 {
                group.addTask { (try? campus.service.signIn(login: "dzb", password: "wrong-guess")) != nil }
            }
            for try await _ in group {}
        }
        #expect(throws: LedgerError.self) {
            try campus.service.signIn(login: "dzb", password: Campus.passwords["dzb"]!)
        }
        let failures = try campus.service.ledger.beginLoginAttempt(
            login: "dzb", at: Date(), since: Date().addingTimeInterval(-900)
        ).failures
        #expect(failures == 13)
    }

    @Test func aLiaisonSeesAndSearchesOnlyTheirDepartment() async throws {
        let campus = try Campus()
        try await campus.app().test(.router) { client in
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            let list = try #require(try json(try await client.get("/api/v1/devices", as: dzb)) as? [[String: Any]])
            #expect(list.map { $0["id"] as? Int } == [Int(campus.dzb)])
            // Foreign, missing and department-less devices: all 404, the same answer.
            for id in [campus.cwc, campus.jys, campus.orphan, 99_999] {
                #expect(try await client.get("/api/v1/devices/\(id)", as: dzb).status == .notFound)
                #expect(try await client.get("/devices/\(id)", as: dzb).status == .notFound)
            }
            #expect(try await client.get("/api/v1/devices/\(campus.dzb)", as: dzb).status == .ok)
            // A search never reaches past the scope; a foreign department filter is not found.
            let search = try #require(try json(try await client.get("/api/v1/devices?q=printer", as: dzb)) as? [Any])
            #expect(search.count == 1)
            #expect(try await client.get("/api/v1/devices?dept=CWC", as: dzb).status == .notFound)
            // Two departments, one with a sub-department.
            let two = try await client.signIn("two", Campus.passwords["two"]!)
            let theirs = try #require(try json(try await client.get("/api/v1/devices", as: two)) as? [[String: Any]])
            #expect(Set(theirs.compactMap { $0["id"] as? Int }) == [Int(campus.cwc), Int(campus.jys)])
            // Paging: X-Total-Count and per_page.
            let it = try await client.signIn("it", Campus.passwords["it"]!)
            let page = try await client.get("/api/v1/devices?per_page=2&page=2", as: it)
            #expect(page.headers[HTTPField.Name("X-Total-Count")!] == "4")
            #expect((try json(page) as? [Any])?.count == 2)
            #expect(try await client.get("/api/v1/devices?per_page=0", as: it).status == .badRequest)
            #expect(try await client.get("/api/v1/devices?class=toaster", as: it).status == .badRequest)
        }
    }

    @Test func devicesSortByAColumnInTheAPIAndThePage() async throws {
        let campus = try Campus()
        try await campus.app().test(.router) { client in
            let it = try await client.signIn("it", Campus.passwords["it"]!)
            let ids = [campus.dzb, campus.cwc, campus.jys, campus.orphan].map(Int.init).sorted()
            let down = try #require(
                try json(try await client.get("/api/v1/devices?sort=-id", as: it)) as? [[String: Any]])
            #expect(down.compactMap { $0["id"] as? Int } == ids.reversed())
            let paged = try #require(
                try json(try await client.get("/api/v1/devices?sort=-id&per_page=1&page=2", as: it)) as? [[String: Any]]
            )
            #expect(paged.compactMap { $0["id"] as? Int } == [ids[2]])
            for wrong in ["name", "--id", "id,ip", "-"] {
                #expect(try await client.get("/api/v1/devices?sort=\(wrong)", as: it).status == .badRequest, "\(wrong)")
            }
            // The page: rows in the order, the sorted heading flips it, the others sort up; the
            // filter form and the next page keep the order.
            let page = String(buffer: try await client.get("/devices?sort=-id&lang=en", as: it).body)
            let rows = ids.reversed().map { "href=\"/devices/\($0)\"" }
            let at = rows.map { page.range(of: $0)?.lowerBound }
            #expect(at.allSatisfy { $0 != nil } && zip(at, at.dropFirst()).allSatisfy { $0! < $1! })
            #expect(page.contains(#"<a href="/devices?page=1"># ▼</a>"#))
            #expect(page.contains(#"<a href="/devices?page=1&amp;sort=hostname">Host name</a>"#))
            #expect(page.contains(#"<a href="/devices?page=1&amp;sort=last_seen">Last seen</a>"#))
            #expect(page.contains(#"<input type="hidden" name="sort" value="-id">"#))
            #expect(!page.contains(#"sort=mac"#))
            #expect(try await client.get("/devices?sort=toaster", as: it).status == .badRequest)
            let unsorted = String(buffer: try await client.get("/devices?lang=en", as: it).body)
            #expect(unsorted.contains(#"<a href="/devices?page=1&amp;sort=-id"># ▲</a>"#))
            #expect(!unsorted.contains(#"name="sort""#))
        }
    }

    @Test func unsafeRequestsNeedTheSessionsTokenAndTheSameOrigin() async throws {
        let campus = try Campus()
        try await campus.app().test(.router) { client in
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: dzb.cookie]
            // No token, a wrong one, a right one from another site: refused, still signed in.
            for (body, extra) in [
                ("", HTTPFields()), ("csrf=0000", HTTPFields()),
                ("csrf=\(dzb.csrf)", [HTTPField.Name("Origin")!: "https://evil.example"] as HTTPFields),
                ("csrf=\(dzb.csrf)", [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"] as HTTPFields),
            ] {
                var headers = form
                headers.append(contentsOf: extra)
                let r = try await client.execute(
                    uri: "/logout", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(r.status == .forbidden, "\(body) \(extra)")
                #expect(try await client.get("/api/v1/devices", as: dzb).status == .ok)
            }
            // The right token: signed out, the old cookie refused.
            let out = try await client.execute(
                uri: "/logout", method: .post, headers: form, body: ByteBuffer(string: "csrf=\(dzb.csrf)"))
            #expect(out.status == .found)
            #expect(try await client.get("/api/v1/devices", as: dzb).status == .unauthorized)
            #expect(try await client.get("/devices", as: dzb).status == .found)
        }
    }

    @Test func aChangeOfPasswordOrADisableEndsTheUsersSessions() async throws {
        let campus = try Campus()
        try await campus.app().test(.router) { client in
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            _ = try campus.service.setPassword(
                login: "dzb", password: "a-new-password", scope: .everything, actor: Principal("test"), cost: 4)
            #expect(try await client.get("/api/v1/devices", as: dzb).status == .unauthorized)
            let again = try await client.signIn("dzb", "a-new-password")
            _ = try campus.service.setDisabled(login: "dzb", true, scope: .everything, actor: Principal("test"))
            #expect(try await client.get("/api/v1/devices", as: again).status == .unauthorized)
            let r = try await client.postLogin("dzb", "a-new-password")
            #expect(r.status == .unauthorized)
        }
    }

    @Test func hostNamesFromTheNetworkAreEscapedOnEveryPage() async throws {
        let campus = try Campus()
        try await campus.app().test(.router) { client in
            let it = try await client.signIn("it", Campus.passwords["it"]!)
            for uri in ["/devices", "/devices/\(campus.cwc)", "/devices?q=%3Cscript"] {
                let page = String(buffer: try await client.get(uri, as: it).body)
                #expect(!page.contains("<script>"), "\(uri)")
                #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(uri)")
            }
            let headers = try await client.get("/devices", as: it).headers
            #expect(headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
        }
    }

    @Test func aRevokedTokenIsRefusedAtOnceAndTokensAreListedWithoutSecrets() async throws {
        let campus = try Campus()
        let it = Principal("test")
        let token = try campus.service.createToken(login: "dzb", name: "script", scope: .everything, actor: it)
        let listed = try campus.service.listTokens(scope: .everything)
        #expect(listed.map(\.login) == ["dzb"] && listed.map(\.name) == ["script"] && listed[0].purpose == "api")
        #expect(try campus.service.listTokens(login: "it", scope: .everything).isEmpty)
        #expect(!String(decoding: try outputEncoder().encode(listed), as: UTF8.self).contains(token))
        // Only IT lists and revokes.
        #expect(throws: LedgerError.self) { try campus.service.listTokens(scope: .departments(["DZB"])) }
        #expect(throws: LedgerError.self) {
            try campus.service.revokeToken(id: listed[0].id, scope: .departments(["DZB"]), actor: it)
        }
        try await campus.app().test(.router) { client in
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            #expect(try await client.execute(uri: "/api/v1/devices", method: .get, headers: bearer).status == .ok)
            try campus.service.revokeToken(id: listed[0].id, scope: .everything, actor: it)
            #expect(
                try await client.execute(uri: "/api/v1/devices", method: .get, headers: bearer).status == .unauthorized)
        }
        #expect(try campus.service.listTokens(scope: .everything).isEmpty)
        #expect(throws: LedgerError.self) {
            try campus.service.revokeToken(id: listed[0].id, scope: .everything, actor: it)
        }
        #expect(try campus.service.auditLog(scope: .everything).contains { $0.action == "token.revoke" })
    }

    @Test func aCollectorTokenDeliversReportsAndReadsNothing() async throws {
        let campus = try Campus()
        let reports = try campus.service.createToken(
            login: "it", name: "collector-lab", purpose: .reports, scope: .everything, actor: Principal("test"))
        let auditorAPI = try campus.service.createToken(
            login: "aud", name: "script", scope: .everything, actor: Principal("test"))
        let report = """
            {"schema":"assetledger-endpoint-report","schema_version":1,"collected_at":"2026-11-30T08:00:00Z","agent":"test",
             "identity":{"hostname":"cwc-pc-01","serials":["SN-REPORT-0001"],"macs":["00:16:3e:aa:00:01"],"ips":["198.18.11.77"]},
             "os":{"name":"Microsoft Windows 10 Pro"},"software":[{"name":"WPS Office","version":"12.1"}]}
            """
        try await campus.app().test(.router) { client in
            let bearer: HTTPFields = [.authorization: "Bearer \(reports)", .contentType: "application/json"]
            let posted = try await client.execute(
                uri: "/api/v1/reports", method: .post, headers: bearer, body: ByteBuffer(string: report))
            #expect(posted.status == .created, "\(String(buffer: posted.body))")
            #expect(try campus.service.listDevices(DeviceQuery(text: "cwc-pc-01"), scope: .everything).count == 1)
            // It reads nothing; an auditor's token delivers nothing; a bad report is a 400 with
            // nothing written.
            #expect(
                try await client.execute(uri: "/api/v1/devices", method: .get, headers: bearer).status == .forbidden)
            let audit: HTTPFields = [.authorization: "Bearer \(auditorAPI)"]
            #expect(
                try await client.execute(
                    uri: "/api/v1/reports", method: .post, headers: audit, body: ByteBuffer(string: report)
                ).status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/devices", method: .get, headers: audit).status == .ok)
            let before = try campus.service.ledger.counts()
            let bad = try await client.execute(
                uri: "/api/v1/reports", method: .post, headers: bearer, body: ByteBuffer(string: "{\"schema\":"))
            #expect(bad.status == .badRequest)
            #expect(try campus.service.ledger.counts() == before)
            #expect(
                try await client.execute(
                    uri: "/api/v1/devices", method: .get,
                    headers: [.authorization: "Bearer alt_" + String(repeating: "0", count: 64)]
                ).status == .unauthorized)
        }
    }
}

/// The department review and the exports of the device list.
@Suite struct ReviewTests {
    @Test func aLiaisonReviewsTheirDevicesAndITSeesTheCoverage() async throws {
        let campus = try Campus()
        try await campus.app().test(.router) { client in
            let two = try await client.signIn("two", Campus.passwords["two"]!)
            func post(_ body: String, as b: Browser, csrf: Bool = true) async throws -> TestResponse {
                var headers: HTTPFields = [.cookie: b.cookie, .contentType: "application/json"]
                if csrf { headers[HTTPField.Name("X-CSRF-Token")!] = b.csrf }
                return try await client.execute(
                    uri: "/api/v1/devices/review", method: .post, headers: headers, body: ByteBuffer(string: body))
            }
            // A batch with a foreign device: refused whole, nothing written.
            let mixed = try await post("{\"devices\":[\(campus.cwc),\(campus.dzb)],\"status\":\"confirmed\"}", as: two)
            #expect(mixed.status == .notFound)
            #expect(try campus.service.reviews(scope: .everything).isEmpty)
            #expect(
                try await post("{\"devices\":[\(campus.cwc)],\"status\":\"not_ours\"}", as: two).status == .badRequest)
            #expect(
                try await post("{\"devices\":[\(campus.cwc)],\"status\":\"confirmed\"}", as: two, csrf: false).status
                    == .forbidden)
            let ok = try await post("{\"devices\":[\(campus.cwc),\(campus.jys)],\"status\":\"confirmed\"}", as: two)
            #expect(ok.status == .ok)
            #expect(Set(try campus.service.reviews(scope: .everything).keys) == [campus.cwc, campus.jys])
            // The page form: not ours, with a note; an auditor may not review.
            let form: HTTPFields = [.cookie: two.cookie, .contentType: "application/x-www-form-urlencoded"]
            let page = try await client.execute(
                uri: "/devices/\(campus.jys)/review", method: .post, headers: form,
                body: ByteBuffer(string: "csrf=\(two.csrf)&status=not_ours&note=%E5%9B%BE%E4%B9%A6%E9%A6%86%E7%9A%84"))
            #expect(page.status == .found)
            #expect(try campus.service.reviews(scope: .everything)[campus.jys]?.status == "not_ours")
            let aud = try await client.signIn("aud", Campus.passwords["aud"]!)
            let refused = try await client.execute(
                uri: "/devices/\(campus.dzb)/review", method: .post,
                headers: [.cookie: aud.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(aud.csrf)&status=confirmed"))
            #expect(refused.status == .forbidden)
            // Coverage: CWC 1/1, JYXY-JYS 1/1 (not ours), DZB 0/1.
            let it = try await client.signIn("it", Campus.passwords["it"]!)
            let coverage = try #require(
                try json(try await client.get("/api/v1/review-coverage", as: it)) as? [[String: Any]])
            func row(_ d: String) -> [String: Any]? { coverage.first { $0["department"] as? String == d } }
            #expect(row("CWC")?["reviewed"] as? Int == 1 && row("DZB")?["reviewed"] as? Int == 0)
            #expect(row("JYXY-JYS")?["not_ours"] as? Int == 1)
            let actions = try campus.service.auditLog(scope: .everything).map(\.action)
            #expect(actions.filter { $0 == "device.review" }.count == 3)
        }
    }

    @Test func theExportIsExactlyTheCurrentFilterAndGuardsFormulas() async throws {
        let campus = try Campus()
        try await campus.app().test(.router) { client in
            let it = try await client.signIn("it", Campus.passwords["it"]!)
            let csv = try await client.get("/devices/export?format=csv&class=printer", as: it)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let text = String(buffer: csv.body)
            #expect(text.hasPrefix("\u{FEFF}设备编号,类别"))
            #expect(text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 3)  // header + 2 printers
            #expect(!text.contains("jys-pc"))
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            let own = String(buffer: try await client.get("/devices/export?format=csv", as: dzb).body)
            #expect(own.contains("dzb-printer") && !own.contains("alert"))
            let book = try await client.get("/devices/export?format=xlsx&q=script", as: it)
            #expect(Data(buffer: book.body).starts(with: [0x50, 0x4B, 0x03, 0x04]))  // a zip: the workbook
        }
    }
}
