import Foundation
import GRDB
import LedgerModel

/// One device as the legalization sees it: where it belongs, its OS, the titles that may be
/// installs, and the activation channels its agent reported.
public struct LicensingDevice: Sendable {
    public var id: Int64
    public var department: String?
    /// The hardware serial, for OEM licences that name their machines.
    public var serial: String?
    public var os: String?
    public var titles: [(name: String, publisher: String?, source: String?)] = []
    public var activations: [Activation] = []
}

/// A licence as the audit log names it: what a liaison needs to see what changed.
private struct LicenceLine: Hashable {
    var product: String
    var edition: String?
    var department: String?
    var seats: Int64?
    var contract: String?

    init(product: String, edition: String?, department: String?, seats: Int64?, contract: String?) {
        self.product = product
        self.edition = edition
        self.department = department
        self.seats = seats
        self.contract = contract
    }

    init(_ e: Entitlement) {
        self.init(
            product: e.product, edition: e.edition, department: e.department, seats: e.seats.map(Int64.init),
            contract: e.contract)
    }

    var json: JSONValue {
        .object([
            "product": .string(product), "edition": JSONValue(edition), "department": JSONValue(department),
            "seats": JSONValue(seats), "contract": JSONValue(contract),
        ])
    }
}

extension Ledger {
    /// Replaces the whole licence register with these entitlements, in one transaction (the
    /// file is the register: export, edit, import). Returns how many were written.
    @discardableResult
    public func replaceLicenses(
        _ entries: [(line: Int, entitlement: Entitlement)], file: String, actor: Principal = .system
    ) throws -> Int {
        try writer.write { db in
            // What the register held, as the audit log names a licence, to record what changed.
            let old = try Row.fetchAll(
                db,
                sql: """
                    SELECT l.product, l.edition, d.code, l.seats, l.contract FROM license l
                    LEFT JOIN department d ON d.id = l.department_id ORDER BY l.id
                    """
            ).map { r in
                LicenceLine(product: r[0], edition: r[1], department: r[2], seats: r[3], contract: r[4])
            }
            let before = old.count
            var departments: [String: Int64] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT code, id FROM department") { departments[r[0]] = r[1] }
            try db.execute(sql: "DELETE FROM license")
            let now = Date().unixSeconds
            for (line, e) in entries {
                var departmentID: Int64?
                if let code = e.department {
                    guard let id = departments[code] else {
                        throw LedgerError(.invalidInput, "\(file):\(line): unknown department '\(code)'")
                    }
                    departmentID = id
                }
                try db.execute(
                    sql: """
                        INSERT INTO license (product, edition, versions, metric, seats, department_id, valid_from,
                            valid_to, source, contract, supplier, amount_cny, note, source_file, source_line, imported_at,
                            devices)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        e.product, e.edition, e.versions.text, e.metric.rawValue, e.seats, departmentID, e.validFrom,
                        e.validTo, e.source.rawValue, e.contract, e.supplier, e.amountCNY, e.note, file, line, now,
                        e.devices.joined(separator: ";"),
                    ])
            }
            // The rows added and removed (as a multiset: an unchanged licence is in neither): one
            // entry per department they concern, so each liaison sees its own, then the
            // campus-wide entry with all of them.
            let new = entries.map { LicenceLine($0.entitlement) }
            var remaining: [LicenceLine: Int] = [:]
            for l in old { remaining[l, default: 0] += 1 }
            var added: [LicenceLine] = []
            for l in new {
                if let n = remaining[l], n > 0 { remaining[l] = n - 1 } else { added.append(l) }
            }
            var removed: [LicenceLine] = []
            for l in old {  // what no new row matched, in the register's old order
                if let n = remaining[l], n > 0 {
                    remaining[l] = n - 1
                    removed.append(l)
                }
            }
            let touched = Set((added + removed).compactMap(\.department)).sorted()
            for department in touched {
                let a = added.filter { $0.department == department }
                let r = removed.filter { $0.department == department }
                try Self.audit(
                    db,
                    AuditEntry(
                        actor: actor, action: "licence.import", entityKind: "licence_register", entityID: file,
                        department: department,
                        details: [
                            "file": .string(file), "added": .array(a.map(\.json)), "removed": .array(r.map(\.json)),
                        ]))
            }
            try Self.audit(
                db,
                AuditEntry(
                    actor: actor, action: "licence.import", entityKind: "licence_register", entityID: file,
                    details: [
                        "file": .string(file), "imported": JSONValue(entries.count), "replaced": JSONValue(before),
                        "contracts": .array(
                            Set(entries.compactMap(\.entitlement.contract)).sorted().map(JSONValue.string)),
                        "added": .array(added.map(\.json)), "removed": .array(removed.map(\.json)),
                    ]))
            return entries.count
        }
    }

    /// The licence register, by id (the order of the last import).
    public func licenses() throws -> [Entitlement] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT l.*, d.code AS department_code FROM license l
                    LEFT JOIN department d ON d.id = l.department_id ORDER BY l.id
                    """
            ).map { r in
                let versions: String = r["versions"]
                let metric: String = r["metric"]
                let source: String = r["source"]
                guard let m = LicenseMetric(rawValue: metric), let s = LicenseSource(rawValue: source),
                    let v = VersionRule(text: versions)
                else { throw LedgerError(.io, "licence \(r["id"] as Int64) holds a value this version cannot read") }
                return Entitlement(
                    id: r["id"], product: r["product"], edition: r["edition"], versions: v, metric: m,
                    seats: r["seats"], department: r["department_code"], validFrom: r["valid_from"],
                    validTo: r["valid_to"], source: s, contract: r["contract"], supplier: r["supplier"],
                    amountCNY: r["amount_cny"], note: r["note"],
                    devices: (r["devices"] as String).split(separator: ";").map(String.init))
            }
        }
    }

    /// Every device with an endpoint state, with the titles `relevant` keeps (asked once per
    /// distinct title, so the catalog runs over thousands of titles, not millions of rows).
    public func licensingDevices(relevant: (String, String?, String?) -> Bool) throws -> [LicensingDevice] {
        try writer.read { db in
            var devices: [Int64: LicensingDevice] = [:]
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT e.device_id, d.code, r.os_name, device.serial FROM device_endpoint e
                    JOIN device ON device.id = e.device_id
                    LEFT JOIN department d ON d.id = device.department_id
                    LEFT JOIN endpoint_report r ON r.id = e.os_report_id
                    """)
            {
                let id: Int64 = r[0]
                devices[id] = LicensingDevice(id: id, department: r[1], serial: r[3], os: r[2])
            }
            // One pass over the installed rows (millions on a campus; no index on the title, on
            // purpose). Each distinct title is asked once and remembered by its bytes, so a row
            // costs a hash and a comparison; only the relevant rows become Swift strings.
            struct Seen {
                var name: [UInt8]
                var publisher: [UInt8]?
                var source: [UInt8]?
                var title: (name: String, publisher: String?, source: String?)?
            }
            var seen: [UInt64: [Seen]] = [:]
            func same(_ a: [UInt8]?, _ b: UnsafeBufferPointer<UInt8>?) -> Bool {
                guard let a, let b else { return a == nil && b == nil }
                guard a.count == b.count else { return false }
                guard let base = b.baseAddress, b.count > 0 else { return true }
                return a.withUnsafeBufferPointer { memcmp($0.baseAddress!, base, b.count) } == 0
            }
            func fold(_ hash: inout UInt64, _ part: UnsafeBufferPointer<UInt8>?) {
                if let part { for b in part { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 } }
                hash = (hash ^ (part == nil ? 0x1FE : 0x1FF)) &* 0x100_0000_01b3
            }
            var rows = try FastStatement(db, "SELECT device_id, name, publisher, source FROM device_software")
            defer { rows.reset() }
            while try rows.step(db) {
                let name = rows.bytes(1) ?? UnsafeBufferPointer(start: nil, count: 0)
                let publisher = rows.bytes(2)
                let source = rows.bytes(3)
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                fold(&hash, name)
                fold(&hash, publisher)
                fold(&hash, source)
                let known = seen[hash]?.first {
                    same($0.name, name) && same($0.publisher, publisher) && same($0.source, source)
                }
                let title: (name: String, publisher: String?, source: String?)?
                if let known {
                    title = known.title
                } else {
                    let t = (
                        name: String(decoding: name, as: UTF8.self),
                        publisher: publisher.map { String(decoding: $0, as: UTF8.self) },
                        source: source.map { String(decoding: $0, as: UTF8.self) }
                    )
                    title = relevant(t.name, t.publisher, t.source) ? t : nil
                    seen[hash, default: []].append(
                        Seen(
                            name: Array(name), publisher: publisher.map(Array.init), source: source.map(Array.init),
                            title: title))
                }
                guard let title, let id = rows.int64(0), devices[id] != nil else { continue }
                devices[id]!.titles.append(title)
            }
            for r in try Row.fetchAll(db, sql: "SELECT device_id, product, channel, trial FROM device_activation") {
                let id: Int64 = r[0]
                let channel: String? = r[2]
                devices[id]?.activations.append(
                    Activation(product: r[1], channel: channel.flatMap(ActivationChannel.init), trial: r[3]))
            }
            return devices.keys.sorted().map { devices[$0]! }
        }
    }
}
