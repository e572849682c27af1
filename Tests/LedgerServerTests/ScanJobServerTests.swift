import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerApp
import LedgerModel
import LedgerServer
import LedgerStore
import Logging
import ServiceLifecycle
import Testing

/// Scan jobs through the server: the API and the scans page under each role, a run started
/// now in the background (202) or refused as busy (409), and the scheduler in the running
/// application, which records a failed scan and goes on serving and scheduling.
@Suite struct ScanJobServerTests {
    static func addJob(_ campus: Campus, _ name: String, _ scope: String, every: String? = "6h") throws -> ScanJobOutput
    {
        var spec = ScanJobSpec(name: name, scope: [scope], interface: "no-such-nic0")
        spec.schedule = try ScanSchedule.parse(every: every, at: nil)
        return try campus.service.addScanJob(spec, scope: .everything, actor: Principal("test"))
    }

    /// Polls until `done` holds (a background run ends in milliseconds here: the interface is missing).
    static func eventually(_ what: String, _ done: () throws -> Bool) async throws {
        for _ in 0..<200 {
            if try done() { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("timed out waiting for \(what)")
    }

    @Test func itStartsAJobNowAndABusyScopeIsAConflict() async throws {
        let campus = try Campus()
        let dzb = try Self.addJob(campus, "dzb", "198.18.10.0/24")
        let upper = try Self.addJob(campus, "dzb-upper", "198.18.10.128/25", every: nil)
        let runner = ScanRunner(service: campus.service)
        let (router, _) = try LedgerServer.router(service: campus.service, runner: runner)
        try await Application(router: router).test(.router) { client in
            let it = try await client.signIn("it", Campus.passwords["it"]!)
            let aud = try await client.signIn("aud", Campus.passwords["aud"]!)
            let dzbLiaison = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            let jobs = try #require(try json(try await client.get("/api/v1/scan-jobs", as: aud)) as? [[String: Any]])
            #expect(jobs.map { $0["name"] as? String } == ["dzb", "dzb-upper"])
            #expect(try await client.get("/api/v1/scan-jobs", as: dzbLiaison).status == .forbidden)
            #expect(try await client.get("/api/v1/scan-jobs/\(dzb.id)", as: dzbLiaison).status == .forbidden)
            func post(_ uri: String, as b: Browser) async throws -> TestResponse {
                try await client.execute(
                    uri: uri, method: .post,
                    headers: [
                        .cookie: b.cookie, HTTPField.Name("X-CSRF-Token")!: b.csrf, .contentType: "application/json",
                    ])
            }
            // The auditor reads but may not start a run.
            #expect(try await post("/api/v1/scan-jobs/\(dzb.id)/run", as: aud).status == .forbidden)
            #expect(try await post("/api/v1/scan-jobs/99999/run", as: it).status == .notFound)
            // IT: 202 with the run as it started; it ends in the background, failed with the reason.
            let started = try await post("/api/v1/scan-jobs/\(dzb.id)/run", as: it)
            #expect(started.status == .accepted, "\(String(buffer: started.body))")
            let run = try #require(try json(started) as? [String: Any])
            #expect(run["status"] as? String == "running" && run["triggered_by"] as? String == "web:it")
            await runner.idle()
            let shown = try campus.service.showScanJob("dzb", scope: .everything)
            #expect(shown.runs.count == 1 && shown.runs[0].status == "failed")
            #expect(shown.runs[0].error?.contains("no-such-nic0") == true)
            // While a job runs, one of an overlapping scope is not started: 409, nothing recorded.
            let holding = try campus.service.beginScanJobRun(
                "dzb", trigger: .manual, actor: Principal("cli:it"), scope: .everything)
            let busy = try await post("/api/v1/scan-jobs/\(upper.id)/run", as: it)
            #expect(busy.status == .conflict)
            let refusal = try #require(try json(busy) as? [String: Any])
            #expect((refusal["message"] as? String)?.contains("job 'dzb' is scanning an overlapping scope") == true)
            #expect(try campus.service.showScanJob("dzb-upper", scope: .everything).runs.isEmpty)
            _ = try campus.service.completeScanJobRun(holding.id, scope: .everything)
            #expect(try await post("/api/v1/scan-jobs/\(upper.id)/run", as: it).status == .accepted)
            await runner.idle()
            #expect(try campus.service.showScanJob("dzb-upper", scope: .everything).runs.map(\.status) == ["failed"])
        }
    }

    @Test func itAddsChangesAndRemovesJobsThroughTheAPI() async throws {
        let campus = try Campus()
        let (router, _) = try LedgerServer.router(service: campus.service)
        try await Application(router: router).test(.router) { client in
            let it = try await client.signIn("it", Campus.passwords["it"]!)
            let aud = try await client.signIn("aud", Campus.passwords["aud"]!)
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            func send(_ method: HTTPRequest.Method, _ uri: String, _ body: String, as b: Browser) async throws
                -> TestResponse
            {
                try await client.execute(
                    uri: uri, method: method,
                    headers: [
                        .cookie: b.cookie, HTTPField.Name("X-CSRF-Token")!: b.csrf, .contentType: "application/json",
                    ], body: ByteBuffer(string: body))
            }
            let job = #"{"name":"dzb","scope":["198.18.10.0/24"],"interface":"no-such-nic0","every":"6h","skip":"pjl"}"#
            // Neither the auditor nor a liaison; bad bodies: 400 and nothing stored.
            #expect(try await send(.post, "/api/v1/scan-jobs", job, as: aud).status == .forbidden)
            #expect(try await send(.post, "/api/v1/scan-jobs", job, as: dzb).status == .forbidden)
            for bad in [
                "", "{", #"{"name":"dzb","scope":["127.0.0.0/24"],"interface":"x"}"#,
                #"{"name":"dzb","scope":["198.18.10.0/24"],"interface":"x","ports":"99999"}"#,
                #"{"name":"dzb","scope":["198.18.10.0/24"],"interface":"x","colour":"red"}"#,
            ] {
                let r = try await send(.post, "/api/v1/scan-jobs", bad, as: it)
                #expect(r.status == .badRequest || r.status == .unprocessableContent, "\(bad) → \(r.status)")
                #expect((try json(r) as? [String: Any])?["message"] != nil, "\(bad)")
            }
            #expect(try campus.service.listScanJobs(scope: .everything).isEmpty)
            let added = try await send(.post, "/api/v1/scan-jobs", job, as: it)
            #expect(added.status == .created, "\(String(buffer: added.body))")
            let id = try #require((try json(added) as? [String: Any])?["id"] as? Int)
            #expect(try await send(.post, "/api/v1/scan-jobs", job, as: it).status == .conflict)
            // A change: what it gives, the rest kept; a refused one changes nothing.
            let changed = try await send(
                .patch, "/api/v1/scan-jobs/\(id)", #"{"scope":["198.18.10.0/25"],"on_demand":true}"#, as: it)
            #expect(changed.status == .ok, "\(String(buffer: changed.body))")
            let shown = try #require(try json(changed) as? [String: Any])
            #expect(shown["scope"] as? String == "198.18.10.0/25" && shown["schedule"] as? String == "on demand")
            #expect(shown["skip"] as? String == "pjl")
            for bad in [#"{}"#, #"{"name":"other"}"#, #"{"scope":["0.0.0.0/0"]}"#, #"{"rate":-1}"#] {
                let r = try await send(.patch, "/api/v1/scan-jobs/\(id)", bad, as: it)
                #expect(r.status == .badRequest || r.status == .unprocessableContent, "\(bad) → \(r.status)")
            }
            #expect(try campus.service.showScanJob("dzb", scope: .everything).job.scope == "198.18.10.0/25")
            #expect(try await send(.patch, "/api/v1/scan-jobs/99999", #"{"rate":10}"#, as: it).status == .notFound)
            #expect(try await send(.patch, "/api/v1/scan-jobs/\(id)", #"{"rate":10}"#, as: dzb).status == .forbidden)
            // Removed: 204, then gone.
            #expect(try await send(.delete, "/api/v1/scan-jobs/\(id)", "", as: aud).status == .forbidden)
            #expect(try await send(.delete, "/api/v1/scan-jobs/\(id)", "", as: it).status == .noContent)
            #expect(try await send(.delete, "/api/v1/scan-jobs/\(id)", "", as: it).status == .notFound)
            #expect(try campus.service.listScanJobs(scope: .everything).isEmpty)
            let actions = try campus.service.auditLog(scope: .everything).map(\.action).filter {
                $0.hasPrefix("scan_job.")
            }
            #expect(actions == ["scan_job.add", "scan_job.edit", "scan_job.remove"])
        }
    }

    @Test func theScansPageShowsHistoryDiffJobsAndRunsAndOnlyITHasTheButton() async throws {
        let campus = try Campus()
        let job = try Self.addJob(campus, "<b>night", "198.18.11.0/24")
        // Two recorded scans of CWC's subnet: the printer, then the printer with a new port and a PC.
        func record(_ hosts: [(String, String, [UInt16])], at minutes: Double) throws {
            let observations = hosts.map { h -> Observation in
                Observation(
                    source: .scan, sourceRef: "scan lab0",
                    observedAt: Date(timeIntervalSince1970: 1_790_000_000 + minutes * 60),
                    macs: [h.1], ips: [h.0])
            }
            _ = try campus.service.ledger.recordScan(
                ScanRecord(
                    method: "arp+ports", scope: "198.18.11.1-198.18.11.254", exclusions: "", interface: "lab0",
                    startedAt: Date(timeIntervalSince1970: 1_790_000_000 + minutes * 60),
                    finishedAt: Date(timeIntervalSince1970: 1_790_000_000 + minutes * 60 + 12), targets: 254,
                    packets: 600, answered: hosts.count),
                observations: observations, openPorts: Dictionary(uniqueKeysWithValues: hosts.map { ($0.0, $0.2) }))
        }
        try record([("198.18.11.5", "3c:d9:2b:00:00:02", [80])], at: 0)
        try record(
            [("198.18.11.5", "3c:d9:2b:00:00:02", [80, 9100]), ("198.18.11.77", "00:16:3e:aa:00:01", [])], at: 60)
        let runner = ScanRunner(service: campus.service)
        let (router, _) = try LedgerServer.router(service: campus.service, runner: runner)
        try await Application(router: router).test(.router) { client in
            let it = try await client.signIn("it", Campus.passwords["it"]!)
            let page = String(buffer: try await client.get("/scans?lang=en", as: it).body)
            #expect(page.contains("Recorded scans") && page.contains("198.18.11.1-198.18.11.254"))
            #expect(page.contains("198.18.11.77") && page.contains("80 → 80,9100"), "the diff of the last two")
            #expect(page.contains("&lt;b&gt;night") && !page.contains("<b>night"), "names are escaped")
            #expect(page.contains("action=\"/scans/jobs/\(job.id)/run\""))
            #expect(page.contains("name=\"csrf\" value=\"\(it.csrf)\""))
            #expect(page.contains("<a href=\"/scans\">"), "the nav links the page")
            // Any two scans compared, on the page (each row links its comparison with the one
            // before) and in the API; a liaison may not, a half pair or a missing scan is refused.
            let ids = try campus.service.listScans(scope: .everything).map(\.id)
            #expect(ids.count == 2 && page.contains("href=\"/scans?older=\(ids[1])&amp;newer=\(ids[0])\""))
            let reversed = String(
                buffer: try await client.get("/scans?older=\(ids[0])&newer=\(ids[1])&lang=en", as: it).body)
            #expect(reversed.contains("#\(ids[0]) → #\(ids[1])") && reversed.contains("80,9100 → 80"))
            let diff = try #require(
                try json(try await client.get("/api/v1/scans/diff?older=\(ids[1])&newer=\(ids[0])", as: it))
                    as? [String: Any])
            #expect((diff["new"] as? [[String: Any]])?.map { $0["ip"] as? String } == ["198.18.11.77"])
            #expect(try await client.get("/api/v1/scans/diff?older=\(ids[1])", as: it).status == .badRequest)
            #expect(try await client.get("/api/v1/scans/diff?older=\(ids[1])&newer=99999", as: it).status == .notFound)
            #expect(try await client.get("/scans?older=x&newer=1", as: it).status == .badRequest)
            let liaison = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            #expect(try await client.get("/api/v1/scans/diff", as: liaison).status == .forbidden)
            // The button: a run starts, the page says so and lists it once it has ended.
            let form: HTTPFields = [.cookie: it.cookie, .contentType: "application/x-www-form-urlencoded"]
            let pressed = try await client.execute(
                uri: "/scans/jobs/\(job.id)/run", method: .post, headers: form,
                body: ByteBuffer(string: "csrf=\(it.csrf)"))
            #expect(pressed.status == .found)
            let location = try #require(pressed.headers[.location])
            #expect(location.hasPrefix("/scans?started="))
            await runner.idle()
            let after = String(buffer: try await client.get(location + "&lang=en", as: it).body)
            #expect(after.contains("Started run") && after.contains("no-such-nic0") && after.contains("manual"))
            // Without the form's token: refused, nothing started.
            let forged = try await client.execute(
                uri: "/scans/jobs/\(job.id)/run", method: .post, headers: form, body: ByteBuffer(string: ""))
            #expect(forged.status == .forbidden)
            #expect(try campus.service.showScanJob(String(job.id), scope: .everything).runs.count == 1)
            // The auditor reads it without buttons; a liaison may not read it (nor find the link).
            let aud = try await client.signIn("aud", Campus.passwords["aud"]!)
            let audited = try await client.get("/scans", as: aud)
            #expect(audited.status == .ok)
            #expect(!String(buffer: audited.body).contains("/scans/jobs/"))
            let dzb = try await client.signIn("dzb", Campus.passwords["dzb"]!)
            #expect(try await client.get("/scans", as: dzb).status == .forbidden)
            #expect(!String(buffer: try await client.get("/", as: dzb).body).contains("href=\"/scans\""))
            // A running run has a Stop button for IT only. This one was claimed outside the
            // server's runner (it holds no stop for it): refused as a conflict, nothing audited;
            // a missing run is not found; the auditor may not.
            let held = try campus.service.beginScanJobRun(
                String(job.id), trigger: .manual, actor: Principal("cli:it"), scope: .everything)
            let running = String(buffer: try await client.get("/scans?lang=en", as: it).body)
            #expect(running.contains("action=\"/scans/runs/\(held.id)/cancel\"") && running.contains(">Stop<"))
            #expect(!String(buffer: try await client.get("/scans", as: aud).body).contains("/cancel"))
            let stop = try await client.execute(
                uri: "/scans/runs/\(held.id)/cancel", method: .post, headers: form,
                body: ByteBuffer(string: "csrf=\(it.csrf)"))
            #expect(stop.status == .conflict)
            let api: HTTPFields = [.cookie: it.cookie, HTTPField.Name("X-CSRF-Token")!: it.csrf]
            for (id, status) in [(held.id, HTTPResponse.Status.conflict), (99_999, .notFound)] {
                let r = try await client.execute(uri: "/api/v1/scan-job-runs/\(id)/cancel", method: .post, headers: api)
                #expect(r.status == status, "\(id)")
            }
            let audCancel = try await client.execute(
                uri: "/api/v1/scan-job-runs/\(held.id)/cancel", method: .post,
                headers: [.cookie: aud.cookie, HTTPField.Name("X-CSRF-Token")!: aud.csrf])
            #expect(audCancel.status == .forbidden)
            #expect(try campus.service.auditLog(scope: .everything).allSatisfy { $0.action != "scan_job.cancel" })
        }
    }

    /// The application as `serve` runs it: the scheduler starts a due job, whose scan fails
    /// (no such interface); the failure is recorded, the server answers, and the scheduler
    /// starts the next job added; graceful shutdown stops it.
    @Test func theSchedulerRecordsAFailedScanAndGoesOn() async throws {
        let campus = try Campus()
        _ = try Self.addJob(campus, "first", "198.18.10.0/24")
        let token = try campus.service.createToken(
            login: "it", name: "script", scope: .everything, actor: Principal("test"))
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let app = try LedgerServer.application(
            service: campus.service, host: "127.0.0.1", port: 0,
            options: ServerOptions(scanCheckInterval: .milliseconds(50)), logger: logger)
        try await app.test(.live) { client in
            func runs(_ name: String) throws -> [ScanJobRunOutput] {
                try campus.service.showScanJob(name, scope: .everything).runs
            }
            try await Self.eventually("the first job's run") { try runs("first").first?.status == "failed" }
            #expect(try runs("first").first?.error?.contains("no-such-nic0") == true)
            #expect(try runs("first").first?.trigger == "schedule")
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            let listed = try await client.execute(uri: "/api/v1/scan-jobs", method: .get, headers: bearer)
            #expect(listed.status == .ok)
            let jobs = try #require(try json(listed) as? [[String: Any]])
            #expect((jobs.first?["last_run"] as? [String: Any])?["status"] as? String == "failed")
            // Every 6 h: not started again at the next checks.
            try await Task.sleep(for: .milliseconds(300))
            #expect(try runs("first").count == 1)
            // A job added now is started by the same scheduler.
            _ = try Self.addJob(campus, "second", "198.18.11.0/24")
            try await Self.eventually("the second job's run") { try runs("second").first?.status == "failed" }
            #expect(try await client.execute(uri: "/api/v1/devices", method: .get, headers: bearer).status == .ok)
        }
        // Shut down: nothing left running.
        #expect(try campus.service.listScanJobRuns(scope: .everything).allSatisfy { $0.status != "running" })
    }

    /// One check with a due job whose scope overlaps a running job's: that one is left as busy,
    /// the others start; once the running job has ended, a later check starts it.
    @Test func aCheckLeavesADueJobOfABusyScopeAndStartsItLater() async throws {
        let campus = try Campus()
        _ = try Self.addJob(campus, "holder", "198.18.10.0/24", every: nil)
        _ = try Self.addJob(campus, "dzb-part", "198.18.10.0/28")
        _ = try Self.addJob(campus, "cwc", "198.18.11.0/24")
        // The holder runs (as a slow scan would, until it is completed below).
        let held = try campus.service.beginScanJobRun(
            "holder", trigger: .manual, actor: Principal("cli:it"), scope: .everything)
        let runner = ScanRunner(service: campus.service)
        let scheduler = ScanScheduler(service: campus.service, runner: runner, logger: Logger(label: "test"))
        let first = scheduler.tick()
        #expect(first.started.map(\.jobName) == ["cwc"])
        #expect(first.busy["dzb-part"]?.contains("job 'holder' is scanning an overlapping scope") == true)
        #expect(first.failed.isEmpty)
        #expect(try campus.service.showScanJob("dzb-part", scope: .everything).runs.isEmpty)
        _ = try campus.service.completeScanJobRun(held.id, scope: .everything)
        await runner.idle()
        let second = scheduler.tick()
        #expect(second.started.map(\.jobName) == ["dzb-part"] && second.busy.isEmpty)
        await runner.idle()
        #expect(scheduler.tick().started.isEmpty)  // every 6 h: nothing due now
    }

    /// A run left `running` by a process that is gone is closed when the scheduler starts, and
    /// stops holding its scope.
    @Test func theSchedulerClosesRunsOfAStoppedProcess() async throws {
        let campus = try Campus()
        let job = try Self.addJob(campus, "left", "198.18.10.0/24", every: nil)
        // A run claimed by a process that no longer exists (pid 2^31 − 1 is never handed out).
        _ = try campus.service.ledger.beginScanJobRun(
            job: job.id, trigger: "manual", by: "cli:it", pid: Int32.max, isStale: { _ in false },
            overlaps: { _ in true })
        let scheduler = ScanScheduler(
            service: campus.service, runner: ScanRunner(service: campus.service), logger: Logger(label: "test"),
            interval: .milliseconds(20))
        try await withThrowingTaskGroup(of: Void.self) { group in
            let services = ServiceGroup(
                configuration: .init(services: [scheduler], logger: Logger(label: "test")))
            group.addTask { try await services.run() }
            try await Self.eventually("the stale run closed") {
                try campus.service.showScanJob("left", scope: .everything).runs.first?.status == "failed"
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
        let run = try #require(try campus.service.showScanJob("left", scope: .everything).runs.first)
        #expect(run.error?.hasPrefix("interrupted: the process running it") == true, "\(run.error ?? "")")
        let again = try campus.service.runScanJob("left", actor: Principal("cli:it"), scope: .everything)
        #expect(again.status == "failed" && again.error?.contains("no-such-nic0") == true)
    }
}
