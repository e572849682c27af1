import Foundation
import GRDB
import LedgerModel

/// What a merge did.
public struct MergeSummary: Equatable, Sendable {
    public var observations = 0
    /// Devices created for observations no rule matched.
    public var created = 0
    /// Observations that joined a known device.
    public var matched = 0
    /// Duplicate devices folded into another because an observation proved them the same.
    public var absorbed = 0
    /// Serial/UUID values found shared by different machines and retired as identities.
    public var ambiguous = 0
    /// The device each observation went to, in input order.
    public var deviceIDs: [Int64] = []
    public init() {}
}

extension Ledger {
    /// Stores observations as they came and merges each into a device by the identity rules,
    /// all in one transaction: either every observation lands or none does.
    @discardableResult
    public func merge(_ observations: [Observation]) throws -> MergeSummary {
        try writer.write { db in
            var merger = try Merger(db)
            for o in observations { try merger.merge(o) }
            return merger.summary
        }
    }
}

/// A device row as the merge reads and writes it.
struct DeviceRow {
    var id: Int64
    var facts: DeviceFacts
    var departmentID: Int64?
    var ownerRule: String?
    var ownerDetail: String?
    var pinned: Set<DeviceField>
    var firstSeen: Double
    var lastSeen: Double

    static let columns =
        "id, class, fax_capable, vendor, model, serial, uuid, os, firmware, hostname, department_id, owner_rule, owner_detail, pinned, first_seen, last_seen"

    init(id: Int64, facts: DeviceFacts, firstSeen: Double) {
        self.id = id
        self.facts = facts
        pinned = []
        self.firstSeen = firstSeen
        lastSeen = firstSeen
    }

    init(row r: Row) {
        id = r[0]
        facts = DeviceFacts()
        facts.deviceClass = DeviceClass(rawValue: r[1]) ?? .unknown
        facts.faxCapable = r[2]
        facts.vendor = r[3]
        facts.model = r[4]
        facts.serial = r[5]
        facts.uuid = r[6]
        facts.os = r[7]
        facts.firmware = r[8]
        facts.hostname = r[9]
        departmentID = r[10]
        ownerRule = r[11]
        ownerDetail = r[12]
        let pinnedText: String = r[13]
        pinned = Set(pinnedText.split(separator: ",").compactMap { DeviceField(rawValue: String($0)) })
        firstSeen = r[14]
        lastSeen = r[15]
    }

    static func load(_ db: Database, _ id: Int64) throws -> DeviceRow? {
        let s = try db.cachedStatement(sql: "SELECT \(columns) FROM device WHERE id = ?")
        return try Row.fetchOne(s, arguments: [id]).map(DeviceRow.init(row:))
    }

    func save(_ db: Database) throws {
        let s = try db.cachedStatement(
            sql: """
                UPDATE device SET class = ?, fax_capable = ?, vendor = ?, model = ?, serial = ?, uuid = ?,
                    os = ?, firmware = ?, hostname = ?, hostname_key = ?, department_id = ?, owner_rule = ?,
                    owner_detail = ?, pinned = ?, first_seen = ?, last_seen = ?
                WHERE id = ?
                """)
        try s.execute(arguments: [
            facts.deviceClass.rawValue, facts.faxCapable, facts.vendor, facts.model, facts.serial, facts.uuid,
            facts.os, facts.firmware, facts.hostname, facts.hostname.flatMap(Identifiers.hostnameKey),
            departmentID, ownerRule, ownerDetail, pinned.map(\.rawValue).sorted().joined(separator: ","),
            firstSeen, lastSeen, id,
        ])
    }

    static func insert(_ db: Database, firstSeen: Double) throws -> Int64 {
        let s = try db.cachedStatement(sql: "INSERT INTO device (first_seen, last_seen) VALUES (?, ?)")
        try s.execute(arguments: [firstSeen, firstSeen])
        return db.lastInsertedRowID
    }
}

/// The merge of a batch of observations inside one write transaction. It is the ledger's
/// `IdentityIndex` (the resolver asks it what is known) and applies the resolver's plans.
struct Merger: IdentityIndex {
    let db: Database
    let map: OwnershipMap
    let departmentIDs: [String: Int64]
    let departmentCodes: [Int64: String]
    let receivedAt = Date().unixSeconds
    var summary = MergeSummary()

    init(_ db: Database) throws {
        self.db = db
        map = try Ledger.ownershipMap(db)
        departmentIDs = try Ledger.departmentIDs(db)
        departmentCodes = Dictionary(uniqueKeysWithValues: departmentIDs.map { ($1, $0) })
    }

    // MARK: IdentityIndex

    func state(of key: IdentityKey) throws -> KeyState {
        let s = try db.cachedStatement(sql: "SELECT device_id FROM identity_key WHERE kind = ? AND value = ?")
        guard let row = try Row.fetchOne(s, arguments: [key.rule.rawValue, key.value]) else { return .unknown }
        let id: Int64? = row[0]
        return id.map(KeyState.device) ?? .ambiguous
    }

    func device(hostnameKey: String, department: String) throws -> Int64? {
        guard let dept = departmentIDs[department] else { return nil }
        let s = try db.cachedStatement(
            sql: """
                SELECT id FROM device WHERE department_id = ? AND hostname_key = ?
                ORDER BY last_seen DESC LIMIT 1
                """)
        return try Int64.fetchOne(s, arguments: [dept, hostnameKey])
    }

    func identity(of device: Int64) throws -> DeviceIdentity {
        let s = try db.cachedStatement(sql: "SELECT serial, uuid FROM device WHERE id = ?")
        let row = try Row.fetchOne(s, arguments: [device])
        return DeviceIdentity(serial: row?[0], uuid: row?[1])
    }

    func areSeparated(_ a: Int64, _ b: Int64) throws -> Bool {
        let s = try db.cachedStatement(sql: "SELECT 1 FROM device_separation WHERE a = ? AND b = ?")
        return try Bool.fetchOne(s, arguments: [min(a, b), max(a, b)]) ?? false
    }

    // MARK: Merging

    mutating func merge(_ raw: Observation) throws {
        let o = raw.normalized()
        let identity = ObservationIdentity(o)
        let owner = map.owner(hostnames: o.hostnames, ips: o.ips)
        var index = self
        let plan = try IdentityResolver.plan(for: identity, department: owner?.departmentCode, index: &index)
        let at = o.observedAt.unixSeconds

        for (key, reason) in plan.ambiguous {
            try markAmbiguous(key, reason: reason)
            summary.ambiguous += 1
        }

        var device: DeviceRow
        var isNewest = true
        if let target = plan.target, let row = try DeviceRow.load(db, target) {
            device = row
            isNewest = at >= device.lastSeen
            summary.matched += 1
        } else {
            device = DeviceRow(id: try DeviceRow.insert(db, firstSeen: at), facts: DeviceFacts(), firstSeen: at)
            summary.created += 1
        }
        let observationID = try insertObservation(
            raw, at: at, device: device.id, rule: plan.rule?.rawValue ?? "new", value: plan.matchedValue)
        if plan.target == nil {
            try history(device.id, "created", nil, nil, source: raw, observation: observationID, at: at)
        }

        for (other, key) in plan.absorb {
            try absorb(other, into: &device, reason: "same \(key)", source: raw.source.rawValue, at: at)
        }

        var changes = device.facts.apply(o, isNewest: isNewest, pinned: device.pinned)
        if o.source == .manual { device.pinned.formUnion(changes.map(\.field)) }
        if let owner, device.ownerRule != OwnershipRule.manual.rawValue,
            let dept = departmentIDs[owner.departmentCode],
            isNewest || device.departmentID == nil
        {
            if dept != device.departmentID {
                changes.append(
                    FieldChange(
                        field: .department, old: device.departmentID.flatMap { departmentCodes[$0] },
                        new: owner.departmentCode))
            }
            device.departmentID = dept
            device.ownerRule = owner.rule.rawValue
            device.ownerDetail = owner.detail
        }
        if plan.target != nil {
            for c in changes {
                try history(device.id, c.field.rawValue, c.old, c.new, source: raw, observation: observationID, at: at)
            }
        }
        device.firstSeen = min(device.firstSeen, at)
        device.lastSeen = max(device.lastSeen, at)
        try device.save(db)

        for key in plan.claim { try claim(key, device: device.id) }
        try addAddresses(device.id, o, at: at)
        summary.observations += 1
        summary.deviceIDs.append(device.id)
    }

    func markAmbiguous(_ key: IdentityKey, reason: String) throws {
        try db.execute(
            sql: """
                INSERT INTO identity_key (kind, value, device_id, ambiguous_reason) VALUES (?, ?, NULL, ?)
                ON CONFLICT (kind, value) DO UPDATE SET device_id = NULL, ambiguous_reason = excluded.ambiguous_reason
                """,
            arguments: [key.rule.rawValue, key.value, reason])
    }

    func claim(_ key: IdentityKey, device: Int64) throws {
        let s = try db.cachedStatement(
            sql: """
                INSERT INTO identity_key (kind, value, device_id) VALUES (?, ?, ?)
                ON CONFLICT (kind, value) DO UPDATE SET device_id = excluded.device_id
                WHERE identity_key.device_id IS NOT NULL
                """)
        try s.execute(arguments: [key.rule.rawValue, key.value, device])
    }

    func addAddresses(_ device: Int64, _ o: Observation, at: Double) throws {
        let s = try db.cachedStatement(
            sql: """
                INSERT INTO device_address (device_id, kind, value, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (device_id, kind, value) DO UPDATE SET
                    first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)
                """)
        for m in o.macs { try s.execute(arguments: [device, "mac", m, at, at]) }
        for ip in o.ips { try s.execute(arguments: [device, "ip", ip, at, at]) }
        for h in o.hostnames { try s.execute(arguments: [device, "hostname", h, at, at]) }
    }

    func insertObservation(_ o: Observation, at: Double, device: Int64, rule: String, value: String?) throws
        -> Int64
    {
        let s = try db.cachedStatement(
            sql: """
                INSERT INTO observation (source, origin, source_ref, observed_at, received_at, class, fax_capable,
                    vendor, model, serial, uuid, os, firmware, macs, ips, hostnames, evidence, device_id,
                    matched_rule, matched_value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try s.execute(arguments: [
            o.source.rawValue, o.origin, o.sourceRef, at, receivedAt, o.deviceClass?.rawValue, o.faxCapable,
            o.vendor, o.model, o.serial, o.uuid, o.os, o.firmware, JSONText.array(o.macs), JSONText.array(o.ips),
            JSONText.array(o.hostnames), o.evidence.isEmpty ? nil : JSONText.evidence(o.evidence), device, rule,
            value,
        ])
        return db.lastInsertedRowID
    }

    func history(
        _ device: Int64, _ field: String, _ old: String?, _ new: String?, source: Observation,
        observation: Int64?, at: Double
    ) throws {
        try Ledger.history(
            db, device, field, old, new, source: Ledger.sourceLabel(source), observation: observation, at: at)
    }

    /// Folds `other` into `device`: its observations, keys, addresses and history move over,
    /// facts fill the target's gaps, and `other` is deleted.
    mutating func absorb(_ other: Int64, into device: inout DeviceRow, reason: String, source: String, at: Double)
        throws
    {
        guard other != device.id, let donor = try DeviceRow.load(db, other) else { return }
        try Ledger.moveDevice(db, from: other, to: device.id)
        var filler = Observation(source: .import, observedAt: Date(unixSeconds: donor.lastSeen))
        filler.deviceClass = donor.facts.deviceClass
        filler.vendor = donor.facts.vendor
        filler.model = donor.facts.model
        filler.serial = donor.facts.serial
        filler.uuid = donor.facts.uuid
        filler.os = donor.facts.os
        filler.firmware = donor.facts.firmware
        filler.hostnames = donor.facts.hostname.map { [$0] } ?? []
        _ = device.facts.apply(filler, isNewest: false, pinned: device.pinned)
        if device.departmentID == nil || donor.ownerRule == OwnershipRule.manual.rawValue {
            device.departmentID = donor.departmentID ?? device.departmentID
            device.ownerRule = donor.ownerRule ?? device.ownerRule
            device.ownerDetail = donor.ownerDetail ?? device.ownerDetail
        }
        device.pinned.formUnion(donor.pinned)
        device.firstSeen = min(device.firstSeen, donor.firstSeen)
        device.lastSeen = max(device.lastSeen, donor.lastSeen)
        try Ledger.history(db, device.id, "merged", "device \(other)", reason, source: source, observation: nil, at: at)
        try db.execute(sql: "DELETE FROM device WHERE id = ?", arguments: [other])
        summary.absorbed += 1
    }
}

extension Ledger {
    static func sourceLabel(_ o: Observation) -> String {
        [o.source.rawValue, o.origin, o.sourceRef].compactMap { $0 }.joined(separator: " ")
    }

    static func history(
        _ db: Database, _ device: Int64, _ field: String, _ old: String?, _ new: String?, source: String,
        observation: Int64?, at: Double
    ) throws {
        let s = try db.cachedStatement(
            sql: """
                INSERT INTO device_history (device_id, field, old_value, new_value, source, observation_id, changed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        try s.execute(arguments: [device, field, old, new, source, observation, at])
    }

    /// Moves everything that belongs to device `from` over to device `to` (before `from` is
    /// deleted).
    static func moveDevice(_ db: Database, from: Int64, to: Int64) throws {
        try db.execute(
            sql: """
                UPDATE observation SET device_id = :to WHERE device_id = :from;
                UPDATE identity_key SET device_id = :to WHERE device_id = :from;
                INSERT INTO device_address (device_id, kind, value, first_seen, last_seen)
                    SELECT :to, kind, value, first_seen, last_seen FROM device_address WHERE device_id = :from
                    ON CONFLICT (device_id, kind, value) DO UPDATE SET
                        first_seen = min(first_seen, excluded.first_seen),
                        last_seen = max(last_seen, excluded.last_seen);
                DELETE FROM device_address WHERE device_id = :from;
                UPDATE device_history SET device_id = :to WHERE device_id = :from;
                INSERT OR IGNORE INTO device_separation (a, b)
                    SELECT min(:to, CASE a WHEN :from THEN b ELSE a END), max(:to, CASE a WHEN :from THEN b ELSE a END)
                    FROM device_separation WHERE (a = :from OR b = :from) AND :to NOT IN (a, b);
                DELETE FROM device_separation WHERE a = :from OR b = :from;
                """,
            arguments: ["from": from, "to": to])
    }
}

/// Small JSON texts built by hand on the hot path (JSONEncoder costs more than the insert).
enum JSONText {
    static func array(_ values: [String]) -> String {
        "[" + values.map(string).joined(separator: ",") + "]"
    }

    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func evidence(_ items: [Evidence]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(items)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    static func decodeArray(_ text: String?) -> [String] {
        guard let data = text?.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: data)) ?? []
    }
}
