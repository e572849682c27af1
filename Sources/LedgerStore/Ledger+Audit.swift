import Foundation
import GRDB
import LedgerModel

extension Ledger {
    /// Appends one entry to the audit log, inside the caller's transaction: the change and its
    /// record commit together or not at all. The only writer of `audit_log` (its triggers refuse
    /// UPDATE and DELETE).
    static func audit(_ db: Database, _ entry: AuditEntry) throws {
        try db.execute(
            sql: """
                INSERT INTO audit_log (at, actor, action, entity_kind, entity_id, department_code, details)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entry.at.unixSeconds, entry.actor, entry.action, entry.entityKind, entry.entityID, entry.department,
                JSONValue.object(entry.details).text,
            ])
    }

    /// The audit log, oldest first: entries since a time, of some departments (nil: every entry,
    /// campus-wide ones included; a set: only entries of those departments).
    public func auditLog(since: Date? = nil, departments: Set<String>? = nil) throws -> [AuditEntry] {
        try writer.read { db in
            var sql = "SELECT * FROM audit_log WHERE at >= ?"
            var arguments: StatementArguments = [since?.unixSeconds ?? -Double.greatestFiniteMagnitude]
            if let departments {
                sql += " AND department_code IN (SELECT value FROM json_each(?))"
                arguments += [JSONText.array(departments.sorted())]
            }
            sql += " ORDER BY id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { r in
                let details: String = r["details"]
                let value = try? JSONDecoder().decode(JSONValue.self, from: Data(details.utf8))
                guard case .object(let d)? = value else {
                    throw LedgerError(.io, "audit entry \(r["id"] as Int64) holds details this version cannot read")
                }
                return AuditEntry(
                    id: r["id"], at: Date(unixSeconds: r["at"]), actor: Principal(r["actor"]), action: r["action"],
                    entityKind: r["entity_kind"], entityID: r["entity_id"], department: r["department_code"], details: d
                )
            }
        }
    }
}
