import ArgumentParser
import Foundation
import LedgerApp
import LedgerModel
import Reports

struct CampaignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign",
        abstract:
            "Campaigns: the self-check (自查: findings, resolutions, sign-off, sample) and the security check (网络安全检查).",
        subcommands: [
            Open.self, List.self, Show.self, Findings.self, Resolve.self, CheckPC.self, SignOff.self, Sample.self,
            SampleResult.self, Check.self, Results.self, Close.self, Diff.self,
        ])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a campaign: campaign open self-check|security-check NAME --deadline YYYY-MM-DD.",
            discussion: """
                A security check (网络安全检查) takes its checklist from scanners/security-checklist.tsv (or \
                --checklist FILE) and keeps it as opened: editing the file later changes no open campaign.
                """)
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Kind: self-check or security-check.") var kind: String
        @Argument(help: "Name, e.g. 2026年软件正版化自查 or 2026年网络安全检查.") var name: String
        @Option(help: "Deadline, YYYY-MM-DD.") var deadline: String
        @Option(help: "A checklist instead of scanners/security-checklist.tsv (security-check).") var checklist: String?
        @Option(help: "table (a line of text) or json (CampaignOutput).") var format: ReportFormat = .table

        func validate() throws {
            guard kind == "self-check" || kind == "security-check" else {
                throw ValidationError("kind '\(kind)': self-check or security-check")
            }
        }

        func run() async throws {
            let c = try options.service().openCampaign(
                kind: kind, name: name, deadline: deadline, checklistFile: checklist, scope: .everything,
                actor: options.actor)
            try emit(format, line: "campaign \(c.id) opened: \(c.name), deadline \(c.deadline)", json: c)
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
        static let configuration = CommandConfiguration(
            abstract: "A campaign's progress by department.",
            discussion: """
                A self-check: findings, PCs checked, sign-off and sample per department (CampaignShowOutput). A \
                security check: devices in the check by class and item results passed, failed, n/a and \
                unanswered per department (SecurityCheckShowOutput).
                """)
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @Argument(help: "Campaign id.") var id: Int64
        @Option(help: "Department code (sub-departments included).") var dept: String?
        @Option(help: "table, csv or json.") var format: OutputFormat = .table
        @Option(help: "Header language: zh or en.") var lang: Lang = .zh

        func run() async throws {
            let service = try options.service()
            if try service.campaign(id, scope: .everything).kind == "security-check" {
                try showSecurityCheck(service)
                return
            }
            let show = try service.showCampaign(
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

        func showSecurityCheck(_ service: LedgerService) throws {
            let show = try service.showSecurityCheck(
                id, department: dept, catalogFiles: catalog.files, scope: .everything)
            let header = lang.header([
                ("部门", "department"), ("名称", "name"), ("设备", "devices"), ("设备类别", "by_class"),
                ("检查项", "items"), ("合格", "passed"), ("不合格", "failed"), ("不适用", "na"), ("未答", "unanswered"),
                ("有问题设备", "devices_failing"), ("全部合格设备", "devices_passed"),
            ])
            let rows = show.departments.map { d in
                [
                    d.department ?? "(unassigned)", d.name ?? "", String(d.devices),
                    d.devicesByClass.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
                    String(d.items), String(d.passed), String(d.failed), String(d.na), String(d.unanswered),
                    String(d.devicesFailing), String(d.devicesPassed),
                ]
            }
            try emit(
                format, header: header, rows: rows,
                footer:
                    "campaign \(show.campaign.id) \(show.campaign.name) (security-check, \(show.campaign.status), deadline \(show.campaign.deadline)), \(show.checklist.count) item(s)",
                json: show)
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a security-check item of a device by hand: a manual item, or an override (with --note).",
            discussion: """
                Items are listed by campaign show --format json (checklist). An item the ledger judges \
                (patches, antivirus, ports ...) can be overridden, with the reason as --note. Recording again \
                replaces the earlier result; every record is audited (campaign.security_check).
                """)
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @Argument(help: "Campaign id (a security check).") var id: Int64
        @Argument(help: "Device id.") var device: Int64
        @Argument(help: "Checklist item id, e.g. dev_admin_password.") var item: String
        @Option(help: "pass, fail or na.") var result: String
        @Option(help: "What was found (required to override an automatic item).") var note: String?
        @Option(help: "table (a line of text) or json (SecurityCheckResultOutput).") var format: ReportFormat = .table

        func validate() throws {
            guard ["pass", "fail", "na"].contains(result) else {
                throw ValidationError("--result '\(result)': pass, fail or na")
            }
        }

        func run() async throws {
            let r = try options.service().recordSecurityCheck(
                campaign: id, device: device, item: item, result: result, note: note, catalogFiles: catalog.files,
                scope: .everything, actor: options.actor)
            try emit(
                format,
                line:
                    "device \(device) \(item): \(r.result)\(r.autoResult.map { " (ledger: \($0))" } ?? "") recorded by \(r.checkedBy ?? "")",
                json: r)
        }
    }

    struct Results: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A security check's results, per device per item, with the evidence of each.",
            discussion: """
                Automatic items are judged when asked (never stored while the campaign is open); a closed \
                campaign answers from its snapshot. result is pass, fail, na or unanswered; source is auto, \
                manual (recorded by hand, an override on an automatic item) or none. --format xlsx --output \
                FILE writes a workbook: the results (检查结果) and the progress by department (部门进度).
                """)
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @Argument(help: "Campaign id (a security check).") var id: Int64
        @Option(help: "Department code (sub-departments included).") var dept: String?
        @Flag(help: "Only failed results.") var failing = false
        @Option(help: "table, csv, json or xlsx (with --output).") var format: SheetFormat = .table
        @Option(name: [.short, .long], help: "The workbook to write (--format xlsx).") var output: String?
        @Option(help: "Header and item language: zh or en.") var lang: Lang = .zh

        func validate() throws { try checkOutput(format, output) }

        func run() async throws {
            let service = try options.service()
            let results = try service.securityCheckResults(
                id, SecurityCheckQuery(department: dept, failingOnly: failing, catalogFiles: catalog.files),
                scope: .everything)
            let header = lang.header([
                ("设备", "device"), ("主机名", "hostname"), ("类别", "class"), ("部门", "department"), ("检查项", "item"),
                ("检查内容", "title"), ("结果", "result"), ("来源", "source"), ("自动判断", "auto_result"),
                ("依据", "evidence"), ("备注", "note"), ("检查人", "checked_by"), ("检查时间", "checked_at"),
            ])
            func title(_ r: SecurityCheckResultOutput) -> String { lang == .zh ? r.titleZH : r.titleEN }
            guard let rowFormat = format.rows, format != .xlsx else {
                let progress = try service.securityCheckProgress(
                    campaign: id, department: dept, catalogFiles: catalog.files, scope: .everything)
                try writeWorkbook(Self.sheets(results, progress, lang: lang, header: header), to: output ?? "")
                return
            }
            let rows = results.map { r in
                [
                    String(r.device), r.hostname ?? "", r.deviceClass, r.department ?? "", r.item, title(r), r.result,
                    r.source, r.autoResult ?? "", r.evidence ?? "", r.note ?? "", r.checkedBy ?? "", r.checkedAt ?? "",
                ]
            }
            let failed = results.filter { $0.result == "fail" }.count
            let open = results.filter { $0.result == "unanswered" }.count
            try emit(
                rowFormat, header: header, rows: rows,
                footer: "\(results.count) result(s), \(failed) failed, \(open) unanswered", json: results)
        }

        static func sheets(
            _ results: [SecurityCheckResultOutput], _ progress: [SecurityCheckDepartmentOutput], lang: Lang,
            header: [String]
        ) -> [ReportSheet] {
            let rows = results.map { r -> [ReportCell] in
                [
                    .number(Double(r.device)), .text(r.hostname ?? ""), .text(r.deviceClass), .text(r.department ?? ""),
                    .text(r.item), .text(lang == .zh ? r.titleZH : r.titleEN), .text(r.result), .text(r.source),
                    .text(r.autoResult ?? ""), .text(r.evidence ?? ""), .text(r.note ?? ""), .text(r.checkedBy ?? ""),
                    .text(r.checkedAt ?? ""),
                ]
            }
            let progressHeader = lang.header([
                ("部门", "department"), ("名称", "name"), ("设备", "devices"), ("检查项", "items"), ("合格", "passed"),
                ("不合格", "failed"), ("不适用", "na"), ("未答", "unanswered"), ("有问题设备", "devices_failing"),
                ("全部合格设备", "devices_passed"),
            ])
            let departments = progress.map { d -> [ReportCell] in
                [
                    .text(d.department ?? "(unassigned)"), .text(d.name ?? ""), .int(d.devices), .int(d.items),
                    .int(d.passed), .int(d.failed), .int(d.na), .int(d.unanswered), .int(d.devicesFailing),
                    .int(d.devicesPassed),
                ]
            }
            return [
                ReportSheet(name: lang == .zh ? "检查结果" : "Results", header: header, rows: rows),
                ReportSheet(name: lang == .zh ? "部门进度" : "Departments", header: progressHeader, rows: departments),
            ]
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
        @Option(help: "table (a line per finding) or json (CampaignFindingOutput).") var format: ReportFormat = .table

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
            try emit(
                format,
                line: done.map { "finding \($0.id): \($0.status) (\($0.resolution ?? ""))" }.joined(separator: "\n"),
                json: done)
        }
    }

    struct CheckPC: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-pc", abstract: "Mark PCs checked (several at once: all or none).")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "Campaign id.") var id: Int64
        @Argument(help: "Device ids.") var devices: [Int64]
        @Option(help: "table (a line of text) or json (CampaignPCOutput).") var format: ReportFormat = .table

        func run() async throws {
            let checked = try options.service().checkPCs(
                campaign: id, devices: devices, scope: .everything, actor: options.actor)
            try emit(format, line: "\(devices.count) PC(s) checked in campaign \(id)", json: checked)
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
        @Option(help: "table (a line of text) or json (CampaignSignOffOutput).") var format: ReportFormat = .table

        func run() async throws {
            let signed = try options.service().signOff(
                campaign: id, department: dept, by: by, statement: statement, scope: .everything, actor: options.actor)
            try emit(format, line: "\(dept) signed off campaign \(id) (\(by))", json: signed)
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
        @Option(help: "table (a line of text) or json (CampaignSampleOutput).") var format: ReportFormat = .table

        func validate() throws {
            guard result == "pass" || result == "fail" else {
                throw ValidationError("--result '\(result)': pass or fail")
            }
        }

        func run() async throws {
            let recorded = try options.service().recordSampleResult(
                campaign: id, device: device, passed: result == "pass", note: note, confirmedBy: confirmedBy,
                scope: .everything, actor: options.actor)
            try emit(format, line: "device \(device): \(result)", json: recorded)
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Close a campaign: its findings and compliance (security check: its results) are frozen; it refuses changes afterwards."
        )
        @OptionGroup var options: LedgerOptions
        @OptionGroup var catalog: CatalogOptions
        @Argument(help: "Campaign id.") var id: Int64
        @Option(
            help: "table (a line of text) or json (CampaignShowOutput; a security check: SecurityCheckShowOutput).")
        var format: ReportFormat = .table

        func run() async throws {
            let closed = try options.service().closeAnyCampaign(
                id, catalogFiles: catalog.files, scope: .everything, actor: options.actor)
            let frozen =
                switch closed {
                case .securityCheck(let show): "\(show.departments.reduce(0) { $0 + $1.items }) result(s)"
                case .selfCheck(let show): "\(show.departments.reduce(0) { $0 + $1.findings }) finding(s)"
                }
            try emit(format, line: "campaign \(id) closed: \(frozen) frozen", json: closed)
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What changed between two closed campaigns of one kind.",
            discussion: """
                Self-checks: findings new and gone, each department's count, compliance rows changed \
                (CampaignDiffOutput). Security checks: each department's devices, failed and unanswered \
                then and now, and every device × item whose result changed (SecurityCheckDiffOutput).
                """)
        @OptionGroup var options: LedgerOptions
        @Argument(help: "The older campaign.") var old: Int64
        @Argument(help: "The newer campaign.") var new: Int64
        @Option(help: "table, csv or json.") var format: OutputFormat = .table
        @Option(help: "Header language: zh or en.") var lang: Lang = .zh

        func run() async throws {
            let service = try options.service()
            switch try service.compareCampaigns(old: old, new: new, scope: .everything) {
            case .securityCheck(let diff):
                let header = lang.header([
                    ("部门", "department"), ("上次设备", "old_devices"), ("本次设备", "new_devices"),
                    ("上次不合格", "old_failed"), ("本次不合格", "new_failed"), ("上次未答", "old_unanswered"),
                    ("本次未答", "new_unanswered"),
                ])
                let rows = diff.departments.map { d in
                    [
                        d.department ?? "(unassigned)", String(d.oldDevices), String(d.newDevices), String(d.oldFailed),
                        String(d.newFailed), String(d.oldUnanswered), String(d.newUnanswered),
                    ]
                }
                try emit(
                    format, header: header, rows: rows, footer: "\(diff.changed.count) result(s) changed", json: diff)
            case .selfCheck(let diff):
                let header = lang.header([
                    ("部门", "department"), ("上次问题", "old_findings"), ("本次问题", "new_findings"),
                ])
                let rows = diff.departments.map { [$0.department, String($0.oldFindings), String($0.newFindings)] }
                try emit(
                    format, header: header, rows: rows,
                    footer:
                        "\(diff.newFindings.count) new finding(s), \(diff.goneFindings.count) gone, \(diff.compliance.count) compliance row(s) changed",
                    json: diff)
            }
        }
    }
}
