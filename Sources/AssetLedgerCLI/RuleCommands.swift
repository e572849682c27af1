import ArgumentParser
import Foundation
import Ingest
import LedgerApp
import LedgerModel

struct SubnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subnet", abstract: "Subnets owned by departments (longest prefix wins).",
        subcommands: [Import.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import subnet rules from CSV; updates by CIDR and re-applies ownership.",
            discussion: "Header: \(SubnetFile.header.joined(separator: ","))")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "CSV file.") var file: String
        @Option(help: "table (a line of text) or json (RuleImportOutcome).") var format: ReportFormat = .table

        func run() async throws {
            let outcome = try options.service().importSubnets(file: file, scope: .everything, actor: options.actor)
            try emit(format, line: "\(file): \(outcome.imported) subnet rule(s) imported", json: outcome)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List subnet rules.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() async throws {
            let rules = try options.service().listSubnetRules(scope: .everything)
            try emit(
                format, header: ["cidr", "department", "site", "vlan", "note"],
                rows: rules.map {
                    [$0.cidr, $0.department, $0.site ?? "", $0.vlan.map(String.init) ?? "", $0.note ?? ""]
                },
                json: rules)
        }
    }
}

struct HostnameRuleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hostname-rule",
        abstract: "Host-name patterns owned by departments (beat subnet rules; most specific wins).",
        subcommands: [Import.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import host-name rules from CSV; updates by pattern and re-applies ownership.",
            discussion:
                "Header: \(HostnameRuleFile.header.joined(separator: ",")). Patterns are shell globs, e.g. cw-*.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "CSV file.") var file: String
        @Option(help: "table (a line of text) or json (RuleImportOutcome).") var format: ReportFormat = .table

        func run() async throws {
            let outcome = try options.service().importHostnameRules(
                file: file, scope: .everything, actor: options.actor)
            try emit(format, line: "\(file): \(outcome.imported) host-name rule(s) imported", json: outcome)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List host-name rules.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() async throws {
            let rules = try options.service().listHostnameRules(scope: .everything)
            try emit(
                format, header: ["pattern", "department", "note"],
                rows: rules.map { [$0.pattern, $0.department, $0.note ?? ""] }, json: rules)
        }
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Import observations or endpoint inventories (files or folders); the format is told from the content.",
        discussion: """
            Formats, tried in this order:
            \(InventoryReaders.help)
            Each file is one transaction: a bad file is refused with FILE:LINE and writes nothing.
            """)
    @OptionGroup var options: LedgerOptions
    @Option(help: "Attach endpoint data to this device (for raw collector outputs that name no machine).")
    var device: Int64?
    @Option(help: "table (one line per file) or json.") var format: ReportFormat = .table
    @Argument(help: "Files or folders to import.") var paths: [String]

    func run() async throws {
        let service = try options.service()
        var outcomes: [ImportOutcome] = []
        for file in try service.importPaths(paths) {
            let o: ImportOutcome
            do { o = try service.importFile(file, device: device, scope: .everything) } catch {
                // The files before this one are committed: say so (as valid JSON) before failing.
                if format == .json { Console.current.write(try json(outcomes)) }
                throw error
            }
            outcomes.append(o)
            guard format == .table else { continue }
            if let device = o.device {
                Console.current.line(
                    "\(file): \(o.format) report -> device \(device) (\(o.created == 1 ? "new" : "known")): \(o.software ?? 0) program(s), \(o.patches ?? 0) patch(es), \(o.antivirus ?? 0) antivirus\((o.olderSections ?? 0) > 0 ? ", older than what the device has: kept as history" : "")"
                )
            } else {
                Console.current.line(
                    "\(file): \(o.observations) observation(s): \(o.created) new device(s), \(o.matched) matched, \(o.absorbed) duplicate(s) folded, \(o.ambiguous) shared identifier(s) retired"
                )
            }
        }
        if format == .json { Console.current.write(try json(outcomes)) }
    }
}

struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "The database itself.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the file's integrity, foreign keys and the ledger's invariants.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "table or json.") var format: ReportFormat = .table

        func run() async throws {
            let check = try options.service().check(scope: .everything)
            if format == .json {
                Console.current.write(try json(check))
            } else {
                Console.current.line("migrations: \(check.migrations.joined(separator: ", "))")
                Console.current.line(
                    check.counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
                if check.ok {
                    Console.current.line("ok")
                } else {
                    for p in check.problems { Console.current.line("problem: \(p)") }
                }
            }
            if !check.ok { throw ExitCode(1) }
        }
    }
}
