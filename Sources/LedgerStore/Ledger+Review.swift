import Foundation
import GRDB
import LedgerModel

/// A department's review of one device.
public struct DeviceReview: Equatable, Sendable {
    public enum Status: String, CaseIterable, Codable, Sendable {
        case confirmed
        case notOurs = "not_ours"
        case retired
        case wrongClass = "wrong_class"
    }

    public var device: Int64
    public var status: Status
    public var note: String?
    public var department: String?
    public var reviewedBy: String
    public var reviewedAt: Date
}

extension Ledger {
    /// Records the reviews in one transaction (the latest per device), each device checked in
    /// the caller's scope inside it: one foreign device refuses the whole batch.
    public func review(
        devices: [Int64], status: DeviceReview.Status, note: String?, scope: DeviceScope, actor: Principal
    ) throws {
        try writer.write { db in
            let now = Date()
            for id in devices {
                try Self.requireDevice(db, id, scope)
                let department = try String.fetchOne(
                    db,
                    sql:
                        "SELECT d.code FROM device JOIN department d ON d.id = device.department_id WHERE device.id = ?",
                    arguments: [id])
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO device_review (device_id, status, note, department_code, reviewed_by, reviewed_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [id, status.rawValue, note, department, actor.name, now.unixSeconds])
                try Self.audit(
                    db,
                    AuditEntry(
                        at: now, actor: actor, action: "device.review", entityKind: "device", entityID: String(id),
                        department: department,
                        details: ["status": .string(status.rawValue), "note": JSONValue(note)]))
            }
        }
    }

    /// The latest review of every device in scope, by device id; `devices` and `status` narrow
    /// it in the query (a device page reads its one review, the queue the not-ours ones).
    public func reviews(scope: DeviceScope, devices: [Int64]? = nil, status: DeviceReview.Status? = nil) throws
        -> [Int64: DeviceReview]
    {
        try writer.read { db in
            var (clause, arguments) = scope.sql()
            if let devices {
                clause += " AND r.device_id IN (\(devices.map { _ in "?" }.joined(separator: ",")))"
                arguments += StatementArguments(devices)
            }
            if let status {
                clause += " AND r.status = ?"
                arguments += [status.rawValue]
            }
            var out: [Int64: DeviceReview] = [:]
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT r.* FROM device_review r JOIN device ON device.id = r.device_id WHERE \(clause)
                    """, arguments: arguments)
            {
                let id: Int64 = r["device_id"]
                guard let status = DeviceReview.Status(rawValue: r["status"]) else { continue }
                out[id] = DeviceReview(
                    device: id, status: status, note: r["note"], department: r["department_code"],
                    reviewedBy: r["reviewed_by"], reviewedAt: Date(timeIntervalSince1970: r["reviewed_at"]))
            }
            return out
        }
    }
}
