import Foundation
import GRDB
import LedgerModel

/// A department as listed, with its device count.
public struct DepartmentSummary: Equatable, Sendable {
    public var department: Department
    /// 0 for a top unit, 1 for its sub-departments, ...
    public var depth: Int
    public var deviceCount: Int
}

extension Ledger {
    /// Imports departments in one transaction, updating existing ones by code. The whole tree
    /// (ledger plus file) is checked first; on any error nothing is written.
    @discardableResult
    public func importDepartments(_ entries: [DepartmentTree.Entry], file: String, actor: Principal = .system) throws
        -> (added: Int, updated: Int)
    {
        try writer.write { db in
            let existing = try Self.departments(db)
            try DepartmentTree.validate(existing: existing, incoming: entries, file: file)
            let known = Set(existing.map(\.code))
            let now = Date().unixSeconds
            // Insert without parents first so that the order of the file does not matter, then
            // set every parent.
            for entry in entries {
                let d = entry.department
                try db.execute(
                    sql: """
                        INSERT INTO department (code, name, name_en, kind, leader, liaison, liaison_phone,
                            liaison_email, sysadmin, sysadmin_phone, sysadmin_email, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
                            kind = excluded.kind, leader = excluded.leader, liaison = excluded.liaison,
                            liaison_phone = excluded.liaison_phone, liaison_email = excluded.liaison_email,
                            sysadmin = excluded.sysadmin, sysadmin_phone = excluded.sysadmin_phone,
                            sysadmin_email = excluded.sysadmin_email, updated_at = excluded.updated_at
                        """,
                    arguments: [
                        d.code, d.name, d.nameEn, d.kind.rawValue, d.leader, d.liaison.name, d.liaison.phone,
                        d.liaison.email, d.sysadmin.name, d.sysadmin.phone, d.sysadmin.email, now,
                    ])
            }
            for entry in entries {
                try db.execute(
                    sql: """
                        UPDATE department SET parent_id = (SELECT id FROM department WHERE code = ?)
                        WHERE code = ?
                        """,
                    arguments: [entry.department.parentCode, entry.department.code])
            }
            try Self.rulesChanged(db)
            let added = Set(entries.map(\.department.code)).subtracting(known).count
            try Self.audit(
                db,
                AuditEntry(
                    actor: actor, action: "departments.import", entityKind: "departments", entityID: file,
                    details: [
                        "file": .string(file), "added": JSONValue(added), "updated": JSONValue(entries.count - added),
                        "codes": .array(entries.map(\.department.code).sorted().map(JSONValue.string)),
                    ]))
            return (added, entries.count - added)
        }
    }

    /// Every department, depth first (children under their parent).
    public func departments() throws -> [DepartmentSummary] {
        try writer.read { db in
            var counts: [Int64: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT department_id, count(*) FROM device WHERE department_id IS NOT NULL GROUP BY 1")
            {
                counts[row[0]] = row[1]
            }
            let ids = try Self.departmentIDs(db)
            return DepartmentTree.depthFirst(try Self.departments(db)).map {
                DepartmentSummary(
                    department: $0.department, depth: $0.depth, deviceCount: counts[ids[$0.department.code] ?? -1] ?? 0)
            }
        }
    }

    static func departments(_ db: Database) throws -> [Department] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT d.code, d.name, d.name_en, d.kind, p.code AS parent_code, d.leader, d.liaison,
                    d.liaison_phone, d.liaison_email, d.sysadmin, d.sysadmin_phone, d.sysadmin_email
                FROM department d LEFT JOIN department p ON p.id = d.parent_id ORDER BY d.code
                """
        ).map { r in
            Department(
                code: r["code"], name: r["name"], nameEn: r["name_en"],
                kind: DepartmentKind(rawValue: r["kind"]) ?? .functional, parentCode: r["parent_code"],
                leader: r["leader"],
                liaison: Contact(name: r["liaison"], phone: r["liaison_phone"], email: r["liaison_email"]),
                sysadmin: Contact(name: r["sysadmin"], phone: r["sysadmin_phone"], email: r["sysadmin_email"]))
        }
    }

    static func departmentIDs(_ db: Database) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT code, id FROM department") { out[row[0]] = row[1] }
        return out
    }
}
