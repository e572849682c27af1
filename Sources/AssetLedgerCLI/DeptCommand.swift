import ArgumentParser
import Foundation
import Ingest
import LedgerApp
import LedgerModel

struct DeptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dept", abstract: "The department tree: import, list, export.",
        subcommands: [Import.self, List.self, Export.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import departments from CSV (UTF-8 with or without BOM, or GB18030); updates by code.",
            discussion: "Header: \(DepartmentFile.header.joined(separator: ","))")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "CSV file.") var file: String
        @Option(help: "table (a line of text) or json (DepartmentImportOutcome).") var format: ReportFormat = .table

        func run() async throws {
            let result = try options.service().importDepartments(file: file, scope: .everything, actor: options.actor)
            try emit(
                format, line: "\(file): \(result.added) department(s) added, \(result.updated) updated", json: result)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List departments with their device counts.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() async throws {
            let service = try options.service()
            switch format {
            case .json:
                Console.current.write(try json(try service.listDepartments(scope: .everything)))
            case .csv:
                Console.current.write(try service.exportDepartments(scope: .everything).text)
            case .table:
                Console.current.write(
                    renderTable(
                        header: ["code", "name", "kind", "parent", "liaison", "sysadmin", "devices"],
                        rows: try service.listDepartments(scope: .everything).map { d in
                            [
                                d.code, String(repeating: "  ", count: d.depth) + d.name,
                                DepartmentKind(rawValue: d.kind)?.chineseName ?? d.kind, d.parentCode ?? "",
                                d.liaison.name ?? "(none)", d.sysadmin.name ?? "(none)", String(d.devices),
                            ]
                        }))
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export departments as CSV in the import format, UTF-8 with BOM (opens correctly in Excel).")
        @OptionGroup var options: LedgerOptions
        @Option(name: [.short, .long], help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            let (text, count) = try options.service().exportDepartments(scope: .everything)
            if let output {
                try writeOutputFile(text, to: output)
                Console.current.line("\(output): \(count) department(s) written")
            } else {
                Console.current.write(text)
            }
        }
    }
}
