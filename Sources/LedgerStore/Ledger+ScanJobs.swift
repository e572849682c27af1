import Foundation
import GRDB
import LedgerModel

/// A scan job as stored (`scan_job`): what to scan, how, from where and when.
public struct ScanJobRecord: Equatable, Sendable {
    public var id: Int64 = 0
    public var name: String
    /// Targets as the scan command takes them, comma-separated.
    public var scope: String
    public var exclusions: String
    public var ports: String
    public var rate: Double
    /// Phases after discovery, comma-separated (`ports,udp,tcp`; '' for none).
    public var probes: String
    /// Probe names left out, comma-separated.
    public var skip: String
    public var interface: String
    public var everyMinutes: Int?
    /// `HH:MM`, local time: a daily job.
    public var atTime: String?
    public var enabled = true
    public var createdBy = ""
    public var createdAt = Date()

    public init(
        name: String, scope: String, exclusions: String, ports: String, rate: Double, probes: String, skip: String,
        interface: String, everyMinutes: Int?, atTime: String?
    ) {
        self.name = name
        self.scope = scope
        self.exclusions = exclusions
        self.ports = ports
        self.rate = rate
        self.probes = probes
        self.skip = skip
        self.interface = interface
        self.everyMinutes = everyMinutes
        self.atTime = atTime
    }
}

/// One run of a scan job (`scan_job_run`).
public struct ScanJobRunRecord: Equatable, Sendable {
    public var id: Int64
    public var job: Int64
    public var jobName: String
    public var startedAt: Date
    public var finishedAt: Date?
    /// `running`, `ok`, `failed`.
    public var status: String
    /// The scan the run recorded (ok runs).
    public var scan: Int64?
    public var error: String?
    /// `schedule` or `manual`.
    public var trigger: String
    /// The scheduler (`server`) or who asked.
    public var triggeredBy: String
    /// The process running it, while it runs.
    public var pid: Int32?
}

extension Ledger {
    /// Adds a job; `conflict` when the name is taken.
    public func addScanJob(_ job: ScanJobRecord, actor: Principal) throws -> ScanJobRecord {
        try writer.write { db in
            if try Self.scanJob(db, where: "name = ?", [job.name]) != nil {
                throw LedgerError(.conflict, "scan job '\(job.name)' already exists")
            }
            let now = Date()
            try db.execute(
                sql: """
                    INSERT INTO scan_job (name, scope, exclusions, ports, rate, probes, skip, interface, every_minutes,
                        at_time, enabled, created_by, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    job.name, job.scope, job.exclusions, job.ports, job.rate, job.probes, job.skip, job.interface,
                    job.everyMinutes, job.atTime, job.enabled, actor.name, now.unixSeconds,
                ])
            let id = db.lastInsertedRowID
            try Self.audit(
                db,
                AuditEntry(
                    at: now, actor: actor, action: "scan_job.add", entityKind: "scan_job", entityID: String(id),
                    details: [
                        "name": .string(job.name), "scope": .string(job.scope), "exclusions": .string(job.exclusions),
                        "ports": .string(job.ports), "interface": .string(job.interface),
                        "schedule": .string(
                            job.atTime.map { "daily at \($0)" }
                                ?? job.everyMinutes.map { "every \($0) minutes" } ?? "on demand"),
                    ]))
            return try Self.scanJob(db, where: "id = ?", [id])!
        }
    }

    /// Changes a job's settings (all but its name, state and creation) with `change`, in one
    /// transaction, audited with each changed field's old and new value; `notFound` when it is
    /// gone, `conflict` when `scanning` settings change while it runs.
    public func updateScanJob(
        id: Int64, actor: Principal, scanning: Bool, _ change: (inout ScanJobRecord) throws -> Void
    ) throws -> ScanJobRecord {
        try writer.write { db in
            guard let old = try Self.scanJob(db, where: "id = ?", [id]) else {
                throw LedgerError(.notFound, "no scan job \(id)")
            }
            if scanning, try Self.isRunning(db, job: id) {
                throw LedgerError(
                    .conflict,
                    "scan job '\(old.name)' is running: change what it scans when the run has ended (or stop it)")
            }
            var job = old
            try change(&job)
            job.id = old.id
            try db.execute(
                sql: """
                    UPDATE scan_job SET scope = ?, exclusions = ?, ports = ?, rate = ?, probes = ?, skip = ?,
                        interface = ?, every_minutes = ?, at_time = ? WHERE id = ?
                    """,
                arguments: [
                    job.scope, job.exclusions, job.ports, job.rate, job.probes, job.skip, job.interface,
                    job.everyMinutes, job.atTime, job.id,
                ])
            func text(_ n: Int?) -> String { n.map(String.init) ?? "" }
            let fields: [(String, String, String)] = [
                ("scope", old.scope, job.scope), ("exclusions", old.exclusions, job.exclusions),
                ("ports", old.ports, job.ports), ("rate", "\(old.rate)", "\(job.rate)"),
                ("probes", old.probes, job.probes), ("skip", old.skip, job.skip),
                ("interface", old.interface, job.interface),
                ("every_minutes", text(old.everyMinutes), text(job.everyMinutes)),
                ("at", old.atTime ?? "", job.atTime ?? ""),
            ]
            var details: [String: JSONValue] = ["name": .string(old.name)]
            for (field, was, now) in fields where was != now { details[field] = .string("\(was) → \(now)") }
            try Self.audit(
                db,
                AuditEntry(
                    actor: actor, action: "scan_job.edit", entityKind: "scan_job", entityID: String(job.id),
                    details: details))
            return try Self.scanJob(db, where: "id = ?", [job.id])!
        }
    }

    /// Every job, by name.
    public func scanJobs() throws -> [ScanJobRecord] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM scan_job ORDER BY name").map(Self.scanJob)
        }
    }

    public func scanJob(id: Int64) throws -> ScanJobRecord? {
        try writer.read { db in try Self.scanJob(db, where: "id = ?", [id]) }
    }

    public func scanJob(named name: String) throws -> ScanJobRecord? {
        try writer.read { db in try Self.scanJob(db, where: "name = ?", [name]) }
    }

    /// Removes a job and its runs (the scans they recorded stay); `conflict` while it runs.
    public func removeScanJob(id: Int64, actor: Principal) throws {
        try writer.write { db in
            guard let job = try Self.scanJob(db, where: "id = ?", [id]) else {
                throw LedgerError(.notFound, "no scan job \(id)")
            }
            if try Self.isRunning(db, job: id) {
                throw LedgerError(.conflict, "scan job '\(job.name)' is running: remove it when the run has ended")
            }
            try db.execute(sql: "DELETE FROM scan_job WHERE id = ?", arguments: [id])
            try Self.audit(
                db,
                AuditEntry(
                    actor: actor, action: "scan_job.remove", entityKind: "scan_job", entityID: String(id),
                    details: ["name": .string(job.name)]))
        }
    }

    /// Enables or disables a job (a disabled job runs only when asked).
    public func setScanJobEnabled(id: Int64, _ enabled: Bool, actor: Principal) throws -> ScanJobRecord {
        try writer.write { db in
            guard let job = try Self.scanJob(db, where: "id = ?", [id]) else {
                throw LedgerError(.notFound, "no scan job \(id)")
            }
            try db.execute(sql: "UPDATE scan_job SET enabled = ? WHERE id = ?", arguments: [enabled, id])
            try Self.audit(
                db,
                AuditEntry(
                    actor: actor, action: enabled ? "scan_job.enable" : "scan_job.disable", entityKind: "scan_job",
                    entityID: String(id), details: ["name": .string(job.name)]))
            return try Self.scanJob(db, where: "id = ?", [id])!
        }
    }

    /// Each job's latest run (by start), keyed by job.
    public func latestScanJobRuns() throws -> [Int64: ScanJobRunRecord] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.*, j.name AS job_name FROM scan_job_run r JOIN scan_job j ON j.id = r.job_id
                    WHERE r.id = (SELECT id FROM scan_job_run WHERE job_id = r.job_id ORDER BY started_at DESC, id DESC
                        LIMIT 1)
                    """)
            return Dictionary(rows.map(Self.scanJobRun).map { ($0.job, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// A job's runs, newest first (nil: every job's).
    public func scanJobRuns(job: Int64? = nil, limit: Int = 50) throws -> [ScanJobRunRecord] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.*, j.name AS job_name FROM scan_job_run r JOIN scan_job j ON j.id = r.job_id
                    WHERE ? IS NULL OR r.job_id = ? ORDER BY r.started_at DESC, r.id DESC LIMIT ?
                    """, arguments: [job, job, limit]
            ).map(Self.scanJobRun)
        }
    }

    public func scanJobRun(id: Int64) throws -> ScanJobRunRecord? {
        try writer.read { db in try Self.scanJobRun(db, id: id) }
    }

    /// Starts a run of a job, one transaction: runs still `running` whose process is gone
    /// (`isStale`) are closed as failed first; then, if a running run's job overlaps this one's
    /// scope (`overlaps`, given that job), nothing starts and the answer is `conflict`; else the
    /// run is recorded as `running` by `pid` and returned. The write lock makes the check and the
    /// claim one step for every process on the database (the server and the command line).
    public func beginScanJobRun(
        job id: Int64, trigger: String, by: String, pid: Int32, at: Date = Date(),
        isStale: (ScanJobRunRecord) -> Bool, overlaps: (ScanJobRecord) -> Bool
    ) throws -> ScanJobRunRecord {
        try writer.write { db in
            guard let job = try Self.scanJob(db, where: "id = ?", [id]) else {
                throw LedgerError(.notFound, "no scan job \(id)")
            }
            try Self.closeStaleRuns(db, at: at, isStale: isStale)
            for run in try Self.runningRuns(db) {
                guard let other = try Self.scanJob(db, where: "id = ?", [run.job]) else { continue }
                guard overlaps(other) else { continue }
                let since = run.startedAt.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
                let busy =
                    other.id == job.id
                    ? "it is already running" : "job '\(other.name)' is scanning an overlapping scope"
                throw LedgerError(
                    .conflict, "scan job '\(job.name)' not started: \(busy) (run \(run.id), since \(since))")
            }
            try db.execute(
                sql: """
                    INSERT INTO scan_job_run (job_id, started_at, status, trigger_kind, triggered_by, pid)
                    VALUES (?, ?, 'running', ?, ?, ?)
                    """, arguments: [id, at.unixSeconds, trigger, by, pid])
            return try Self.scanJobRun(db, id: db.lastInsertedRowID)!
        }
    }

    /// Records that `actor` asked a running run to stop (audited): `notFound` when there is no
    /// such run, `conflict` when it is not running or `ours` says this process cannot stop it.
    public func cancelScanJobRun(id: Int64, actor: Principal, ours: (ScanJobRunRecord) -> Bool) throws
        -> ScanJobRunRecord
    {
        try writer.write { db in
            guard let run = try Self.scanJobRun(db, id: id) else {
                throw LedgerError(.notFound, "no scan job run \(id)")
            }
            guard run.status == "running" else {
                throw LedgerError(.conflict, "run \(id) of '\(run.jobName)' is not running (\(run.status))")
            }
            guard ours(run) else {
                throw LedgerError(
                    .conflict,
                    run.pid == getpid()
                        ? "run \(id) of '\(run.jobName)' is starting: try again in a moment"
                        : "run \(id) of '\(run.jobName)' runs in another process (pid \(run.pid.map(String.init) ?? "?")): stop it there"
                )
            }
            try Self.audit(
                db,
                AuditEntry(
                    actor: actor, action: "scan_job.cancel", entityKind: "scan_job", entityID: String(run.job),
                    details: ["name": .string(run.jobName), "run": .int(id)]))
            return run
        }
    }

    /// Ends a run: `ok` with the scan it recorded, `failed` with the reason, or `cancelled`.
    public func finishScanJobRun(id: Int64, status: String, scan: Int64?, error: String?, at: Date = Date()) throws
        -> ScanJobRunRecord
    {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE scan_job_run SET status = ?, scan_id = ?, error = ?, finished_at = ?, pid = NULL
                    WHERE id = ? AND status = 'running'
                    """, arguments: [status, scan, error, at.unixSeconds, id])
            guard let run = try Self.scanJobRun(db, id: id) else {
                throw LedgerError(.notFound, "no scan job run \(id)")
            }
            return run
        }
    }

    /// Closes the runs whose process is gone as failed; returns how many.
    @discardableResult
    public func closeStaleScanJobRuns(at: Date = Date(), isStale: (ScanJobRunRecord) -> Bool) throws -> Int {
        try writer.write { db in try Self.closeStaleRuns(db, at: at, isStale: isStale) }
    }

    @discardableResult
    static func closeStaleRuns(_ db: Database, at: Date, isStale: (ScanJobRunRecord) -> Bool) throws -> Int {
        var closed = 0
        for run in try runningRuns(db) where isStale(run) {
            try db.execute(
                sql: """
                    UPDATE scan_job_run SET status = 'failed', finished_at = ?, pid = NULL,
                        error = 'interrupted: the process running it (pid ' || pid || ') stopped before the scan ended'
                    WHERE id = ?
                    """, arguments: [at.unixSeconds, run.id])
            closed += 1
        }
        return closed
    }

    /// Whether a run of the job is going on.
    static func isRunning(_ db: Database, job: Int64) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT 1 FROM scan_job_run WHERE job_id = ? AND status = 'running'", arguments: [job]) == true
    }

    static func runningRuns(_ db: Database) throws -> [ScanJobRunRecord] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT r.*, j.name AS job_name FROM scan_job_run r JOIN scan_job j ON j.id = r.job_id
                WHERE r.status = 'running' ORDER BY r.id
                """
        ).map(scanJobRun)
    }

    static func scanJob(_ db: Database, where condition: String, _ arguments: StatementArguments) throws
        -> ScanJobRecord?
    {
        try Row.fetchOne(db, sql: "SELECT * FROM scan_job WHERE \(condition)", arguments: arguments).map(scanJob)
    }

    static func scanJob(_ r: Row) -> ScanJobRecord {
        var job = ScanJobRecord(
            name: r["name"], scope: r["scope"], exclusions: r["exclusions"], ports: r["ports"], rate: r["rate"],
            probes: r["probes"], skip: r["skip"], interface: r["interface"], everyMinutes: r["every_minutes"],
            atTime: r["at_time"])
        job.id = r["id"]
        job.enabled = r["enabled"]
        job.createdBy = r["created_by"]
        job.createdAt = Date(unixSeconds: r["created_at"])
        return job
    }

    static func scanJobRun(_ db: Database, id: Int64) throws -> ScanJobRunRecord? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT r.*, j.name AS job_name FROM scan_job_run r JOIN scan_job j ON j.id = r.job_id WHERE r.id = ?
                """, arguments: [id]
        ).map(scanJobRun)
    }

    static func scanJobRun(_ r: Row) -> ScanJobRunRecord {
        ScanJobRunRecord(
            id: r["id"], job: r["job_id"], jobName: r["job_name"], startedAt: Date(unixSeconds: r["started_at"]),
            finishedAt: (r["finished_at"] as Double?).map(Date.init(unixSeconds:)), status: r["status"],
            scan: r["scan_id"], error: r["error"], trigger: r["trigger_kind"], triggeredBy: r["triggered_by"],
            pid: (r["pid"] as Int64?).map { Int32(truncatingIfNeeded: $0) })
    }
}
