import Foundation
import GRDB
import LedgerModel

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
    var addresses = AddressBook()
    /// Not in the database yet: `save` inserts it.
    var isNew = false

    static let columns =
        "id, class, fax_capable, vendor, model, serial, uuid, os, firmware, hostname, department_id, owner_rule, owner_detail, pinned, first_seen, last_seen, addresses"

    init(id: Int64, facts: DeviceFacts, firstSeen: Double) {
        self.id = id
        self.facts = facts
        pinned = []
        self.firstSeen = firstSeen
        lastSeen = firstSeen
    }

    /// Reads one device through the C API (the merge reads one per matched observation).
    static func load(_ db: Database, _ id: Int64) throws -> DeviceRow? {
        var q = try FastStatement(db, "SELECT \(columns) FROM device WHERE id = ?")
        q.bind(id)
        defer { q.reset() }
        guard try q.step(db) else { return nil }
        var row = DeviceRow(id: id, facts: DeviceFacts(), firstSeen: q.double(14))
        row.facts.deviceClass = q.text(1).flatMap(DeviceClass.init(rawValue:)) ?? .unknown
        row.facts.faxCapable = q.int64(2) == 1
        row.facts.vendor = q.text(3)
        row.facts.model = q.text(4)
        row.facts.serial = q.text(5)
        row.facts.uuid = q.text(6)
        row.facts.os = q.text(7)
        row.facts.firmware = q.text(8)
        row.facts.hostname = q.text(9)
        row.departmentID = q.int64(10)
        row.ownerRule = q.text(11)
        row.ownerDetail = q.text(12)
        if let pinned = q.text(13), !pinned.isEmpty {
            row.pinned = Set(pinned.split(separator: ",").compactMap { DeviceField(rawValue: String($0)) })
        }
        row.lastSeen = q.double(15)
        row.addresses = AddressBook(encoded: q.text(16) ?? "")
        return row
    }

    static let upsertColumns = [
        "id", "class", "fax_capable", "vendor", "model", "serial", "uuid", "os", "firmware", "hostname",
        "hostname_key", "department_id", "owner_rule", "owner_detail", "pinned", "first_seen", "last_seen",
        "addresses",
    ]

    /// The value of one column (index into `upsertColumns`, less the id).
    func value(_ column: Int) -> SQLValue {
        switch column {
        case 0: .text(facts.deviceClass.rawValue)
        case 1: SQLValue(facts.faxCapable)
        case 2: SQLValue(facts.vendor)
        case 3: SQLValue(facts.model)
        case 4: SQLValue(facts.serial)
        case 5: SQLValue(facts.uuid)
        case 6: SQLValue(facts.os)
        case 7: SQLValue(facts.firmware)
        case 8: SQLValue(facts.hostname)
        case 9: SQLValue(facts.hostname.flatMap(Identifiers.hostnameKey))
        case 10: SQLValue(departmentID)
        case 11: SQLValue(ownerRule)
        case 12: SQLValue(ownerDetail)
        case 13: .text(pinned.isEmpty ? "" : pinned.map(\.rawValue).sorted().joined(separator: ","))
        case 14: .real(firstSeen)
        case 15: .real(lastSeen)
        default: .text(addresses.encoded)
        }
    }

    /// The columns whose values differ from `other`'s.
    func changedColumns(since other: DeviceRow) -> [Int] {
        let f = facts
        let o = other.facts
        let changed = [
            f.deviceClass != o.deviceClass, f.faxCapable != o.faxCapable, f.vendor != o.vendor, f.model != o.model,
            f.serial != o.serial, f.uuid != o.uuid, f.os != o.os, f.firmware != o.firmware, f.hostname != o.hostname,
            f.hostname != o.hostname, departmentID != other.departmentID, ownerRule != other.ownerRule,
            ownerDetail != other.ownerDetail, pinned != other.pinned, firstSeen != other.firstSeen,
            lastSeen != other.lastSeen, addresses != other.addresses,
        ]
        return changed.indices.filter { changed[$0] }
    }

    /// Inserts the new rows and updates the others. An update sets only the columns that differ
    /// from `originals` (as loaded): SQLite maintains an index whenever its column is assigned,
    /// changed or not.
    static func save(_ rows: [DeviceRow], originals: [Int64: DeviceRow] = [:], _ db: Database) throws {
        guard !rows.isEmpty else { return }
        let columns = Array(upsertColumns.dropFirst())
        var insert = BatchInsert(
            db, "INSERT INTO device (\(columns.joined(separator: ", ")), id)", columns: upsertColumns.count)
        var updateSQL: [[Int]: String] = [:]
        for row in rows {
            if row.isNew {
                try insert.add(columns.indices.map(row.value) + [.integer(row.id)])
                continue
            }
            let changed = originals[row.id].map(row.changedColumns(since:)) ?? Array(columns.indices)
            guard !changed.isEmpty else { continue }
            let sql =
                updateSQL[changed]
                ?? "UPDATE device SET \(changed.map { "\(columns[$0]) = ?" }.joined(separator: ", ")) WHERE id = ?"
            updateSQL[changed] = sql
            var update = try FastStatement(db, sql)
            for i in changed { update.bind(row.value(i)) }
            update.bind(row.id)
            try update.run(db)
        }
        try insert.finish()
    }

    func save(_ db: Database) throws { try Self.save([self], db) }
}
