import Foundation
import LedgerModel
import LedgerStore
import TestSupport
import Testing

/// Scan jobs and their runs as stored: names unique, a run claimed in one transaction with the
/// busy check, runs of a dead process closed, a job removed with its runs but not its scans.
@Suite struct ScanJobStoreTests {
    static func job(_ name: String, _ scope: String = "198.18.10.0/24") -> ScanJobRecord {
        ScanJobRecord(
            name: name, scope: scope, exclusions: "", ports: "default", rate: 500, probes: "ports,udp,tcp", skip: "",
            interface: "lab0", everyMinutes: 360, atTime: nil)
    }

    @Test func aJobIsStoredOnceByNameAndEveryChangeIsAudited() throws {
        let ledger = try campusLedger()
        let it = Principal("cli:it")
        let added = try ledger.addScanJob(Self.job("dzb-6h"), actor: it)
        #expect(added.id > 0 && added.enabled && added.createdBy == "cli:it" && added.everyMinutes == 360)
        #expect(throws: LedgerError(.conflict, "scan job 'dzb-6h' already exists")) {
            try ledger.addScanJob(Self.job("dzb-6h"), actor: it)
        }
        #expect(try ledger.scanJob(named: "dzb-6h") == added)
        #expect(try ledger.setScanJobEnabled(id: added.id, false, actor: it).enabled == false)
        try ledger.removeScanJob(id: added.id, actor: it)
        #expect(try ledger.scanJobs().isEmpty)
        #expect(throws: LedgerError(.notFound, "no scan job \(added.id)")) {
            try ledger.removeScanJob(id: added.id, actor: it)
        }
        #expect(
            try ledger.auditLog().map(\.action).suffix(3) == ["scan_job.add", "scan_job.disable", "scan_job.remove"])
    }

    @Test func aRunIsClaimedOnlyWhenNoOverlappingRunIsGoingAndEndsWithItsScan() throws {
        let ledger = try campusLedger()
        let it = Principal("cli:it")
        let a = try ledger.addScanJob(Self.job("a"), actor: it)
        let b = try ledger.addScanJob(Self.job("b", "198.18.10.128/25"), actor: it)
        let run = try ledger.beginScanJobRun(
            job: a.id, trigger: "manual", by: "it", pid: 4242, at: at(0), isStale: { _ in false },
            overlaps: { _ in true })
        #expect(run.status == "running" && run.pid == 4242 && run.jobName == "a" && run.finishedAt == nil)
        // B overlaps A's running scope: refused, nothing recorded; A itself is already running.
        #expect(throws: LedgerError.self) {
            try ledger.beginScanJobRun(
                job: b.id, trigger: "schedule", by: "scheduler", pid: 1, isStale: { _ in false },
                overlaps: { $0.id == a.id })
        }
        #expect(throws: LedgerError.self) {
            try ledger.beginScanJobRun(
                job: a.id, trigger: "schedule", by: "scheduler", pid: 1, isStale: { _ in false },
                overlaps: { _ in true })
        }
        #expect(try ledger.scanJobRuns().count == 1)
        // A job that is running cannot be removed.
        #expect(throws: LedgerError.self) { try ledger.removeScanJob(id: a.id, actor: it) }
        let (scan, _) = try ledger.recordScan(
            ScanRecord(
                method: "arp", scope: "198.18.10.1-198.18.10.254", exclusions: "", interface: "lab0",
                startedAt: at(0), finishedAt: at(1), targets: 254, packets: 254, answered: 0),
            observations: [])
        let done = try ledger.finishScanJobRun(id: run.id, status: "ok", scan: scan.id, error: nil, at: at(1))
        #expect(done.status == "ok" && done.scan == scan.id && done.finishedAt == at(1) && done.pid == nil)
        // Ended runs hold nothing: B starts now.
        let second = try ledger.beginScanJobRun(
            job: b.id, trigger: "schedule", by: "scheduler", pid: 1, at: at(2), isStale: { _ in false },
            overlaps: { _ in true })
        #expect(try ledger.latestScanJobRuns().mapValues(\.id) == [a.id: run.id, b.id: second.id])
        // A run whose process is gone is closed as failed by the next claim, which then goes on.
        let third = try ledger.beginScanJobRun(
            job: a.id, trigger: "manual", by: "it", pid: 7, at: at(3), isStale: { $0.id == second.id },
            overlaps: { _ in true })
        let closed = try #require(try ledger.scanJobRun(id: second.id))
        #expect(closed.status == "failed" && closed.finishedAt == at(3))
        #expect(closed.error == "interrupted: the process running it (pid 1) stopped before the scan ended")
        #expect(try ledger.closeStaleScanJobRuns(isStale: { _ in true }) == 1)
        #expect(try ledger.scanJobRun(id: third.id)?.status == "failed")
        // Removing a job takes its runs, not the scans they recorded.
        try ledger.removeScanJob(id: a.id, actor: it)
        #expect(try ledger.scanJobRuns().map(\.id) == [second.id])
        #expect(try ledger.scans().map(\.id) == [scan.id])
    }

    /// Two processes (here two threads) claiming overlapping jobs at once: one run starts.
    @Test func parallelClaimsOfOverlappingJobsStartOneRun() async throws {
        let ledger = try campusLedger()
        let jobs = try (0..<8).map { try ledger.addScanJob(Self.job("j\($0)"), actor: Principal("t")) }
        let started = await withTaskGroup(of: Bool.self) { group in
            for j in jobs {
                group.addTask {
                    (try? ledger.beginScanJobRun(
                        job: j.id, trigger: "schedule", by: "scheduler", pid: 1, isStale: { _ in false },
                        overlaps: { _ in true })) != nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(started == 1)
        #expect(try ledger.scanJobRuns().count == 1)
    }
}
