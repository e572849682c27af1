import ArgumentParser
import Foundation
import LedgerApp
import LedgerModel

/// `assetledger`: the campus network asset and endpoint security inventory.
public struct AssetLedgerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "assetledger",
        abstract: "Campus network asset and endpoint security inventory.",
        usage: "assetledger [--db <db>] <subcommand>",
        discussion: """
            --db FILE chooses the database for every subcommand (else $ASSETLEDGER_DB, else \
            ./assetledger.sqlite). It goes before or after the subcommand, as --db FILE or \
            --db=FILE: `assetledger --db campus.sqlite dept list` and \
            `assetledger dept list --db campus.sqlite` are the same. Give it once: twice is a usage error.
            """,
        subcommands: [
            DeptCommand.self, SubnetCommand.self, HostnameRuleCommand.self, DeviceCommand.self,
            ImportCommand.self, SoftwareCommand.self, PostureCommand.self, LicenseCommand.self, ComplianceCommand.self,
            InspectionCommand.self, DomesticCommand.self, CampaignCommand.self,
            StaffCommand.self, CommitmentCommand.self, ReportCommand.self, AuditCommand.self, UserCommand.self,
            TokenCommand.self, ServeCommand.self,
            ScanCommand.self,
            ListenCommand.self, FingerprintCommand.self,
            DBCommand.self,
        ])

    public init() {}
}

/// Options every command that touches the database shares.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: "Database file (else $ASSETLEDGER_DB, else ./assetledger.sqlite).")
    var db: String?

    /// A `--db` given before the subcommand (`assetledger --db X dept list`), lifted out of the
    /// command line by `AssetLedgerCommand.run(_:)`.
    @TaskLocal static var leadingDB: String?

    /// The use cases over the chosen database. The command line sees everything.
    func service() throws -> LedgerService { try LedgerService.open(db: db ?? Self.leadingDB) }

    /// Who the audit log says made a change: `cli:` and the OS user.
    var actor: Principal { Principal.commandLine() }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// `--format` of a command that prints one report or outcome, not rows: text, or the
/// documented JSON. Other words are usage errors, and help lists only these two.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// `--sort -last_seen`: a wrong word is a usage error that lists the keys.
extension DeviceOrder: ExpressibleByArgument {
    public init?(argument: String) { self.init(word: argument) }
    public static var allValueStrings: [String] { Key.allCases.map(\.rawValue) }
    public var defaultValueDescription: String { word }
}

/// `--class printer`: parsed by the argument parser, so a wrong word is a usage error that
/// lists the classes (and help shows them).
extension DeviceClass: ExpressibleByArgument {
    public init?(argument: String) { self.init(word: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
    public var defaultValueDescription: String { rawValue }
}

/// ISO 8601 in UTC, as every output of the ledger shows dates.
func iso(_ date: Date) -> String { isoDate(date) }

/// Runs a LedgerApp parser for an option, its refusal becoming a usage error (exit 64, with
/// the command's usage) instead of a failure of the command.
func usage<T>(_ parse: () throws -> T) throws -> T {
    do { return try parse() } catch let e as LedgerError { throw ValidationError(e.message) }
}

/// Writes an output file (`-o`, `--xml`), naming it when it cannot (code `io`).
func writeOutputFile(_ text: String, to path: String) throws {
    do { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
        throw LedgerError(.io, "\(path): cannot write file: \(error.localizedDescription)")
    }
}

/// An output value as the documented JSON (docs/SCHEMA.md): sorted keys, readable.
func json(_ value: some Encodable) throws -> String {
    String(decoding: try outputEncoder().encode(value), as: UTF8.self) + "\n"
}

extension AssetLedgerCommand {
    /// Parses and runs one command line; errors exit with a message and a non-zero status.
    public static func runMain(_ arguments: [String]? = nil) async {
        // A peer that resets a connection we write to (a TLS close_notify, an HTTP request)
        // must give an error, not kill the process: SIGPIPE is ignored, writes report EPIPE.
        signal(SIGPIPE, SIG_IGN)
        do {
            try await run(arguments ?? Array(CommandLine.arguments.dropFirst()))
        } catch {
            exit(withError: error)
        }
    }

    /// Parses and runs one command line, throwing what the command throws (for tests).
    public static func run(_ arguments: [String]) async throws {
        let (db, rest) = try liftLeadingDB(arguments)
        try await LedgerOptions.$leadingDB.withValue(db) { try await parseAndRun(rest) }
    }

    /// Takes `--db X` / `--db=X` from before the subcommand (the root has no options of its
    /// own, so everything up to the first other word is ours). `--db` may be given once in the
    /// whole command line: a second one, before or after the subcommand, is a usage error
    /// rather than a silent choice of one database over the other.
    static func liftLeadingDB(_ arguments: [String]) throws -> (db: String?, rest: [String]) {
        let beforeTerminator = arguments.prefix { $0 != "--" }
        let mentions = beforeTerminator.filter { $0 == "--db" || $0.hasPrefix("--db=") }.count
        guard mentions <= 1 else { throw ValidationError("--db is given \(mentions) times; give it once") }
        guard let first = arguments.first else { return (nil, arguments) }
        if first.hasPrefix("--db=") {
            let value = String(first.dropFirst("--db=".count))
            guard !value.isEmpty else { throw ValidationError("--db= names no database file") }
            return (value, Array(arguments.dropFirst()))
        }
        guard first == "--db" else { return (nil, arguments) }
        guard arguments.count >= 2, !arguments[1].hasPrefix("-") else {
            throw ValidationError("--db needs a database file: assetledger --db FILE <subcommand>")
        }
        return (arguments[1], Array(arguments.dropFirst(2)))
    }

    static func parseAndRun(_ arguments: [String]) async throws {
        var command = try parseAsRoot(arguments)
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    }
}
