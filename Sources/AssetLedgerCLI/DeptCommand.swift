import ArgumentParser
import Foundation
import Ingest
import LedgerModel
import LedgerStore

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

        func run() async throws {
            let entries = try DepartmentFile.read(try readInput(file), file: file)
            let result = try options.open().importDepartments(entries, file: file)
            Console.current.line("\(file): \(result.added) department(s) added, \(result.updated) updated")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List departments with their device counts.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() async throws {
            let departments = try options.open().departments()
            switch format {
            case .json:
                Console.current.write(try json(departments.map(departmentObject)))
            case .csv:
                Console.current.write(
                    CSVWriter.document(header: DepartmentFile.header, rows: departments.map { csvRow($0.department) }))
            case .table:
                Console.current.write(
                    renderTable(
                        header: ["code", "name", "kind", "parent", "liaison", "sysadmin", "devices"],
                        rows: departments.map { s in
                            let d = s.department
                            return [
                                d.code, String(repeating: "  ", count: s.depth) + d.name, d.kind.chineseName,
                                d.parentCode ?? "", d.liaison.name ?? "(none)",
                                d.sysadmin.name ?? "(none)", String(s.deviceCount),
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
            let departments = try options.open().departments()
            let text = CSVWriter.document(
                header: DepartmentFile.header, rows: departments.map { csvRow($0.department) })
            if let output {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output))
                Console.current.line("\(output): \(departments.count) department(s) written")
            } else {
                Console.current.write(text)
            }
        }
    }
}

func csvRow(_ d: Department) -> [String] {
    [
        d.code, d.name, d.nameEn ?? "", d.kind.rawValue, d.parentCode ?? "", d.leader ?? "", d.liaison.name ?? "",
        d.liaison.phone ?? "", d.liaison.email ?? "", d.sysadmin.name ?? "", d.sysadmin.phone ?? "",
        d.sysadmin.email ?? "",
    ]
}

func departmentObject(_ s: DepartmentSummary) -> [String: Any] {
    let d = s.department
    func contact(_ c: Contact) -> [String: Any] {
        ["name": c.name ?? NSNull(), "phone": c.phone ?? NSNull(), "email": c.email ?? NSNull()]
    }
    return [
        "code": d.code, "name": d.name, "name_en": d.nameEn ?? NSNull(), "kind": d.kind.rawValue,
        "parent_code": d.parentCode ?? NSNull(), "leader": d.leader ?? NSNull(), "liaison": contact(d.liaison),
        "sysadmin": contact(d.sysadmin), "devices": s.deviceCount,
    ]
}
