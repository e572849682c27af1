import Foundation
import GRDB
import LedgerModel

/// The writes of one merge batch, held until the end of the batch.
struct PendingWrites {
    struct ObservationRow {
        var id: Int64
        var observation: Observation
        var at: Double
        var device: Int64
        var rule: String
        var value: String?
    }

    struct Address {
        var kind: AddressKind
        var value: String
        var device: Int64
        var firstSeen: Double
    }

    struct History {
        var device: Int64
        var rows: [HistoryRow]
        var source: String
        var observation: Int64?
        var at: Double
    }

    enum KeyWrite {
        case device(Int64)
        case ambiguous(String)
    }

    var devices: Set<Int64> = []
    var observations: [ObservationRow] = []
    /// Values new to their device, for the address index.
    var addresses: [Address] = []
    var keys: [IdentityKey: (write: KeyWrite, existed: Bool?)] = [:]
    var history: [History] = []

    /// Records the final write of a key; the first write of the batch knows whether the key was
    /// in the database before.
    mutating func key(_ key: IdentityKey, _ write: KeyWrite, existed: Bool?) {
        keys[key] = (write, keys[key]?.existed ?? existed)
    }

    /// Re-points everything buffered for device `from` at device `to`.
    mutating func move(from: Int64, to: Int64) {
        for i in observations.indices where observations[i].device == from { observations[i].device = to }
        for i in history.indices where history[i].device == from { history[i].device = to }
        for (key, entry) in keys {
            if case .device(from) = entry.write { keys[key] = (.device(to), entry.existed) }
        }
        for i in addresses.indices where addresses[i].device == from { addresses[i].device = to }
    }

    static let observationColumns = [
        "id", "source", "origin", "source_ref", "observed_at", "received_at", "class", "fax_capable", "vendor",
        "model", "serial", "uuid", "os", "firmware", "macs", "ips", "hostnames", "evidence", "device_id",
        "matched_rule", "matched_value",
    ]

    func flush(
        _ db: Database, rows: [Int64: DeviceRow], originals: [Int64: DeviceRow], timings: inout MergeTimings
    ) throws {
        var t = Date()
        func lap(_ table: String) {
            let now = Date()
            timings.write[table, default: 0] += now.timeIntervalSince(t)
            t = now
        }
        try DeviceRow.save(devices.sorted().compactMap { rows[$0] }, originals: originals, db)
        lap("device")
        let receivedAt = Date().unixSeconds
        var insert = BatchInsert(
            db, "INSERT INTO observation (\(Self.observationColumns.joined(separator: ", ")))",
            columns: Self.observationColumns.count)
        for r in observations {
            let o = r.observation
            try insert.add(
                .integer(r.id), .text(o.source.rawValue), SQLValue(o.origin), SQLValue(o.sourceRef), .real(r.at),
                .real(receivedAt), SQLValue(o.deviceClass?.rawValue), SQLValue(o.faxCapable), SQLValue(o.vendor),
                SQLValue(o.model), SQLValue(o.serial), SQLValue(o.uuid), SQLValue(o.os), SQLValue(o.firmware),
                .text(JSONText.array(o.macs)), .text(JSONText.array(o.ips)), .text(JSONText.array(o.hostnames)),
                SQLValue(o.evidence.isEmpty ? nil : JSONText.evidence(o.evidence)), .integer(r.device),
                .text(r.rule), SQLValue(r.value))
        }
        try insert.finish()
        lap("observation")
        // Plain INSERT or UPDATE where the batch knows whether the row exists; UPSERT otherwise.
        var keyInsert = BatchInsert(
            db, "INSERT INTO identity_key (device_id, ambiguous_reason, kind, value)", columns: 4)
        var keyUpdate = try FastStatement(
            db,
            """
            UPDATE identity_key SET device_id = ?1, ambiguous_reason = ?2
            WHERE kind = ?3 AND value = ?4 AND (device_id IS NOT NULL OR ?1 IS NULL)
            """)
        var keyUpsert = try FastStatement(
            db,
            """
            INSERT INTO identity_key (device_id, ambiguous_reason, kind, value) VALUES (?, ?, ?, ?)
            ON CONFLICT (kind, value) DO UPDATE SET device_id = excluded.device_id,
                ambiguous_reason = excluded.ambiguous_reason
            WHERE identity_key.device_id IS NOT NULL OR excluded.device_id IS NULL
            """)
        // Key order: neighbouring inserts touch the same B-tree pages.
        for (k, entry) in keys.sorted(by: {
            ($0.key.rule.rawValue, $0.key.value) < ($1.key.rule.rawValue, $1.key.value)
        }) {
            func write(_ statement: inout FastStatement) throws {
                switch entry.write {
                case .device(let id):
                    statement.bind(id)
                    statement.bind(nil as String?)
                case .ambiguous(let reason):
                    statement.bind(nil as Int64?)
                    statement.bind(reason)
                }
                statement.bind(k.rule.rawValue)
                statement.bind(k.value)
                try statement.run(db)
            }
            switch (entry.existed, entry.write) {
            case (false?, .device(let id)):
                try keyInsert.add(.integer(id), .null, .text(k.rule.rawValue), .text(k.value))
            case (false?, .ambiguous(let why)):
                try keyInsert.add(.null, .text(why), .text(k.rule.rawValue), .text(k.value))
            case (true?, _): try write(&keyUpdate)
            case (nil, _): try write(&keyUpsert)
            }
        }
        try keyInsert.finish()
        lap("identity_key")
        // OR IGNORE: a value can come back to a device inside one batch after a merge.
        var addressInsert = BatchInsert(
            db, "INSERT OR IGNORE INTO device_address (kind, value, device_id, first_seen)", columns: 4)
        for a in addresses.sorted(by: { ($0.kind.rawValue, $0.value) < ($1.kind.rawValue, $1.value) }) {
            try addressInsert.add(.text(a.kind.rawValue), .text(a.value), .integer(a.device), .real(a.firstSeen))
        }
        try addressInsert.finish()
        lap("device_address")
        var change = BatchInsert(db, HistoryRow.insertHead, columns: 5)
        for h in history {
            try change.add(
                .integer(h.device), .text(h.source), SQLValue(h.observation), .real(h.at),
                .text(HistoryRow.json(h.rows)))
        }
        try change.finish()
        lap("device_history")
    }
}
