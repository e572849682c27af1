import Foundation
import GRDB
import LedgerModel

/// Which departments a caller may see. Every device query goes through `DeviceScope.sql`, the
/// one place where department scoping is applied (the web console will give a liaison
/// `.departments([own code])`).
public enum DeviceScope: Equatable, Sendable {
    case everything
    /// These departments and all their sub-departments.
    case departments([String])
}

/// Which devices to list.
public struct DeviceFilter: Equatable, Sendable {
    public var scope: DeviceScope
    /// Only this department and its sub-departments.
    public var department: String?
    public var deviceClass: DeviceClass?
    public var unassignedOnly: Bool
    /// Only these devices (nil: any).
    public var ids: [Int64]?

    public init(
        scope: DeviceScope = .everything, department: String? = nil, deviceClass: DeviceClass? = nil,
        unassignedOnly: Bool = false, ids: [Int64]? = nil
    ) {
        self.scope = scope
        self.department = department
        self.deviceClass = deviceClass
        self.unassignedOnly = unassignedOnly
        self.ids = ids
    }
}

/// A device as listed and exported.
public struct DeviceSummary: Equatable, Sendable {
    public var id: Int64
    public var deviceClass: DeviceClass
    public var faxCapable: Bool
    public var vendor: String?
    public var model: String?
    public var serial: String?
    public var uuid: String?
    public var os: String?
    public var firmware: String?
    public var hostname: String?
    public var macs: [String] = []
    public var ips: [String] = []
    public var hostnames: [String] = []
    public var department: String?
    public var departmentName: String?
    public var ownerRule: OwnershipRule?
    public var ownerDetail: String?
    public var firstSeen: Date
    public var lastSeen: Date
}

/// A device's class, vendor and model (`Ledger.deviceMakers`).
public struct DeviceMaker: Equatable, Sendable {
    public var id: Int64
    public var deviceClass: DeviceClass
    public var vendor: String?
    public var model: String?
}

/// An observation as shown under a device, with the rule that attached it.
public struct ObservationEntry: Equatable, Sendable {
    public var id: Int64
    public var observation: Observation
    public var matchedRule: String
    public var matchedValue: String?
    /// Why the stored evidence could not be read (the observation is shown without it), or nil.
    public var evidenceError: String? = nil
}

/// One line of a device's history.
public struct HistoryEntry: Equatable, Sendable {
    public var field: String
    public var old: String?
    public var new: String?
    public var source: String
    public var at: Date
}

/// Everything `device show` prints.
public struct DeviceDetail: Equatable, Sendable {
    public var summary: DeviceSummary
    public var pinned: [String]
    public var keys: [(kind: String, value: String)]
    public var observations: [ObservationEntry]
    public var history: [HistoryEntry]

    public static func == (a: DeviceDetail, b: DeviceDetail) -> Bool {
        a.summary == b.summary && a.observations == b.observations && a.history == b.history
    }
}

extension DeviceScope {
    /// The SQL condition on `device.department_id` for this scope (with its arguments).
    /// Sub-departments are included through a recursive walk of the tree.
    func sql(column: String = "device.department_id") -> (String, StatementArguments) {
        switch self {
        case .everything:
            return ("1", [])
        case .departments(let codes):
            let marks = codes.map { _ in "?" }.joined(separator: ",")
            return (
                """
                \(column) IN (WITH RECURSIVE sub(id) AS (
                    SELECT id FROM department WHERE code IN (\(marks))
                    UNION SELECT d.id FROM department d JOIN sub ON d.parent_id = sub.id)
                SELECT id FROM sub)
                """, StatementArguments(codes)
            )
        }
    }
}

extension Ledger {
    /// Devices matching `filter`, by id. Sub-departments are included in a department's list.
    public func devices(_ filter: DeviceFilter) throws -> [DeviceSummary] {
        try writer.read { db in
            let (condition, args) = try Self.deviceCondition(db, filter)
            return try Self.summaries(db, where: condition, args)
        }
    }

    /// One page of the devices matching `filter` (by id, `limit` from `offset`) and how many
    /// match in all: the console's lists read a page, not the department.
    public func devicePage(_ filter: DeviceFilter, order: DeviceOrder = .byID, limit: Int, offset: Int) throws -> (
        total: Int, devices: [DeviceSummary]
    ) {
        try writer.read { db in
            let (condition, args) = try Self.deviceCondition(db, filter)
            guard let orderSQL = order.sql else {
                // Sorted on what SQL cannot see: the whole filter read, sorted, cut.
                let all = order.sorted(try Self.summaries(db, where: condition, args))
                return (all.count, Array(all.dropFirst(max(0, min(offset, all.count))).prefix(max(0, limit))))
            }
            let total =
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT count(*) FROM device WHERE \(condition)"), arguments: args) ?? 0
            let (limit, offset) = (max(0, limit), max(0, min(offset, total)))
            guard order != .byID else {
                return (total, try Self.summaries(db, where: condition, args, page: (orderSQL, limit, offset)))
            }
            // By another column: the page's ids sorted first (the sorter holds a key and an id, not
            // whole rows with their addresses), then those rows read and put in that order.
            let ids = try Int64.fetchAll(
                db.cachedStatement(
                    sql: "SELECT device.id FROM device WHERE \(condition) ORDER BY \(orderSQL) LIMIT ? OFFSET ?"),
                arguments: args + [limit, offset])
            guard !ids.isEmpty else { return (total, []) }
            let rank = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
            let (these, theseArgs) = try Self.deviceCondition(db, DeviceFilter(ids: ids))
            let rows = try Self.summaries(db, where: these, theseArgs)
            return (total, rows.sorted { rank[$0.id, default: 0] < rank[$1.id, default: 0] })
        }
    }

    /// Each device matching `filter` with its class, vendor and model only (the domestic share
    /// reads every device's maker; a full summary would load addresses it does not need).
    public func deviceMakers(_ filter: DeviceFilter) throws -> [DeviceMaker] {
        try writer.read { db in
            let (condition, args) = try Self.deviceCondition(db, filter)
            return try Row.fetchAll(
                db, sql: "SELECT id, class, vendor, model FROM device WHERE \(condition) ORDER BY id", arguments: args
            ).map { r in
                DeviceMaker(
                    id: r[0], deviceClass: (r[1] as String?).flatMap(DeviceClass.init(rawValue:)) ?? .unknown,
                    vendor: r[2], model: r[3])
            }
        }
    }

    /// Whether device `id` exists and is within `scope` (a device outside the caller's scope
    /// is, to that caller, no device).
    public func deviceExists(_ id: Int64, scope: DeviceScope = .everything) throws -> Bool {
        try writer.read { db in try Self.deviceInScope(db, id, scope) }
    }

    /// The SQL condition on `device` for a filter: scope, department (with sub-departments),
    /// class, unassigned. Every device query builds its WHERE here.
    static func deviceCondition(_ db: Database, _ filter: DeviceFilter) throws -> (String, StatementArguments) {
        let (scopeSQL, scopeArgs) = filter.scope.sql()
        var conditions = [scopeSQL]
        var args = scopeArgs
        if let dept = filter.department {
            guard
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT 1 FROM department WHERE code = ?"), arguments: [dept]) != nil
            else { throw LedgerError(.notFound, "unknown department '\(dept)'") }
            let (deptSQL, deptArgs) = DeviceScope.departments([dept]).sql()
            conditions.append(deptSQL)
            args += deptArgs
        }
        if let c = filter.deviceClass {
            conditions.append("device.class = ?")
            args += [c.rawValue]
        }
        if filter.unassignedOnly { conditions.append("device.department_id IS NULL") }
        if let ids = filter.ids {
            // One JSON array, not a placeholder per id: one statement text for any count (the
            // statements are cached) and no limit on the number of variables.
            conditions.append("device.id IN (SELECT value FROM json_each(?))")
            args += ["[" + ids.map(String.init).joined(separator: ",") + "]"]
        }
        return (conditions.joined(separator: " AND "), args)
    }

    /// The summaries of the devices matching `condition`, by id; `page` reads `limit` of them
    /// from `offset` only, in its `ORDER BY`.
    static func summaries(
        _ db: Database, where condition: String, _ args: StatementArguments,
        page: (order: String, limit: Int, offset: Int)? = nil
    ) throws -> [DeviceSummary] {
        var departments: [Int64: (code: String, name: String)] = [:]
        for r in try Row.fetchAll(db.cachedStatement(sql: "SELECT id, code, name FROM department")) {
            departments[r[0]] = (r[1], r[2])
        }
        let statement = try db.cachedStatement(
            sql: """
                SELECT device.id, device.class, device.fax_capable, device.vendor, device.model, device.serial,
                    device.uuid, device.os, device.firmware, device.hostname, device.department_id,
                    device.owner_rule, device.owner_detail, device.first_seen, device.last_seen, device.addresses
                FROM device WHERE \(condition)\(page.map { " ORDER BY \($0.order) LIMIT ? OFFSET ?" } ?? "")
                """)
        try statement.setArguments(page.map { args + [$0.limit, $0.offset] } ?? args)
        // Read through the C API: a department's list is thousands of rows.
        var q = FastStatement(bound: statement)
        defer { q.reset() }
        var devices: [DeviceSummary] = []
        while try q.step(db) {
            let department = q.int64(10).flatMap { departments[$0] }
            var d = DeviceSummary(
                id: q.int64(0) ?? 0, deviceClass: q.text(1).flatMap(DeviceClass.init(rawValue:)) ?? .unknown,
                faxCapable: q.int64(2) == 1, vendor: q.text(3), model: q.text(4), serial: q.text(5), uuid: q.text(6),
                os: q.text(7), firmware: q.text(8), hostname: q.text(9), department: department?.code,
                departmentName: department?.name, ownerRule: q.text(11).flatMap(OwnershipRule.init(rawValue:)),
                ownerDetail: q.text(12), firstSeen: Date(unixSeconds: q.double(13)),
                lastSeen: Date(unixSeconds: q.double(14)))
            if let book = q.bytes(15) {
                for (kind, value) in AddressBook.values(encoded: book) {
                    switch kind {
                    case .mac: d.macs.append(value)
                    case .ip: d.ips.append(value)
                    case .hostname: d.hostnames.append(value)
                    }
                }
            }
            devices.append(d)
        }
        // Sorting here is cheaper than a temporary B-tree in SQL (the rows arrive in
        // department-index order); a page came in its own order.
        if page == nil, zip(devices, devices.dropFirst()).contains(where: { $0.id > $1.id }) {
            devices.sort { $0.id < $1.id }
        }
        return devices
    }

    /// One device with its keys, observations (and the rule that attached each) and history.
    public func device(_ id: Int64, scope: DeviceScope = .everything) throws -> DeviceDetail {
        try writer.read { db in
            let (scopeSQL, scopeArgs) = scope.sql()
            guard
                let summary = try Self.summaries(
                    db, where: "device.id = ? AND \(scopeSQL)", [id] + scopeArgs
                ).first
            else { throw LedgerError(.notFound, "no device \(id)") }
            let pinned = try String.fetchOne(db, sql: "SELECT pinned FROM device WHERE id = ?", arguments: [id]) ?? ""
            let keys = try Row.fetchAll(
                db, sql: "SELECT kind, value FROM identity_key WHERE device_id = ? ORDER BY kind, value",
                arguments: [id]
            ).map { (kind: $0[0] as String, value: $0[1] as String) }
            let observations = try Self.observations(db, device: id)
            var history: [HistoryEntry] = []
            if let first = observations.first {
                history.append(
                    HistoryEntry(
                        field: "created", old: nil, new: nil, source: Self.sourceLabel(first.observation),
                        at: first.observation.observedAt))
            }
            for r in try Row.fetchAll(
                db,
                sql:
                    "SELECT source, changed_at, changes FROM device_history WHERE device_id = ? ORDER BY changed_at, id",
                arguments: [id])
            {
                let changes: [HistoryRow]
                do { changes = try HistoryRow.decode(r[2]) } catch {
                    // Shown, not dropped: the field `unreadable` carries the reason in `new`.
                    changes = [
                        HistoryRow(field: "unreadable", new: "history row cannot be read: \(Self.reason(error))")
                    ]
                }
                for c in changes {
                    history.append(
                        HistoryEntry(field: c.field, old: c.old, new: c.new, source: r[0], at: Date(unixSeconds: r[1])))
                }
            }
            return DeviceDetail(
                summary: summary, pinned: pinned.split(separator: ",").map(String.init), keys: keys,
                observations: observations, history: history)
        }
    }

    /// A decoding failure in a few words (a `DecodingError`'s description is a wall of text).
    static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): c.debugDescription
        case DecodingError.keyNotFound(let key, _): "no '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let c):
            "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.valueNotFound(_, let c): "null at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "\(error)"
        }
    }

    static func observations(_ db: Database, device: Int64) throws -> [ObservationEntry] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, source, origin, source_ref, observed_at, class, fax_capable, vendor, model, serial, uuid,
                    os, firmware, macs, ips, hostnames, evidence, matched_rule, matched_value
                FROM observation WHERE device_id = ? ORDER BY observed_at, id
                """, arguments: [device]
        ).map { r in
            var o = Observation(
                source: ObservationSource(rawValue: r["source"]) ?? .import, origin: r["origin"],
                sourceRef: r["source_ref"], observedAt: Date(unixSeconds: r["observed_at"]))
            o.deviceClass = (r["class"] as String?).flatMap(DeviceClass.init(rawValue:))
            o.faxCapable = r["fax_capable"]
            o.vendor = r["vendor"]
            o.model = r["model"]
            o.serial = r["serial"]
            o.uuid = r["uuid"]
            o.os = r["os"]
            o.firmware = r["firmware"]
            o.macs = JSONText.decodeArray(r["macs"])
            o.ips = JSONText.decodeArray(r["ips"])
            o.hostnames = JSONText.decodeArray(r["hostnames"])
            // Evidence that cannot be decoded is shown as such, not as "no evidence": the device
            // stays viewable and the reason names what is wrong.
            var evidenceError: String?
            if let e: String = r["evidence"] {
                do { o.evidence = try JSONDecoder().decode([Evidence].self, from: Data(e.utf8)) } catch {
                    evidenceError =
                        "stored evidence of observation \(r["id"] as Int64) cannot be read: \(Self.reason(error))"
                }
            }
            return ObservationEntry(
                id: r["id"], observation: o, matchedRule: r["matched_rule"], matchedValue: r["matched_value"],
                evidenceError: evidenceError)
        }
    }
}
