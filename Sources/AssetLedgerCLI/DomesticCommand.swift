import ArgumentParser
import Foundation
import LedgerApp
import Reports

struct DomesticCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "domestic",
        abstract: "Domestic share (国产化率) of software installs, licence spend and hardware, against the targets.",
        discussion: """
            Software by installs (one per device per product edition, as compliance counts them; domestic from \
            the catalog's flag), by licence spend (amount_cny, by year of valid_from; licences without a date \
            in a row of no year, without an amount counted as unpriced) and hardware by the maker of each \
            device's vendor (scanners/manufacturers.tsv) per device class. Share = domestic / (domestic + \
            foreign): unknown vendors and virtual machines are outside it, never counted as either. Targets \
            from scanners/domestic-targets.tsv (a row holds from its year until a later one). --year judges \
            installs and devices against that year's targets and shows only that year's spend. --dept counts \
            the department's devices and licences only (the campus pool counts for the whole college). \
            --format xlsx --output FILE writes the shares (国产化率) and the products and makers behind them (明细).
            """)
    @OptionGroup var options: LedgerOptions
    @OptionGroup var catalog: CatalogOptions
    @Option(help: "Department code (sub-departments included).") var dept: String?
    @Option(help: "The year judged (YYYY), default this year; spend of that year only.") var year: Int?
    @Option(help: "Extra manufacturer dictionary (read before the shipped one); repeatable.")
    var manufacturers: [String] = []
    @Option(help: "A targets table instead of scanners/domestic-targets.tsv.") var targets: String?
    @Option(help: "table, csv, json or xlsx (with --output).") var format: SheetFormat = .table
    @Option(name: [.short, .long], help: "The workbook to write (--format xlsx).") var output: String?
    @Option(help: "Header language: zh or en.") var lang: Lang = .zh

    func validate() throws {
        if let year, !(2000...2100).contains(year) { throw ValidationError("--year \(year) is not a year 2000...2100") }
        try checkOutput(format, output)
    }

    func run() async throws {
        let rows = try options.service().domesticShare(
            DomesticShareQuery(
                department: dept, year: year, catalogFiles: catalog.files, manufacturerFiles: manufacturers,
                targetsFile: targets), scope: .everything)
        let header = Self.header(lang)
        guard let rowFormat = format.rows, format != .xlsx else {
            try writeWorkbook(Self.sheets(rows, lang: lang), to: output ?? "")
            return
        }
        let cells = rows.map { r in
            [
                Self.measure(r.measure, lang), lang == .zh ? r.categoryLabel : r.category,
                r.year.map(String.init) ?? "",
                Self.amount(r.domestic), Self.amount(r.foreign), Self.amount(r.unknown), Self.amount(r.virtual),
                r.share.map(Self.percent) ?? "", r.target.map(Self.percent) ?? "",
                r.met.map { $0 ? (lang == .zh ? "是" : "yes") : (lang == .zh ? "否" : "no") } ?? "",
            ]
        }
        let missed = rows.filter { $0.met == false }.count
        try emit(
            rowFormat, header: header, rows: cells, footer: "\(rows.count) row(s), \(missed) below target", json: rows)
    }

    static func header(_ lang: Lang) -> [String] {
        lang.header([
            ("口径", "measure"), ("类别", "category"), ("年度", "year"), ("国产", "domestic"), ("非国产", "foreign"),
            ("未知", "unknown"), ("虚拟机", "virtual"), ("国产占比", "share"), ("目标", "target"), ("达标", "met"),
        ])
    }

    static func measure(_ raw: String, _ lang: Lang) -> String {
        guard lang == .zh else { return raw }
        switch raw {
        case "installs": return "软件安装"
        case "spend": return "软件采购金额(元)"
        case "devices": return "硬件设备"
        default: return raw
        }
    }

    /// Counts as integers, yuan with their decimals.
    static func amount(_ v: Double) -> String {
        v == v.rounded() ? String(Int64(v)) : String(format: "%.2f", v)
    }

    static func percent(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }

    /// The shares, and one row per product or maker behind them.
    static func sheets(_ rows: [DomesticShareOutput], lang: Lang) -> [ReportSheet] {
        let shares = rows.map { r -> [ReportCell] in
            [
                .text(measure(r.measure, lang)), .text(lang == .zh ? r.categoryLabel : r.category),
                r.year.map { .int($0) } ?? .empty, .number(r.domestic), .number(r.foreign), .number(r.unknown),
                .number(r.virtual), r.share.map { .share($0) } ?? .empty, r.target.map { .share($0) } ?? .empty,
                r.met.map { .text($0 ? (lang == .zh ? "是" : "yes") : (lang == .zh ? "否" : "no")) } ?? .empty,
            ]
        }
        var items: [[ReportCell]] = []
        for r in rows where r.category != "all" {
            for i in r.items {
                items.append([
                    .text(measure(r.measure, lang)), .text(lang == .zh ? r.categoryLabel : r.category),
                    r.year.map { .int($0) } ?? .empty, .text(i.name ?? "(none)"), .text(i.nameZh ?? ""),
                    .text(status(i.status, lang)), .number(i.value),
                ])
            }
        }
        let itemHeader = lang.header([
            ("口径", "measure"), ("类别", "category"), ("年度", "year"), ("产品/厂商", "product or maker"),
            ("中文名", "name_zh"), ("属性", "status"), ("数量/金额", "value"),
        ])
        return [
            ReportSheet(name: lang == .zh ? "国产化率" : "Domestic share", header: header(lang), rows: shares),
            ReportSheet(name: lang == .zh ? "明细" : "Items", header: itemHeader, rows: items),
        ]
    }

    static func status(_ raw: String, _ lang: Lang) -> String {
        guard lang == .zh else { return raw }
        switch raw {
        case "domestic": return "国产"
        case "foreign": return "非国产"
        case "unknown": return "未知厂商"
        case "virtual": return "虚拟机"
        default: return raw
        }
    }
}
