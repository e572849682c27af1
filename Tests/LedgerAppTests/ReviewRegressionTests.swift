import Foundation
import GRDB
import Ingest
import LedgerModel
import TestSupport
import Testing

@testable import LedgerApp
@testable import LedgerStore

/// Regressions from the review of the application layer: scoped edits that could put a device
/// outside the caller's departments, scope checked outside the write, parents and server paths
/// a liaison could reach, and ages of hostile dates that trapped.
@Suite struct ScopedEditTests {
    /// A DZB device that absorbed a CWC one (merged by someone who sees both).
    func mergedAcrossDepartments() throws -> (LedgerService, dzb: Int64, cwcObservation: Int64) {
        let s = try campusService()
        let dzb = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        let cwc = try device(s, seen(1, mac: "3c:d9:2b:00:00:02", ip: "198.18.11.5"))
        try s.merge(keep: dzb, other: cwc, scope: .everything)
        let detail = try s.showDevice(dzb, scope: .departments(["DZB"]))
        #expect(detail.device.department == "DZB")
        let cwcObservation = try #require(detail.observations.first { $0.observedAt == isoDate(at(1)) })
        return (s, dzb, cwcObservation.id)
    }

    @Test func aScopedSplitCannotCreateADeviceOutsideTheScope() throws {
        let (s, dzb, cwcObservation) = try mergedAcrossDepartments()
        let before = try s.ledger.counts()
        // Split off, the CWC observation makes a CWC device: the DZB liaison may not create it.
        #expect(code { try s.split(device: dzb, observations: [cwcObservation], scope: .departments(["DZB"])) }
            == .forbidden)
        // The transaction rolled back: no device, no separation, no history, nothing moved.
        #expect(try s.ledger.counts() == before)
        #expect(try s.showDevice(dzb, scope: .everything).observations.count == 2)
        #expect(try s.check(scope: .everything).ok)
        // Whoever sees both departments may.
        let out = try s.split(device: dzb, observations: [cwcObservation], scope: .everything)
        let other = try #require(out.otherDevice)
        #expect(try s.showDevice(other, scope: .everything).device.department == "CWC")
    }

    @Test func aScopedSplitWithinTheScopeWorksAndCountsEachObservationOnce() throws {
        let s = try campusService()
        let a = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        let b = try device(s, seen(1, mac: "3c:d9:2b:00:00:02", ip: "198.18.10.6"))
        let liaison = DeviceScope.departments(["DZB"])
        try s.merge(keep: a, other: b, scope: liaison)
        let moving = try #require(try s.showDevice(a, scope: liaison).observations.last).id
        let out = try s.split(device: a, observations: [moving, moving], scope: liaison)
        #expect(out.observations == 1)
        let other = try #require(out.otherDevice)
        #expect(try s.showDevice(other, scope: liaison).device.department == "DZB")
    }

    @Test func aScopedMergeThatWouldMoveTheKeptDeviceOutIsForbiddenAndWritesNothing() throws {
        let s = try campusService()
        let a = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        let b = try device(s, seen(1, mac: "3c:d9:2b:00:00:02", ip: "198.18.10.6"))
        let before = try s.ledger.counts()
        // Stand-in for whatever decides the merged device's owner: inside this transaction the
        // kept device ends up in CWC.
        try s.ledger.writer.write { db in
            try db.execute(
                sql: """
                    CREATE TEMP TRIGGER to_cwc AFTER UPDATE ON device WHEN NEW.id = \(a)
                    BEGIN UPDATE device SET department_id = (SELECT id FROM department WHERE code = 'CWC')
                    WHERE id = NEW.id; END
                    """)
        }
        #expect(code { try s.merge(keep: a, other: b, scope: .departments(["DZB"])) } == .forbidden)
        try s.ledger.writer.write { db in try db.execute(sql: "DROP TRIGGER to_cwc") }
        #expect(try s.ledger.counts() == before)
        #expect(try s.listDevices(scope: .everything).map(\.department) == ["DZB", "DZB"])
    }

    /// The store checks the scope inside its write transaction, so LedgerApp needs no check
    /// of its own beforehand (one that a concurrent re-ownership could outdate).
    @Test func theStoreRefusesADeviceOutsideTheScopeInsideTheWrite() throws {
        let s = try campusService()
        let dzb = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        let cwc = try device(s, seen(1, mac: "3c:d9:2b:00:00:02", ip: "198.18.11.5"))
        let liaison = DeviceScope.departments(["DZB"])
        let ledger = s.ledger
        #expect(code { try ledger.assign(device: cwc, to: "DZB", scope: liaison) } == .notFound)
        #expect(code { try ledger.assign(device: dzb, to: "CWC", scope: liaison) } == .notFound)
        #expect(code { try ledger.unassign(device: cwc, scope: liaison) } == .notFound)
        #expect(code { try ledger.mergeDevices(keep: dzb, other: cwc, scope: liaison) } == .notFound)
        #expect(code { try ledger.mergeDevices(keep: cwc, other: dzb, scope: liaison) } == .notFound)
        let obs = try ledger.device(cwc).observations.map(\.id)
        #expect(code { try ledger.split(device: cwc, observations: obs, scope: liaison) } == .notFound)
        try ledger.assign(device: dzb, to: "DZB", scope: liaison)
        #expect(try ledger.device(dzb).summary.ownerRule == .manual)
        // Re-owned (by someone who sees everything) after the liaison last looked: gone for them.
        try ledger.assign(device: dzb, to: "CWC")
        #expect(code { try s.unassign(device: dzb, scope: liaison) } == .notFound)
        #expect(try ledger.device(dzb).summary.ownerRule == .manual)
    }
}

@Suite struct ScopedReadTests {
    @Test func aSubDepartmentLiaisonIsNotToldTheParent() throws {
        let s = try campusService()
        let seen = try s.listDepartments(scope: .departments(["JYXY-JYS"]))
        #expect(seen.map(\.code) == ["JYXY-JYS"])
        #expect(seen.first?.parentCode == nil)
        #expect(!(try s.exportDepartments(scope: .departments(["JYXY-JYS"])).text.contains("JYXY,")))
        // The parent's liaison sees the parent of its own sub-department.
        #expect(try s.listDepartments(scope: .departments(["JYXY"])).map(\.parentCode) == [nil, "JYXY"])
        #expect(try s.listDepartments(scope: .everything).first { $0.code == "JYXY-JYS" }?.parentCode == "JYXY")
    }

    @Test func onlyACallerWhoSeesEverythingNamesFilesForTheServiceToRead() throws {
        let s = try campusService()
        let liaison = DeviceScope.departments(["DZB"])
        let path = try tempFile("posture.conf", "report_max_age_days = 30\n")
        #expect(code { try s.posture(PostureQuery(policyFile: path), scope: liaison) } == .forbidden)
        #expect(code { try s.posture(PostureQuery(lifecycleFile: "/etc/passwd"), scope: liaison) } == .forbidden)
        #expect(code { try s.softwareCatalog(extra: ["/etc/passwd"], scope: liaison) } == .forbidden)
        // The shipped files remain the liaison's.
        #expect(try s.posture(scope: liaison).isEmpty)
        #expect(!(try s.softwareCatalog(scope: liaison).rules.isEmpty))
    }
}

@Suite struct HostileDateTests {
    func imported(_ definitionsUpdated: String) throws -> (LedgerService, Int64) {
        let s = try campusService()
        let id = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5", cls: .pc))
        let health = """
            {"appVersion":"101.1","definitionsStatus":{"$type":"upToDate"},"definitionsUpdated":"\(definitionsUpdated)"}
            """
        _ = try s.importFile(try tempFile("health.json", health), device: id, scope: .everything)
        return (s, id)
    }

    @Test(arguments: ["1e300", "-1e300", "1e400", "-1e400", "nan"])
    func aSignatureDateOfNoSensibleTimeDoesNotTrapShowOrPosture(_ value: String) throws {
        let (s, id) = try imported(value)
        let detail = try s.showDevice(id, scope: .everything)
        let av = try #require(detail.endpoint?.antivirus.first)
        if let age = av.signatureAgeDays { #expect(age >= 0) }
        _ = try outputEncoder().encode(detail)
        _ = try s.posture(scope: .everything)
    }

    @Test func wholeDaysAreClampedAndNilWhenNotFinite() {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(now.wholeDays(since: now.addingTimeInterval(-3 * 86_400 - 5)) == 3)
        #expect(now.wholeDays(since: Date(timeIntervalSince1970: 1e300)) == Int.min)
        #expect(now.wholeDays(since: Date(timeIntervalSince1970: -1e300)) == Int.max)
        #expect(now.wholeDays(since: Date(timeIntervalSince1970: .infinity)) == nil)
        #expect(now.wholeDays(since: Date(timeIntervalSince1970: .nan)) == nil)
        #expect(Int(finiteClamping: 0x1p63) == Int.max && Int(finiteClamping: -0x1p63) == Int.min)
        #expect(Int(finiteClamping: -2.9) == -2)
    }

    @Test func aSignatureDateOfNoTimeFailsThePostureRule() {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        var av = EndpointReport.AntivirusProduct(name: "X")
        av.enabled = true
        av.signatureDate = Date(timeIntervalSince1970: .nan)
        let pc = PostureInput(
            os: nil, lastReport: Date(timeIntervalSince1970: .infinity), lastPatch: nil, patchCount: 0,
            pendingSecurityUpdates: 0, antivirus: [av])
        var policy = PosturePolicy()
        policy.requireAntivirusOnLinux = true
        let findings = PostureRules.evaluate(pc, policy: policy, lifecycle: [], now: now)
        #expect(findings.map(\.code).contains(.reportStale))
        #expect(findings.map(\.code).contains(.signaturesStale))
        #expect(findings.first { $0.code == .reportStale }?.detail.contains("? days") == true)
    }
}
