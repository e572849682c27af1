import ArgumentParser
import Foundation
import LedgerApp
import LedgerModel

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

    func validate() throws {
        if let at, parseDate(at) == nil { throw ValidationError("--at '\(at)' is not a date") }
    }

    func run() async throws {
        let results = try options.service().posture(
            PostureQuery(
                department: dept, failingOnly: failing, policyFile: policy, lifecycleFile: lifecycle,
                now: at.flatMap(parseDate) ?? Date()),
            scope: .everything)
        func day(_ d: String?) -> String { d.map { String($0.prefix(10)) } ?? "" }
        let header = ["id", "hostname", "department", "os", "last_report", "last_patch", "antivirus", "findings"]
        let rows = results.map { pc in
            [
                String(pc.id), pc.hostname ?? "", pc.department ?? "(unassigned)",
                [pc.os, pc.osBuild].compactMap { $0 }.joined(separator: " "), day(pc.lastReport), day(pc.lastPatch),
                pc.antivirus, pc.findings.isEmpty ? "ok" : pc.findings.map(\.code).joined(separator: " "),
            ]
        }
        let failingCount = results.filter(\.failing).count
        try emit(
            format, header: header, rows: rows, footer: "\(results.count) PC(s), \(failingCount) failing", json: results
        )
    }
}
