import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerApp
import LedgerModel
import LedgerServer
import Testing

@testable import LedgerStore

/// Every route the router has, its policy, the OpenAPI document and the role matrix. The routes
/// are read from the router itself (`Router.routes`), so a route added without a policy, or
/// without its place in the spec, fails here.
@Suite struct RouteTests {
    @Test func everyRouteHasAPolicyAndEveryAPIRouteIsInTheSpec() async throws {
        let campus = try Campus()
        let (router, book) = try LedgerServer.router(service: campus.service)
        let routed = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let booked = Set(book.entries.map { "\($0.method) \($0.path)" })
        #expect(routed == booked)
        #expect(routed.count == book.entries.count)  // one policy per route
        let text = try await campus.app().test(.router) { client in
            String(buffer: try await client.execute(uri: "/api/v1/openapi.json", method: .get).body)
        }
        let spec = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let paths = try #require(spec["paths"] as? [String: [String: Any]])
        let specRoutes = Set(paths.flatMap { path, methods in methods.keys.map { "\($0.uppercased()) \(path)" } })
        let apiRoutes = routed.filter { $0.split(separator: " ")[1].hasPrefix("/api/") }
        #expect(apiRoutes == specRoutes)
        // The device list's orders: the spec's words are the parser's.
        let list = try #require((paths["/api/v1/devices"]?["get"] as? [String: Any])?["parameters"] as? [[String: Any]])
        let sort = try #require(list.first { $0["name"] as? String == "sort" }?["schema"] as? [String: Any])
        #expect(sort["enum"] as? [String] == [""] + DeviceOrder.words)
    }

    enum Caller: String, CaseIterable {
        case anonymous, admin, liaison, twoDepartments, noDepartment, auditor, collector
    }

    /// Every GET route × every kind of caller × ids of the caller's own department, another
    /// department, a device of no department and a missing one: the status each must get, and
    /// the database unchanged by all of them.
    @Test func theRoleMatrixHoldsForEveryReadAndNothingIsWritten() async throws {
        let campus = try Campus()
        let campaign = try campus.service.openCampaign(
            kind: "self-check", name: "2026年自查", deadline: "2026-12-31", scope: .everything, actor: Principal("test"))
        let securityCheck = try campus.service.openCampaign(
            kind: "security-check", name: "2026年网络安全检查", deadline: "2026-12-31", scope: .everything,
            actor: Principal("test"))
        let collector = try campus.service.createToken(
            login: "it", name: "collector", purpose: .reports, scope: .everything, actor: Principal("test"))
        let job = try campus.service.addScanJob(
            ScanJobSpec(name: "dzb", scope: ["198.18.10.0/24"], interface: "no-such-nic0"), scope: .everything,
            actor: Principal("test"))
        let (router, book) = try LedgerServer.router(service: campus.service)
        try await Application(router: router).test(.router) { client in
            var browsers: [Caller: Browser] = [:]
            browsers[.admin] = try await client.signIn("it", Campus.passwords["it"]!)
            browsers[.liaison] = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            browsers[.twoDepartments] = try await client.signIn("two", Campus.passwords["two"]!)
            browsers[.auditor] = try await client.signIn("aud", Campus.passwords["aud"]!)
            // A liaison whose only department went away (its link deleted, as a removed
            // department's would be): signed in, sees nothing.
            browsers[.noDepartment] = try await client.signIn("zero", Campus.passwords["zero"]!)
            try await campus.service.ledger.writer.write { db in
                try db.execute(
                    sql:
                        "DELETE FROM account_department WHERE account_id = (SELECT id FROM account WHERE login = 'zero')"
                )
            }
            let cookies = browsers.mapValues(\.cookie)
            let before = try Self.snapshot(campus)
            var checked = 0
            for entry in book.entries where entry.method == "GET" {
                // Scan jobs are campus-wide: a liaison is refused whichever id it names.
                let campusWide = entry.path.contains("/scans/jobs/") || entry.path.contains("/scan-jobs/")
                let ids: [(String, Int64)] =
                    entry.path.contains("{id}")
                    ? (entry.path.contains("campaigns")
                        ? [
                            ("campaign", entry.path.hasSuffix("/results") ? securityCheck.id : campaign.id),
                            ("missing", 99_999),
                        ]
                        : campusWide
                            ? [("job", job.id), ("missing", 99_999)]
                            : [
                                ("dzb", campus.dzb), ("cwc", campus.cwc), ("jys", campus.jys),
                                ("orphan", campus.orphan), ("missing", 99_999),
                            ])
                    : [("-", 0)]
                for (which, id) in ids {
                    let uri = entry.path.replacingOccurrences(of: "{id}", with: String(id))
                    for caller in Caller.allCases {
                        var headers: HTTPFields = [:]
                        if let c = cookies[caller] { headers[.cookie] = c }
                        if caller == .collector { headers[.authorization] = "Bearer \(collector)" }
                        let r = try await client.execute(uri: uri, method: .get, headers: headers)
                        let status = r.status.code
                        let context = "\(caller) GET \(uri) (\(which)) → \(status)"
                        #expect(status < 500, "\(context)")
                        checked += 1
                        let api = entry.path.hasPrefix("/api/")
                        switch (caller, entry.access) {
                        case (_, .open): #expect(status == 200, "\(context)")
                        case (.anonymous, _): #expect(status == (api ? 401 : 302), "\(context)")
                        case (.collector, _): #expect(status == 403, "\(context)")
                        case (_, .admin) where caller != .admin: #expect(status == 403, "\(context)")
                        default:
                            switch which {
                            case "missing" where campusWide && caller != .admin && caller != .auditor:
                                #expect(status == 403, "\(context)")
                            case "missing": #expect(status == 404, "\(context)")
                            case "campaign" where entry.path.hasSuffix("/diff"):
                                #expect(status == 409, "\(context)")  // an open campaign compares with nothing
                            case "-"
                            where entry.path == "/api/v1/scans/diff" && (caller == .admin || caller == .auditor):
                                #expect(status == 404, "\(context)")  // the campus has no two scans yet
                            case "campaign", "job", "-":
                                // Campus-wide lists a liaison may not read answer 403; all else 200.
                                #expect(status == 200 || status == 403, "\(context)")
                                if caller == .admin || caller == .auditor { #expect(status == 200, "\(context)") }
                            default:
                                let own: [Caller: Set<String>] = [
                                    .liaison: ["dzb"], .twoDepartments: ["cwc", "jys"], .noDepartment: [],
                                    .admin: ["dzb", "cwc", "jys", "orphan"], .auditor: ["dzb", "cwc", "jys", "orphan"],
                                ]
                                #expect(status == (own[caller]!.contains(which) ? 200 : 404), "\(context)")
                            }
                        }
                    }
                }
            }
            #expect(checked > 100)
            #expect(try Self.snapshot(campus) == before, "a GET changed the database")
            // Every unsafe route without the session's token: refused, nothing written.
            for entry in book.entries where entry.method != "GET" && entry.access != .open && entry.access != .reports {
                for caller in [Caller.admin, .liaison, .auditor] {
                    let r = try await client.execute(
                        uri: entry.path, method: HTTPRequest.Method(entry.method)!,
                        headers: [.cookie: cookies[caller]!, .contentType: "application/x-www-form-urlencoded"],
                        body: ByteBuffer(string: "x=1"))
                    #expect(
                        r.status == .forbidden, "\(caller) \(entry.method) \(entry.path) without CSRF → \(r.status)")
                }
            }
            #expect(try Self.snapshot(campus) == before, "a refused request wrote")
            // An auditor with the session's valid token still changes nothing.
            let auditor = try #require(browsers[.auditor])
            for entry in book.entries where entry.method != "GET" && entry.access == .changer || entry.access == .admin
            {
                guard entry.method != "GET" else { continue }
                let uri = entry.path.replacingOccurrences(of: "{id}", with: String(campus.dzb))
                let json = uri.hasPrefix("/api/")
                let r = try await client.execute(
                    uri: uri, method: HTTPRequest.Method(entry.method)!,
                    headers: [
                        .cookie: auditor.cookie, HTTPField.Name("X-CSRF-Token")!: auditor.csrf,
                        .contentType: json ? "application/json" : "application/x-www-form-urlencoded",
                    ],
                    body: ByteBuffer(
                        string: json
                            ? "{\"devices\":[\(campus.dzb)],\"status\":\"confirmed\"}"
                            : "csrf=\(auditor.csrf)&status=confirmed&responsible=x"))
                #expect(r.status == .forbidden, "auditor \(entry.method) \(uri) → \(r.status)")
            }
            #expect(try Self.snapshot(campus) == before, "an auditor wrote")
            // What a liaison's lists hold is their scope's, and a foreign filter is not found.
            let dzbIDs = try #require(
                try json(try await client.get("/api/v1/devices", as: browsers[.liaison])) as? [[String: Any]]
            ).compactMap { $0["id"] as? Int }
            #expect(dzbIDs == [Int(campus.dzb)])
            let export = String(buffer: try await client.get("/devices/export?format=csv", as: browsers[.liaison]).body)
            #expect(export.contains("dzb-printer") && !export.contains("jys-pc") && !export.contains("stray"))
            let audit = try #require(
                try json(try await client.get("/api/v1/audit", as: browsers[.liaison])) as? [[String: Any]])
            #expect(audit.allSatisfy { ($0["department"] as? String) == "DZB" })
            for uri in [
                "/api/v1/devices?dept=CWC", "/devices?dept=CWC", "/api/v1/posture?dept=CWC",
                "/api/v1/compliance?dept=CWC", "/api/v1/software?dept=CWC", "/devices/export?dept=CWC",
            ] {
                #expect(try await client.get(uri, as: browsers[.liaison]).status == .notFound, "\(uri)")
            }
        }
    }

    /// Every unsafe route × each liaison (one department, two, none) with the session's valid
    /// token, on what is not theirs: IT-only routes answer 403; the device and campaign routes,
    /// named another department's device, a device of no department or a missing one (in the
    /// path and in every form or JSON field that takes one), refuse — and nothing is written by
    /// any of it. (Filing a claim on another department's device is the claim flow itself, and
    /// signing out changes the session: those two are tested where they are.)
    @Test func noLiaisonWritesOutsideTheirDepartment() async throws {
        let campus = try Campus()
        // A DZB office PC beside the JYXY-JYS one: each liaison has another department's PC
        // (and its never-reported finding) to name.
        var seen = Observation(
            source: .scan, sourceRef: "test", observedAt: Date(timeIntervalSince1970: 1_790_000_000),
            deviceClass: .pc, macs: ["3c:d9:2b:00:00:05"], ips: ["198.18.10.50"])
        seen.evidence = [Evidence(field: "class", value: "pc", reason: "test rule", certainty: 80)]
        let dzbPC = try #require(try campus.service.ledger.merge([seen]).deviceIDs.first)
        let campaign = try campus.service.openCampaign(
            kind: "self-check", name: "2026年自查", deadline: "2026-12-31", scope: .everything, actor: Principal("test"))
        let findings = Dictionary(
            try campus.service.campaignFindings(campaign.id, scope: .everything).compactMap { f in
                f.device.map { ($0, f.id) }
            }, uniquingKeysWith: { a, _ in a })
        #expect(findings[campus.jys] != nil && findings[dzbPC] != nil)
        let securityCheck = try campus.service.openCampaign(
            kind: "security-check", name: "2026年网络安全检查", deadline: "2026-12-31", scope: .everything,
            actor: Principal("test"))
        let job = try campus.service.addScanJob(
            ScanJobSpec(name: "dzb", scope: ["198.18.10.0/24"], interface: "no-such-nic0"), scope: .everything,
            actor: Principal("test"))
        let (router, book) = try LedgerServer.router(service: campus.service)
        try await Application(router: router).test(.router) { client in
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            let two = try await client.signIn("two", Campus.passwords["two"]!)
            let zero = try await client.signIn("zero", Campus.passwords["zero"]!)
            try await campus.service.ledger.writer.write { db in
                try db.execute(
                    sql:
                        "DELETE FROM account_department WHERE account_id = (SELECT id FROM account WHERE login = 'zero')"
                )
            }
            // Each liaison's foreign devices (another department's PC first), and a department not theirs.
            let liaisons: [(String, Browser, foreign: [Int64], otherDepartment: String)] = [
                ("dzb", dzb, [campus.jys, campus.cwc, campus.orphan, 99_999], "CWC"),
                ("two", two, [dzbPC, campus.dzb, campus.orphan, 99_999], "DZB"),
                ("zero", zero, [dzbPC, campus.jys, campus.cwc, campus.orphan, 99_999], "DZB"),
            ]
            let before = try Self.snapshot(campus)
            var checked = 0
            func send(_ method: String, _ uri: String, _ body: String, _ browser: Browser) async throws -> TestResponse
            {
                let json = uri.hasPrefix("/api/")
                return try await client.execute(
                    uri: uri, method: HTTPRequest.Method(method)!,
                    headers: [
                        .cookie: browser.cookie, HTTPField.Name("X-CSRF-Token")!: browser.csrf,
                        .contentType: json ? "application/json" : "application/x-www-form-urlencoded",
                    ], body: ByteBuffer(string: body))
            }
            func body(_ uri: String, device: Int64, department: String, csrf: String) -> String {
                uri.hasPrefix("/api/")
                    ? #"{"devices":[\#(device)],"status":"confirmed","note":"n","department":"\#(department)","#
                        + #""reason":"r","scope":["198.18.11.0/24"],"name":"x","interface":"i","#
                        + #""findings":["\#(findings[device] ?? "F0")"],"resolution":"uninstalled","by":"x","#
                        + #""statement":"y","device":\#(device),"item":"pc_private_network","result":"pass","#
                        + #""employee":"X999","year":2026,"count":1,"confirmed_by":"x"}"#
                    : "csrf=\(csrf)&status=confirmed&note=n&responsible=x&location=y&device=\(device)"
                        + "&finding=\(findings[device] ?? "F0")&resolution=uninstalled&department=\(department)"
                        + "&by=x&statement=y&decision=grant&item=pc_private_network&result=pass&employee=X999"
                        + "&year=2026&count=1&confirmed_by=x"
            }
            for entry in book.entries where entry.method != "GET" {
                guard entry.access != .open, entry.access != .reports, entry.path != "/logout",
                    !entry.path.hasSuffix("/claims")
                else { continue }
                for (name, browser, foreign, other) in liaisons {
                    for device in foreign {
                        let id =
                            entry.path.contains("campaigns")
                            ? (entry.path.hasSuffix("/result") || entry.path.hasSuffix("/results")
                                ? securityCheck.id : campaign.id)
                            : entry.path.contains("scan") ? job.id : device
                        let uri = entry.path.replacingOccurrences(of: "{id}", with: String(id))
                        let r = try await send(
                            entry.method, uri, body(uri, device: device, department: other, csrf: browser.csrf),
                            browser)
                        let context = "\(name) \(entry.method) \(uri) (device \(device)) → \(r.status.code)"
                        checked += 1
                        // IT's routes: 403. The rest: not found — another department's device, PC,
                        // finding or department is, to a liaison, no such thing.
                        #expect(r.status == (entry.access == .admin ? .forbidden : .notFound), "\(context)")
                    }
                }
            }
            #expect(checked > 60)
            #expect(try Self.snapshot(campus) == before, "a liaison wrote outside their department")
            // The same requests on the liaison's own device, PC, finding and department go
            // through: the refusals above are the scope's, not a malformed request's.
            let own: [(String, Int64)] = [
                ("/devices/\(campus.dzb)/review", campus.dzb), ("/devices/\(campus.dzb)/custody", campus.dzb),
                ("/api/v1/devices/review", campus.dzb), ("/campaigns/\(campaign.id)/check", dzbPC),
                ("/campaigns/\(campaign.id)/resolve", dzbPC), ("/campaigns/\(campaign.id)/sign-off", dzbPC),
                ("/campaigns/\(securityCheck.id)/result", dzbPC),
                ("/api/v1/campaigns/\(campaign.id)/resolutions", dzbPC),
                ("/api/v1/campaigns/\(campaign.id)/checks", dzbPC),
                ("/api/v1/campaigns/\(campaign.id)/sign-offs", dzbPC),
                ("/api/v1/campaigns/\(securityCheck.id)/results", dzbPC),
            ]
            for (uri, device) in own {
                let r = try await send("POST", uri, body(uri, device: device, department: "DZB", csrf: dzb.csrf), dzb)
                let expected: HTTPResponse.Status =
                    uri.hasPrefix("/api/") ? (uri.hasSuffix("/sign-offs") ? .created : .ok) : .found
                #expect(r.status == expected, "\(uri) → \(r.status)")
            }
            #expect(try Self.snapshot(campus) != before)
        }
    }

    /// A JSON command larger than the API takes: 413 with the error's shape, nothing written; a
    /// batch of 1,000 ids of any kind fits.
    @Test func anOversizedCommandIs413AndWritesNothing() async throws {
        let campus = try Campus()
        let campaign = try campus.service.openCampaign(
            kind: "self-check", name: "2026年自查", deadline: "2026-12-31", scope: .everything, actor: Principal("test"))
        let (router, _) = try LedgerServer.router(service: campus.service)
        try await Application(router: router).test(.router) { client in
            let two = try await client.signIn("two", Campus.passwords["two"]!)
            let headers: HTTPFields = [
                .cookie: two.cookie, HTTPField.Name("X-CSRF-Token")!: two.csrf, .contentType: "application/json",
            ]
            let before = try Self.snapshot(campus)
            let huge = #"{"findings":["\#(String(repeating: "F", count: 1 << 20 + 1))"],"resolution":"uninstalled"}"#
            let r = try await client.execute(
                uri: "/api/v1/campaigns/\(campaign.id)/resolutions", method: .post, headers: headers,
                body: ByteBuffer(string: huge))
            #expect(r.status == .contentTooLarge)
            #expect((try json(r) as? [String: Any])?["http_status"] as? Int == 413)
            #expect(try Self.snapshot(campus) == before)
            // 1,000 long ids: a batch the API takes whole (here: none is a finding, so 404).
            let ids = (0..<1000).map { "\"F\(String(repeating: "0", count: 200))\($0)\"" }.joined(separator: ",")
            let batch = try await client.execute(
                uri: "/api/v1/campaigns/\(campaign.id)/resolutions", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"findings":[\#(ids)],"resolution":"uninstalled"}"#))
            #expect(batch.status == .notFound)
        }
    }

    /// Everything a request could change: every row of every table.
    static func snapshot(_ campus: Campus) throws -> [String] {
        try campus.service.ledger.writer.read { db in
            let tables = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            return try tables.flatMap { t in
                try Row.fetchAll(db, sql: "SELECT * FROM \"\(t)\" ORDER BY 1").map { "\(t) \($0.description)" }
            }
        }
    }

    @Test func noPasswordOrTokenIsStoredInClear() throws {
        let campus = try Campus()
        let token = try campus.service.createToken(
            login: "it", name: "script", scope: .everything, actor: Principal("test"))
        _ = try campus.service.signIn(login: "it", password: Campus.passwords["it"]!)
        let session = try campus.service.signIn(login: "dzb", password: Campus.passwords["dzb"]!)
        try campus.service.ledger.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        var bytes = Data()
        for suffix in ["", "-wal", "-shm"] {
            if let d = FileManager.default.contents(atPath: campus.path + suffix) { bytes.append(d) }
        }
        #expect(bytes.count > 10_000)
        for secret in Campus.passwords.values.map({ Data($0.utf8) }) + [Data(token.utf8), Data(session.id.utf8)] {
            #expect(bytes.range(of: secret) == nil, "found a secret in clear in the database")
        }
        // What is kept instead: bcrypt hashes and SHA-256 digests.
        let hashes = try campus.service.ledger.writer.read { db in
            try String.fetchAll(db, sql: "SELECT password_hash FROM account")
        }
        #expect(hashes.count == 5 && hashes.allSatisfy { $0.hasPrefix("$2") })
    }
}
