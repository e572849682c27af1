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
    /// Departments and ownership rules as last read, reused while `rules_generation` stands.
    let rulesCache = RulesCache()
    /// The manufacturer dictionary every merge names vendors by (`nameMakers`), if given.
    let makerNames = MakerNames()

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
                    "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 16384"
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

    /// Every observation merged from now on has its vendor named by the dictionary (the raw
    /// value kept as evidence): one name per maker, whatever the source spelled.
    public func nameMakers(with dictionary: ManufacturerDictionary?) { makerNames.set(dictionary) }

    /// Every observation merged from now on has its OS named by the table (the raw value kept).
    public func nameOperatingSystems(with names: OSNames?) { makerNames.set(names) }

    /// The OS table's name of a raw OS name (nil: no line names it, or no table).
    public func osName(_ raw: String) -> String? { makerNames.os(raw) }

    /// The dictionary's name of a raw vendor string (nil: no entry names it, or no dictionary).
    public func makerName(_ raw: String) -> String? { makerNames.name(raw) }

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
                "device_software", "device_patch", "device_antivirus", "device_pending_update", "license",
                "device_activation", "software_event",
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

/// Departments and ownership rules compiled for the merge.
struct RulesSnapshot: Sendable {
    let generation: Int64
    let map: OwnershipMap
    let departmentIDs: [String: Int64]
    let departmentCodes: [Int64: String]
}

/// The last `RulesSnapshot`, shared by the ledger's writes (one writer at a time, but a lock
/// keeps it honest).
/// The dictionary a ledger names makers by, and the names it already looked up (vendors repeat:
/// a merge of a campus asks the dictionary once per distinct string).
public final class MakerNames: @unchecked Sendable {
    private let lock = NSLock()
    private var dictionary: ManufacturerDictionary?
    private var osNames: OSNames?
    private var known: [String: String?] = [:]
    private var knownOS: [String: String?] = [:]

    func set(_ d: ManufacturerDictionary?) {
        lock.withLock {
            dictionary = d
            known = [:]
        }
    }

    func set(_ names: OSNames?) {
        lock.withLock {
            osNames = names
            knownOS = [:]
        }
    }

    /// The OS table's name of a raw OS name, nil when no line names it.
    func os(_ raw: String) -> String? {
        lock.withLock {
            if let hit = knownOS[raw] { return hit }
            let name = osNames?.name(raw)
            if knownOS.count < 100_000 { knownOS[raw] = name }
            return name
        }
    }

    var isEmpty: Bool { lock.withLock { dictionary == nil && osNames == nil } }

    /// The canonical name of a raw vendor string, nil when no entry names it.
    func name(_ raw: String) -> String? {
        lock.withLock {
            if let hit = known[raw] { return hit }
            let name = dictionary?.canonical(raw)?.name
            if known.count < 100_000 { known[raw] = name }
            return name
        }
    }
}

final class RulesCache: @unchecked Sendable {
    private let lock = NSLock()
    private var snapshot: RulesSnapshot?

    func get(_ generation: Int64) -> RulesSnapshot? {
        lock.withLock { snapshot?.generation == generation ? snapshot : nil }
    }

    func set(_ s: RulesSnapshot) { lock.withLock { snapshot = s } }
}

extension Ledger {
    /// The rules to merge with, read again only when departments or rules changed (in this
    /// process or another: the generation is in the database).
    func rules(_ db: Database) throws -> RulesSnapshot {
        let generation =
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT value FROM ledger_meta WHERE key = 'rules_generation'")) ?? 0
        if let cached = rulesCache.get(generation) { return cached }
        let ids = try Self.departmentIDs(db)
        let snapshot = RulesSnapshot(
            generation: generation, map: try Self.ownershipMap(db), departmentIDs: ids,
            departmentCodes: Dictionary(uniqueKeysWithValues: ids.map { ($1, $0) }))
        rulesCache.set(snapshot)
        return snapshot
    }

    /// Marks departments or ownership rules as changed.
    static func rulesChanged(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO ledger_meta (key, value) VALUES ('rules_generation', 1)
                ON CONFLICT (key) DO UPDATE SET value = value + 1
                """)
    }
}
