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
    /// Not in the database yet: `save` inserts it.
    var isNew = false

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

    static let upsertColumns = [
        "id", "class", "fax_capable", "vendor", "model", "serial", "uuid", "os", "firmware", "hostname",
        "hostname_key", "department_id", "owner_rule", "owner_detail", "pinned", "first_seen", "last_seen",
    ]

    /// Inserts the new rows and updates the others (plain statements: an UPSERT costs several
    /// times either).
    static func save(_ rows: [DeviceRow], _ db: Database) throws {
        guard !rows.isEmpty else { return }
        let columns = upsertColumns.dropFirst()
        var insert = try FastStatement(
            db,
            "INSERT INTO device (\(columns.joined(separator: ", ")), id) VALUES (\(Array(repeating: "?", count: upsertColumns.count).joined(separator: ", ")))"
        )
        var update = try FastStatement(
            db, "UPDATE device SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?")
        for row in rows {
            func write(_ statement: inout FastStatement) throws {
                let f = row.facts
                statement.bind(f.deviceClass.rawValue)
                statement.bind(f.faxCapable)
                statement.bind(f.vendor)
                statement.bind(f.model)
                statement.bind(f.serial)
                statement.bind(f.uuid)
                statement.bind(f.os)
                statement.bind(f.firmware)
                statement.bind(f.hostname)
                statement.bind(f.hostname.flatMap(Identifiers.hostnameKey))
                statement.bind(row.departmentID)
                statement.bind(row.ownerRule)
                statement.bind(row.ownerDetail)
                statement.bind(row.pinned.isEmpty ? "" : row.pinned.map(\.rawValue).sorted().joined(separator: ","))
                statement.bind(row.firstSeen)
                statement.bind(row.lastSeen)
                statement.bind(row.id)
                try statement.run(db)
            }
            if row.isNew { try write(&insert) } else { try write(&update) }
        }
    }

    func save(_ db: Database) throws { try Self.save([self], db) }
}
