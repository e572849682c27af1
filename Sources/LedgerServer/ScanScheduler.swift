import Discovery
import Foundation
import LedgerApp
import LedgerModel
import LedgerStore
import Logging
import ServiceLifecycle

/// Runs scan jobs off the HTTP event loops and the concurrency pool: a run is claimed (the
/// busy check, `LedgerService.beginScanJobRun`) on the caller's thread, then its scan — blocking,
/// seconds to minutes — runs on a thread of its own, which records how it ended. Shared by the
/// scheduler and the routes that start a run now, so graceful shutdown stops and waits for both.
/// Each run it started has a `ScanStop` here, which `cancel` asks.
public final class ScanRunner: @unchecked Sendable {
    let service: LedgerService
    let logger: Logger
    private let lock = NSLock()
    private var running = 0
    private var stops: [Int64: ScanStop] = [:]
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0

    public init(service: LedgerService, logger: Logger = Logger(label: "assetledger.scan-jobs")) {
        self.service = service
        self.logger = logger
    }

    /// Runs started here that have not ended.
    public var inFlight: Int { lock.withLock { running } }

    /// Starts a run of a job and returns it as started (`running`); `conflict` when a running
    /// job's scope overlaps (nothing started). The scan goes on in the background; a failure
    /// of it is the run's `failed` status and message, never an error here.
    public func start(_ job: String, trigger: ScanJobTrigger, actor: Principal, scope: DeviceScope) throws
        -> ScanJobRunOutput
    {
        let run = try service.beginScanJobRun(job, trigger: trigger, actor: actor, scope: scope)
        let stop = ScanStop()
        lock.withLock {
            running += 1
            stops[run.id] = stop
        }
        let (service, logger) = (self.service, self.logger)
        let thread = Thread { [self] in
            defer { finished(run.id) }
            do {
                let done = try service.completeScanJobRun(run.id, scope: .everything, stop: stop)
                switch done.status {
                case "ok": logger.info("scan job \(done.jobName): run \(done.id) ok, scan \(done.scan ?? 0)")
                case "cancelled": logger.notice("scan job \(done.jobName): run \(done.id) \(done.error ?? "cancelled")")
                default: logger.warning("scan job \(done.jobName): run \(done.id) failed: \(done.error ?? "")")
                }
            } catch {
                logger.error("scan job \(run.jobName): run \(run.id) could not be recorded: \(error)")
            }
        }
        thread.name = "scan job \(run.id)"
        thread.start()
        return run
    }

    /// Stops a run started here (`LedgerService.cancelScanJobRun` checks and audits it): its
    /// scan ends before its next packets and the run is recorded `cancelled`, nothing scanned
    /// kept. Answers the run as it was (still `running` for a moment).
    public func cancel(_ run: Int64, actor: Principal, scope: DeviceScope) throws -> ScanJobRunOutput {
        let output = try service.cancelScanJobRun(run, scope: scope, actor: actor) { id in
            lock.withLock { stops[id] != nil }
        }
        lock.withLock { stops[run] }?.request(reason: "cancelled by \(actor.name)")
        return output
    }

    /// Asks every run started here to stop (graceful shutdown: a scan of a /16 would otherwise
    /// hold the server for an hour).
    public func stopAll(reason: String) {
        for stop in lock.withLock({ Array(stops.values) }) { stop.request(reason: reason) }
    }

    private func finished(_ run: Int64) {
        let woken: [CheckedContinuation<Void, Never>] = lock.withLock {
            stops[run] = nil
            running -= 1
            guard running == 0 else { return [] }
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        for w in woken { w.resume() }
    }

    /// Returns when no run started here is going (at once if none), or when the task is
    /// cancelled (the runs go on; a run whose process then exits is closed as interrupted).
    public func idle() async {
        let id = lock.withLock {
            nextWaiter += 1
            return nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = lock.withLock { () -> Bool in
                    if running == 0 || Task.isCancelled { return true }
                    waiters[id] = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            lock.withLock { waiters.removeValue(forKey: id) }?.resume()
        }
    }
}

/// What one check of the scheduler did: the runs it started, and the due jobs it left because
/// an overlapping job is running (job name → why), or whose start failed.
public struct ScanSchedulerTick: Sendable {
    public var started: [ScanJobRunOutput] = []
    public var busy: [String: String] = [:]
    public var failed: [String: String] = [:]
}

/// Starts due scan jobs (`LedgerService.dueScanJobs`) every `interval` until the service group
/// shuts down, then waits for the runs it and the routes started. A scan that fails is a failed
/// run; nothing a run does stops the scheduler.
public struct ScanScheduler: Service {
    let service: LedgerService
    let runner: ScanRunner
    let logger: Logger
    let interval: Duration
    let timeZone: TimeZone

    public init(
        service: LedgerService, runner: ScanRunner, logger: Logger, interval: Duration = .seconds(30),
        timeZone: TimeZone = .current
    ) {
        self.service = service
        self.runner = runner
        self.logger = logger
        self.interval = interval
        self.timeZone = timeZone
    }

    /// One check at `now`: every due job started, or left as busy.
    @discardableResult
    public func tick(now: Date = Date()) -> ScanSchedulerTick {
        var out = ScanSchedulerTick()
        let due: [ScanJobOutput]
        do { due = try service.dueScanJobs(now: now, timeZone: timeZone, scope: .everything) } catch {
            out.failed["*"] = ErrorOutput(error).message
            return out
        }
        for job in due {
            do {
                out.started.append(
                    try runner.start(String(job.id), trigger: .schedule, actor: .system, scope: .everything))
            } catch let e as LedgerError where e.code == .conflict {
                out.busy[job.name] = e.message
            } catch {
                out.failed[job.name] = ErrorOutput(error).message
            }
        }
        return out
    }

    public func run() async throws {
        do {
            let closed = try service.closeInterruptedScanJobRuns()
            if closed > 0 { logger.warning("closed \(closed) scan job run(s) left running by a stopped process") }
        } catch {
            logger.error("scan jobs: \(ErrorOutput(error).message)")
        }
        // A job left for the same reason at every check is reported once.
        var reported: [String: String] = [:]
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let tick = tick()
            for run in tick.started { logger.info("scan job \(run.jobName): run \(run.id) started (schedule)") }
            for (name, why) in tick.busy.merging(tick.failed, uniquingKeysWith: { a, _ in a })
            where reported[name] != why {
                logger.notice("scan job \(name) skipped: \(why)")
            }
            reported = tick.busy.merging(tick.failed, uniquingKeysWith: { a, _ in a })
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break  // shutting down
            }
        }
        if runner.inFlight > 0 {
            logger.info("stopping \(runner.inFlight) scan job run(s) before the server stops")
            runner.stopAll(reason: "the server shut down")
        }
        await runner.idle()
    }
}
