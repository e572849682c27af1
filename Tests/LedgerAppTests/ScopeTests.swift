import Foundation
import GRDB
import Ingest
import LedgerModel
import TestSupport
import Testing

@testable import LedgerApp
@testable import LedgerStore

/// A caller's scope (`DeviceScope`): what each use case lists, shows and lets it edit.
@Suite struct ScopeTests {
    /// A DZB printer, a CWC printer and a JYXY-JYS PC; the liaison of DZB sees only the first.
    func campus() throws -> (LedgerService, dzb: Int64, cwc: Int64, jys: Int64) {
        let s = try campusService()
        let dzb = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        let cwc = try device(s, seen(1, mac: "3c:d9:2b:00:00:02", ip: "198.18.11.5"))
        let jys = try device(s, seen(2, mac: "3c:d9:2b:00:00:03", ip: "198.18.30.200", cls: .pc))
        return (s, dzb, cwc, jys)
    }

    @Test func aListIsFilteredToTheScopeWithSubDepartments() throws {
        let (s, dzb, cwc, jys) = try campus()
        #expect(try s.listDevices(scope: .everything).map(\.id) == [dzb, cwc, jys])
        #expect(try s.listDevices(scope: .departments(["DZB"])).map(\.id) == [dzb])
        #expect(try s.listDevices(scope: .departments(["JYXY"])).map(\.id) == [jys])
        #expect(try s.listDevices(DeviceQuery(deviceClass: .pc), scope: .everything).map(\.id) == [jys])
        // Another department, named as a filter, is not found: the same answer as no department.
        #expect(code { try s.listDevices(DeviceQuery(department: "CWC"), scope: .departments(["DZB"])) } == .notFound)
        #expect(code { try s.listDevices(DeviceQuery(department: "NOPE"), scope: .everything) } == .notFound)
        #expect(try s.listDevices(DeviceQuery(unassignedOnly: true), scope: .departments(["DZB"])).isEmpty)
        // Named ids are still read in the scope: a foreign one is left out, none is none.
        #expect(try s.listDevices(DeviceQuery(ids: [jys, dzb]), scope: .everything).map(\.id) == [dzb, jys])
        #expect(try s.listDevices(DeviceQuery(ids: [cwc, dzb]), scope: .departments(["DZB"])).map(\.id) == [dzb])
        #expect(try s.listDevices(DeviceQuery(ids: []), scope: .everything).isEmpty)
    }

    /// A page read from the store is the same slice of the same scoped list, for every page
    /// size, filter and scope, and the total is the list's length; a search pages the same way.
    @Test func aPageIsASliceOfTheScopedList() throws {
        let (s, dzb, cwc, jys) = try campus()
        let extra = try (3..<12).map { i in
            let mac = "3c:d9:2b:00:01:" + String(format: "%02x", i)
            return try device(s, seen(Double(i), mac: mac, ip: "198.18.10.\(20 + i)"))
        }
        let stray = try device(s, seen(20, mac: "3c:d9:2b:00:02:01", ip: "198.18.50.1"))
        #expect(
            try s.listDevicePage(DeviceQuery(unassignedOnly: true), scope: .everything, page: 1, size: 9).devices.map(
                \.id) == [stray])
        let queries = [
            DeviceQuery(), DeviceQuery(department: "DZB"), DeviceQuery(deviceClass: .pc),
            DeviceQuery(unassignedOnly: true), DeviceQuery(text: "198.18.10."),
        ]
        for scope in [DeviceScope.everything, .departments(["DZB"]), .departments(["JYXY"])] {
            for q in queries where q.department == nil || scope != .departments(["JYXY"]) {
                let all = try s.listDevices(q, scope: scope)
                for size in [1, 3, 50] {
                    var seen: [DeviceOutput] = []
                    for page in 1...(all.count / size + 2) {
                        let p = try s.listDevicePage(q, scope: scope, page: page, size: size)
                        #expect(p.total == all.count && p.pages == max(1, (all.count + size - 1) / size))
                        #expect(p.devices == Array(all.dropFirst((page - 1) * size).prefix(size)))
                        seen += p.devices
                    }
                    #expect(seen == all, "\(q) \(scope) size \(size)")
                }
            }
        }
        #expect(
            try s.listDevicePage(scope: .departments(["DZB"]), page: 1, size: 100).devices.map(\.id) == [dzb] + extra)
        #expect(
            !(try s.listDevicePage(scope: .departments(["DZB"]), page: 1, size: 100).devices.map(\.id).contains(cwc)))
        #expect(try s.listDevicePage(scope: .departments(["JYXY"]), page: 1, size: 100).devices.map(\.id) == [jys])
        // Far past the end (no overflow) and a foreign department as a filter: empty, not found.
        #expect(try s.listDevicePage(scope: .everything, page: Int.max, size: 500).devices.isEmpty)
        #expect(
            code {
                try s.listDevicePage(DeviceQuery(department: "CWC"), scope: .departments(["DZB"]), page: 1, size: 5)
            }
                == .notFound)
    }

    @Test func aDeviceOutsideTheScopeIsNotFoundForEveryUseCase() throws {
        let (s, dzb, cwc, _) = try campus()
        let liaison = DeviceScope.departments(["DZB"])
        #expect(try s.showDevice(dzb, scope: liaison).device.id == dzb)
        #expect(code { try s.showDevice(cwc, scope: liaison) } == .notFound)
        #expect(code { try s.showDevice(999, scope: .everything) } == .notFound)
        #expect(code { try s.assign(device: cwc, to: "DZB", scope: liaison, actor: Principal("test")) } == .notFound)
        #expect(code { try s.unassign(device: cwc, scope: liaison, actor: Principal("test")) } == .notFound)
        #expect(code { try s.merge(keep: dzb, other: cwc, scope: liaison, actor: Principal("test")) } == .notFound)
        #expect(code { try s.merge(keep: cwc, other: dzb, scope: liaison, actor: Principal("test")) } == .notFound)
        let obs = try s.showDevice(cwc, scope: .everything).observations.map(\.id)
        #expect(
            code { try s.split(device: cwc, observations: obs, scope: liaison, actor: Principal("test")) } == .notFound)
        // Nor can a liaison hand their device to a department they do not see.
        #expect(code { try s.assign(device: dzb, to: "CWC", scope: liaison, actor: Principal("test")) } == .notFound)
        // Nothing moved.
        #expect(try s.listDevices(scope: .everything).map(\.department) == ["DZB", "CWC", "JYXY-JYS"])
    }

    @Test func editsInScopeWork() throws {
        let (s, dzb, cwc, _) = try campus()
        let outcome = try s.assign(device: cwc, to: "DZB", scope: .everything, actor: Principal("test"))
        #expect(
            outcome
                == DeviceEditOutcome(
                    action: "assign", device: cwc, department: "DZB", otherDevice: nil, observations: 0))
        #expect(try s.showDevice(cwc, scope: .departments(["DZB"])).device.ownerRule == "manual")
        try s.unassign(device: cwc, scope: .departments(["DZB"]), actor: Principal("test"))
        #expect(try s.showDevice(cwc, scope: .everything).device.department == "CWC")
        let merged = try s.merge(keep: dzb, other: cwc, scope: .everything, actor: Principal("test"))
        #expect(merged.otherDevice == cwc)
        let observations = try s.showDevice(dzb, scope: .everything).observations
        #expect(observations.count == 2)
        // The observation split off is CWC's: only a caller who sees CWC may split it off
        // (ScopedEditTests has the liaison's refusal).
        let split = try s.split(
            device: dzb, observations: [observations[1].id], scope: .everything, actor: Principal("test"))
        #expect(split.otherDevice != nil && split.observations == 1)
        #expect(try s.check(scope: .everything).ok)
    }

    @Test func departmentsAndRulesAreListedWithinTheScope() throws {
        let (s, _, _, _) = try campus()
        #expect(try s.listDepartments(scope: .everything).map(\.code) == ["CWC", "DZB", "JYXY", "JYXY-JYS"])
        let college = try s.listDepartments(scope: .departments(["JYXY"]))
        #expect(college.map(\.code) == ["JYXY", "JYXY-JYS"])
        #expect(college.map(\.depth) == [0, 1])
        #expect(try s.listSubnetRules(scope: .departments(["CWC"])).map(\.cidr) == ["198.18.11.0/24"])
        #expect(try s.listSubnetRules(scope: .departments(["CWC"])).first?.vlan == 11)
        #expect(try s.listHostnameRules(scope: .departments(["DZB"])).isEmpty)
        #expect(try s.listHostnameRules(scope: .everything).map(\.pattern) == ["cw-*"])
        let cwc = try #require(try s.listDepartments(scope: .everything).first)
        #expect(cwc.liaison.name == "王五" && cwc.devices == 1)
        #expect(try s.exportDepartments(scope: .departments(["JYXY"])).count == 2)
    }
}

/// Scoped edits that could put a device outside the caller's departments, and the scope checked
/// outside the write.
@Suite struct ScopedEditTests {
    /// A DZB device that absorbed a CWC one (merged by someone who sees both).
    func mergedAcrossDepartments() throws -> (LedgerService, dzb: Int64, cwcObservation: Int64) {
        let s = try campusService()
        let dzb = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        let cwc = try device(s, seen(1, mac: "3c:d9:2b:00:00:02", ip: "198.18.11.5"))
        try s.merge(keep: dzb, other: cwc, scope: .everything, actor: Principal("test"))
        let detail = try s.showDevice(dzb, scope: .departments(["DZB"]))
        #expect(detail.device.department == "DZB")
        let cwcObservation = try #require(detail.observations.first { $0.observedAt == isoDate(at(1)) })
        return (s, dzb, cwcObservation.id)
    }

    @Test func aScopedSplitCannotCreateADeviceOutsideTheScope() throws {
        let (s, dzb, cwcObservation) = try mergedAcrossDepartments()
        let before = try s.ledger.counts()
        // Split off, the CWC observation makes a CWC device: the DZB liaison may not create it.
        #expect(
            code {
                try s.split(
                    device: dzb, observations: [cwcObservation], scope: .departments(["DZB"]), actor: Principal("test"))
            }
                == .forbidden)
        // The transaction rolled back: no device, no separation, no history, nothing moved.
        #expect(try s.ledger.counts() == before)
        #expect(try s.showDevice(dzb, scope: .everything).observations.count == 2)
        #expect(try s.check(scope: .everything).ok)
        // Whoever sees both departments may.
        let out = try s.split(device: dzb, observations: [cwcObservation], scope: .everything, actor: Principal("test"))
        let other = try #require(out.otherDevice)
        #expect(try s.showDevice(other, scope: .everything).device.department == "CWC")
    }

    @Test func aScopedSplitWithinTheScopeWorksAndCountsEachObservationOnce() throws {
        let s = try campusService()
        let a = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        let b = try device(s, seen(1, mac: "3c:d9:2b:00:00:02", ip: "198.18.10.6"))
        let liaison = DeviceScope.departments(["DZB"])
        try s.merge(keep: a, other: b, scope: liaison, actor: Principal("test"))
        let moving = try #require(try s.showDevice(a, scope: liaison).observations.last).id
        let out = try s.split(device: a, observations: [moving, moving], scope: liaison, actor: Principal("test"))
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
        #expect(
            code { try s.merge(keep: a, other: b, scope: .departments(["DZB"]), actor: Principal("test")) }
                == .forbidden)
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
        #expect(code { try s.unassign(device: dzb, scope: liaison, actor: Principal("test")) } == .notFound)
        #expect(try ledger.device(dzb).summary.ownerRule == .manual)
    }
}

/// What a liaison's scope could still reach: the parent of its department and files the
/// service reads.
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
