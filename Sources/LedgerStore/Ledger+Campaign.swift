import Foundation
import GRDB
import LedgerModel

/// A campaign as stored (`campaign`).
public struct CampaignRecord: Equatable, Sendable {
    public var id: Int64
    public var kind: String
    public var name: String
    public var deadline: String
    public var openedAt: Date
    public var openedBy: String
    public var closedAt: Date?
    public var closedBy: String?
    /// The JSON frozen at closing.
    public var snapshot: String?
    /// A security check's items as opened (JSON); nil for a self-check.
    public var checklist: String? = nil
}

/// What a liaison recorded for one finding.
public struct ResolutionRecord: Equatable, Sendable {
    public var finding: String
    public var department: String?
    public var resolution: String
    public var reference: String?
    public var reason: String?
    public var at: Date
    public var by: String
}

public struct PCCheckRecord: Equatable, Sendable {
    public var device: Int64
    public var department: String?
    public var at: Date
    public var by: String
}

public struct SignOffRecord: Equatable, Sendable {
    public var department: String
    public var signedBy: String
    public var statement: String
    public var at: Date
    public var recordedBy: String
}

public struct SampleRecord: Equatable, Sendable {
    public var department: String
    public var device: Int64
    public var seed: Int64
    public var drawnAt: Date
    public var result: String?
    public var note: String?
    public var confirmedBy: String?
    public var resultAt: Date?
}

/// Everything recorded in one campaign.
public struct CampaignRecords: Sendable {
    public var campaign: CampaignRecord
    public var resolutions: [String: ResolutionRecord] = [:]
    public var checks: [Int64: PCCheckRecord] = [:]
    public var signOffs: [String: SignOffRecord] = [:]
    public var samples: [SampleRecord] = []
    /// A security check's results recorded by hand, keyed by device then item.
    public var itemResults: [Int64: [String: ItemResultRecord]] = [:]
}

extension Ledger {
    public func openCampaign(
        kind: String, name: String, deadline: String, checklist: String? = nil, actor: Principal,
        details: [String: JSONValue] = [:]
    ) throws -> Int64 {
        try writer.write { db in
            let now = Date()
            try db.execute(
                sql:
                    "INSERT INTO campaign (kind, name, deadline, opened_at, opened_by, checklist) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [kind, name, deadline, now.unixSeconds, actor.name, checklist])
            let id = db.lastInsertedRowID
            var d = details
            d["kind"] = .string(kind)
            d["name"] = .string(name)
            d["deadline"] = .string(deadline)
            try Self.audit(
                db,
                AuditEntry(
                    at: now, actor: actor, action: "campaign.open", entityKind: "campaign", entityID: String(id),
                    details: d))
            return id
        }
    }

    /// Every campaign without its frozen snapshot and checklist (a list needs neither, and a
    /// security check's snapshot holds every device × item result).
    public func campaigns() throws -> [CampaignRecord] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, kind, name, deadline, opened_at, opened_by, closed_at, closed_by,
                        NULL AS snapshot, NULL AS checklist FROM campaign ORDER BY id
                    """
            ).map(Self.campaign)
        }
    }

    /// The closed campaign of `kind` opened last before campaign `id`, if any.
    public func previousClosedCampaign(kind: String, before id: Int64) throws -> Int64? {
        try writer.read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT id FROM campaign WHERE kind = ? AND closed_at IS NOT NULL AND id < ?
                    ORDER BY id DESC LIMIT 1
                    """, arguments: [kind, id])
        }
    }

    static func campaign(_ r: Row) -> CampaignRecord {
        CampaignRecord(
            id: r["id"], kind: r["kind"], name: r["name"], deadline: r["deadline"],
            openedAt: Date(unixSeconds: r["opened_at"]), openedBy: r["opened_by"],
            closedAt: (r["closed_at"] as Double?).map(Date.init(unixSeconds:)), closedBy: r["closed_by"],
            snapshot: r["snapshot"], checklist: r["checklist"])
    }

    /// A campaign and what was recorded in it; `notFound` when there is none.
    public func campaignRecords(_ id: Int64) throws -> CampaignRecords {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM campaign WHERE id = ?", arguments: [id]) else {
                throw LedgerError(.notFound, "no campaign \(id)")
            }
            var out = CampaignRecords(campaign: Self.campaign(row))
            for r in try Row.fetchAll(
                db, sql: "SELECT * FROM campaign_resolution WHERE campaign_id = ?", arguments: [id])
            {
                out.resolutions[r["finding"]] = ResolutionRecord(
                    finding: r["finding"], department: r["department_code"], resolution: r["resolution"],
                    reference: r["reference"], reason: r["reason"], at: Date(unixSeconds: r["resolved_at"]),
                    by: r["resolved_by"])
            }
            for r in try Row.fetchAll(db, sql: "SELECT * FROM campaign_pc_check WHERE campaign_id = ?", arguments: [id])
            {
                out.checks[r["device_id"]] = PCCheckRecord(
                    device: r["device_id"], department: r["department_code"], at: Date(unixSeconds: r["checked_at"]),
                    by: r["checked_by"])
            }
            for r in try Row.fetchAll(db, sql: "SELECT * FROM campaign_sign_off WHERE campaign_id = ?", arguments: [id])
            {
                out.signOffs[r["department_code"]] = SignOffRecord(
                    department: r["department_code"], signedBy: r["signed_by"], statement: r["statement"],
                    at: Date(unixSeconds: r["signed_at"]), recordedBy: r["recorded_by"])
            }
            out.samples = try Row.fetchAll(
                db, sql: "SELECT * FROM campaign_sample WHERE campaign_id = ? ORDER BY department_code, device_id",
                arguments: [id]
            ).map { r in
                SampleRecord(
                    department: r["department_code"], device: r["device_id"], seed: r["seed"],
                    drawnAt: Date(unixSeconds: r["drawn_at"]), result: r["result"], note: r["note"],
                    confirmedBy: r["confirmed_by"], resultAt: (r["result_at"] as Double?).map(Date.init(unixSeconds:)))
            }
            for r in try Row.fetchAll(db, sql: "SELECT * FROM campaign_check WHERE campaign_id = ?", arguments: [id]) {
                let record = ItemResultRecord(
                    device: r["device_id"], item: r["item"], department: r["department_code"], result: r["result"],
                    note: r["note"], at: Date(unixSeconds: r["checked_at"]), by: r["checked_by"])
                out.itemResults[record.device, default: [:]][record.item] = record
            }
            return out
        }
    }

    /// Inside a write: the campaign must exist, be of `kind` (a step of the other kind is
    /// `invalidInput`) and be open (a closed one is frozen: `conflict`).
    static func requireOpenCampaign(_ db: Database, _ id: Int64, kind: String = "self-check") throws {
        guard
            let row = try Row.fetchOne(db, sql: "SELECT closed_at, kind FROM campaign WHERE id = ?", arguments: [id])
        else {
            throw LedgerError(.notFound, "no campaign \(id)")
        }
        let actual: String = row[1]
        if actual != kind { throw Self.wrongKind(id, actual, expected: kind) }
        if (row[0] as Double?) != nil {
            throw LedgerError(.conflict, "campaign \(id) is closed: it no longer changes")
        }
    }

    /// One finding's resolution as the service checked it.
    public struct FindingResolution: Sendable {
        public var finding: String
        public var department: String?
        public var resolution: String
        public var reference: String?
        public var reason: String?
        public var details: [String: JSONValue]

        public init(
            finding: String, department: String?, resolution: String, reference: String?, reason: String?,
            details: [String: JSONValue]
        ) {
            self.finding = finding
            self.department = department
            self.resolution = resolution
            self.reference = reference
            self.reason = reason
            self.details = details
        }
    }

    /// Records the resolutions in one transaction (all or none), one audit entry each.
    public func resolveFindings(campaign: Int64, _ items: [FindingResolution], actor: Principal) throws {
        try writer.write { db in
            try Self.requireOpenCampaign(db, campaign)
            let now = Date()
            for item in items {
                // The department is the finding's, as the service found it: a later resolution
                // takes it too, so a row left by another department's finding (an id that
                // matched) never keeps this one from applying (findings apply only their own
                // department's).
                try db.execute(
                    sql: """
                        INSERT INTO campaign_resolution (campaign_id, finding, department_code, resolution, reference, reason,
                            resolved_at, resolved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (campaign_id, finding) DO UPDATE SET department_code = excluded.department_code,
                            resolution = excluded.resolution, reference = excluded.reference, reason = excluded.reason, resolved_at = excluded.resolved_at,
                            resolved_by = excluded.resolved_by
                        """,
                    arguments: [
                        campaign, item.finding, item.department, item.resolution, item.reference, item.reason,
                        now.unixSeconds, actor.name,
                    ])
                var d = item.details
                d["campaign"] = .int(campaign)
                d["resolution"] = .string(item.resolution)
                d["reference"] = JSONValue(item.reference)
                d["reason"] = JSONValue(item.reason)
                try Self.audit(
                    db,
                    AuditEntry(
                        at: now, actor: actor, action: "campaign.resolve", entityKind: "finding",
                        entityID: item.finding,
                        department: item.department, details: d))
            }
        }
    }

    /// Marks PCs checked in one transaction (all or none), one audit entry each.
    /// Marks PCs checked in one transaction, each checked there to be a PC in `scope` (one
    /// that is not refuses the batch, nothing written); the department recorded is the PC's now.
    public func checkPCs(campaign: Int64, devices: [Int64], scope: DeviceScope, actor: Principal) throws {
        try writer.write { db in
            try Self.requireOpenCampaign(db, campaign)
            let now = Date()
            for device in Set(devices).sorted() {
                try Self.requireDevice(db, device, scope)
                let class_ = try String.fetchOne(db, sql: "SELECT class FROM device WHERE id = ?", arguments: [device])
                guard class_ == DeviceClass.pc.rawValue else {
                    throw LedgerError(.invalidInput, "device \(device) is not an office PC: only PCs are checked")
                }
                let department = try Self.departmentCode(db, device: device)
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO campaign_pc_check (campaign_id, device_id, department_code, checked_at, checked_by)
                        VALUES (?, ?, ?, ?, ?)
                        """, arguments: [campaign, device, department, now.unixSeconds, actor.name])
                try Self.audit(
                    db,
                    AuditEntry(
                        at: now, actor: actor, action: "campaign.check_pc", entityKind: "device",
                        entityID: String(device), department: department, details: ["campaign": .int(campaign)]))
            }
        }
    }

    public func signOff(campaign: Int64, department: String, by: String, statement: String, actor: Principal) throws {
        try writer.write { db in
            try Self.requireOpenCampaign(db, campaign)
            let now = Date()
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO campaign_sign_off (campaign_id, department_code, signed_by, statement, signed_at,
                        recorded_by) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [campaign, department, by, statement, now.unixSeconds, actor.name])
            try Self.audit(
                db,
                AuditEntry(
                    at: now, actor: actor, action: "campaign.sign_off", entityKind: "sign_off",
                    entityID: "\(campaign)/\(department)", department: department,
                    details: ["campaign": .int(campaign), "signed_by": .string(by), "statement": .string(statement)]))
        }
    }

    /// Stores a department's sample (replacing an earlier draw that has no result yet).
    public func drawSample(campaign: Int64, department: String, devices: [Int64], seed: Int64, actor: Principal) throws
    {
        try writer.write { db in
            try Self.requireOpenCampaign(db, campaign)
            let recorded =
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT count(*) FROM campaign_sample WHERE campaign_id = ? AND department_code = ? AND result IS NOT NULL",
                    arguments: [campaign, department]) ?? 0
            if recorded > 0 {
                throw LedgerError(
                    .conflict, "the sample of \(department) already has \(recorded) result(s): it cannot be drawn again"
                )
            }
            try db.execute(
                sql: "DELETE FROM campaign_sample WHERE campaign_id = ? AND department_code = ?",
                arguments: [campaign, department])
            // A PC in another department's sample (it moved since that draw) is not drawn twice.
            for d in devices {
                if let other = try String.fetchOne(
                    db, sql: "SELECT department_code FROM campaign_sample WHERE campaign_id = ? AND device_id = ?",
                    arguments: [campaign, d])
                {
                    throw LedgerError(
                        .conflict,
                        "device \(d) is already in \(other)'s sample of campaign \(campaign): draw again with another seed"
                    )
                }
            }
            let now = Date()
            for d in devices {
                try db.execute(
                    sql: """
                        INSERT INTO campaign_sample (campaign_id, department_code, device_id, seed, drawn_at)
                        VALUES (?, ?, ?, ?, ?)
                        """, arguments: [campaign, department, d, seed, now.unixSeconds])
            }
            try Self.audit(
                db,
                AuditEntry(
                    at: now, actor: actor, action: "campaign.sample", entityKind: "sample",
                    entityID: "\(campaign)/\(department)", department: department,
                    details: [
                        "campaign": .int(campaign), "seed": .int(seed), "devices": .array(devices.map(JSONValue.int)),
                    ]))
        }
    }

    public func recordSampleResult(
        campaign: Int64, device: Int64, result: String, note: String, confirmedBy: String, actor: Principal
    ) throws {
        try writer.write { db in
            try Self.requireOpenCampaign(db, campaign)
            guard
                let department = try String.fetchOne(
                    db, sql: "SELECT department_code FROM campaign_sample WHERE campaign_id = ? AND device_id = ?",
                    arguments: [campaign, device])
            else { throw LedgerError(.notFound, "device \(device) is not in campaign \(campaign)'s sample") }
            let now = Date()
            try db.execute(
                sql: """
                    UPDATE campaign_sample SET result = ?, note = ?, confirmed_by = ?, result_at = ?, recorded_by = ?
                    WHERE campaign_id = ? AND device_id = ?
                    """, arguments: [result, note, confirmedBy, now.unixSeconds, actor.name, campaign, device])
            try Self.audit(
                db,
                AuditEntry(
                    at: now, actor: actor, action: "campaign.sample_result", entityKind: "sample",
                    entityID: "\(campaign)/\(device)", department: department,
                    details: [
                        "campaign": .int(campaign), "device": .int(device), "result": .string(result),
                        "note": .string(note), "confirmed_by": .string(confirmedBy),
                    ]))
        }
    }

    /// The refusal of a step of one kind of campaign on a campaign of the other.
    public static func wrongKind(_ id: Int64, _ actual: String, expected: String) -> LedgerError {
        LedgerError(
            .invalidInput,
            "campaign \(id) is a \(actual) campaign: this step belongs to a \(expected) campaign")
    }

    public func closeCampaign(_ id: Int64, kind: String = "self-check", snapshot: String, actor: Principal) throws {
        try writer.write { db in
            try Self.requireOpenCampaign(db, id, kind: kind)
            let now = Date()
            try db.execute(
                sql: "UPDATE campaign SET closed_at = ?, closed_by = ?, snapshot = ? WHERE id = ?",
                arguments: [now.unixSeconds, actor.name, snapshot, id])
            try Self.audit(
                db,
                AuditEntry(
                    at: now, actor: actor, action: "campaign.close", entityKind: "campaign", entityID: String(id),
                    details: ["snapshot_bytes": JSONValue(snapshot.utf8.count)]))
        }
    }

    /// Titles per department (exact department, not its sub-tree; nil = no department), with
    /// the devices having each and the newest collection time of the reports they came from.
    public func titlesByDepartment() throws -> [(
        department: String?, name: String, publisher: String?, source: String?, devices: [Int64], lastReport: Date?
    )] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.code, s.name, s.publisher, s.source, group_concat(DISTINCT s.device_id),
                        max(r.collected_at)
                    FROM device_software s JOIN device ON device.id = s.device_id
                    LEFT JOIN department d ON d.id = device.department_id
                    LEFT JOIN device_endpoint e ON e.device_id = s.device_id
                    LEFT JOIN endpoint_report r ON r.id = e.software_report_id
                    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2
                    """
            ).map { r in
                let ids: String = r[4]
                return (
                    r[0], r[1], r[2], r[3], ids.split(separator: ",").compactMap { Int64($0) }.sorted(),
                    (r[5] as Double?).map(Date.init(unixSeconds:))
                )
            }
        }
    }

    /// Per device, when the report its current software section came from was collected.
    public func softwareReportTimes() throws -> [Int64: Date] {
        try writer.read { db in
            var out: [Int64: Date] = [:]
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT e.device_id, r.collected_at FROM device_endpoint e
                    JOIN endpoint_report r ON r.id = e.software_report_id
                    """)
            {
                if let t = r[1] as Double? { out[r[0]] = Date(unixSeconds: t) }
            }
            return out
        }
    }
}
