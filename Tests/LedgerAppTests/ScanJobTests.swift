import Discovery
import Foundation
import LedgerModel
import TestSupport
import Testing

@testable import LedgerApp
@testable import LedgerStore

/// Scan jobs: set by IT with the scan command's own checks, due by their schedule, run one at
/// a time per scope, every run recorded — a failed scan too, with its reason.
@Suite struct ScanJobTests {
    static let it = Principal("cli:it")

    static func spec(
        _ name: String, _ scope: [String], exclude: [String] = [], every: String? = "6h", at: String? = nil,
        interface: String = "no-such-nic0"
    ) throws -> ScanJobSpec {
        var s = ScanJobSpec(name: name, scope: scope, interface: interface)
        s.exclusions = exclude
        s.ports = "22,80,443,9100"
        s.rate = 200
        s.probes = [.ports, .udp]
        s.skip = ["pjl"]
        s.schedule = try ScanSchedule.parse(every: every, at: at)
        return s
    }

    @Test func jobsAreCheckedLikeTheScanCommandAndOnlyForEveryDepartment() throws {
        let s = try campusService()
        let job = try s.addScanJob(try Self.spec("dzb", ["198.18.10.0/24"]), scope: .everything, actor: Self.it)
        #expect(job.scope == "198.18.10.0/24" && job.ports == "22,80,443,9100" && job.rate == 200)
        #expect(job.probes == "ports,udp" && job.skip == "pjl" && job.everyMinutes == 360 && job.at == nil)
        #expect(job.schedule == "every 6h" && job.enabled && job.createdBy == "cli:it" && job.lastRun == nil)
        #expect(job.nextRun == job.createdAt)  // never ran: due at the scheduler's next check
        // What `scan` refuses, a job refuses the same way (and stores nothing).
        let refusals: [([String], [String], LedgerError.Code)] = [
            ([], [], .refusedByPolicy),  // no scope: nothing is scanned by default
            (["0.0.0.0/0"], [], .refusedByPolicy),
            (["127.0.0.0/24"], [], .refusedByPolicy),
            (["224.0.0.0/24"], [], .refusedByPolicy),
            (["198.18.0.0/15"], [], .refusedByPolicy),  // more addresses than --max-hosts
            (["198.18.10.0/33"], [], .invalidInput),
            (["2001:db8::/64"], [], .invalidInput),
            (["198.18.10.0/24"], ["198.18.10.0/24"], .invalidInput),  // excluded whole
        ]
        func added(_ spec: ScanJobSpec) -> LedgerError.Code? {
            code { try s.addScanJob(spec, scope: .everything, actor: Self.it) }
        }
        for (scope, exclude, expected) in refusals {
            #expect(added(try Self.spec("x", scope, exclude: exclude)) == expected, "\(scope) minus \(exclude)")
        }
        var badPorts = try Self.spec("x", ["198.18.11.0/24"])
        badPorts.ports = "80,70000"
        #expect(added(badPorts) == .invalidInput)
        var badSkip = try Self.spec("x", ["198.18.11.0/24"])
        badSkip.skip = ["telnet"]
        #expect(added(badSkip) == .invalidInput)
        var badRate = try Self.spec("x", ["198.18.11.0/24"])
        badRate.rate = 0
        #expect(added(badRate) == .invalidInput)
        for name in ["", "12", "two words", "a/b", String(repeating: "x", count: 65)] {
            #expect(added(try Self.spec(name, ["198.18.11.0/24"])) == .invalidInput, "\(name)")
        }
        #expect(added(try Self.spec("dzb", ["198.18.11.0/24"])) == .conflict)
        #expect(try s.listScanJobs(scope: .everything).map(\.name) == ["dzb"])
        // A liaison neither sets, reads, runs nor removes jobs.
        let liaison = DeviceScope.departments(["DZB"])
        #expect(
            code { try s.addScanJob(try Self.spec("l", ["198.18.10.0/24"]), scope: liaison, actor: Self.it) }
                == .forbidden)
        #expect(code { try s.listScanJobs(scope: liaison) } == .forbidden)
        #expect(code { try s.showScanJob("dzb", scope: liaison) } == .forbidden)
        #expect(code { try s.runScanJob("dzb", actor: Self.it, scope: liaison) } == .forbidden)
        #expect(code { try s.setScanJobEnabled("dzb", false, scope: liaison, actor: Self.it) } == .forbidden)
        #expect(code { try s.removeScanJob("dzb", scope: liaison, actor: Self.it) } == .forbidden)
        // Disable, enable (by name or id), remove.
        let disabled = try s.setScanJobEnabled("dzb", false, scope: .everything, actor: Self.it)
        #expect(!disabled.enabled && disabled.nextRun == nil)
        #expect(try s.setScanJobEnabled(String(job.id), true, scope: .everything, actor: Self.it).enabled)
        #expect(code { try s.showScanJob("nope", scope: .everything) } == .notFound)
        try s.removeScanJob("dzb", scope: .everything, actor: Self.it)
        #expect(try s.listScanJobs(scope: .everything).isEmpty)
        let actions = try s.auditLog(scope: .everything).map(\.action).filter { $0.hasPrefix("scan_job.") }
        #expect(actions == ["scan_job.add", "scan_job.disable", "scan_job.enable", "scan_job.remove"])
    }

    /// An edit replaces what it gives, keeps the rest, is checked as a new job is (a refused
    /// edit leaves the job as it was) and is audited field by field.
    @Test func anEditChangesWhatItGivesCheckedLikeANewJob() throws {
        let s = try campusService()
        let job = try s.addScanJob(
            try Self.spec("dzb", ["198.18.10.0/24"], exclude: ["198.18.10.1"]), scope: .everything, actor: Self.it)
        var change = ScanJobChange()
        change.scope = ["198.18.10.0/25", "198.18.11.5"]
        change.rate = 300
        change.schedule = try ScanSchedule.parse(every: nil, at: "02:30")
        let edited = try s.editScanJob("dzb", change, scope: .everything, actor: Self.it)
        #expect(edited.id == job.id && edited.scope == "198.18.10.0/25,198.18.11.5" && edited.rate == 300)
        #expect(edited.at == "02:30" && edited.everyMinutes == 1440)
        // Untouched: exclusions, ports, probes, skip, interface, enabled.
        #expect(edited.exclusions == "198.18.10.1" && edited.ports == job.ports && edited.probes == "ports,udp")
        #expect(edited.skip == "pjl" && edited.interface == "no-such-nic0" && edited.enabled)
        var clear = ScanJobChange()
        clear.exclusions = []
        clear.schedule = ScanSchedule()
        clear.probes = []
        let cleared = try s.editScanJob(String(job.id), clear, scope: .everything, actor: Self.it)
        #expect(cleared.exclusions == "" && cleared.schedule == "on demand" && cleared.nextRun == nil)
        #expect(cleared.probes == "" && cleared.scope == edited.scope)
        // Refused as add refuses, the job unchanged; nothing to change, a liaison, a missing job.
        let before = try s.showScanJob("dzb", scope: .everything).job
        for (change, expected) in [
            (
                {
                    var c = ScanJobChange(); c.scope = ["127.0.0.0/24"]; return c
                }(), LedgerError.Code.refusedByPolicy
            ),
            (
                {
                    var c = ScanJobChange(); c.scope = []; return c
                }(), .refusedByPolicy
            ),
            (
                {
                    var c = ScanJobChange(); c.exclusions = ["198.18.10.0/24", "198.18.11.5"]; return c
                }(), .invalidInput
            ),
            (
                {
                    var c = ScanJobChange(); c.ports = "0"; return c
                }(), .invalidInput
            ),
            (
                {
                    var c = ScanJobChange(); c.rate = 0; return c
                }(), .invalidInput
            ),
            (
                {
                    var c = ScanJobChange(); c.interface = ""; return c
                }(), .invalidInput
            ),
            (ScanJobChange(), .invalidInput),
        ] {
            #expect(
                code { try s.editScanJob("dzb", change, scope: .everything, actor: Self.it) } == expected, "\(change)")
        }
        #expect(code { try s.editScanJob("dzb", change, scope: .departments(["DZB"]), actor: Self.it) } == .forbidden)
        #expect(code { try s.editScanJob("nope", change, scope: .everything, actor: Self.it) } == .notFound)
        #expect(try s.showScanJob("dzb", scope: .everything).job == before)
        // While it runs, what it scans stays (other jobs' busy check reads it); the schedule may change.
        let running = try s.beginScanJobRun("dzb", trigger: .manual, actor: Self.it, scope: .everything)
        var rescope = ScanJobChange()
        rescope.scope = ["198.18.11.0/24"]
        #expect(code { try s.editScanJob("dzb", rescope, scope: .everything, actor: Self.it) } == .conflict)
        var reschedule = ScanJobChange()
        reschedule.schedule = try ScanSchedule.parse(every: "1d", at: nil)
        #expect(try s.editScanJob("dzb", reschedule, scope: .everything, actor: Self.it).everyMinutes == 1440)
        _ = try s.completeScanJobRun(running.id, scope: .everything)
        #expect(try s.editScanJob("dzb", rescope, scope: .everything, actor: Self.it).scope == "198.18.11.0/24")
        let edits = try s.auditLog(scope: .everything).filter { $0.action == "scan_job.edit" }
        #expect(edits.count == 4)
        let first = try #require(edits.first { $0.details["rate"] != nil })
        #expect(first.details["rate"] == .string("200.0 → 300.0"))
        #expect(first.details["scope"] == .string("198.18.10.0/24 → 198.18.10.0/25,198.18.11.5"))
        #expect(first.details["at"] == .string(" → 02:30") && first.details["ports"] == nil)
    }

    /// Stopping a run: only a running run of this process that the caller holds a stop for;
    /// a run whose stop was asked ends `cancelled` with the reason, recording no scan.
    @Test func aRunIsCancelledOnlyWhileItRunsHereAndEndsCancelled() throws {
        let s = try campusService()
        _ = try s.addScanJob(try Self.spec("dzb", ["198.18.10.0/24"]), scope: .everything, actor: Self.it)
        let run = try s.beginScanJobRun("dzb", trigger: .manual, actor: Self.it, scope: .everything)
        func cancel(_ id: Int64, scope: DeviceScope = .everything, stoppable: Bool = true) -> LedgerError.Code? {
            code { try s.cancelScanJobRun(id, scope: scope, actor: Principal("web:it"), stoppable: { _ in stoppable }) }
        }
        #expect(cancel(run.id, scope: .departments(["DZB"])) == .forbidden)
        #expect(cancel(99_999) == .notFound)
        #expect(cancel(run.id, stoppable: false) == .conflict)  // no stop held for it here
        #expect(cancel(run.id) == nil)
        let stop = ScanStop()
        stop.request(reason: "cancelled by web:it")
        let done = try s.completeScanJobRun(run.id, scope: .everything, stop: stop)
        #expect(done.status == "cancelled" && done.error == "cancelled by web:it" && done.scan == nil)
        #expect(try done.finished != nil && s.listScans(scope: .everything).isEmpty)
        #expect(cancel(run.id) == .conflict)  // ended
        // A run another process holds (its pid is not ours) is stopped there, not from here.
        let other = try s.beginScanJobRun("dzb", trigger: .manual, actor: Self.it, scope: .everything)
        try s.ledger.writer.write { db in
            try db.execute(sql: "UPDATE scan_job_run SET pid = ? WHERE id = ?", arguments: [getpid() + 1, other.id])
        }
        let refusal = #expect(throws: LedgerError.self) {
            try s.cancelScanJobRun(other.id, scope: .everything, actor: Self.it, stoppable: { _ in true })
        }
        #expect(refusal?.code == .conflict && refusal?.message.contains("another process") == true)
        let cancels = try s.auditLog(scope: .everything).filter { $0.action == "scan_job.cancel" }
        #expect(cancels.count == 1 && cancels[0].actor == "web:it" && cancels[0].details["run"] == .int(run.id))
        // Without a stop asked, a failure stays a failure.
        try s.ledger.writer.write { db in
            try db.execute(sql: "UPDATE scan_job_run SET pid = ? WHERE id = ?", arguments: [getpid(), other.id])
        }
        #expect(try s.completeScanJobRun(other.id, scope: .everything, stop: ScanStop()).status == "failed")
    }

    /// The API's JSON for a job: the CLI's words, unknown fields refused.
    @Test func theAPIsJobFieldsReadAsTheCommandLinesWords() throws {
        func read(_ json: String) throws -> ScanJobInput { try ScanJobInput.read(Data(json.utf8)) }
        let spec = try read(
            #"{"name":"lab","scope":["198.18.10.0/24"],"interface":"veth0","probes":"ports,tcp","skip":"pjl,snmp","every":"6h"}"#
        ).spec()
        #expect(spec.name == "lab" && spec.probes == [.ports, .tcp] && spec.skip == ["pjl", "snmp"])
        #expect(spec.schedule.everyMinutes == 360 && spec.ports == "default" && spec.rate == 1_000)
        let change = try read(#"{"on_demand":true,"exclusions":[]}"#).change()
        #expect(change.schedule == ScanSchedule() && change.exclusions == [] && change.scope == nil)
        for (json, fragment) in [
            (#"{"name":"x","scope":["198.18.10.1"],"interface":"a","shedule":"6h"}"#, "unknown field 'shedule'"),
            (#"{"name":"x","scope":"198.18.10.1","interface":"a"}"#, "field 'scope'"),
            (#"{"name":"x","interface":"a"}"#, "'scope' is required"),
            (#"{"name":"x","scope":["198.18.10.1"],"interface":"a","probes":"udp,telnet"}"#, "telnet"),
            (#"{"name":"x","scope":["198.18.10.1"],"interface":"a","on_demand":true,"every":"1h"}"#, "on_demand"),
            (#"[1]"#, "JSON object"), (#"{"rate":"fast"}"#, "field 'rate'"),
        ] {
            let e = #expect(throws: LedgerError.self, "\(json)") { try read(json).spec() }
            #expect(
                e?.code == .invalidInput && e?.message.contains(fragment) == true, "\(json): \(String(describing: e))")
        }
        #expect(throws: LedgerError.self) { try read(#"{"name":"renamed"}"#).change() }
    }

    /// A scan that cannot run (here the interface does not exist: the real scanner's refusal,
    /// not a stand-in) is a failed run with its reason, and the job stays usable.
    @Test func aRunWhoseScanFailsIsRecordedAsFailedWithItsReason() throws {
        let s = try campusService()
        _ = try s.addScanJob(try Self.spec("absent", ["198.18.10.0/24"]), scope: .everything, actor: Self.it)
        let run = try s.runScanJob("absent", actor: Principal("web:it"), scope: .everything)
        #expect(run.status == "failed" && run.scan == nil && run.finished != nil)
        #expect(run.trigger == "manual" && run.triggeredBy == "web:it" && run.jobName == "absent")
        let message = try #require(run.error)
        #expect(message.contains("no-such-nic0"), "\(message)")
        #expect(try s.listScans(scope: .everything).isEmpty)
        // Recorded, and the failure holds no scope: the next run starts (and fails the same way).
        let shown = try s.showScanJob("absent", scope: .everything)
        #expect(shown.runs.map(\.id) == [run.id] && shown.job.lastRun == run)
        let again = try s.runScanJob("absent", trigger: .schedule, actor: Self.it, scope: .everything)
        #expect(again.status == "failed" && again.triggeredBy == LedgerService.schedulerName)
        #expect(try s.showScanJob("absent", scope: .everything).runs.map(\.id) == [again.id, run.id])
    }

    @Test func aJobWhoseScopeOverlapsARunningJobIsNotStarted() throws {
        let s = try campusService()
        let add = { (spec: ScanJobSpec) in _ = try s.addScanJob(spec, scope: .everything, actor: Self.it) }
        try add(try Self.spec("dzb", ["198.18.10.0/24"], exclude: ["198.18.10.128/25"]))
        try add(try Self.spec("dzb-top", ["198.18.10.200-198.18.10.220"]))
        try add(try Self.spec("dzb-low", ["198.18.10.64/26"]))
        try add(try Self.spec("cwc", ["198.18.11.0/24"]))
        let running = try s.beginScanJobRun("dzb", trigger: .schedule, actor: Self.it, scope: .everything)
        #expect(running.status == "running" && running.finished == nil)
        // The same job, and one inside its scope: busy, nothing recorded.
        for name in ["dzb", "dzb-low"] {
            #expect(throws: LedgerError.self, "\(name)") {
                try s.beginScanJobRun(name, trigger: .manual, actor: Self.it, scope: .everything)
            }
        }
        let busy = #expect(throws: LedgerError.self) {
            try s.beginScanJobRun("dzb-low", trigger: .manual, actor: Self.it, scope: .everything)
        }
        #expect(busy?.code == .conflict)
        #expect(
            busy?.message.contains("job 'dzb' is scanning an overlapping scope") == true, "\(String(describing: busy))")
        // Outside it: the excluded upper half, another subnet.
        let top = try s.beginScanJobRun("dzb-top", trigger: .manual, actor: Self.it, scope: .everything)
        let cwc = try s.beginScanJobRun("cwc", trigger: .manual, actor: Self.it, scope: .everything)
        #expect(try s.listScanJobRuns(scope: .everything).map(\.id) == [cwc.id, top.id, running.id])
        // Once it has ended (failed: no such interface), the scope is free.
        #expect(try s.completeScanJobRun(running.id, scope: .everything).status == "failed")
        let low = try s.runScanJob("dzb-low", actor: Self.it, scope: .everything)
        #expect(low.status == "failed" && low.error?.contains("no-such-nic0") == true)
    }

    @Test func dueJobsFollowTheirScheduleAndTheirLastRun() throws {
        let s = try campusService()
        let add = { (spec: ScanJobSpec) in _ = try s.addScanJob(spec, scope: .everything, actor: Self.it) }
        try add(try Self.spec("six-hourly", ["198.18.10.0/24"]))
        try add(try Self.spec("nightly", ["198.18.11.0/24"], every: nil, at: "02:00"))
        try add(try Self.spec("by-hand", ["198.18.30.0/24"], every: nil))
        try add(try Self.spec("off", ["198.18.30.0/25"], every: "30m"))
        _ = try s.setScanJobEnabled("off", false, scope: .everything, actor: Self.it)
        let now = Date()
        func due(_ t: Date) throws -> [String] { try s.dueScanJobs(now: t, scope: .everything).map(\.name) }
        // Just made: the interval job at once; the nightly one after the next 02:00.
        #expect(try due(now) == ["six-hourly"])
        #expect(try due(now.addingTimeInterval(86_400)) == ["nightly", "six-hourly"])
        let run = try s.runScanJob("six-hourly", trigger: .schedule, actor: Self.it, scope: .everything)
        let started = try #require(parseDate(run.started))
        #expect(try due(started.addingTimeInterval(6 * 3600 - 60)).contains("six-hourly") == false)
        #expect(try due(started.addingTimeInterval(6 * 3600 + 1)).contains("six-hourly"))  // the text is whole seconds
        #expect(code { try s.dueScanJobs(now: now, scope: .departments(["DZB"])) } == .forbidden)
    }
}
