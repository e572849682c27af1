import ArgumentParser
import Foundation
import Ingest
import LedgerApp
import LedgerModel
import Reports

struct LicenseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "license", abstract: "The licence register (entitlements): import, list, export.",
        subcommands: [Import.self, List.self, Export.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the licence register with a CSV file (all or nothing).",
            discussion: """
                Header: \(LicenseFile.header.joined(separator: ",")), optionally followed by devices: for an \
                OEM licence the serial numbers of the machines it came with (it covers those machines only). \
                The file is the whole register: \
                licences not in it are removed. Any bad row refuses the file (FILE:LINE: reason); the same \
                contract granting the same pool twice for overlapping periods is refused, two contracts for \
                overlapping pools are listed as warnings.
                """)
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @Argument(help: "CSV file.") var file: String
        @Option(help: "table (a line per warning, then the outcome) or json (LicenseImportOutput).")
        var format: ReportFormat = .table

        func run() async throws {
            let result = try options.service().importLicenses(
                file: file, catalogFiles: catalog.files, scope: .everything, actor: options.actor)
            let lines =
                result.warnings.map { "\(file):\($0.line): warning: \($0.message)" }
                + ["\(file): \(result.imported) licence(s) imported, replacing \(result.replaced)"]
            try emit(format, line: lines.joined(separator: "\n"), json: result)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the licence register.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() async throws {
            let licences = try options.service().listLicenses(scope: .everything)
            let header = [
                "id", "product", "edition", "versions", "metric", "seats", "department", "valid_from", "valid_to",
                "source", "contract", "state",
            ]
            let rows = licences.map { l in
                [
                    String(l.id), l.product, l.edition ?? "", l.versions, l.metric,
                    l.seats.map(String.init) ?? "unlimited",
                    l.department ?? "(campus)", l.validFrom ?? "", l.validTo ?? "", l.source, l.contract ?? "", l.state,
                ]
            }
            try emit(format, header: header, rows: rows, footer: "\(licences.count) licence(s)", json: licences)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the register as the import CSV (UTF-8 with BOM); it re-imports unchanged.")
        @OptionGroup var options: LedgerOptions
        @Option(name: [.short, .long], help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            let csv = try options.service().exportLicenses(scope: .everything)
            if let output {
                try Data(csv.utf8).write(to: URL(fileURLWithPath: output))
            } else {
                Console.current.write(csv)
            }
        }
    }
}

struct ComplianceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compliance",
        abstract: "Installs found against licences, per product edition and department (软件正版化).",
        discussion: """
            Seats are taken from the department's own licences, then its parents', then the campus pool; \
            within each, earliest expiry first, then lowest id. Expired licences do not count; an OEM licence \
            covers only the machines it names (devices column), or else a device whose agent reports an OEM \
            activation. --format xlsx --output FILE writes a \
            workbook: a sheet of the rows (合规情况) and a sheet of the devices behind them (设备明细).
            """)
    @OptionGroup var options: LedgerOptions
    @OptionGroup var catalog: CatalogOptions
    @Option(help: "Department code (sub-departments included).") var dept: String?
    @Option(help: "table, csv, json or xlsx (with --output).") var format: SheetFormat = .table
    @Option(name: [.short, .long], help: "The workbook to write (--format xlsx).") var output: String?
    @Option(help: "Header language: zh or en.") var lang: Lang = .zh
    @Option(help: "Judge as of this day (YYYY-MM-DD), default today.") var at: String?

    func validate() throws {
        if let at, parseDate(at) == nil || at.count != 10 {
            throw ValidationError("--at '\(at)' is not a day YYYY-MM-DD")
        }
        try checkOutput(format, output)
    }

    func run() async throws {
        let rows = try options.service().compliance(
            ComplianceQuery(department: dept, day: at, catalogFiles: catalog.files), scope: .everything)
        let header = lang.header([
            ("类别", "category"), ("软件", "product"), ("版本", "edition"), ("部门", "department"), ("安装数", "installs"),
            ("授权数", "entitled"), ("差额", "delta"), ("状态", "status"), ("设备", "devices"),
        ])
        guard let rowFormat = format.rows, format != .xlsx else {
            try writeWorkbook(ReportLayout.complianceSheets(rows, language: lang.report), to: output ?? "")
            return
        }
        let cells = rows.map { r in
            [
                r.categoryLabel, r.product, r.edition, r.department ?? "(campus)", String(r.installs),
                String(r.entitled),
                String(r.delta), r.status, r.devices.map(String.init).joined(separator: " "),
            ]
        }
        let bad = rows.filter { $0.status == "unlicensed" || $0.status == "expired" }.count
        try emit(
            rowFormat, header: header, rows: cells, footer: "\(rows.count) row(s), \(bad) not compliant", json: rows)
    }
}
