import ArgumentParser
import Foundation
import LedgerApp
import LedgerModel
import Reports

struct InspectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspection",
        abstract: "The three ledgers a legalization inspection asks for (软件正版化检查台账).",
        discussion: """
            summary: 软件使用情况汇总表 (per category, product, edition and department); detail: \
            软件使用情况明细表 (one row per install); maintenance: 软件安装维护情况明细表 (installs, removals and \
            version changes between agent reports, --from/--to); workbook: all three in one XLSX; page: all three as one printable HTML page. Summary and \
            detail are the compliance use case's rows and installs (see `compliance`).
            """,
        subcommands: [Summary.self, Detail.self, Maintenance.self, WorkbookFile.self, Page.self])

    /// What every inspection ledger takes.
    struct Options: ParsableArguments {
        @Option(help: "Department code (sub-departments included).") var dept: String?
        @Option(help: "Summary and detail: judge licences as of this day (YYYY-MM-DD), default today.") var at: String?
        @Option(help: "Maintenance: events from this day (YYYY-MM-DD, China Standard Time, included).")
        var from: String?
        @Option(help: "Maintenance: events up to this day (YYYY-MM-DD, included).") var to: String?
        @Option(help: "Header language: zh or en.") var lang: Lang = .zh

        func validate() throws {
            for (name, value) in [("--at", at), ("--from", from), ("--to", to)] {
                if let value, parseDate(value) == nil || value.count != 10 {
                    throw ValidationError("\(name) '\(value)' is not a day YYYY-MM-DD")
                }
            }
            if let from, let to, to < from { throw ValidationError("--to \(to) is before --from \(from)") }
        }

        func query(_ catalog: CatalogOptions) -> InspectionQuery {
            InspectionQuery(department: dept, day: at, from: from, to: to, catalogFiles: catalog.files)
        }
    }

    /// One ledger: its rows in a format, or its sheet as a workbook.
    struct Table {
        var sheet: ReportSheet
        var strings: [[String]]
        var footer: String
    }

    struct Summary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "软件使用情况汇总表: installs, seats and licence sources per category, product, edition, department.")
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var inspection: Options
        @Option(help: "table, csv, json or xlsx (with --output).") var format: SheetFormat = .table
        @Option(name: [.short, .long], help: "The workbook to write (--format xlsx).") var output: String?

        func validate() throws { try checkOutput(format, output) }

        func run() async throws {
            let rows = try options.service().inspectionSummary(inspection.query(catalog), scope: .everything)
            try InspectionCommand.emit(InspectionCommand.summary(rows, inspection.lang), format, output, json: rows)
        }
    }

    struct Detail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "软件使用情况明细表: one row per install, with its licence or why it has none.")
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var inspection: Options
        @Option(help: "table, csv, json or xlsx (with --output).") var format: SheetFormat = .table
        @Option(name: [.short, .long], help: "The workbook to write (--format xlsx).") var output: String?

        func validate() throws { try checkOutput(format, output) }

        func run() async throws {
            let rows = try options.service().inspectionDetail(inspection.query(catalog), scope: .everything)
            try InspectionCommand.emit(InspectionCommand.detail(rows, inspection.lang), format, output, json: rows)
        }
    }

    struct Maintenance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "软件安装维护情况明细表: titles installed, removed or upgraded between agent reports.",
            discussion: """
                A device's first software report is its baseline (no events); each newer report's software \
                list is compared with the one it replaces; an older report arriving late changes nothing. \
                The day of an event is its report's collection time.
                """)
        @OptionGroup var options: LedgerOptions
        @OptionGroup var inspection: Options
        @Option(help: "table, csv, json or xlsx (with --output).") var format: SheetFormat = .table
        @Option(name: [.short, .long], help: "The workbook to write (--format xlsx).") var output: String?

        func validate() throws { try checkOutput(format, output) }

        func run() async throws {
            let rows = try options.service().inspectionMaintenance(
                InspectionQuery(department: inspection.dept, from: inspection.from, to: inspection.to),
                scope: .everything)
            try InspectionCommand.emit(InspectionCommand.maintenance(rows, inspection.lang), format, output, json: rows)
        }
    }

    struct WorkbookFile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "workbook", abstract: "All three ledgers as one XLSX workbook, one sheet each.")
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var inspection: Options
        @Option(name: [.short, .long], help: "The workbook to write (.xlsx).") var output: String

        func run() async throws {
            let service = try options.service()
            let query = inspection.query(catalog)
            let lang = inspection.lang
            let sheets = [
                InspectionCommand.summary(try service.inspectionSummary(query, scope: .everything), lang).sheet,
                InspectionCommand.detail(try service.inspectionDetail(query, scope: .everything), lang).sheet,
                InspectionCommand.maintenance(try service.inspectionMaintenance(query, scope: .everything), lang)
                    .sheet,
            ]
            try writeWorkbook(sheets, to: output)
        }
    }

    struct Page: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "page", abstract: "All three ledgers as one printable HTML page (standard output or --output)."
        )
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var inspection: Options
        @Option(name: [.short, .long], help: "The page to write (.html); else standard output.") var output: String?

        func run() async throws {
            let service = try options.service()
            let query = inspection.query(catalog)
            let lang = inspection.lang
            let tables = [
                InspectionCommand.summary(try service.inspectionSummary(query, scope: .everything), lang).sheet,
                InspectionCommand.detail(try service.inspectionDetail(query, scope: .everything), lang).sheet,
                InspectionCommand.maintenance(try service.inspectionMaintenance(query, scope: .everything), lang)
                    .sheet,
            ]
            let report = lang.report
            let doc = ReportDocument(
                title: report.pick("软件正版化检查台账", "Legalization inspection ledgers"),
                subtitle: report.pick(
                    "范围：\(inspection.dept ?? "全校")　统计日期：\(inspection.at ?? LedgerService.today())",
                    "Scope: \(inspection.dept ?? "the whole college") · as of \(inspection.at ?? LedgerService.today())"
                ),
                language: report, sections: tables.map { ReportSection(title: $0.name, tables: [$0]) })
            let page = HTMLReport.render(doc)
            guard let output else {
                Console.current.write(page)
                return
            }
            do {
                try Data(page.utf8).write(to: URL(fileURLWithPath: output))
            } catch {
                throw LedgerError(.io, "\(output): cannot write (\(error.localizedDescription))")
            }
            Console.current.line(
                "\(output): \(tables.count) ledger(s), \(tables.reduce(0) { $0 + $1.rows.count }) row(s)")
        }
    }

    static func emit(_ table: Table, _ format: SheetFormat, _ output: String?, json: some Encodable) throws {
        guard let rowFormat = format.rows, format != .xlsx else {
            try writeWorkbook([table.sheet], to: output ?? "")
            return
        }
        try AssetLedgerCLI.emit(
            rowFormat, header: table.sheet.header, rows: table.strings, footer: table.footer, json: json)
    }

    /// Text for the table and CSV, the same cells typed for the workbook.
    static func table(
        _ name: (String, String), _ header: [(String, String)], _ rows: [[ReportCell]], _ lang: Lang, footer: String
    ) -> Table {
        let strings = rows.map { $0.map(HTMLReport.text) }
        return Table(
            sheet: ReportSheet(name: lang == .zh ? name.0 : name.1, header: lang.header(header), rows: rows),
            strings: strings, footer: footer)
    }

    static func yesNo(_ b: Bool, _ lang: Lang) -> ReportCell {
        .text(lang == .zh ? (b ? "是" : "否") : (b ? "yes" : "no"))
    }

    static func summary(_ rows: [InspectionSummaryOutput], _ lang: Lang) -> Table {
        let cells = rows.map { r -> [ReportCell] in
            [
                .text(r.categoryLabel), .text(r.product), .text(r.edition), .text(r.department ?? "(campus)"),
                .text(r.departmentName ?? ""), .int(r.installs), .int(r.entitled), .int(r.consumed), .int(r.unlicensed),
                .text(r.licenceSources.joined(separator: " ")), .text(r.contracts.joined(separator: " ")),
                yesNo(r.domestic, lang), .text(r.status),
            ]
        }
        let unlicensed = rows.reduce(0) { $0 + $1.unlicensed }
        return table(
            ("软件使用情况汇总表", "Software use summary"),
            [
                ("软件类别", "category"), ("软件名称", "product"), ("软件版本", "edition"), ("部门代码", "department"),
                ("部门名称", "department name"), ("安装数量", "installs"), ("授权数量", "entitled"),
                ("已用授权", "consumed"), ("未授权数量", "unlicensed"), ("授权来源", "licence source"),
                ("合同编号", "contracts"), ("是否国产", "domestic"), ("状态", "status"),
            ], cells, lang, footer: "\(rows.count) row(s), \(unlicensed) unlicensed install(s)")
    }

    static func detail(_ rows: [InspectionDetailOutput], _ lang: Lang) -> Table {
        let cells = rows.map { r -> [ReportCell] in
            [
                .number(Double(r.device)), .text(r.hostname ?? ""), .text(r.department ?? ""),
                .text(r.departmentName ?? ""), .text(r.responsible ?? ""), .text(r.categoryLabel), .text(r.product),
                .text(r.edition), .text(r.version), yesNo(r.licensed, lang), .text(r.licenceSource ?? ""),
                .text(r.contract ?? ""), yesNo(r.homeEdition, lang), yesNo(r.evaluation, lang),
            ]
        }
        return table(
            ("软件使用情况明细表", "Software use detail"),
            [
                ("设备编号", "device"), ("计算机名", "host name"), ("部门代码", "department"), ("部门名称", "department name"),
                ("责任人", "responsible"), ("软件类别", "category"), ("软件名称", "product"), ("软件版本", "edition"),
                ("版本号", "version"), ("是否正版", "licensed"), ("授权来源", "licence source"), ("合同编号", "contract"),
                ("家庭版", "home edition"), ("评估版", "evaluation"),
            ], cells, lang,
            footer: "\(rows.count) install(s), \(rows.filter { !$0.licensed }.count) unlicensed")
    }

    static func maintenance(_ rows: [InspectionEventOutput], _ lang: Lang) -> Table {
        let cells = rows.map { r -> [ReportCell] in
            [
                .number(Double(r.device)), .text(r.hostname ?? ""), .text(r.department ?? ""),
                .text(r.departmentName ?? ""), .text(r.title), .text(r.publisher ?? ""), .text(r.version ?? ""),
                .text(r.previousVersion ?? ""), .text(r.event), .text(r.at), .text(r.installedAt ?? ""),
                .number(Double(r.report)),
            ]
        }
        return table(
            ("软件安装维护情况明细表", "Software maintenance"),
            [
                ("设备编号", "device"), ("计算机名", "host name"), ("部门代码", "department"), ("部门名称", "department name"),
                ("软件名称", "title"), ("发布者", "publisher"), ("版本号", "version"), ("原版本号", "previous version"),
                ("操作", "event"), ("日期", "at"), ("安装日期", "installed at"), ("报告编号", "report"),
            ], cells, lang, footer: "\(rows.count) event(s)")
    }
}
