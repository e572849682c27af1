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
    /// The entries since `since` of `departments` (nil: all, campus-wide ones included), oldest
    /// first; `latest` keeps only the newest that many (read as such, not cut afterwards).
    public func auditLog(since: Date? = nil, departments: Set<String>? = nil, latest: Int? = nil) throws
        -> [AuditEntry]
    {
        try writer.read { db in
            let (condition, arguments) = Self.auditCondition(since: since, departments: departments)
            let sql =
                latest == nil
                ? "SELECT * FROM audit_log WHERE \(condition) ORDER BY id"
                : "SELECT * FROM (SELECT * FROM audit_log WHERE \(condition) ORDER BY id DESC LIMIT ?) ORDER BY id"
            let all = latest.map { arguments + [max(0, $0)] } ?? arguments
            return try Row.fetchAll(db, sql: sql, arguments: all).map { r in
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

    /// How many entries `auditLog` would return without `latest`.
    public func auditCount(since: Date? = nil, departments: Set<String>? = nil) throws -> Int {
        try writer.read { db in
            let (condition, arguments) = Self.auditCondition(since: since, departments: departments)
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log WHERE \(condition)", arguments: arguments)
                ?? 0
        }
    }

    static func auditCondition(since: Date?, departments: Set<String>?) -> (String, StatementArguments) {
        var sql = "at >= ?"
        var arguments: StatementArguments = [since?.unixSeconds ?? -Double.greatestFiniteMagnitude]
        if let departments {
            sql += " AND department_code IN (SELECT value FROM json_each(?))"
            arguments += [JSONText.array(departments.sorted())]
        }
        return (sql, arguments)
    }
}
