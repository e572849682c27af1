import Discovery
import Foundation
import LedgerModel
import LedgerStore

/// Why a run started: the server's schedule, or someone who asked (`scan job run`, the
/// console's button, the API).
public enum ScanJobTrigger: String, Codable, Sendable, CaseIterable {
    case schedule, manual
}

/// A scan job as IT sets it (`scan job add`): what the scan command would be given, and when.
public struct ScanJobSpec: Sendable {
    public var name: String
    /// Targets: CIDR, range or address, as `scan` takes them.
    public var scope: [String]
    public var exclusions: [String] = []
    public var ports = "default"
    public var rate: Double = 1_000
    public var probes: [ScanPhase] = ScanPhase.allCases
    public var skip: Set<String> = []
    public var interface: String
    public var schedule = ScanSchedule()

    public init(name: String, scope: [String], interface: String) {
        self.name = name
        self.scope = scope
        self.interface = interface
    }
}

/// What `scan job edit` changes: each given field replaces the job's, the rest stay. A
/// schedule given replaces the whole schedule (`ScanSchedule()`: on demand only).
public struct ScanJobChange: Sendable, Equatable {
    public var scope: [String]?
    public var exclusions: [String]?
    public var ports: String?
    public var rate: Double?
    public var probes: [ScanPhase]?
    public var skip: Set<String>?
    public var interface: String?
    public var schedule: ScanSchedule?

    public init() {}

    public var isEmpty: Bool { self == ScanJobChange() }
}

/// One scan job (`scan job list --format json`, `GET /api/v1/scan-jobs`).
public struct ScanJobOutput: Codable, Equatable, Sendable {
    public var id: Int64
    public var name: String
    /// Targets, comma-separated, as given.
    public var scope: String
    public var exclusions: String
    public var ports: String
    public var rate: Double
    /// Phases after discovery, comma-separated.
    public var probes: String
    public var skip: String
    public var interface: String
    @Nullable public var everyMinutes: Int?
    /// `HH:MM` local time of a daily job.
    @Nullable public var at: String?
    /// `every 6h`, `daily at 02:00`, `on demand`.
    public var schedule: String
    public var enabled: Bool
    public var createdBy: String
    public var createdAt: String
    /// When the scheduler starts it next (a past time: at its next check); null when disabled
    /// or on demand only.
    @Nullable public var nextRun: String?
    @Nullable public var lastRun: ScanJobRunOutput?

    enum CodingKeys: String, CodingKey {
        case id, name, scope, exclusions, ports, rate, probes, skip, interface, at, schedule, enabled
        case everyMinutes = "every_minutes"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case nextRun = "next_run"
        case lastRun = "last_run"
    }
}

/// One run of a scan job (`scan job run`, `POST /api/v1/scan-jobs/{id}/run`: 202 with the run
/// as it started).
public struct ScanJobRunOutput: Codable, Equatable, Sendable {
    public var id: Int64
    public var job: Int64
    public var jobName: String
    public var started: String
    @Nullable public var finished: String?
    /// `running`, `ok`, `failed`.
    public var status: String
    /// The scan it recorded (`scan list`, `scan diff`).
    @Nullable public var scan: Int64?
    /// Why it failed.
    @Nullable public var error: String?
    public var trigger: String
    /// `scheduler`, or who asked.
    public var triggeredBy: String

    enum CodingKeys: String, CodingKey {
        case id, job, started, finished, status, scan, error, trigger
        case jobName = "job_name"
        case triggeredBy = "triggered_by"
    }

    init(_ r: ScanJobRunRecord) {
        id = r.id
        job = r.job
        jobName = r.jobName
        started = isoDate(r.startedAt)
        finished = r.finishedAt.map(isoDate)
        status = r.status
        scan = r.scan
        error = r.error
        trigger = r.trigger
        triggeredBy = r.triggeredBy
    }
}

/// `scan job show --format json`: the job and its runs, newest first.
public struct ScanJobShowOutput: Codable, Equatable, Sendable {
    public var job: ScanJobOutput
    public var runs: [ScanJobRunOutput]
}

extension LedgerService {
    /// Who starts scheduled runs, in the run's `triggered_by`.
    public static let schedulerName = "scheduler"

    /// A job's name: 1 to 64 characters, no spaces or control characters, not only digits (a
    /// number names a job by id).
    static func checkJobName(_ name: String) throws {
        let ok =
            (1...64).contains(name.count)
            && !name.unicodeScalars.contains {
                CharacterSet.whitespacesAndNewlines.contains($0) || CharacterSet.controlCharacters.contains($0)
                    || $0 == "/"
            }
            && !name.allSatisfy(\.isNumber)
        guard ok else {
            throw LedgerError(
                .invalidInput, "scan job name '\(name)': 1 to 64 characters, no spaces or '/', not only digits")
        }
    }

    /// The scan a job runs, as `scan run` would be asked for it.
    static func scanRequest(_ job: ScanJobRecord) throws -> ScanRequest {
        var r = ScanRequest(targets: split(job.scope))
        r.exclusions = split(job.exclusions)
        r.ports = job.ports
        r.phases = try ScanPhase.parse(job.probes.isEmpty ? "none" : job.probes)
        r.skip = try ScanProbes.parseSkip(job.skip)
        r.packetsPerSecond = job.rate
        r.perHostPacketsPerSecond = min(r.perHostPacketsPerSecond, job.rate)
        r.interface = job.interface
        return r
    }

    static func split(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }

    /// The job a caller names: digits are an id, anything else a name.
    func scanJob(_ ref: String) throws -> ScanJobRecord {
        let found = try Int64(ref).map { try ledger.scanJob(id: $0) } ?? ledger.scanJob(named: ref)
        guard let found else { throw LedgerError(.notFound, "no scan job '\(ref)'") }
        return found
    }

    static func schedule(_ job: ScanJobRecord) -> ScanSchedule {
        ScanSchedule(everyMinutes: job.everyMinutes, at: job.atTime.flatMap(TimeOfDay.init))
    }

    func output(_ job: ScanJobRecord, last: ScanJobRunRecord?, timeZone: TimeZone = .current) -> ScanJobOutput {
        let schedule = Self.schedule(job)
        let next =
            job.enabled
            ? schedule.nextRun(lastStarted: last?.startedAt, created: job.createdAt, timeZone: timeZone) : nil
        return ScanJobOutput(
            id: job.id, name: job.name, scope: job.scope, exclusions: job.exclusions, ports: job.ports, rate: job.rate,
            probes: job.probes, skip: job.skip, interface: job.interface, everyMinutes: job.everyMinutes,
            at: job.atTime, schedule: schedule.description, enabled: job.enabled, createdBy: job.createdBy,
            createdAt: isoDate(job.createdAt), nextRun: next.map(isoDate), lastRun: last.map(ScanJobRunOutput.init))
    }

    /// `scan job add`: the scope, exclusions, ports, rate and probe names are checked exactly as
    /// `scan` checks them (no scope, a reserved range, too many addresses: refused the same
    /// way), then the job is stored, enabled.
    public func addScanJob(_ spec: ScanJobSpec, scope: DeviceScope, actor: Principal) throws -> ScanJobOutput {
        try requireEverything(scope, "setting scan jobs")
        try Self.checkJobName(spec.name)
        guard !spec.interface.isEmpty else {
            throw LedgerError(.invalidInput, "name the interface the job scans from with --interface")
        }
        var record = ScanJobRecord(
            name: spec.name, scope: Self.joined(spec.scope), exclusions: Self.joined(spec.exclusions),
            ports: spec.ports, rate: spec.rate, probes: Self.joined(spec.probes), skip: Self.joined(spec.skip),
            interface: spec.interface, everyMinutes: spec.schedule.everyMinutes, atTime: spec.schedule.at?.description)
        _ = try Self.checkScan(try Self.scanRequest(record))
        record.enabled = true
        return output(try ledger.addScanJob(record, actor: actor), last: nil)
    }

    /// `scan job edit`: the job with the change applied, checked as `addScanJob` checks a new
    /// one (an edit that would make a scope `scan` refuses is refused, the job unchanged). Read,
    /// changed and written in one transaction. While the job runs only its schedule may change:
    /// the busy check of other jobs compares against the stored scope, which must stay the one
    /// being scanned (stop the run first to change what it scans).
    public func editScanJob(_ ref: String, _ change: ScanJobChange, scope: DeviceScope, actor: Principal) throws
        -> ScanJobOutput
    {
        try requireEverything(scope, "setting scan jobs")
        guard !change.isEmpty else { throw LedgerError(.invalidInput, "nothing to change: give what to set") }
        if change.interface?.isEmpty == true { throw LedgerError(.invalidInput, "the interface cannot be empty") }
        var scheduleOnly = ScanJobChange()
        scheduleOnly.schedule = change.schedule
        let edited = try ledger.updateScanJob(id: try scanJob(ref).id, actor: actor, scanning: change != scheduleOnly) {
            job in
            if let v = change.scope { job.scope = Self.joined(v) }
            if let v = change.exclusions { job.exclusions = Self.joined(v) }
            if let v = change.ports { job.ports = v }
            if let v = change.rate { job.rate = v }
            if let v = change.probes { job.probes = Self.joined(v) }
            if let v = change.skip { job.skip = Self.joined(v) }
            if let v = change.interface { job.interface = v }
            if let v = change.schedule { (job.everyMinutes, job.atTime) = (v.everyMinutes, v.at?.description) }
            _ = try Self.checkScan(try Self.scanRequest(job))
        }
        return output(edited, last: try ledger.latestScanJobRuns()[edited.id])
    }

    /// Targets or exclusions as stored: each split at commas and spaces, joined by commas.
    static func joined(_ list: [String]) -> String { list.flatMap(split).joined(separator: ",") }
    /// Phases in their order, comma-separated ('' for none).
    static func joined(_ phases: [ScanPhase]) -> String {
        ScanPhase.allCases.filter(phases.contains).map(\.rawValue).joined(separator: ",")
    }
    /// Probe names, sorted, comma-separated.
    static func joined(_ names: Set<String>) -> String { names.sorted().joined(separator: ",") }

    /// `scan job list`: every job with its latest run and next time.
    public func listScanJobs(scope: DeviceScope) throws -> [ScanJobOutput] {
        try requireEverything(scope, "listing scan jobs")
        let last = try ledger.latestScanJobRuns()
        return try ledger.scanJobs().map { output($0, last: last[$0.id]) }
    }

    /// `scan job show`: a job and its latest runs.
    public func showScanJob(_ ref: String, runs limit: Int = 50, scope: DeviceScope) throws -> ScanJobShowOutput {
        try requireEverything(scope, "reading scan jobs")
        let job = try scanJob(ref)
        let runs = try ledger.scanJobRuns(job: job.id, limit: max(1, min(limit, 1_000)))
        return ScanJobShowOutput(job: output(job, last: runs.first), runs: runs.map(ScanJobRunOutput.init))
    }

    /// The latest runs of every job, newest first (the console's scans page).
    public func listScanJobRuns(limit: Int = 20, scope: DeviceScope) throws -> [ScanJobRunOutput] {
        try requireEverything(scope, "listing scan job runs")
        return try ledger.scanJobRuns(limit: max(1, min(limit, 1_000))).map(ScanJobRunOutput.init)
    }

    /// `scan job remove`: the job and its runs (the scans they recorded stay); refused while it
    /// runs. Returns the job as it was, with its latest run.
    @discardableResult
    public func removeScanJob(_ ref: String, scope: DeviceScope, actor: Principal) throws -> ScanJobOutput {
        try requireEverything(scope, "removing scan jobs")
        let job = try scanJob(ref)
        let removed = output(job, last: try ledger.latestScanJobRuns()[job.id])
        try ledger.removeScanJob(id: job.id, actor: actor)
        return removed
    }

    /// `scan job enable` / `disable`: a disabled job is not started by the schedule (it still
    /// runs when asked).
    public func setScanJobEnabled(_ ref: String, _ enabled: Bool, scope: DeviceScope, actor: Principal) throws
        -> ScanJobOutput
    {
        try requireEverything(scope, enabled ? "enabling scan jobs" : "disabling scan jobs")
        let job = try ledger.setScanJobEnabled(id: try scanJob(ref).id, enabled, actor: actor)
        return output(job, last: try ledger.latestScanJobRuns()[job.id])
    }

    /// The enabled jobs whose schedule says they should start at `now` (`ScanSchedule.isDue`
    /// with each job's latest run), by name. Running ones are included: starting them is
    /// refused as busy.
    public func dueScanJobs(now: Date, timeZone: TimeZone = .current, scope: DeviceScope) throws -> [ScanJobOutput] {
        try requireEverything(scope, "running scan jobs")
        let last = try ledger.latestScanJobRuns()
        return try ledger.scanJobs().filter {
            $0.enabled
                && Self.schedule($0).isDue(
                    lastStarted: last[$0.id]?.startedAt, created: $0.createdAt, now: now, timeZone: timeZone)
        }.map { output($0, last: last[$0.id], timeZone: timeZone) }
    }

    /// Whether two jobs' scopes share an address (one at a time per scope). A stored scope that
    /// no longer parses counts as overlapping everything: better not started than doubled.
    static func scopesOverlap(_ a: ScanJobRecord, _ b: ScanJobRecord) -> Bool {
        func scope(_ j: ScanJobRecord) -> ScanScope? {
            try? ScanScope(targets: split(j.scope), exclusions: split(j.exclusions), maximumHosts: Int.max)
        }
        guard let x = scope(a), let y = scope(b) else { return true }
        return x.intervals.contains { r in y.intervals.contains { $0.overlaps(r) } }
    }

    /// Whether a process still exists (a run it was doing can still end).
    static func processAlive(_ pid: Int32) -> Bool {
        pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
    }

    static func isStale(_ run: ScanJobRunRecord) -> Bool { run.pid.map { !processAlive($0) } ?? true }

    /// Starts a run of a job: recorded as `running` by this process, or `conflict` (busy) when a
    /// running job's scope overlaps its own — it is then not started and nothing is recorded.
    /// The scan itself is `completeScanJobRun`.
    public func beginScanJobRun(_ ref: String, trigger: ScanJobTrigger, actor: Principal, scope: DeviceScope) throws
        -> ScanJobRunOutput
    {
        try requireEverything(scope, "running scan jobs")
        let job = try scanJob(ref)
        let by = trigger == .schedule ? Self.schedulerName : actor.name
        let run = try ledger.beginScanJobRun(
            job: job.id, trigger: trigger.rawValue, by: by, pid: getpid(), isStale: Self.isStale,
            overlaps: { Self.scopesOverlap($0, job) })
        return ScanJobRunOutput(run)
    }

    /// Runs the scan of a started run (blocking: minutes for a large scope) and records how it
    /// ended: `ok` with the scan it recorded, or `failed` with the reason — a refused scope, a
    /// missing interface, no capture privilege... every error of the scan is recorded, none
    /// thrown. Throws only when the outcome itself cannot be written.
    public func completeScanJobRun(_ id: Int64, scope: DeviceScope, stop: ScanStop? = nil) throws -> ScanJobRunOutput {
        try requireEverything(scope, "running scan jobs")
        guard let run = try ledger.scanJobRun(id: id) else { throw LedgerError(.notFound, "no scan job run \(id)") }
        guard run.status == "running" else { return ScanJobRunOutput(run) }
        let status: String
        var scan: Int64?
        var message: String?
        do {
            guard let job = try ledger.scanJob(id: run.job) else { throw LedgerError(.notFound, "the job was removed") }
            var request = try Self.scanRequest(job)
            request.stop = stop
            let result = try runScan(request, scope: .everything)
            (status, scan) = ("ok", result.record.id)
        } catch let e as ScanError where e.code == .stopped {
            // Stopped as asked (`cancelScanJobRun`): cancelled, with who asked; nothing recorded.
            (status, message) = ("cancelled", stop?.reason ?? e.message)
        } catch {
            (status, message) = ("failed", ErrorOutput(error).message)
        }
        return ScanJobRunOutput(try ledger.finishScanJobRun(id: id, status: status, scan: scan, error: message))
    }

    /// Records that `actor` stops a running run of this process (audited `scan_job.cancel`);
    /// the caller then asks the run's `ScanStop` (the server's `ScanRunner` holds them). A run
    /// of another process (`scan job run` on the command line) is a conflict: it is stopped
    /// where it runs (Ctrl-C), never by a signal to a stored process id.
    /// `stoppable` says which runs of this process the caller holds a stop for.
    public func cancelScanJobRun(
        _ id: Int64, scope: DeviceScope, actor: Principal, stoppable: (Int64) -> Bool
    ) throws -> ScanJobRunOutput {
        try requireEverything(scope, "stopping scan jobs")
        return ScanJobRunOutput(
            try ledger.cancelScanJobRun(id: id, actor: actor, ours: { $0.pid == getpid() && stoppable($0.id) }))
    }

    /// `scan job run`: starts a run and waits for it (`beginScanJobRun`, `completeScanJobRun`).
    public func runScanJob(_ ref: String, trigger: ScanJobTrigger = .manual, actor: Principal, scope: DeviceScope)
        throws -> ScanJobRunOutput
    {
        let run = try beginScanJobRun(ref, trigger: trigger, actor: actor, scope: scope)
        return try completeScanJobRun(run.id, scope: scope)
    }

    /// Closes runs left `running` by a process that is gone (the server at start-up); returns
    /// how many.
    @discardableResult
    public func closeInterruptedScanJobRuns() throws -> Int {
        try ledger.closeStaleScanJobRuns(isStale: Self.isStale)
    }
}
