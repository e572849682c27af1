import Foundation
import Testing

@testable import AssetLedgerCLI

/// `--db` before or after the subcommand, as `--db FILE` or `--db=FILE`, against real files.
@Suite struct GlobalDBTests {
    /// Runs a command line exactly as typed (no `--db` added).
    func run(_ args: [String]) async throws -> String {
        let console = Console.capturing()
        try await Console.$current.withValue(console) { try await AssetLedgerCommand.run(args) }
        return console.captured
    }

    func usageError(_ args: [String]) async -> String? {
        do {
            _ = try await run(args)
            return nil
        } catch {
            #expect(AssetLedgerCommand.exitCode(for: error) == .validationFailure, "\(args): \(error)")
            return AssetLedgerCommand.message(for: error)
        }
    }

    @Test func theDatabaseCanBeNamedBeforeOrAfterTheSubcommand() async throws {
        let s = try Session()
        let other = s.dir.appendingPathComponent("other.sqlite").path
        // Before the subcommand: the import goes to that file.
        let imported = try await run(["--db", s.db, "dept", "import", sample("departments.csv")])
        #expect(imported.contains("10 department(s) added"))
        #expect(FileManager.default.fileExists(atPath: s.db))
        let after = try await run(["dept", "list", "--format", "json", "--db", s.db])
        #expect(after.contains("\"code\" : \"CWC\""))
        #expect(try await run(["--db", s.db, "dept", "list", "--format", "json"]) == after)
        #expect(try await run(["--db=\(s.db)", "dept", "list", "--format", "json"]) == after)
        #expect(try await run(["dept", "list", "--format", "json", "--db=\(s.db)"]) == after)
        // Another file is another ledger: the leading --db really chose the database.
        #expect(try await run(["--db", other, "dept", "list", "--format", "json"]).contains("CWC") == false)
        #expect(FileManager.default.fileExists(atPath: other))
        // The default subcommand (scan run) takes it too.
        let plan = try await run(["--db", s.db, "scan", "198.18.0.0/24", "--dry-run"])
        #expect(plan.contains("targets    254 addresses"))
    }

    @Test func twiceOrWithoutAFileIsAUsageError() async throws {
        let s = try Session()
        let other = s.dir.appendingPathComponent("other.sqlite").path
        let twice = await usageError(["--db", s.db, "dept", "list", "--db", other])
        #expect(twice?.contains("--db is given 2 times") == true)
        #expect(await usageError(["dept", "list", "--db=\(s.db)", "--db", other])?.contains("given 2 times") == true)
        #expect(await usageError(["--db"])?.contains("--db needs a database file") == true)
        #expect(await usageError(["--db", "--help"])?.contains("--db needs a database file") == true)
        #expect(await usageError(["--db=", "dept", "list"])?.contains("names no database file") == true)
        #expect(!FileManager.default.fileExists(atPath: other))
        // Root help names the option.
        #expect(AssetLedgerCommand.helpMessage(columns: 100).contains("assetledger [--db <db>] <subcommand>"))
    }
}
