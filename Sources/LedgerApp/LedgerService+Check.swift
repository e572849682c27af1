import Foundation
import LedgerModel
import LedgerStore

/// The database's health (`db check`): migrations applied, row counts per table, and every
/// problem found (integrity, foreign keys, the ledger's invariants); `ok` when none.
public struct CheckOutput: Codable, Equatable, Sendable {
    public var migrations: [String]
    public var counts: [String: Int]
    public var problems: [String]
    public var ok: Bool
}

extension LedgerService {
    /// `db check`.
    public func check(scope: DeviceScope) throws -> CheckOutput {
        try requireEverything(scope, "checking the database")
        let problems = try ledger.check()
        return CheckOutput(
            migrations: try ledger.appliedMigrations(), counts: try ledger.counts(), problems: problems,
            ok: problems.isEmpty)
    }
}
