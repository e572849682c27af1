import Foundation
import GRDB
import LedgerModel

/// The ledger: departments, ownership rules, observations and the devices derived from them,
/// on SQLite. All SQL lives in this module; callers see domain values only.
///
/// ```swift
/// let ledger = try Ledger.open(path: "assetledger.sqlite")
/// try ledger.merge([observation])
/// let printers = try ledger.devices(DeviceFilter(deviceClass: .printer))
/// ```
public final class Ledger: Sendable {
    let writer: any DatabaseWriter

    /// Wraps a database and brings its schema up to date.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Schema.migrator.migrate(writer)
    }

    /// Opens (creating if needed) the database file in WAL mode with foreign keys enforced.
    public static func open(path: String) throws -> Ledger {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // WAL makes NORMAL durable across application crashes; a larger page cache keeps the
            // identity indexes of a campus-sized ledger in memory during a merge.
            try db.execute(
                sql:
                    "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -524288; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 16384"
            )
        }
        return try Ledger(DatabasePool(path: path, configuration: config))
    }

    /// A private in-memory ledger (tests, benchmarks).
    public static func inMemory() throws -> Ledger {
        var config = Configuration()
        config.foreignKeysEnabled = true
        return try Ledger(DatabaseQueue(configuration: config))
    }

    /// The database file to use: `--db`, else `$ASSETLEDGER_DB`, else `./assetledger.sqlite`.
    public static func defaultPath(option: String?, environment: [String: String]) -> String {
        if let option, !option.isEmpty { return option }
        if let env = environment["ASSETLEDGER_DB"], !env.isEmpty { return env }
        return "assetledger.sqlite"
    }

    /// The applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Schema.migrator.appliedMigrations(db) }
    }

    /// Row counts of the main tables (for `db check` and tests that prove nothing was written).
    public func counts() throws -> [String: Int] {
        try writer.read { db in
            var out: [String: Int] = [:]
            for table in [
                "department", "subnet_rule", "hostname_rule", "device", "identity_key", "device_address",
                "observation", "device_history", "device_separation", "endpoint_report", "device_endpoint",
                "device_software", "device_patch", "device_antivirus", "device_pending_update",
            ] {
                out[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            }
            return out
        }
    }
}

extension Date {
    var unixSeconds: Double { timeIntervalSince1970 }
    init(unixSeconds: Double) { self.init(timeIntervalSince1970: unixSeconds) }
}
