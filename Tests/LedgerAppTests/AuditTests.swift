import Foundation
import GRDB
import LedgerModel
import TestSupport
import Testing

@testable import LedgerApp
@testable import LedgerStore

/// The audit log: every change, with who and when, in the change's transaction, never altered.
@Suite struct AuditTests {
    let alice = Principal("cli:alice")
    let bob = Principal("web:bob")

    @Test func manualEditsAreRecordedWithWhoAndTheirDepartment() throws {
        let s = try campusService()
        let printer = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        let other = try device(s, seen(1, mac: "3c:d9:2b:00:00:02", ip: "198.18.11.5"))
        try s.assign(device: printer, to: "CWC", scope: .everything, actor: alice)
        try s.unassign(device: printer, scope: .departments(["CWC"]), actor: bob)
        try s.merge(keep: printer, other: other, scope: .everything, actor: alice)
        let log = try s.auditLog(scope: .everything)
        // The campus fixture's three rule imports come first, by the ledger itself.
        #expect(log.prefix(3).map(\.action) == ["departments.import", "subnet_rules.import", "hostname_rules.import"])
        #expect(log.prefix(3).allSatisfy { $0.actor == "system" && $0.department == nil })
        let edits = Array(log.dropFirst(3))
        #expect(edits.map(\.action) == ["device.assign", "device.unassign", "device.merge"])
        #expect(edits.map(\.actor) == ["cli:alice", "web:bob", "cli:alice"])
        #expect(edits[0].department == "CWC" && edits[0].details == ["from": "DZB", "to": "CWC"])
        #expect(edits[1].department == "CWC" && edits[1].details == ["from": "CWC", "to": "DZB"])
        #expect(edits[2].entityId == String(printer) && edits[2].details["absorbed"] == .int(other))
        #expect(edits.allSatisfy { parseDate($0.at) != nil })

        // A liaison sees its departments' entries only, never campus-wide ones.
        #expect(try s.auditLog(scope: .departments(["CWC"])).map(\.action) == ["device.assign", "device.unassign"])
        #expect(try s.auditLog(department: "DZB", scope: .everything).map(\.action) == ["device.merge"])
        #expect(code { try s.auditLog(department: "DZB", scope: .departments(["CWC"])) } == .notFound)
        #expect(try s.auditLog(since: Date().addingTimeInterval(3600), scope: .everything).isEmpty)
        // The newest N, read as such (the console's page), and the count, in the same scope.
        #expect(try s.auditLog(latest: 2, scope: .everything) == Array(log.suffix(2)))
        #expect(try s.auditLog(latest: 1, scope: .departments(["CWC"])).map(\.action) == ["device.unassign"])
        #expect(try s.auditLog(latest: 0, scope: .everything).isEmpty)
        #expect(try s.auditCount(scope: .everything) == log.count)
        #expect(try s.auditCount(scope: .departments(["CWC"])) == 2)
    }

    @Test func aRefusedChangeLeavesNoEntryAndEntriesCannotBeChanged() throws {
        let s = try campusService()
        let before = try s.auditLog(scope: .everything).count
        let bad = try tempFile("l.csv", "product,edition\nx,y\n")
        #expect(throws: (any Error).self) { try s.importLicenses(file: bad, scope: .everything, actor: alice) }
        #expect(code { try s.importLicenses(file: bad, scope: .departments(["CWC"]), actor: alice) } == .forbidden)
        #expect(try s.auditLog(scope: .everything).count == before)

        let good = try tempFile(
            "l.csv",
            """
            product,edition,versions,metric,seats,department_code,valid_from,valid_to,source,contract,supplier,amount_cny,note
            Microsoft Office,Professional Plus,<=2016,device,120,,2025-01-01,2027-12-31,volume,HT-1,,,
            """)
        _ = try s.importLicenses(file: good, scope: .everything, actor: alice)
        let last = try #require(try s.auditLog(scope: .everything).last)
        #expect(last.action == "licence.import" && last.actor == "cli:alice")
        #expect(last.details["imported"] == .int(1) && last.details["contracts"] == ["HT-1"])

        // Append-only: the database itself refuses to change or remove an entry.
        try s.ledger.writer.write { db in
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE audit_log SET actor = 'x'") }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "DELETE FROM audit_log") }
        }
        #expect(try s.auditLog(scope: .everything).last == last)
    }

    @Test func aLiaisonSeesWhatALicenceImportChangedInTheirDepartment() throws {
        let s = try campusService()
        let header =
            "product,edition,versions,metric,seats,department_code,valid_from,valid_to,source,contract,supplier,amount_cny,note\n"
        let first = try tempFile(
            "l1.csv",
            header + """
                Microsoft Office,Professional Plus,<=2016,device,120,,2025-01-01,2027-12-31,volume,HT-1,,,
                Microsoft Windows,Pro,<=10,device,20,CWC,2025-01-01,2027-12-31,volume,HT-2,,,
                Microsoft Windows,Pro,<=10,device,30,DZB,2025-01-01,2027-12-31,volume,HT-3,,,
                """)
        _ = try s.importLicenses(file: first, scope: .everything, actor: alice)
        // The second file changes CWC's seats only: DZB's and the pool's rows stay.
        let second = try tempFile(
            "l2.csv",
            header + """
                Microsoft Office,Professional Plus,<=2016,device,120,,2025-01-01,2027-12-31,volume,HT-1,,,
                Microsoft Windows,Pro,<=10,device,25,CWC,2025-01-01,2027-12-31,volume,HT-4,,,
                Microsoft Windows,Pro,<=10,device,30,DZB,2025-01-01,2027-12-31,volume,HT-3,,,
                """)
        _ = try s.importLicenses(file: second, scope: .everything, actor: alice)
        func licence(_ seats: Int64, _ department: String?, _ contract: String, product: String = "Microsoft Windows")
            -> JSONValue
        {
            .object([
                "product": .string(product), "edition": product == "Microsoft Windows" ? "Pro" : "Professional Plus",
                "department": JSONValue(department), "seats": .int(seats), "contract": .string(contract),
            ])
        }

        let cwc = try s.auditLog(scope: .departments(["CWC"])).filter { $0.action == "licence.import" }
        try #require(cwc.map { ($0.entityId ?? "").split(separator: "/").last } == ["l1.csv", "l2.csv"])
        #expect(cwc.allSatisfy { $0.department == "CWC" && $0.actor == "cli:alice" })
        #expect(cwc[0].details.filter { $0.key != "file" } == ["added": [licence(20, "CWC", "HT-2")], "removed": []])
        #expect(
            cwc[1].details.filter { $0.key != "file" } == [
                "added": [licence(25, "CWC", "HT-4")], "removed": [licence(20, "CWC", "HT-2")],
            ])
        // DZB's licence did not change in the second import: its log has the first only.
        #expect(
            try s.auditLog(scope: .departments(["DZB"])).filter { $0.action == "licence.import" }.map(\.entityId) == [
                cwc[0].entityId
            ])
        // The campus-wide entry, after the departments', has every row added and removed and the counts.
        let campus = try #require(try s.auditLog(scope: .everything).last)
        #expect(campus.action == "licence.import" && campus.department == nil)
        #expect(campus.details["imported"] == 3 && campus.details["replaced"] == 3)
        #expect(campus.details["added"] == [licence(25, "CWC", "HT-4")])
        #expect(campus.details["removed"] == [licence(20, "CWC", "HT-2")])
        let all = try #require(
            try s.auditLog(scope: .everything).first { $0.entityId == cwc[0].entityId && $0.department == nil })
        #expect(
            all.details["added"] == [
                licence(120, nil, "HT-1", product: "Microsoft Office"), licence(20, "CWC", "HT-2"),
                licence(30, "DZB", "HT-3"),
            ])
    }

    @Test func anEntryCannotBeRewrittenByInsertOrReplace() throws {
        let s = try campusService()
        let before = try s.auditLog(scope: .everything)
        let first = try #require(before.first)
        // REPLACE deletes the old row without firing the DELETE trigger: v9's trigger refuses it.
        #expect(throws: DatabaseError.self) {
            try s.ledger.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO audit_log (id, at, actor, action, entity_kind)
                        VALUES (?, 0, 'nobody', 'nothing', 'x')
                        """,
                    arguments: [first.id])
            }
        }
        #expect(throws: DatabaseError.self) {
            try s.ledger.writer.write { db in
                try db.execute(sql: "UPDATE audit_log SET actor = 'x' WHERE id = ?", arguments: [first.id])
            }
        }
        #expect(throws: DatabaseError.self) {
            try s.ledger.writer.write { db in
                try db.execute(sql: "DELETE FROM audit_log WHERE id = ?", arguments: [first.id])
            }
        }
        #expect(try s.auditLog(scope: .everything) == before)

        // Appending still works, both through the ledger and as a plain insert of a new id.
        let printer = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        try s.assign(device: printer, to: "CWC", scope: .everything, actor: alice)
        try s.ledger.writer.write { db in
            try db.execute(
                sql:
                    "INSERT OR REPLACE INTO audit_log (at, actor, action, entity_kind) VALUES (0, 'system', 'probe', 'x')"
            )
        }
        let after = try s.auditLog(scope: .everything)
        #expect(Array(after.prefix(before.count)) == before)
        #expect(after.dropFirst(before.count).map(\.action) == ["device.assign", "probe"])
    }
}
