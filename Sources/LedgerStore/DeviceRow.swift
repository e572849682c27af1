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

    /// The column values in `upsertColumns` order, less the id.
    var values: [SQLValue] {
        [
            .text(facts.deviceClass.rawValue), SQLValue(facts.faxCapable), SQLValue(facts.vendor),
            SQLValue(facts.model),
            SQLValue(facts.serial), SQLValue(facts.uuid), SQLValue(facts.os), SQLValue(facts.firmware),
            SQLValue(facts.hostname), SQLValue(facts.hostname.flatMap(Identifiers.hostnameKey)),
            SQLValue(departmentID), SQLValue(ownerRule), SQLValue(ownerDetail),
            .text(pinned.isEmpty ? "" : pinned.map(\.rawValue).sorted().joined(separator: ",")), .real(firstSeen),
            .real(lastSeen), .text(addresses.encoded),
        ]
    }

    /// Inserts the new rows and updates the others. An update sets only the columns that differ
    /// from `originals` (as loaded): SQLite maintains an index whenever its column is assigned,
    /// changed or not.
    static func save(_ rows: [DeviceRow], originals: [Int64: DeviceRow] = [:], _ db: Database) throws {
        guard !rows.isEmpty else { return }
        let columns = Array(upsertColumns.dropFirst())
        var insert = BatchInsert(
            db, "INSERT INTO device (\(columns.joined(separator: ", ")), id)", columns: upsertColumns.count)
        for row in rows {
            let values = row.values
            if row.isNew {
                try insert.add(values + [.integer(row.id)])
                continue
            }
            let before = originals[row.id]?.values
            let changed = values.indices.filter { before == nil || before![$0] != values[$0] }
            guard !changed.isEmpty else { continue }
            var update = try FastStatement(
                db, "UPDATE device SET \(changed.map { "\(columns[$0]) = ?" }.joined(separator: ", ")) WHERE id = ?")
            for i in changed { update.bind(values[i]) }
            update.bind(row.id)
            try update.run(db)
        }
        try insert.finish()
    }

    func save(_ db: Database) throws { try Self.save([self], db) }
}
