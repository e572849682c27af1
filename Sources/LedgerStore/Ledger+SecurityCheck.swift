import Foundation
import GRDB
import LedgerModel

/// Who answers for a device and where it is (`device_custody`).
public struct CustodyRecord: Equatable, Sendable {
    public var device: Int64
    public var responsible: String
    public var location: String?
    public var setBy: String
    public var setAt: Date
}

/// A security-check result recorded by hand (`campaign_check`): a manual item, or an
/// override of an automatic one.
public struct ItemResultRecord: Equatable, Sendable {
    public var device: Int64
    public var item: String
    public var department: String?
    public var result: String
    public var note: String?
    public var at: Date
    public var by: String
}

/// One observation's evidence, with its time (what the security check reads of scans).
public struct DatedEvidence: Sendable {
    public var at: Date
    public var evidence: [Evidence]
}

extension Ledger {
    /// Sets a device's custody (replacing the earlier one), audited as `device.custody` with the
    /// old and new values. The device must be within `scope`, checked inside the write.
    @discardableResult
    public func setCustody(
        device id: Int64, responsible: String, location: String?, scope: DeviceScope, actor: Principal
    ) throws -> CustodyRecord {
        try writer.write { db in
            try Self.requireDevice(db, id, scope)
            let old = try Self.custody(db, ids: [id])[id]
            let now = Date()
            try db.execute(
                sql: """
                    INSERT INTO device_custody (device_id, responsible, location, set_by, set_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (device_id) DO UPDATE SET responsible = excluded.responsible,
                        location = excluded.location, set_by = excluded.set_by, set_at = excluded.set_at
                    """, arguments: [id, responsible, location, actor.name, now.unixSeconds])
            try Self.audit(
                db,
                AuditEntry(
                    at: now, actor: actor, action: "device.custody", entityKind: "device", entityID: String(id),
                    department: try Self.departmentCode(db, device: id),
                    details: [
                        "responsible": .string(responsible), "location": JSONValue(location),
                        "old_responsible": JSONValue(old?.responsible), "old_location": JSONValue(old?.location),
                    ]))
            return CustodyRecord(
                device: id, responsible: responsible, location: location, setBy: actor.name, setAt: now)
        }
    }

    /// The custody of these devices (nil: of every device), by device.
    public func custody(_ ids: [Int64]? = nil) throws -> [Int64: CustodyRecord] {
        try writer.read { db in try Self.custody(db, ids: ids) }
    }

    static func custody(_ db: Database, ids: [Int64]?) throws -> [Int64: CustodyRecord] {
        var sql = "SELECT device_id, responsible, location, set_by, set_at FROM device_custody"
        var args = StatementArguments()
        if let ids {
            sql += " WHERE device_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))"
            args = StatementArguments(ids)
            if ids.isEmpty { return [:] }
        }
        var out: [Int64: CustodyRecord] = [:]
        for r in try Row.fetchAll(db, sql: sql, arguments: args) {
            out[r[0]] = CustodyRecord(
                device: r[0], responsible: r[1], location: r[2], setBy: r[3], setAt: Date(unixSeconds: r[4]))
        }
        return out
    }

    /// Records a security-check result for one device and item (replacing an earlier one),
    /// audited as `campaign.security_check`. The campaign must be an open security check and
    /// the device within `scope`, both checked inside the write; the department is the device's
    /// now.
    public func recordItemResult(
        campaign: Int64, device: Int64, item: String, result: String, note: String?, details: [String: JSONValue],
        scope: DeviceScope, actor: Principal
    ) throws -> ItemResultRecord {
        try writer.write { db in
            try Self.requireOpenCampaign(db, campaign, kind: "security-check")
            try Self.requireDevice(db, device, scope)
            let department = try Self.departmentCode(db, device: device)
            let now = Date()
            try db.execute(
                sql: """
                    INSERT INTO campaign_check (campaign_id, device_id, item, department_code, result, note, checked_at,
                        checked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (campaign_id, device_id, item) DO UPDATE SET department_code = excluded.department_code,
                        result = excluded.result, note = excluded.note, checked_at = excluded.checked_at,
                        checked_by = excluded.checked_by
                    """, arguments: [campaign, device, item, department, result, note, now.unixSeconds, actor.name])
            var d = details
            d["campaign"] = .int(campaign)
            d["device"] = .int(device)
            d["item"] = .string(item)
            d["result"] = .string(result)
            d["note"] = JSONValue(note)
            try Self.audit(
                db,
                AuditEntry(
                    at: now, actor: actor, action: "campaign.security_check", entityKind: "device",
                    entityID: String(device), department: department, details: d))
            return ItemResultRecord(
                device: device, item: item, department: department, result: result, note: note, at: now,
                by: actor.name)
        }
    }

    /// The scan evidence (open ports, ports asked, SNMP communities asked and answered) of the
    /// devices in scope of these classes, each device's observations oldest first.
    public func scanEvidence(_ filter: DeviceFilter, classes: [DeviceClass]) throws -> [Int64: [DatedEvidence]] {
        try writer.read { db in
            var f = filter
            f.deviceClass = nil
            let (condition, args) = try Self.deviceCondition(db, f)
            let classList = classes.map { _ in "?" }.joined(separator: ",")
            guard !classes.isEmpty else { return [:] }
            var out: [Int64: [DatedEvidence]] = [:]
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT o.device_id, o.observed_at, o.evidence FROM observation o
                    WHERE o.evidence IS NOT NULL
                        AND (instr(o.evidence, '"port"') > 0 OR instr(o.evidence, '"ports.scanned"') > 0
                            OR instr(o.evidence, '"snmp.') > 0)
                        AND o.device_id IN (SELECT device.id FROM device WHERE \(condition)
                            AND device.class IN (\(classList)))
                    ORDER BY o.device_id, o.observed_at, o.id
                    """, arguments: args + StatementArguments(classes.map(\.rawValue)))
            {
                let text: String = r[2]
                // Evidence that cannot be read is no evidence here (`device show` names it).
                guard let evidence = try? JSONDecoder().decode([Evidence].self, from: Data(text.utf8)) else {
                    continue
                }
                out[r[0], default: []].append(DatedEvidence(at: Date(unixSeconds: r[1]), evidence: evidence))
            }
            return out
        }
    }
}
