import Foundation
import GRDB
import LedgerModel

/// One device as the legalization sees it: where it belongs, its OS, the titles that may be
/// installs, and the activation channels its agent reported.
public struct LicensingDevice: Sendable {
    public var id: Int64
    public var department: String?
    public var os: String?
    public var titles: [(name: String, publisher: String?, source: String?)] = []
    public var activations: [Activation] = []
}

extension Ledger {
    /// Replaces the whole licence register with these entitlements, in one transaction (the
    /// file is the register: export, edit, import). Returns how many were written.
    @discardableResult
    public func replaceLicenses(_ entries: [(line: Int, entitlement: Entitlement)], file: String) throws -> Int {
        try writer.write { db in
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
                            valid_to, source, contract, supplier, amount_cny, note, source_file, source_line, imported_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        e.product, e.edition, e.versions.text, e.metric.rawValue, e.seats, departmentID, e.validFrom,
                        e.validTo, e.source.rawValue, e.contract, e.supplier, e.amountCNY, e.note, file, line, now,
                    ])
            }
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
                    amountCNY: r["amount_cny"], note: r["note"])
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
                    SELECT e.device_id, d.code, r.os_name FROM device_endpoint e
                    JOIN device ON device.id = e.device_id
                    LEFT JOIN department d ON d.id = device.department_id
                    LEFT JOIN endpoint_report r ON r.id = e.os_report_id
                    """)
            {
                let id: Int64 = r[0]
                devices[id] = LicensingDevice(id: id, department: r[1], os: r[2])
            }
            struct Title: Hashable {
                var name: String
                var publisher: String?
                var source: String?
            }
            var kept = Set<Title>()
            for r in try Row.fetchAll(db, sql: "SELECT DISTINCT name, publisher, source FROM device_software") {
                let t = Title(name: r[0], publisher: r[1], source: r[2])
                if relevant(t.name, t.publisher, t.source) { kept.insert(t) }
            }
            let names = Array(Set(kept.map(\.name))).sorted()
            let json = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT s.device_id, s.name, s.publisher, s.source FROM device_software s
                    WHERE s.name IN (SELECT value FROM json_each(?))
                    """, arguments: [json])
            {
                let id: Int64 = r[0]
                let t = Title(name: r[1], publisher: r[2], source: r[3])
                guard devices[id] != nil, kept.contains(t) else { continue }
                devices[id]!.titles.append((t.name, t.publisher, t.source))
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
