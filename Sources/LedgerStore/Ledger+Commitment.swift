import Foundation
import GRDB
import LedgerModel

/// What replacing the staff list changed.
public struct StaffReplacement: Equatable, Sendable {
    public var added = 0
    public var updated = 0
    public var removed = 0
    /// Signed commitments of the removed employees (removed with them).
    public var commitmentsRemoved = 0
}

/// One employee with the signature of one year's text, if any.
public struct StaffSignature: Equatable, Sendable {
    public var staff: StaffMember
    /// `YYYY-MM-DD`, nil: not signed.
    public var signedAt: String?
}

extension Ledger {
    /// Replaces the staff list with these employees, in one transaction: employees not in the
    /// list are removed with their commitments, the others are updated by employee id and keep
    /// theirs.
    @discardableResult
    public func replaceStaff(_ entries: [(line: Int, staff: StaffMember)], file: String, actor: Principal = .system)
        throws -> StaffReplacement
    {
        try writer.write { db in
            var departments: [String: Int64] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT code, id FROM department") { departments[r[0]] = r[1] }
            // Who was on the list, and in which department, for each department's audit entry.
            var was: [String: (name: String, department: String)] = [:]
            for r in try Row.fetchAll(
                db,
                sql: "SELECT s.employee_id, s.name, d.code FROM staff s JOIN department d ON d.id = s.department_id")
            {
                was[r[0]] = (r[1], r[2])
            }
            let before = Set(was.keys)
            let now = Date().unixSeconds
            var out = StaffReplacement()
            var changes: [String: [String: [JSONValue]]] = [:]  // department -> added/removed/... -> rows
            let keep = Set(entries.map(\.staff.employeeID))
            for gone in before.subtracting(keep).sorted() {
                let years = try Int.fetchAll(
                    db, sql: "SELECT text_year FROM commitment WHERE employee_id = ? ORDER BY text_year",
                    arguments: [gone])
                out.commitmentsRemoved += years.count
                try db.execute(sql: "DELETE FROM staff WHERE employee_id = ?", arguments: [gone])
                out.removed += 1
                let (name, department) = was[gone]!
                changes[department, default: [:]]["removed", default: []].append(
                    .object([
                        "employee_id": .string(gone), "name": .string(name),
                        "commitments_removed": .array(years.map { JSONValue($0) }),
                    ]))
            }
            for (line, s) in entries {
                guard let department = departments[s.department] else {
                    throw LedgerError(.invalidInput, "\(file):\(line): unknown department '\(s.department)'")
                }
                try db.execute(
                    sql: """
                        INSERT INTO staff (employee_id, name, department_id, email, source_file, source_line, imported_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (employee_id) DO UPDATE SET name = excluded.name,
                            department_id = excluded.department_id, email = excluded.email,
                            source_file = excluded.source_file, source_line = excluded.source_line,
                            imported_at = excluded.imported_at
                        """, arguments: [s.employeeID, s.name, department, s.email, file, line, now])
                let row: JSONValue = .object(["employee_id": .string(s.employeeID), "name": .string(s.name)])
                if let old = was[s.employeeID] {
                    out.updated += 1
                    if old.department != s.department {
                        changes[old.department, default: [:]]["moved_out", default: []].append(row)
                        changes[s.department, default: [:]]["moved_in", default: []].append(row)
                    }
                } else {
                    out.added += 1
                    changes[s.department, default: [:]]["added", default: []].append(row)
                }
            }
            // One entry per department whose staff changed (each liaison sees its own), then the
            // campus-wide entry with the counts.
            for (department, lists) in changes.sorted(by: { $0.key < $1.key }) {
                var details: [String: JSONValue] = ["file": .string(file)]
                for key in ["added", "removed", "moved_in", "moved_out"] { details[key] = .array(lists[key] ?? []) }
                try Self.audit(
                    db,
                    AuditEntry(
                        actor: actor, action: "staff.import", entityKind: "staff", entityID: file,
                        department: department, details: details))
            }
            try Self.audit(
                db,
                AuditEntry(
                    actor: actor, action: "staff.import", entityKind: "staff", entityID: file,
                    details: [
                        "file": .string(file), "staff": JSONValue(entries.count), "added": JSONValue(out.added),
                        "updated": JSONValue(out.updated), "removed": JSONValue(out.removed),
                        "commitments_removed": JSONValue(out.commitmentsRemoved),
                    ]))
            return out
        }
    }

    /// The staff list with each employee's signature of `year`'s text, by department then
    /// employee id; `departments` nil = everyone.
    public func staffSignatures(year: Int, departments: Set<String>? = nil) throws -> [StaffSignature] {
        try writer.read { db in
            var sql = """
                SELECT s.employee_id, s.name, d.code, s.email, c.signed_at FROM staff s
                JOIN department d ON d.id = s.department_id
                LEFT JOIN commitment c ON c.employee_id = s.employee_id AND c.text_year = ?
                """
            var arguments: StatementArguments = [year]
            if let departments {
                sql += " WHERE d.code IN (SELECT value FROM json_each(?))"
                arguments += [JSONText.array(departments.sorted())]
            }
            sql += " ORDER BY d.code, s.employee_id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { r in
                StaffSignature(
                    staff: StaffMember(employeeID: r[0], name: r[1], department: r[2], email: r[3]), signedAt: r[4])
            }
        }
    }

    /// Records signed commitments (one per employee and year; a later record of the same pair
    /// replaces the earlier), in one transaction. From a file (`file` set): one audit entry per
    /// department concerned, so each department's log shows its own signatures; one signature
    /// (`file` nil): one `commitment.sign` entry.
    @discardableResult
    public func recordCommitments(
        _ entries: [(line: Int, commitment: Commitment)], file: String?, actor: Principal = .system
    )
        throws -> Int
    {
        try writer.write { db in
            let now = Date().unixSeconds
            var byDepartment: [String: [Commitment]] = [:]
            for (line, c) in entries {
                guard
                    let department = try String.fetchOne(
                        db,
                        sql:
                            "SELECT d.code FROM staff s JOIN department d ON d.id = s.department_id WHERE s.employee_id = ?",
                        arguments: [c.employeeID])
                else {
                    let at = file.map { "\($0):\(line): " } ?? ""
                    throw LedgerError(.notFound, "\(at)unknown employee '\(c.employeeID)'")
                }
                byDepartment[department, default: []].append(c)
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO commitment (employee_id, text_year, signed_at, recorded_at, recorded_by)
                        VALUES (?, ?, ?, ?, ?)
                        """, arguments: [c.employeeID, c.textYear, c.signedAt, now, actor.name])
            }
            for (department, list) in byDepartment.sorted(by: { $0.key < $1.key }) {
                if let file {
                    let years = Set(list.map(\.textYear)).sorted().map { JSONValue($0) }
                    try Self.audit(
                        db,
                        AuditEntry(
                            actor: actor, action: "commitment.import", entityKind: "commitment", entityID: file,
                            department: department,
                            details: ["file": .string(file), "imported": JSONValue(list.count), "years": .array(years)])
                    )
                } else {
                    for c in list {
                        try Self.audit(
                            db,
                            AuditEntry(
                                actor: actor, action: "commitment.sign", entityKind: "commitment",
                                entityID: "\(c.employeeID)/\(c.textYear)", department: department,
                                details: [
                                    "employee_id": .string(c.employeeID), "text_year": JSONValue(c.textYear),
                                    "signed_at": .string(c.signedAt),
                                ]))
                    }
                }
            }
            return entries.count
        }
    }
}
