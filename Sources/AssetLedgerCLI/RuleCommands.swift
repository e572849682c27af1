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
    @Argument(help: "Files or folders to import.") var paths: [String]

    func run() async throws {
        let ledger = try options.open()
        for file in try expand(paths) {
            // Observation lines are streamed through one transaction; other formats are refused
            // by size before they are read: memory stays bounded either way.
            let content: ImportedContent
            switch try InventoryReaders.open(file: file) {
            case .observationLines(let stream):
                let s = try ledger.merge(batches: { try stream.next() })
                Console.current.line(
                    "\(file): \(s.observations) observation(s): \(s.created) new device(s), \(s.matched) matched, \(s.absorbed) duplicate(s) folded, \(s.ambiguous) shared identifier(s) retired"
                )
                continue
            case .content(let c): content = c
            }
            switch content {
            case .observations(let observations):
                let s = try ledger.merge(observations)
                Console.current.line(
                    "\(file): \(s.observations) observation(s): \(s.created) new device(s), \(s.matched) matched, \(s.absorbed) duplicate(s) folded, \(s.ambiguous) shared identifier(s) retired"
                )
            case .endpoint(let report):
                guard device != nil || report.namesItsMachine else {
                    throw InputError(
                        file: file, line: nil,
                        reason: "a \(report.format) output names no machine: give the device with --device ID")
                }
                let s = try ledger.importEndpointReports([report], sourceRef: file, device: device)
                let device = s.deviceIDs.first.map(String.init) ?? "?"
                Console.current.line(
                    "\(file): \(report.format) report -> device \(device) (\(s.merge.created == 1 ? "new" : "known")): \(report.software.count) program(s), \(report.patches.count) patch(es), \(report.antivirus.count) antivirus\(s.olderSections > 0 ? ", older than what the device has: kept as history" : "")"
                )
            }
        }
    }

    /// Files as given, folders as their files (recursively, sorted, hidden ones skipped).
    func expand(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(file: path, line: nil, reason: "no such file or folder")
            }
            guard isDirectory.boolValue else {
                out.append(path)
                continue
            }
            let base = URL(fileURLWithPath: path)
            let files =
                (FileManager.default.enumerator(
                    at: base, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])?
                .compactMap { $0 as? URL } ?? [])
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
                .map(\.path).sorted()
            out += files
        }
        return out
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
