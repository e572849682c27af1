import ArgumentParser
import Foundation
import Ingest
import LedgerModel
import LedgerStore

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

        func run() async throws {
            let rules = try SubnetFile.read(try readInput(file), file: file)
            let n = try options.open().importSubnets(rules, file: file)
            Console.current.line("\(file): \(n) subnet rule(s) imported")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List subnet rules.")
        @OptionGroup var options: LedgerOptions

        func run() async throws {
            let rules = try options.open().subnetRules()
            Console.current.write(
                renderTable(
                    header: ["cidr", "department", "site", "vlan", "note"],
                    rows: rules.map {
                        [
                            $0.network.description, $0.departmentCode, $0.site ?? "", $0.vlan.map(String.init) ?? "",
                            $0.note ?? "",
                        ]
                    }))
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

        func run() async throws {
            let rules = try HostnameRuleFile.read(try readInput(file), file: file)
            let n = try options.open().importHostnameRules(rules, file: file)
            Console.current.line("\(file): \(n) host-name rule(s) imported")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List host-name rules.")
        @OptionGroup var options: LedgerOptions

        func run() async throws {
            let rules = try options.open().hostnameRules()
            Console.current.write(
                renderTable(
                    header: ["pattern", "department", "note"],
                    rows: rules.map { [$0.pattern, $0.departmentCode, $0.note ?? ""] }))
        }
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import observations (JSON Lines, one observation per line) and merge them into devices.",
        discussion: "Each file is one transaction: a bad line rejects the whole file with FILE:LINE and writes nothing."
    )
    @OptionGroup var options: LedgerOptions
    @Argument(help: "Files to import.") var files: [String]

    func run() async throws {
        let ledger = try options.open()
        for file in files {
            let observations = try ObservationFile.read(try readInput(file), file: file)
            let s = try ledger.merge(observations)
            Console.current.line(
                "\(file): \(s.observations) observation(s): \(s.created) new device(s), \(s.matched) matched, \(s.absorbed) duplicate(s) folded, \(s.ambiguous) shared identifier(s) retired"
            )
        }
    }
}

struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "The database itself.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the file's integrity, foreign keys and the ledger's invariants.")
        @OptionGroup var options: LedgerOptions

        func run() async throws {
            let ledger = try options.open()
            let problems = try ledger.check()
            let counts = try ledger.counts()
            Console.current.line("migrations: \(try ledger.appliedMigrations().joined(separator: ", "))")
            Console.current.line(
                counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            if problems.isEmpty {
                Console.current.line("ok")
            } else {
                for p in problems { Console.current.line("problem: \(p)") }
                throw ExitCode(1)
            }
        }
    }
}
