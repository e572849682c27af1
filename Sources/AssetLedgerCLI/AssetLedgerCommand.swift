import ArgumentParser
import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// `assetledger`: the campus network asset and endpoint security inventory.
public struct AssetLedgerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "assetledger",
        abstract: "Campus network asset and endpoint security inventory.",
        subcommands: [
            DeptCommand.self, SubnetCommand.self, HostnameRuleCommand.self, DeviceCommand.self,
            ImportCommand.self, SoftwareCommand.self, PostureCommand.self, ScanCommand.self, ListenCommand.self,
            DBCommand.self,
        ])

    public init() {}
}

/// Options every command that touches the database shares.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: "Database file (else $ASSETLEDGER_DB, else ./assetledger.sqlite).")
    var db: String?

    func open() throws -> Ledger {
        try Ledger.open(path: Ledger.defaultPath(option: db, environment: ProcessInfo.processInfo.environment))
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// Reads a whole input file, naming it in the error when it cannot.
func readInput(_ path: String, limit: Int = 256 << 20) throws -> Data {
    let url = URL(fileURLWithPath: path)
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    guard FileManager.default.isReadableFile(atPath: path) else {
        throw InputError(file: path, line: nil, reason: "cannot read file")
    }
    if let size, size > limit {
        throw InputError(
            file: path, line: nil, reason: "file of \(size >> 20) MB is larger than the \(limit >> 20) MB accepted")
    }
    do { return try Data(contentsOf: url) } catch {
        throw InputError(file: path, line: nil, reason: "cannot read file: \(error.localizedDescription)")
    }
}

/// ISO 8601 in UTC, as every output of the ledger shows dates.
func iso(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
}

func json(_ value: Any) throws -> String {
    let data = try JSONSerialization.data(
        withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self) + "\n"
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
        var command = try parseAsRoot(arguments)
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    }
}
