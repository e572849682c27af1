import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerModel
import Reports

/// The scans page (`/scans`): the recorded scans, what changed between the last two, the scan
/// jobs with their last and next run, and the latest runs; IT starts a job now from it. Scans
/// cover the campus, so a liaison is refused (403) like every campus-wide list; an auditor
/// reads it without the buttons.
extension LedgerServer {
    static func addScanPages(to book: RouteBook, pages: Pages, runner: ScanRunner) {
        book.add(.get, "/scans", .reader) { request, context in try pages.scans(request, context) }
        book.add(.post, "/scans/jobs/{id}/run", .admin) { _, context in
            let run = try runner.start(
                String(try API.id(context)), trigger: .manual, actor: context.principal, scope: context.scope)
            return Response.redirect(to: "/scans?started=\(run.id)", type: .found)
        }
        book.add(.post, "/scans/runs/{id}/cancel", .admin) { _, context in
            let run = try runner.cancel(try API.id(context), actor: context.principal, scope: context.scope)
            return Response.redirect(to: "/scans?cancelled=\(run.id)", type: .found)
        }
    }
}

extension Pages {
    static let scanLabels: [String: (String, String)] = [
        "scans": ("扫描", "Scans"), "scanHistory": ("扫描记录", "Recorded scans"),
        "scanDiff": ("两次扫描的变化", "Two scans compared"), "compare": ("与上一次比较", "Compare with the one before"),
        "scanJobs": ("扫描任务", "Scan jobs"),
        "jobRuns": ("任务运行记录", "Job runs"), "method": ("方式", "Method"), "finished": ("结束", "Finished"),
        "targets": ("地址数", "Targets"), "newDevices": ("新设备", "New"), "status": ("状态", "Status"),
        "schedule": ("计划", "Schedule"), "interface": ("网卡", "Interface"), "lastRun": ("上次运行", "Last run"),
        "nextRun": ("下次运行", "Next run"), "runNow": ("立即运行", "Run now"), "trigger": ("触发", "Trigger"),
        "by": ("发起", "By"), "scan": ("扫描", "Scan"), "error": ("原因", "Reason"), "job": ("任务", "Job"),
        "noDiff": ("需要至少两次扫描记录", "Needs two recorded scans"), "newHosts": ("新出现", "New"),
        "goneHosts": ("已消失", "Gone"), "changedHosts": ("有变化", "Changed"), "disabled": ("已停用", "disabled"),
        "runStarted": ("已开始运行", "Started run"),
        "stop": ("停止", "Stop"), "runCancelled": ("已要求停止运行", "Asked to stop run"),
        "noJobs": ("尚无扫描任务(assetledger scan job add)", "No scan jobs yet"),
    ]

    static func runStatusLabel(_ status: String, _ lang: ReportLanguage) -> String {
        let zh = ["ok": "成功", "failed": "失败", "running": "运行中", "cancelled": "已取消"]
        return lang == .zh ? zh[status] ?? status : status
    }

    static func triggerLabel(_ trigger: String, _ lang: ReportLanguage) -> String {
        let zh = ["schedule": "按计划", "manual": "手动"]
        return lang == .zh ? zh[trigger] ?? trigger : trigger
    }

    func runRow(_ r: ScanJobRunOutput, _ lang: ReportLanguage, mayStop: Bool = false) -> [String: Any] {
        [
            "id": r.id, "job": r.jobName, "started": r.started, "finished": r.finished ?? "",
            "mayStop": mayStop && r.status == "running",
            "status": Self.runStatusLabel(r.status, lang), "failed": r.status == "failed",
            "trigger": Self.triggerLabel(r.trigger, lang), "by": r.triggeredBy,
            "scan": r.scan.map(String.init) ?? "", "error": r.error ?? "",
        ]
    }

    /// `/scans`: each table from its use case, in the caller's scope (a liaison's is refused by
    /// the first one).
    func scans(_ request: Request, _ context: LedgerContext) throws -> Response {
        let lang = Self.language(request)
        let scope = context.scope
        let scans = try service.listScans(limit: 20, scope: scope)
        var d = base(lang.pick("扫描", "Scans"), lang, context)
        // Newest first: each scan is compared with the one before it (the next row).
        d["scans"] = scans.enumerated().map { i, scan in
            var row: [String: Any] = [
                "id": scan.id, "method": scan.method, "scope": scan.scope, "started": scan.started,
                "seconds": String(format: "%.1f", scan.seconds), "targets": scan.targets, "answered": scan.answered,
                "newDevices": scan.newDevices, "status": scan.status,
            ]
            if i + 1 < scans.count { row["previous"] = scans[i + 1].id }
            return row
        }
        let pair = try API.scanPair(request)
        if scans.count >= 2 || !pair.isEmpty {
            let diff = try service.diffScans(pair, scope: scope)
            d["diff"] =
                [
                    "before": diff.before, "after": diff.after,
                    "new": diff.new.map {
                        ["ip": $0.ip, "mac": $0.mac ?? "", "name": $0.name ?? "", "ports": $0.ports]
                    },
                    "gone": diff.gone.map {
                        ["ip": $0.ip, "mac": $0.mac ?? "", "name": $0.name ?? "", "ports": $0.ports]
                    },
                    "changed": diff.changed.map {
                        ["ip": $0.ip, "field": $0.field, "before": $0.before ?? "–", "after": $0.after ?? "–"]
                    },
                    "counts": "\(diff.new.count) / \(diff.gone.count) / \(diff.changed.count)",
                ] as [String: Any]
        }
        let mayRun = context.account?.role == .admin
        let jobs = try service.listScanJobs(scope: scope)
        d["hasJobs"] = !jobs.isEmpty
        d["jobs"] = jobs.map { j -> [String: Any] in
            var row: [String: Any] = [
                "id": j.id, "name": j.name, "schedule": j.schedule, "scope": j.scope, "interface": j.interface,
                "enabled": j.enabled, "nextRun": j.nextRun ?? "–", "mayRun": mayRun,
            ]
            if let r = j.lastRun { row["last"] = runRow(r, lang) }
            return row
        }
        d["runs"] = try service.listScanJobRuns(limit: 20, scope: scope).map { runRow($0, lang, mayStop: mayRun) }
        if let started = request.uri.queryParameters["started"].flatMap({ Int64(String($0)) }) {
            d["startedRun"] = started
        }
        if let cancelled = request.uri.queryParameters["cancelled"].flatMap({ Int64(String($0)) }) {
            d["cancelledRun"] = cancelled
        }
        return render("scans", d)
    }
}

extension Templates {
    static let scans = """
        {{> head}}
        <h1>{{t.scans}}</h1>
        {{#startedRun}}<p class="notice">{{t.runStarted}} {{startedRun}}</p>{{/startedRun}}
        {{#cancelledRun}}<p class="notice">{{t.runCancelled}} {{cancelledRun}}</p>{{/cancelledRun}}
        <section><h2>{{t.scanJobs}}</h2>
        {{^hasJobs}}<p>{{t.noJobs}}</p>{{/hasJobs}}
        {{#hasJobs}}<table><thead><tr><th>{{t.job}}</th><th>{{t.schedule}}</th><th>{{t.scope}}</th><th>{{t.interface}}</th><th>{{t.lastRun}}</th><th>{{t.nextRun}}</th><th></th></tr></thead><tbody>
        {{#jobs}}<tr><td>{{name}}{{^enabled}} ({{t.disabled}}){{/enabled}}</td><td>{{schedule}}</td><td>{{scope}}</td><td>{{interface}}</td>
        <td>{{#last}}{{started}} {{status}}{{#failed}}: <span class="error">{{error}}</span>{{/failed}}{{/last}}</td><td>{{nextRun}}</td>
        <td>{{#mayRun}}<form method="post" action="/scans/jobs/{{id}}/run" class="run"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{t.runNow}}</button></form>{{/mayRun}}</td></tr>
        {{/jobs}}</tbody></table>{{/hasJobs}}</section>
        <section><h2>{{t.jobRuns}}</h2>
        <table><thead><tr><th>#</th><th>{{t.job}}</th><th>{{t.trigger}}</th><th>{{t.by}}</th><th>{{t.started}}</th><th>{{t.finished}}</th><th>{{t.status}}</th><th>{{t.scan}}</th><th>{{t.error}}</th></tr></thead><tbody>
        {{#runs}}<tr><td>{{id}}</td><td>{{job}}</td><td>{{trigger}}</td><td>{{by}}</td><td>{{started}}</td><td>{{finished}}</td><td>{{status}}{{#mayStop}}<form method="post" action="/scans/runs/{{id}}/cancel" class="run"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{t.stop}}</button></form>{{/mayStop}}</td><td>{{scan}}</td><td>{{error}}</td></tr>{{/runs}}
        </tbody></table></section>
        <section><h2>{{t.scanDiff}}</h2>
        {{^diff}}<p>{{t.noDiff}}</p>{{/diff}}
        {{#diff}}<p>#{{before}} → #{{after}}: {{t.newHosts}} / {{t.goneHosts}} / {{t.changedHosts}} {{counts}}</p>
        <table><thead><tr><th></th><th>IP</th><th>MAC</th><th>{{t.name}}</th><th>{{t.change}}</th></tr></thead><tbody>
        {{#new}}<tr><td>+ {{t.newHosts}}</td><td>{{ip}}</td><td>{{mac}}</td><td>{{name}}</td><td>{{ports}}</td></tr>{{/new}}
        {{#gone}}<tr><td>− {{t.goneHosts}}</td><td>{{ip}}</td><td>{{mac}}</td><td>{{name}}</td><td>{{ports}}</td></tr>{{/gone}}
        {{#changed}}<tr><td>~ {{t.changedHosts}}</td><td>{{ip}}</td><td colspan="2">{{field}}</td><td>{{before}} → {{after}}</td></tr>{{/changed}}
        </tbody></table>{{/diff}}</section>
        <section><h2>{{t.scanHistory}}</h2>
        <table><thead><tr><th>#</th><th>{{t.method}}</th><th>{{t.scope}}</th><th>{{t.started}}</th><th>s</th><th>{{t.targets}}</th><th>{{t.answered}}</th><th>{{t.newDevices}}</th><th>{{t.status}}</th><th></th></tr></thead><tbody>
        {{#scans}}<tr><td>{{id}}</td><td>{{method}}</td><td>{{scope}}</td><td>{{started}}</td><td class="n">{{seconds}}</td><td class="n">{{targets}}</td><td class="n">{{answered}}</td><td class="n">{{newDevices}}</td><td>{{status}}</td><td>{{#previous}}<a href="/scans?older={{previous}}&amp;newer={{id}}">{{t.compare}}</a>{{/previous}}</td></tr>{{/scans}}
        </tbody></table></section>
        {{> foot}}
        """
}
