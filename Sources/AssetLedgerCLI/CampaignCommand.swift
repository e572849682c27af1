import ArgumentParser
import Foundation
import LedgerApp
import LedgerModel

struct CampaignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign", abstract: "The self-check campaign (自查): findings, resolutions, sign-off, sample.",
        subcommands: [
            Open.self, List.self, Show.self, Findings.self, Resolve.self, CheckPC.self, SignOff.self, Sample.self,
            SampleResult.self, Close.self, Diff.self,
        ])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a campaign: campaign open self-check NAME --deadline YYYY-MM-DD.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Kind: self-check.") var kind: String
        @Argument(help: "Name, e.g. 2026年软件正版化自查.") var name: String
        @Option(help: "Deadline, YYYY-MM-DD.") var deadline: String

        func run() async throws {
            let c = try options.service().openCampaign(
                kind: kind, name: name, deadline: deadline, scope: .everything, actor: options.actor)
            Console.current.line("campaign \(c.id) opened: \(c.name), deadline \(c.deadline)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List campaigns.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "table, csv or json.") var format: OutputFormat = .table
        @Option(help: "Header language: zh or en.") var lang: Lang = .zh

        func run() async throws {
            let list = try options.service().listCampaigns(scope: .everything)
            let header = lang.header([
                ("编号", "id"), ("类型", "kind"), ("名称", "name"), ("截止日期", "deadline"), ("状态", "status"),
                ("开始时间", "opened_at"), ("关闭时间", "closed_at"),
            ])
            let rows = list.map {
                [String($0.id), $0.kind, $0.name, $0.deadline, $0.status, $0.openedAt, $0.closedAt ?? ""]
            }
            try emit(format, header: header, rows: rows, footer: "\(list.count) campaign(s)", json: list)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A campaign's progress by department.")
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @Argument(help: "Campaign id.") var id: Int64
        @Option(help: "Department code (sub-departments included).") var dept: String?
        @Option(help: "table, csv or json.") var format: OutputFormat = .table
        @Option(help: "Header language: zh or en.") var lang: Lang = .zh

        func run() async throws {
            let show = try options.service().showCampaign(
                id, department: dept, catalogFiles: catalog.files, scope: .everything)
            let header = lang.header([
                ("部门", "department"), ("名称", "name"), ("问题", "findings"), ("未处理", "open"), ("已处理", "resolved"),
                ("重新打开", "reopened"), ("计算机", "pcs"), ("已检查", "checked"), ("签字人", "signed_by"),
                ("抽查", "sampled"), ("合格", "passed"), ("不合格", "failed"),
            ])
            let rows = show.departments.map { d in
                [
                    d.department, d.name, String(d.findings), String(d.open), String(d.resolved), String(d.reopened),
                    String(d.pcs), String(d.pcsChecked), d.signedBy ?? "", String(d.sampled), String(d.samplePassed),
                    String(d.sampleFailed),
                ]
            }
            try emit(
                format, header: header, rows: rows,
                footer:
                    "campaign \(show.campaign.id) \(show.campaign.name) (\(show.campaign.status), deadline \(show.campaign.deadline))",
                json: show)
        }
    }

    struct Findings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Findings per department: unlicensed installs, unclassified titles, PCs with no recent report.")
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @Argument(help: "Campaign id.") var id: Int64
        @Option(help: "Department code (sub-departments included).") var dept: String?
        @Option(help: "table, csv or json.") var format: OutputFormat = .table
        @Option(help: "Header language: zh or en.") var lang: Lang = .zh

        func run() async throws {
            let list = try options.service().campaignFindings(
                id, department: dept, catalogFiles: catalog.files, scope: .everything)
            let header = lang.header([
                ("编号", "id"), ("部门", "department"), ("类型", "kind"), ("设备", "device"), ("主机名", "hostname"),
                ("软件", "subject"), ("说明", "detail"), ("状态", "status"), ("处理", "resolution"),
            ])
            let rows = list.map { f in
                [
                    f.id, f.department ?? "", f.kind, f.device.map(String.init) ?? "", f.hostname ?? "",
                    f.title ?? [f.product, f.edition].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " "),
                    f.detail, f.status, f.resolution ?? "",
                ]
            }
            let open = list.filter { $0.status != "resolved" }.count
            try emit(
                format, header: header, rows: rows, footer: "\(list.count) finding(s), \(open) not resolved", json: list
            )
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Resolve findings: --as uninstalled | licence-bought --reference REF | exempt --reason TEXT | not-ours.",
            discussion: "Several findings take the same resolution at once, all or none.")
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @Argument(help: "Campaign id.") var id: Int64
        @Argument(help: "Finding ids (campaign findings).") var findings: [String]
        @Option(name: .customLong("as"), help: "uninstalled, licence-bought, exempt or not-ours.") var resolution:
            String
        @Option(help: "The contract or order (licence-bought).") var reference: String?
        @Option(help: "Why (exempt).") var reason: String?

        func validate() throws {
            guard ["uninstalled", "licence-bought", "exempt", "not-ours"].contains(resolution) else {
                throw ValidationError("--as '\(resolution)': uninstalled, licence-bought, exempt or not-ours")
            }
            if resolution == "licence-bought" && reference == nil {
                throw ValidationError("licence-bought needs --reference")
            }
            if resolution == "exempt" && reason == nil { throw ValidationError("exempt needs --reason") }
        }

        func run() async throws {
            let r: Resolution =
                switch resolution {
                case "uninstalled": .uninstalled
                case "licence-bought": .licenceBought(reference: reference ?? "")
                case "exempt": .exempt(reason: reason ?? "")
                default: .notOurs
                }
            let done = try options.service().resolveFindings(
                campaign: id, findings.map { ($0, r) }, catalogFiles: catalog.files, scope: .everything,
                actor: options.actor)
            for f in done { Console.current.line("finding \(f.id): \(f.status) (\(f.resolution ?? ""))") }
        }
    }

    struct CheckPC: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-pc", abstract: "Mark PCs checked (several at once: all or none).")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Campaign id.") var id: Int64
        @Argument(help: "Device ids.") var devices: [Int64]

        func run() async throws {
            try options.service().checkPCs(campaign: id, devices: devices, scope: .everything, actor: options.actor)
            Console.current.line("\(devices.count) PC(s) checked in campaign \(id)")
        }
    }

    struct SignOff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-off", abstract: "The department head's sign-off.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Campaign id.") var id: Int64
        @Option(help: "Department code.") var dept: String
        @Option(help: "Who signs (the department head).") var by: String
        @Option(help: "The statement signed.") var statement: String

        func run() async throws {
            try options.service().signOff(
                campaign: id, department: dept, by: by, statement: statement, scope: .everything, actor: options.actor)
            Console.current.line("\(dept) signed off campaign \(id) (\(by))")
        }
    }

    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw a deterministic random sample of a department's PCs for inspection (抽查).")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Campaign id.") var id: Int64
        @Option(help: "Department code.") var dept: String
        @Option(help: "How many PCs.") var count: Int
        @Option(help: "Seed (default: the campaign id); the same seed draws the same PCs.") var seed: Int64?
        @Option(help: "table, csv or json.") var format: OutputFormat = .table
        @Option(help: "Header language: zh or en.") var lang: Lang = .zh

        func run() async throws {
            let sample = try options.service().drawSample(
                campaign: id, department: dept, count: count, seed: seed, scope: .everything, actor: options.actor)
            let header = lang.header([("设备", "device"), ("主机名", "hostname"), ("部门", "department"), ("种子", "seed")])
            let rows = sample.map { [String($0.device), $0.hostname ?? "", $0.department, String($0.seed)] }
            try emit(format, header: header, rows: rows, footer: "\(sample.count) PC(s) drawn", json: sample)
        }
    }

    struct SampleResult: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sample-result",
            abstract: "Record a sampled PC's inspection and the department's confirmation.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Campaign id.") var id: Int64
        @Argument(help: "Device id.") var device: Int64
        @Option(help: "pass or fail.") var result: String
        @Option(help: "What was found.") var note: String
        @Option(name: .customLong("confirmed-by"), help: "Who of the department confirmed it.") var confirmedBy: String

        func validate() throws {
            guard result == "pass" || result == "fail" else {
                throw ValidationError("--result '\(result)': pass or fail")
            }
        }

        func run() async throws {
            try options.service().recordSampleResult(
                campaign: id, device: device, passed: result == "pass", note: note, confirmedBy: confirmedBy,
                scope: .everything, actor: options.actor)
            Console.current.line("device \(device): \(result)")
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a campaign: its findings and compliance are frozen; it refuses changes afterwards.")
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @Argument(help: "Campaign id.") var id: Int64

        func run() async throws {
            let show = try options.service().closeCampaign(
                id, catalogFiles: catalog.files, scope: .everything, actor: options.actor)
            Console.current.line(
                "campaign \(id) closed: \(show.departments.reduce(0) { $0 + $1.findings }) finding(s) frozen")
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What changed between two closed campaigns.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "The older campaign.") var old: Int64
        @Argument(help: "The newer campaign.") var new: Int64
        @Option(help: "table, csv or json.") var format: OutputFormat = .table
        @Option(help: "Header language: zh or en.") var lang: Lang = .zh

        func run() async throws {
            let diff = try options.service().diffCampaigns(old: old, new: new, scope: .everything)
            let header = lang.header([("部门", "department"), ("上次问题", "old_findings"), ("本次问题", "new_findings")])
            let rows = diff.departments.map { [$0.department, String($0.oldFindings), String($0.newFindings)] }
            try emit(
                format, header: header, rows: rows,
                footer:
                    "\(diff.newFindings.count) new finding(s), \(diff.goneFindings.count) gone, \(diff.compliance.count) compliance row(s) changed",
                json: diff)
        }
    }
}
