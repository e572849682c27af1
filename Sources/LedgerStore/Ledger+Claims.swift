import Foundation
import GRDB
import LedgerModel

/// A department's claim that a device the rules put elsewhere (or nowhere) is theirs; IT decides.
public struct DeviceClaim: Equatable, Sendable {
    public enum Status: String, Codable, CaseIterable, Sendable {
        case open, granted, refused
    }

    public var id: Int64
    /// The claimant.
    public var department: String
    public var identifier: ClaimIdentifier
    /// The device the identifier named when the claim was filed (nil: none matched).
    public var device: Int64?
    /// The department the device belongs to now (nil: none), for IT's eyes.
    public var deviceDepartment: String?
    public var reason: String
    public var claimedBy: String
    public var claimedAt: Date
    public var status: Status
    public var decidedBy: String?
    public var decidedAt: Date?
    public var decisionNote: String?
}

extension Ledger {
    /// Files a claim by `department` (which must be in `scope`) on the device the identifier
    /// names, if any. What it names is recorded for IT, never told to the claimant: a claim on
    /// nothing and a claim on another department's device read the same. A device already in the
    /// claimant's scope is a conflict (it is theirs: nothing to claim).
    public func fileClaim(
        department code: String, identifier: ClaimIdentifier, reason: String, scope: DeviceScope, actor: Principal
    ) throws -> Int64 {
        try writer.write { db in
            guard let dept = try Self.departmentID(db, code, scope) else {
                throw LedgerError(.notFound, "unknown department '\(code)'")
            }
            // The conflict is decided on the claimant's own devices only (any of them carrying
            // the identifier, now or before), so it tells nothing of other departments'.
            if try Self.carries(db, identifier, scope: .departments([code])) {
                throw LedgerError(.conflict, "\(identifier.value) is already a device of \(code)")
            }
            let device = try Self.device(db, named: identifier)
            let open =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM device_claim
                        WHERE department_id = ? AND identifier_kind = ? AND identifier = ? AND status = 'open'
                        """, arguments: [dept, identifier.kind.rawValue, identifier.value]) ?? 0
            guard open == 0 else { throw LedgerError(.conflict, "\(code) already claims \(identifier.value)") }
            let now = Date()
            try db.execute(
                sql: """
                    INSERT INTO device_claim (department_id, identifier_kind, identifier, device_id, reason, claimed_by, claimed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    dept, identifier.kind.rawValue, identifier.value, device, reason, actor.name, now.unixSeconds,
                ])
            let id = db.lastInsertedRowID
            try Self.audit(
                db,
                AuditEntry(
                    at: now, actor: actor, action: "claim.file", entityKind: "claim", entityID: String(id),
                    department: code,
                    // Not the device it named: the claimant reads its department's entries.
                    details: [
                        "identifier": .string("\(identifier.kind.rawValue):\(identifier.value)"),
                        "reason": .string(reason),
                    ]))
            return id
        }
    }

    /// Whether a device in `scope` carries the identifier (a MAC or serial it is known by, an IP
    /// it was ever seen at).
    static func carries(_ db: Database, _ identifier: ClaimIdentifier, scope: DeviceScope) throws -> Bool {
        let (scopeSQL, scopeArgs) = scope.sql()
        let sql: String
        switch identifier.kind {
        case .mac, .serial:
            sql = """
                SELECT 1 FROM identity_key k JOIN device ON device.id = k.device_id
                WHERE k.kind = ? AND k.value = ? AND \(scopeSQL) LIMIT 1
                """
        case .ip:
            sql = """
                SELECT 1 FROM device_address a JOIN device ON device.id = a.device_id
                WHERE a.kind = ? AND a.value = ? AND \(scopeSQL) LIMIT 1
                """
        }
        return try Bool.fetchOne(
            db, sql: sql, arguments: [identifier.kind.rawValue, identifier.value] + scopeArgs) == true
    }

    /// The device an identifier names now: the MAC's or serial's identity key, or the device
    /// last seen with the IP.
    static func device(_ db: Database, named identifier: ClaimIdentifier) throws -> Int64? {
        switch identifier.kind {
        case .mac, .serial:
            return try Int64.fetchOne(
                db, sql: "SELECT device_id FROM identity_key WHERE kind = ? AND value = ?",
                arguments: [identifier.kind.rawValue, identifier.value])
        case .ip:
            return try Int64.fetchOne(
                db,
                sql: """
                    SELECT device.id FROM device_address a JOIN device ON device.id = a.device_id
                    WHERE a.kind = 'ip' AND a.value = ? ORDER BY device.last_seen DESC, device.id DESC LIMIT 1
                    """, arguments: [identifier.value])
        }
    }

    /// The claims filed by departments in `scope` (all for `.everything`), newest first; `status`
    /// nil = any. The device a claim named and its department are given only where the device
    /// is in the caller's scope (IT sees them all; a claimant sees them once granted).
    public func claims(status: DeviceClaim.Status? = nil, device: Int64? = nil, scope: DeviceScope) throws
        -> [DeviceClaim]
    {
        try writer.read { db in
            let (claimant, claimantArgs) = scope.sql(column: "c.department_id")
            let (visible, visibleArgs) = scope.sql()
            var conditions = [claimant]
            var args = claimantArgs
            if let status {
                conditions.append("c.status = ?")
                args += [status.rawValue]
            }
            return try Self.claimRows(
                db, visible: visible, visibleArgs, where: conditions.joined(separator: " AND "), args,
                device: device)
        }
    }

    /// The open claims other departments filed on a device in `scope` (the owner sees that
    /// its device is disputed, and by whom).
    public func claimsOn(device id: Int64, scope: DeviceScope) throws -> [DeviceClaim] {
        try writer.read { db in
            try Self.requireDevice(db, id, scope)
            let (visible, visibleArgs) = scope.sql()
            return try Self.claimRows(db, visible: visible, visibleArgs, where: "c.status = 'open'", [], device: id)
        }
    }

    static func claimRows(
        _ db: Database, visible: String, _ visibleArgs: StatementArguments, where condition: String,
        _ args: StatementArguments, device: Int64?
    ) throws -> [DeviceClaim] {
        var condition = condition
        var args = args
        if let device {
            condition += " AND c.device_id = ?"
            args += [device]
        }
        return try Row.fetchAll(
            db,
            sql: """
                SELECT c.*, d.code AS claimant, COALESCE(device.id IS NOT NULL AND \(visible), 0) AS visible,
                    owner.code AS owner
                FROM device_claim c JOIN department d ON d.id = c.department_id
                LEFT JOIN device ON device.id = c.device_id
                LEFT JOIN department owner ON owner.id = device.department_id
                WHERE \(condition) ORDER BY c.id DESC
                """, arguments: visibleArgs + args
        ).map { r in
            let visible: Bool = r["visible"]
            return DeviceClaim(
                id: r["id"], department: r["claimant"],
                identifier: ClaimIdentifier(
                    kind: ClaimIdentifier.Kind(rawValue: r["identifier_kind"]) ?? .serial, value: r["identifier"]),
                device: visible ? r["device_id"] : nil, deviceDepartment: visible ? r["owner"] : nil,
                reason: r["reason"], claimedBy: r["claimed_by"],
                claimedAt: Date(timeIntervalSince1970: r["claimed_at"]),
                status: DeviceClaim.Status(rawValue: r["status"]) ?? .open, decidedBy: r["decided_by"],
                decidedAt: (r["decided_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                decisionNote: r["decision_note"])
        }
    }

    /// IT's decision on an open claim, in one transaction: granted, the device (the one the
    /// claim named, or `device` when IT names it) is assigned to the claimant by hand; refused,
    /// nothing moves. Needs `.everything`.
    public func decideClaim(
        _ id: Int64, grant: Bool, note: String?, device chosen: Int64?, scope: DeviceScope, actor: Principal
    ) throws {
        guard scope == .everything else { throw LedgerError(.forbidden, "only IT decides claims") }
        try writer.write { db in
            guard
                let r = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT c.status, c.device_id, d.code FROM device_claim c JOIN department d ON d.id = c.department_id
                        WHERE c.id = ?
                        """, arguments: [id])
            else { throw LedgerError(.notFound, "no claim \(id)") }
            guard (r[0] as String) == DeviceClaim.Status.open.rawValue else {
                throw LedgerError(.conflict, "claim \(id) is already \(r[0] as String)")
            }
            let claimant: String = r[2]
            if let chosen { try Self.requireDevice(db, chosen, scope) }
            let device = chosen ?? (r[1] as Int64?)
            if grant {
                guard let device else {
                    throw LedgerError(.invalidInput, "claim \(id) names no device: say which device to grant")
                }
                try Self.assign(db, device: device, to: claimant, by: "claim \(id)", scope: scope, actor: actor)
            }
            let now = Date()
            try db.execute(
                sql: """
                    UPDATE device_claim SET status = ?, device_id = ?, decided_by = ?, decided_at = ?, decision_note = ?
                    WHERE id = ?
                    """,
                arguments: [
                    grant ? "granted" : "refused", device, actor.name, now.unixSeconds, note, id,
                ])
            try Self.audit(
                db,
                AuditEntry(
                    at: now, actor: actor, action: grant ? "claim.grant" : "claim.refuse", entityKind: "claim",
                    entityID: String(id), department: claimant,
                    // A refusal names no device: the claimant reads its department's entries.
                    details: grant
                        ? ["device": JSONValue(device.map(String.init)), "note": JSONValue(note)]
                        : ["note": JSONValue(note)]))
        }
    }
}
