import ArgumentParser
import Foundation
import LedgerApp
import LedgerModel
import Reports

/// The language of table and CSV headers of the legalization commands: Chinese by default
/// (the forms the college files are Chinese), `--lang en` for English. JSON keys never change.
enum Lang: String, ExpressibleByArgument, CaseIterable {
    case zh, en

    /// The header in this language: `pairs` are (Chinese, English).
    func header(_ pairs: [(String, String)]) -> [String] { pairs.map { self == .zh ? $0.0 : $0.1 } }

    /// The same language for the report layouts.
    var report: ReportLanguage { self == .zh ? .zh : .en }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit log: who changed what, when (licences, self-check, manual edits, rule imports).",
        discussion: """
            Append-only: every change is recorded in the change's own transaction and never altered. \
            --dept shows the entries of one department and its sub-departments (campus-wide entries, \
            such as a rule import, are shown only without --dept).
            """)
    @OptionGroup var options: LedgerOptions
    @Option(help: "Department code (sub-departments included).") var dept: String?
    @Option(help: "Entries from this day or time on (YYYY-MM-DD or ISO 8601).") var since: String?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @Option(help: "Header language: zh or en.") var lang: Lang = .zh

    func validate() throws {
        if let since, parseDate(since) == nil { throw ValidationError("--since '\(since)' is not a date YYYY-MM-DD") }
    }

    func run() async throws {
        let entries = try options.service().auditLog(
            department: dept, since: since.flatMap(parseDate), scope: .everything)
        let header = lang.header([
            ("编号", "id"), ("时间", "at"), ("操作人", "actor"), ("操作", "action"), ("对象类型", "entity_kind"),
            ("对象", "entity_id"), ("部门", "department"), ("详情", "details"),
        ])
        let rows = entries.map { e in
            [
                String(e.id), e.at, e.actor, e.action, e.entityKind, e.entityId ?? "", e.department ?? "",
                JSONValue.object(e.details).text,
            ]
        }
        try emit(format, header: header, rows: rows, footer: "\(entries.count) entr(ies)", json: entries)
    }
}
