import ArgumentParser
import Foundation
import Ingest
import LedgerModel
import LedgerStore

struct PostureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posture",
        abstract: "Patch, antivirus and OS support state of every office PC, with the rules each one fails.",
        discussion: "Thresholds: scanners/posture.conf. OS end of support: scanners/os-lifecycle.tsv.")
    @OptionGroup var options: LedgerOptions
    @Option(help: "Department code (sub-departments included).") var dept: String?
    @Flag(help: "Only PCs that fail at least one rule.") var failing = false
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @Option(help: "Thresholds file instead of scanners/posture.conf.") var policy: String?
    @Option(help: "OS end-of-support table instead of scanners/os-lifecycle.tsv.") var lifecycle: String?
    @Option(help: "Judge as of this date (ISO 8601), default now.") var at: String?

    func run() async throws {
        guard let policyPath = policy ?? ScannerData.locate("posture.conf") else {
            throw LedgerError("scanners/posture.conf not found (set ASSETLEDGER_DATA to the scanners folder)")
        }
        guard let lifecyclePath = lifecycle ?? ScannerData.locate("os-lifecycle.tsv") else {
            throw LedgerError("scanners/os-lifecycle.tsv not found (set ASSETLEDGER_DATA to the scanners folder)")
        }
        let rules = try PolicyFile.read(try readInput(policyPath), file: policyPath)
        let table = try LifecycleFile.read(try readInput(lifecyclePath), file: lifecyclePath)
        var now = Date()
        if let at {
            guard let date = ISODate.parse(at) ?? InventoryDate.parse(at) else {
                throw ValidationError("--at '\(at)' is not a date")
            }
            now = date
        }
        let pcs = try options.open().posturePCs(DeviceFilter(department: dept))
        var results = pcs.map { ($0, PostureRules.evaluate($0.input, policy: rules, lifecycle: table, now: now)) }
        if failing { results = results.filter { !$0.1.isEmpty } }
        func day(_ d: Date?) -> String { d.map { $0.formatted(.iso8601.year().month().day()) } ?? "" }
        func avText(_ pc: PosturePC) -> String {
            guard let products = pc.input.antivirus else { return "?" }
            return products.isEmpty
                ? "none" : products.map { $0.name + ($0.enabled == false ? " (off)" : "") }.joined(separator: ", ")
        }
        let header = ["id", "hostname", "department", "os", "last_report", "last_patch", "antivirus", "findings"]
        let rows = results.map { pc, findings in
            [
                String(pc.id), pc.hostname ?? "", pc.department ?? "(unassigned)",
                [pc.input.os?.name, pc.input.os?.build].compactMap { $0 }.joined(separator: " "),
                day(pc.input.lastReport),
                day(pc.input.lastPatch), avText(pc),
                findings.isEmpty ? "ok" : findings.map(\.code.rawValue).joined(separator: " "),
            ]
        }
        let failingCount = results.filter { !$0.1.isEmpty }.count
        try emit(format, header: header, rows: rows, footer: "\(results.count) PC(s), \(failingCount) failing") {
            results.map { pc, findings -> [String: Any] in
                [
                    "id": pc.id, "hostname": pc.hostname ?? NSNull(), "department": pc.department ?? NSNull(),
                    "os": pc.input.os?.name ?? NSNull(), "os_build": pc.input.os?.build ?? NSNull(),
                    "last_report": pc.input.lastReport.map(iso) ?? NSNull(),
                    "last_patch": pc.input.lastPatch.map(iso) ?? NSNull(), "antivirus": avText(pc),
                    "failing": !findings.isEmpty,
                    "findings": findings.map { ["code": $0.code.rawValue, "detail": $0.detail] },
                ]
            }
        }
    }
}
