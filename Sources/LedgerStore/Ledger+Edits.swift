import Foundation
import GRDB
import LedgerModel

extension Ledger {
    /// Assigns a device to a department by hand. A manual assignment always wins: later scans,
    /// imports and rule changes never overwrite it.
    ///
    /// `scope` is checked inside the write transaction: a device or department outside it is
    /// not found, even if it moved out of the scope a moment before.
    public func assign(
        device id: Int64, to code: String, by who: String = "manual", scope: DeviceScope = .everything,
        actor: Principal = .system
    ) throws {
        try assign(devices: [id], to: code, by: who, scope: scope, actor: actor)
    }

    /// Assigns several devices in one transaction: one device outside `scope` (or missing)
    /// refuses them all, nothing written.
    public func assign(
        devices ids: [Int64], to code: String, by who: String = "manual", scope: DeviceScope = .everything,
        actor: Principal = .system
    ) throws {
        try writer.write { db in
            for id in ids { try Self.assign(db, device: id, to: code, by: who, scope: scope, actor: actor) }
        }
    }

    static func assign(
        _ db: Database, device id: Int64, to code: String, by who: String, scope: DeviceScope, actor: Principal
    ) throws {
        try Self.requireDevice(db, id, scope)
        guard let dept = try Self.departmentID(db, code, scope) else {
            throw LedgerError(.notFound, "unknown department '\(code)'")
        }
        guard let row = try DeviceRow.load(db, id) else { throw LedgerError(.notFound, "no device \(id)") }
        let old = try row.departmentID.flatMap {
            try String.fetchOne(db, sql: "SELECT code FROM department WHERE id = ?", arguments: [$0])
        }
        try db.execute(
            sql: "UPDATE device SET department_id = ?, owner_rule = 'manual', owner_detail = ? WHERE id = ?",
            arguments: [dept, who, id])
        try Self.history(
            db, id, "department", old, code, source: "manual \(who)", observation: nil, at: Date().unixSeconds)
        try Self.audit(
            db,
            AuditEntry(
                actor: actor, action: "device.assign", entityKind: "device", entityID: String(id), department: code,
                details: ["from": JSONValue(old), "to": .string(code)]))
    }

    /// The department code a device belongs to now, or nil.
    static func departmentCode(_ db: Database, device id: Int64) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT d.code FROM device JOIN department d ON d.id = device.department_id WHERE device.id = ?",
            arguments: [id])
    }

    /// Drops a manual assignment: the ownership rules decide again (the device may then leave
    /// `scope`: that is what the rules say). A device outside `scope` is not found.
    public func unassign(device id: Int64, scope: DeviceScope = .everything, actor: Principal = .system) throws {
        try writer.write { db in
            try Self.requireDevice(db, id, scope)
            guard let row = try DeviceRow.load(db, id) else { throw LedgerError(.notFound, "no device \(id)") }
            guard row.ownerRule == OwnershipRule.manual.rawValue else { return }
            let old = try Self.departmentCode(db, device: id)
            try db.execute(
                sql: """
                    UPDATE device SET department_id = NULL, owner_rule = NULL, owner_detail = NULL
                    WHERE id = ? AND owner_rule = 'manual'
                    """, arguments: [id])
            try Self.history(
                db, id, "owner_rule", "manual", nil, source: "manual", observation: nil, at: Date().unixSeconds)
            try Self.reapplyOwnership(db, source: "manual unassign")
            let now = try Self.departmentCode(db, device: id)
            try Self.audit(
                db,
                AuditEntry(
                    actor: actor, action: "device.unassign", entityKind: "device", entityID: String(id),
                    department: old,
                    details: ["from": JSONValue(old), "to": JSONValue(now)]))
        }
    }

    /// Joins device `other` into device `keep` (a person's decision): observations, keys,
    /// addresses and history move to `keep`; `other` disappears. Undo with `split`.
    ///
    /// Both devices must be within `scope` (else not found) and so must `keep` as merged (its
    /// owner is decided again): a merge that would put it outside is `forbidden` and writes
    /// nothing. Both checks run inside the write transaction.
    public func mergeDevices(keep: Int64, other: Int64, scope: DeviceScope = .everything, actor: Principal = .system)
        throws
    {
        guard keep != other else { throw LedgerError(.conflict, "cannot merge device \(keep) with itself") }
        try writer.write { db in
            try Self.requireDevice(db, keep, scope)
            try Self.requireDevice(db, other, scope)
            let merger = try Merger(db, rules: rules(db), makers: makerNames)
            guard var target = try merger.row(keep) else { throw LedgerError(.notFound, "no device \(keep)") }
            guard try merger.row(other) != nil else { throw LedgerError(.notFound, "no device \(other)") }
            try db.execute(
                sql: "DELETE FROM device_separation WHERE a = ? AND b = ?",
                arguments: [min(keep, other), max(keep, other)])
            try merger.absorb(
                other, into: &target, reason: "merged by a person", source: "manual", at: Date().unixSeconds)
            let otherDepartment = try Self.departmentCode(db, device: other)
            merger.store(target)
            try merger.finish()
            guard try Self.deviceInScope(db, keep, scope) else {
                throw LedgerError(
                    .forbidden, "merging device \(other) into \(keep) would move it out of your departments")
            }
            try Self.audit(
                db,
                AuditEntry(
                    actor: actor, action: "device.merge", entityKind: "device", entityID: String(keep),
                    department: try Self.departmentCode(db, device: keep),
                    details: ["absorbed": .int(other), "absorbed_department": JSONValue(otherDepartment)]))
        }
    }

    /// Undoes a wrong merge: moves the given observations of device `id` to a new device,
    /// rebuilds both devices from their own observations, retires every serial/UUID/MAC the
    /// two sides share (it is what joined them) and records that the two must stay apart.
    /// Returns the new device's id.
    ///
    /// Device `id` must be within `scope` (else not found), and so must both devices as rebuilt
    /// (each one's owner is decided again from its own observations): a split that would put
    /// either outside is `forbidden` and writes nothing. Both checks run inside the write
    /// transaction.
    @discardableResult
    public func split(
        device id: Int64, observations moving: [Int64], scope: DeviceScope = .everything, actor: Principal = .system
    ) throws -> Int64 {
        try writer.write { db in
            try Self.requireDevice(db, id, scope)
            guard try DeviceRow.load(db, id) != nil else { throw LedgerError(.notFound, "no device \(id)") }
            let all = try Int64.fetchAll(db, sql: "SELECT id FROM observation WHERE device_id = ?", arguments: [id])
            let movingSet = Set(moving)
            guard !movingSet.isEmpty else {
                throw LedgerError(.invalidInput, "name the observations to split off (see device show \(id))")
            }
            if let stranger = movingSet.subtracting(all).first {
                throw LedgerError(.conflict, "observation \(stranger) does not belong to device \(id)")
            }
            guard movingSet.count < all.count else {
                throw LedgerError(.conflict, "cannot split off every observation of device \(id): one must stay")
            }
            let now = Date().unixSeconds
            let newID = try Self.nextDeviceID(db)
            var fresh = DeviceRow(id: newID, facts: DeviceFacts(), firstSeen: now)
            fresh.isNew = true
            try fresh.save(db)
            for obs in movingSet {
                try db.execute(
                    sql: "UPDATE observation SET device_id = ?, matched_rule = 'split', matched_value = ? WHERE id = ?",
                    arguments: [newID, "from device \(id)", obs])
            }
            let keysA = try rebuild(db, device: id, partner: newID)
            let keysB = try rebuild(db, device: newID, partner: id)
            for side in [id, newID] {
                guard try Self.deviceInScope(db, side, scope) else {
                    throw LedgerError(
                        .forbidden,
                        "splitting device \(id) would put \(side == id ? "it" : "the new device") outside your departments"
                    )
                }
            }
            try Self.splitEndpoint(db, id, newID)
            for key in keysA.intersection(keysB) {
                try db.execute(
                    sql: """
                        INSERT INTO identity_key (kind, value, device_id, ambiguous_reason) VALUES (?, ?, NULL, ?)
                        ON CONFLICT (kind, value) DO UPDATE SET device_id = NULL, ambiguous_reason = excluded.ambiguous_reason
                        """,
                    arguments: [key.rule.rawValue, key.value, "split apart by a person (devices \(id) and \(newID))"])
            }
            try db.execute(
                sql: "INSERT INTO device_separation (a, b) VALUES (?, ?)", arguments: [min(id, newID), max(id, newID)])
            try Self.history(db, id, "split", nil, "device \(newID)", source: "manual", observation: nil, at: now)
            try Self.history(db, newID, "split", "device \(id)", nil, source: "manual", observation: nil, at: now)
            try Self.audit(
                db,
                AuditEntry(
                    actor: actor, action: "device.split", entityKind: "device", entityID: String(id),
                    department: try Self.departmentCode(db, device: id),
                    details: ["new_device": .int(newID), "observations": .array(movingSet.sorted().map(JSONValue.int))])
            )
            return newID
        }
    }

    /// Whether device `id` exists and is within `scope`, as this transaction sees it.
    static func deviceInScope(_ db: Database, _ id: Int64, _ scope: DeviceScope) throws -> Bool {
        let (scopeSQL, scopeArgs) = scope.sql()
        return try Bool.fetchOne(
            db, sql: "SELECT 1 FROM device WHERE device.id = ? AND \(scopeSQL)", arguments: [id] + scopeArgs) == true
    }

    /// Refuses a device that does not exist or is outside `scope` (to that caller, no device).
    static func requireDevice(_ db: Database, _ id: Int64, _ scope: DeviceScope) throws {
        guard try deviceInScope(db, id, scope) else { throw LedgerError(.notFound, "no device \(id)") }
    }

    /// The id of department `code` if it exists and is within `scope`.
    static func departmentID(_ db: Database, _ code: String, _ scope: DeviceScope) throws -> Int64? {
        let (scopeSQL, scopeArgs) = scope.sql(column: "department.id")
        return try Int64.fetchOne(
            db, sql: "SELECT id FROM department WHERE department.code = ? AND \(scopeSQL)",
            arguments: [code] + scopeArgs)
    }

    /// The next device id never used before (ids are assigned here so a batch can write its
    /// rows in any order; AUTOINCREMENT's counter remembers deleted ones).
    static func nextDeviceID(_ db: Database) throws -> Int64 {
        let used = try Int64.fetchOne(db, sql: "SELECT max(id) FROM device") ?? 0
        let counter = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'device'") ?? 0
        return max(used, counter) + 1
    }

    /// Re-derives a device's facts, addresses, keys and owner from its own observations (in
    /// time order). A manual owner survives. Returns the keys it claimed.
    private func rebuild(_ db: Database, device id: Int64, partner: Int64) throws -> Set<IdentityKey> {
        guard var row = try DeviceRow.load(db, id) else { return [] }
        let entries = try Self.observations(db, device: id)
        // Replaying every observation, manual ones included, restores what a person pinned.
        row.facts = DeviceFacts()
        row.pinned = []
        try db.execute(sql: "DELETE FROM device_address WHERE device_id = ?", arguments: [id])
        row.addresses = AddressBook()
        try db.execute(sql: "DELETE FROM identity_key WHERE device_id = ?", arguments: [id])
        var keys: Set<IdentityKey> = []
        let map = try Self.ownershipMap(db)
        let ids = try Self.departmentIDs(db)
        row.firstSeen = entries.first?.observation.observedAt.unixSeconds ?? row.firstSeen
        row.lastSeen = entries.last?.observation.observedAt.unixSeconds ?? row.lastSeen
        let merger = try Merger(db, rules: rules(db), makers: makerNames)
        for entry in entries {
            let o = entry.observation.normalized()
            let changes = row.facts.apply(o, isNewest: true, pinned: row.pinned)
            if o.source == .manual { row.pinned.formUnion(changes.map(\.field)) }
            keys.formUnion(ObservationIdentity(o).keys)
            merger.addAddresses(&row, o, at: o.observedAt.unixSeconds)
        }
        let owner = Self.ruleOwner(map, hostname: row.facts.hostname, addresses: row.addresses)
        if row.ownerRule != OwnershipRule.manual.rawValue {
            row.departmentID = owner.flatMap { ids[$0.departmentCode] }
            row.ownerRule = row.departmentID == nil ? nil : owner?.rule.rawValue
            row.ownerDetail = row.departmentID == nil ? nil : owner?.detail
        }
        // A key that has since moved to a third device stays there; only free keys and the
        // partner's (shared: retired by the caller) are taken.
        var claimable: [IdentityKey] = []
        for key in keys {
            switch try merger.state(of: key) {
            case .unknown: claimable.append(key)
            case .device(let owner) where owner == partner || owner == id: claimable.append(key)
            default: continue
            }
        }
        merger.store(row)
        merger.claim(claimable, device: id)
        try merger.finish()
        return keys
    }

    /// Checks the database file and the ledger's own invariants; returns the problems found
    /// (empty when all is well).
    public func check() throws -> [String] {
        try writer.read { db in
            var problems: [String] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { problems += integrity.map { "integrity: \($0)" } }
            for r in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                problems.append("foreign key: table \(r[0] as String) row \(r[1] as Int64? ?? -1) -> \(r[2] as String)")
            }
            let orphans =
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT count(*) FROM device WHERE NOT EXISTS (SELECT 1 FROM observation o WHERE o.device_id = device.id)"
                ) ?? 0
            if orphans > 0 { problems.append("\(orphans) device(s) without any observation") }
            let cyclic = try String.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE up(start, id, depth) AS (
                        SELECT id, parent_id, 1 FROM department WHERE parent_id IS NOT NULL
                        UNION ALL SELECT up.start, d.parent_id, depth + 1 FROM up JOIN department d ON d.id = up.id
                        WHERE d.parent_id IS NOT NULL AND depth <= (SELECT count(*) FROM department))
                    SELECT DISTINCT code FROM department WHERE id IN (SELECT start FROM up WHERE id = start)
                    """)
            if !cyclic.isEmpty { problems.append("department tree cycle through \(cyclic.joined(separator: ", "))") }
            let ownerless =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM device WHERE owner_rule = 'manual' AND department_id IS NULL") ?? 0
            if ownerless > 0 { problems.append("\(ownerless) manually assigned device(s) without a department") }
            return problems
        }
    }
}
