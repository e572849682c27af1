import Foundation
import GRDB
import LedgerModel

/// The merge of a batch of observations inside one write transaction. It is the ledger's
/// `IdentityIndex` (the resolver asks it what is known) and applies the resolver's plans.
///
/// For speed it reads each key and device once and buffers every write of the batch in memory
/// (`PendingWrites`); `finish()` writes them with multi-row statements before the transaction
/// commits. Foreign keys are deferred to the commit so rows can be written in any order.
final class Merger: IdentityIndex {
    let db: Database
    let map: OwnershipMap
    let departmentIDs: [String: Int64]
    let departmentCodes: [Int64: String]
    let receivedAt = Date().unixSeconds
    var summary = MergeSummary()

    /// Every key state this batch looked up or changed.
    private var keys: [IdentityKey: KeyState] = [:]
    /// When true, `keys` holds the whole identity_key table: a miss means unknown.
    private var keysComplete = false
    private var rows: [Int64: DeviceRow] = [:]
    /// Device rows as they were in the database, to write only what changed.
    private var originals: [Int64: DeviceRow] = [:]
    /// "departmentID/hostnameKey" -> device, for devices this batch touched.
    private var hostnames: [String: Int64] = [:]
    private var pending = PendingWrites()
    /// Devices folded into another during this batch, and where they went.
    private var absorbedInto: [Int64: Int64] = [:]
    private var nextDeviceID: Int64
    private var nextObservationID: Int64

    /// - Parameter expected: how many observations the batch holds; a large batch reads the
    ///   whole key table at once instead of key by key.
    /// Names each observation's vendor by the manufacturer dictionary, when the ledger has one.
    let makers: MakerNames?

    init(_ db: Database, rules: RulesSnapshot, expected: Int = 0, makers: MakerNames? = nil) throws {
        self.db = db
        self.makers = makers
        map = rules.map
        departmentIDs = rules.departmentIDs
        departmentCodes = rules.departmentCodes
        nextDeviceID = try Ledger.nextDeviceID(db)
        nextObservationID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM observation") ?? 0) + 1
        try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
        if expected >= 2000 {
            // Reading a key row in bulk costs a fraction of a lookup: worth it when the batch
            // will look up a good share of the table anyway.
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM identity_key") ?? 0
            if total <= expected * 50 { try preloadKeys() }
        }
    }

    private func preloadKeys() throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT kind, value, device_id FROM identity_key")
        keys.reserveCapacity(Int(nextDeviceID) * 3)
        while let r = try cursor.next() {
            guard let rule = IdentityRule(rawValue: r[0]) else { continue }
            let id: Int64? = r[2]
            keys[IdentityKey(rule, r[1])] = id.map(KeyState.device) ?? .ambiguous
        }
        keysComplete = true
    }

    /// Whether the key is in the database, as far as this batch knows (nil: not looked up).
    private func existedBefore(_ key: IdentityKey) -> Bool? {
        if let state = keys[key] { return state != .unknown }
        return keysComplete ? false : nil
    }

    // MARK: IdentityIndex

    func state(of key: IdentityKey) throws -> KeyState {
        if let known = keys[key] { return known }
        if keysComplete { return .unknown }
        var q = try FastStatement(db, "SELECT device_id FROM identity_key WHERE kind = ? AND value = ?")
        q.bind(key.rule.rawValue)
        q.bind(key.value)
        defer { q.reset() }
        var state = KeyState.unknown
        if try q.step(db) { state = q.int64(0).map(KeyState.device) ?? .ambiguous }
        keys[key] = state
        return state
    }

    func device(hostnameKey: String, department: String) throws -> Int64? {
        guard let dept = departmentIDs[department] else { return nil }
        func current(_ id: Int64) -> Bool? {
            guard let row = rows[id] else { return nil }
            return row.departmentID == dept && row.facts.hostname.flatMap(Identifiers.hostnameKey) == hostnameKey
        }
        if let id = hostnames["\(dept)/\(hostnameKey)"], current(id) == true { return id }
        var q = try FastStatement(
            db,
            """
            SELECT id FROM device WHERE department_id = ? AND hostname_key = ?
            ORDER BY last_seen DESC
            """)
        q.bind(dept)
        q.bind(hostnameKey)
        defer { q.reset() }
        // The stored name is stale for a device this batch renamed or moved: skip it.
        while try q.step(db) {
            if let id = q.int64(0), current(id) != false { return id }
        }
        return nil
    }

    func identity(of device: Int64) throws -> DeviceIdentity {
        let row = try self.row(device)
        return DeviceIdentity(serial: row?.facts.serial, uuid: row?.facts.uuid)
    }

    func areSeparated(_ a: Int64, _ b: Int64) throws -> Bool {
        let s = try db.cachedStatement(sql: "SELECT 1 FROM device_separation WHERE a = ? AND b = ?")
        return try Bool.fetchOne(s, arguments: [min(a, b), max(a, b)]) ?? false
    }

    // MARK: Device rows

    func row(_ id: Int64) throws -> DeviceRow? {
        if let row = rows[id] { return row }
        let row = try DeviceRow.load(db, id)
        rows[id] = row
        originals[id] = row
        return row
    }

    /// Keeps a changed device row; it is written by `finish()`.
    func store(_ row: DeviceRow) {
        rows[row.id] = row
        pending.devices.insert(row.id)
        if let dept = row.departmentID, let key = row.facts.hostname.flatMap(Identifiers.hostnameKey) {
            hostnames["\(dept)/\(key)"] = row.id
        }
    }

    /// Writes everything the batch buffered. Call once before the transaction ends.
    func finish() throws {
        // A device absorbed after an earlier observation went to it: point that one onward.
        summary.deviceIDs = summary.deviceIDs.map { id in
            var current = id
            while let next = absorbedInto[current] { current = next }
            return current
        }
        try pending.flush(db, rows: rows, originals: originals, timings: &summary.timings)
    }

    /// Most key states a streaming merge keeps between batches (about 160 bytes each): beyond
    /// it the index is read key by key again, so memory stays bounded whatever the stream's
    /// size. 300,000 keeps a 300,000-observation import under 200 MB (docs/PERFORMANCE.md).
    static let maxKeptKeys = 300_000
    var keptKeys = Merger.maxKeptKeys

    /// Writes the batch so far (inside the same transaction) and forgets what only this batch
    /// needed: device rows, host names, buffered writes, the ids of the summary. What the next
    /// batch reads comes from the database, which now holds this batch; the key index stays
    /// (it is kept up to date by every write) unless it grew past `maxKeptKeys`.
    func endBatch() throws {
        try finish()
        rows.removeAll(keepingCapacity: true)
        originals.removeAll(keepingCapacity: true)
        hostnames.removeAll(keepingCapacity: true)
        absorbedInto.removeAll()
        pending = PendingWrites()
        summary.deviceIDs.removeAll(keepingCapacity: true)
        summary.observationIDs.removeAll(keepingCapacity: true)
        if !keysComplete || keys.count > keptKeys {
            keys.removeAll()
            keysComplete = false
        }
    }

    // MARK: Merging

    /// Merges one observation. With `attachTo`, a person named the device (an output that
    /// names no machine): the identity rules are not asked.
    func merge(_ raw: Observation, attachTo: Int64? = nil) throws {
        var o = raw.normalized()
        if let makers { o = o.namingMaker(makers.name).namingOS(makers.os) }
        let identity = ObservationIdentity(o)
        let owner = map.owner(hostnames: o.hostnames, ips: o.ips)
        var index = self
        let plan: MergePlan
        if let attachTo {
            guard try row(attachTo) != nil else { throw LedgerError(.notFound, "no device \(attachTo)") }
            plan = MergePlan(
                target: attachTo, rule: nil, matchedValue: "named by a person", ambiguous: [], absorb: [], claim: [])
        } else {
            plan = try IdentityResolver.plan(for: identity, department: owner?.departmentCode, index: &index)
        }
        let at = o.observedAt.unixSeconds

        for (key, reason) in plan.ambiguous {
            pending.key(key, .ambiguous(reason), existed: existedBefore(key))
            keys[key] = .ambiguous
            summary.ambiguous += 1
        }

        var device: DeviceRow
        var isNewest = true
        if let target = plan.target, let row = try row(target) {
            device = row
            isNewest = at >= device.lastSeen
            summary.matched += 1
        } else {
            device = DeviceRow(id: nextDeviceID, facts: DeviceFacts(), firstSeen: at)
            device.isNew = true
            nextDeviceID += 1
            summary.created += 1
        }
        let observationID = nextObservationID
        nextObservationID += 1
        pending.observations.append(
            PendingWrites.ObservationRow(
                id: observationID, observation: raw, at: at, device: device.id,
                rule: plan.rule?.rawValue ?? (attachTo == nil ? "new" : "manual"),
                value: plan.matchedValue))
        let source = Ledger.sourceLabel(raw)
        for (other, key) in plan.absorb {
            try absorb(other, into: &device, reason: "same \(key)", source: raw.source.rawValue, at: at)
        }

        var changes = device.facts.apply(o, isNewest: isNewest, pinned: device.pinned)
        if o.source == .manual { device.pinned.formUnion(changes.map(\.field)) }
        device.firstSeen = min(device.firstSeen, at)
        device.lastSeen = max(device.lastSeen, at)
        addAddresses(&device, o, at: at)
        // The owner by rules, from what the device is now (its current name, its most recent
        // addresses), not from this observation alone: a nameless rescan must not undo a
        // host-name rule. A person's assignment is never touched.
        if device.ownerRule != OwnershipRule.manual.rawValue,
            let owner = Ledger.ruleOwner(map, hostname: device.facts.hostname, addresses: device.addresses),
            let dept = departmentIDs[owner.departmentCode]
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
        // A new device's first values are its first observation, not changes.
        if plan.target != nil && !changes.isEmpty {
            pending.history.append(
                .init(
                    device: device.id,
                    rows: changes.map { HistoryRow(field: $0.field.rawValue, old: $0.old, new: $0.new) },
                    source: source, observation: observationID, at: at))
        }
        store(device)
        claim(plan.claim, device: device.id)
        summary.observations += 1
        summary.deviceIDs.append(device.id)
        summary.observationIDs.append(observationID)
    }

    /// Points keys at a device (keys retired as ambiguous stay retired).
    func claim(_ claimed: [IdentityKey], device: Int64) {
        for key in claimed where keys[key] != .ambiguous {
            pending.key(key, .device(device), existed: existedBefore(key))
            keys[key] = .device(device)
        }
    }

    /// Records the observation's addresses on the device; values new to it also go to the
    /// address index.
    func addAddresses(_ device: inout DeviceRow, _ o: Observation, at: Double) {
        for (kind, values) in [(AddressKind.mac, o.macs), (.ip, o.ips), (.hostname, o.hostnames)] {
            for v in values where device.addresses.record(kind, v, at: at) {
                pending.addresses.append(.init(kind: kind, value: v, device: device.id, firstSeen: at))
            }
        }
    }

    /// Folds `other` into `device`: its observations, keys, addresses and history move over,
    /// facts fill the target's gaps, and `other` is deleted.
    func absorb(_ other: Int64, into device: inout DeviceRow, reason: String, source: String, at: Double) throws {
        guard other != device.id, let donor = try row(other) else { return }
        try Ledger.moveDevice(db, from: other, to: device.id)
        try Ledger.moveEndpoint(db, from: other, to: device.id)
        pending.move(from: other, to: device.id)
        for (key, state) in keys where state == .device(other) { keys[key] = .device(device.id) }
        var filler = Observation(source: .import, observedAt: Date(unixSeconds: donor.lastSeen))
        filler.deviceClass = donor.facts.deviceClass
        filler.vendor = donor.facts.vendor
        filler.model = donor.facts.model
        filler.serial = donor.facts.serial
        filler.uuid = donor.facts.uuid
        filler.os = donor.facts.os
        filler.firmware = donor.facts.firmware
        filler.hostnames = donor.facts.hostname.map { [$0] } ?? []
        filler.faxCapable = donor.facts.faxCapable ? true : nil
        _ = device.facts.apply(filler, isNewest: false, pinned: device.pinned)
        let manual = OwnershipRule.manual.rawValue
        if device.departmentID == nil || (donor.ownerRule == manual && device.ownerRule != manual) {
            device.departmentID = donor.departmentID ?? device.departmentID
            device.ownerRule = donor.ownerRule ?? device.ownerRule
            device.ownerDetail = donor.ownerDetail ?? device.ownerDetail
        }
        device.pinned.formUnion(donor.pinned)
        device.firstSeen = min(device.firstSeen, donor.firstSeen)
        device.lastSeen = max(device.lastSeen, donor.lastSeen)
        device.addresses.merge(donor.addresses)
        pending.history.append(
            .init(
                device: device.id, rows: [HistoryRow(field: "merged", old: "device \(other)", new: reason)],
                source: source, observation: nil, at: at))
        rows[other] = nil
        absorbedInto[other] = device.id
        pending.devices.remove(other)
        if !donor.isNew { try db.execute(sql: "DELETE FROM device WHERE id = ?", arguments: [other]) }
        summary.absorbed += 1
    }
}
