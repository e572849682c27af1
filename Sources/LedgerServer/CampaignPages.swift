import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerModel
import LedgerStore
import Reports

/// The campaigns' pages: the list, and each campaign's page — a self-check's progress by
/// department, the caller's findings with a form to resolve each one, the PCs to mark checked
/// and the department head's sign-off; a security check's progress. Every form posts to a
/// route that calls the same use case as `assetledger campaign ...`, in the caller's scope.
enum CampaignRoutes {
    static let labels: [String: (String, String)] = [
        "campaigns": ("检查活动", "Campaigns"), "kind": ("类型", "Kind"), "name": ("名称", "Name"),
        "deadline": ("截止日期", "Deadline"), "status": ("状态", "Status"), "progress": ("各部门进度", "Progress"),
        "department": ("部门", "Department"), "findings": ("问题", "Findings"), "open": ("待处理", "Open"),
        "resolved": ("已处理", "Resolved"), "reopened": ("重新打开", "Reopened"), "pcs": ("计算机", "PCs"),
        "checked": ("已自查", "Checked"), "signedBy": ("部门负责人签字", "Signed by"),
        "sample": ("抽查 通过/未通过", "Sample passed/failed"), "device": ("设备", "Device"),
        "product": ("软件", "Product"), "detail": ("说明", "Detail"), "resolution": ("处理方式", "Resolution"),
        "refOrReason": ("采购凭证号或豁免理由", "Licence reference or exemption reason"),
        "resolve": ("提交处理", "Resolve"), "markChecked": ("标记为已自查", "Mark checked"),
        "signOff": ("部门负责人签字确认", "Department head's sign-off"), "by": ("签字人", "Signed by"),
        "statement": ("承诺声明", "Statement"), "sign": ("确认签字", "Sign"), "samples": ("信息中心抽查", "IT's sample"),
        "result": ("结果", "Result"), "note": ("说明", "Note"), "items": ("检查项", "Items"),
        "passed": ("通过", "Passed"), "failed": ("未通过", "Failed"), "unanswered": ("未答复", "Unanswered"),
        "hostname": ("主机名", "Host name"), "checkedBy": ("自查人", "Checked by"), "closed": ("已结束", "closed"),
        "openCampaign": ("发起检查活动", "Open a campaign"), "openButton": ("发起", "Open"),
        "report": ("学校正版化报告", "College report"),
        "drawSample": ("抽取样本", "Draw a sample"), "count": ("台数", "PCs"), "draw": ("抽取", "Draw"),
        "confirmedBy": ("部门确认人", "Confirmed by"), "record": ("记录", "Record"),
        "results": ("检查结果", "Results"), "failingOnly": ("只看未通过", "Failing only"),
        "allDepartments": ("全部部门", "All departments"), "filter": ("筛选", "Filter"),
        "class": ("类别", "Class"), "item": ("检查项", "Item"), "source": ("来源", "Source"),
        "evidence": ("依据", "Evidence"), "comparedWith": ("与上一次比较", "Compared with the one before"),
        "findingsThen": ("上次问题", "Findings then"), "findingsNow": ("本次问题", "Findings now"),
        "devicesThen": ("上次设备", "Devices then"), "devicesNow": ("本次设备", "Devices now"),
        "failedThen": ("上次未通过", "Failed then"), "failedNow": ("本次未通过", "Failed now"),
        "unansweredThen": ("上次未答复", "Unanswered then"), "unansweredNow": ("本次未答复", "Unanswered now"),
        "cut": ("仅显示前", "Showing the first"),
        "cutOf": ("条，共", "of"), "cutHint": ("条；请按部门筛选。", "; pick a department."),
        "close": ("结束活动", "Close the campaign"),
        "closeNote": ("(结束后问题与结果冻结，不可再修改)", "(its findings and results are frozen; no change afterwards)"),
        "statementDefault": (
            "本部门已完成软件正版化自查，所用软件均为正版或已按要求处理。",
            "Our department has completed the self-check; all software in use is licensed or has been dealt with."
        ),
    ]

    /// A check's or a sample's result word (or a result's source) in the page's language.
    static func resultLabel(_ word: String, _ lang: ReportLanguage) -> String {
        let words = [
            "pass": ("通过", "pass"), "fail": ("未通过", "fail"), "na": ("不适用", "n/a"),
            "unanswered": ("未答复", "unanswered"), "auto": ("自动判定", "auto"), "manual": ("人工记录", "by hand"),
            "none": ("–", "–"),
        ]
        return words[word].map { lang.pick($0.0, $0.1) } ?? word
    }

    static let resolutions: [(String, String, String)] = [
        ("uninstalled", "已卸载", "uninstalled"), ("licence-bought", "已采购正版 (填凭证号)", "licence bought (reference)"),
        ("exempt", "豁免 (填理由)", "exempt (reason)"), ("not-ours", "非本部门", "not ours"),
    ]

    static func add(to book: RouteBook, pages: Pages, service: LedgerService) {
        book.add(.get, "/campaigns", .reader) { request, context in try pages.campaigns(request, context) }
        // A campaign's page evaluates the ledger (compliance, posture): off the event loop.
        book.add(.get, "/campaigns/{id}", .reader) { request, context in
            let id = try API.id(context)
            return try await Offload.run { try pages.campaign(request, context, id: id) }
        }
        // IT opens a campaign (a self-check or a security check) and closes it.
        book.add(.post, "/campaigns", .admin) { request, context in
            let form = try await Form.read(request)
            let campaign = try service.openCampaign(
                kind: form["kind"] ?? "", name: form["name"] ?? "", deadline: form["deadline"] ?? "",
                scope: context.scope, actor: context.principal)
            return Response.redirect(to: "/campaigns/\(campaign.id)", type: .found)
        }
        book.add(.post, "/campaigns/{id}/close", .admin) { _, context in
            let id = try API.id(context)
            let (scope, actor) = (context.scope, context.principal)
            try await Offload.run { _ = try service.closeAnyCampaign(id, scope: scope, actor: actor) }
            return Response.redirect(to: "/campaigns/\(id)", type: .found)
        }
        book.add(.post, "/campaigns/{id}/resolve", .changer) { request, context in
            let id = try API.id(context)
            let form = try await Form.read(request)
            _ = try service.resolveFinding(
                campaign: id, finding: form["finding"] ?? "",
                as: try resolution(form["resolution"], detail: form["detail"]), scope: context.scope,
                actor: context.principal)
            return Response.redirect(to: "/campaigns/\(id)", type: .found)
        }
        book.add(.post, "/campaigns/{id}/check", .changer) { request, context in
            let id = try API.id(context)
            var request = request
            let pairs = Form.pairs(String(buffer: try await request.collectBody(upTo: 256 << 10)))
            let devices = try Form.ids(pairs, "device")
            guard devices.count <= LedgerService.maxBatch else {
                throw LedgerError(.invalidInput, "at most \(LedgerService.maxBatch) PCs at once")
            }
            try service.checkPCs(campaign: id, devices: devices, scope: context.scope, actor: context.principal)
            return Response.redirect(to: "/campaigns/\(id)", type: .found)
        }
        book.add(.post, "/campaigns/{id}/sign-off", .changer) { request, context in
            let id = try API.id(context)
            let form = try await Form.read(request)
            try service.signOff(
                campaign: id, department: form["department"] ?? "", by: form["by"] ?? "",
                statement: form["statement"] ?? "", scope: context.scope, actor: context.principal)
            return Response.redirect(to: "/campaigns/\(id)", type: .found)
        }
        // IT draws a department's sample (抽查) and records each sampled PC's inspection.
        book.add(.post, "/campaigns/{id}/sample", .admin) { request, context in
            let id = try API.id(context)
            let form = try await Form.read(request)
            guard let count = Int(form["count"] ?? ""), (1...1000).contains(count) else {
                throw LedgerError(.invalidInput, "count is 1 to 1000 PCs")
            }
            _ = try service.drawSample(
                campaign: id, department: form["department"] ?? "", count: count, scope: context.scope,
                actor: context.principal)
            return Response.redirect(to: "/campaigns/\(id)", type: .found)
        }
        book.add(.post, "/campaigns/{id}/sample-result", .admin) { request, context in
            let id = try API.id(context)
            let form = try await Form.read(request)
            guard let device = Int64(form["device"] ?? "") else { throw LedgerError(.invalidInput, "no device id") }
            try service.recordSampleResult(
                campaign: id, device: device, passed: try passed(form["result"]), note: form["note"] ?? "",
                confirmedBy: form["confirmed_by"] ?? "", scope: context.scope, actor: context.principal)
            return Response.redirect(to: "/campaigns/\(id)", type: .found)
        }
        // A security check's result recorded by hand (a manual item, or an override with its reason).
        book.add(.post, "/campaigns/{id}/result", .changer) { request, context in
            let id = try API.id(context)
            let form = try await Form.read(request)
            guard let device = Int64(form["device"] ?? "") else { throw LedgerError(.invalidInput, "no device id") }
            _ = try service.recordSecurityCheck(
                campaign: id, device: device, item: form["item"] ?? "", result: form["result"] ?? "",
                note: form["note"], scope: context.scope, actor: context.principal)
            let back = Form.query([("dept", form["dept"]), ("failing", form["failing"])])
            return Response.redirect(to: "/campaigns/\(id)" + (back.isEmpty ? "" : "?\(back)"), type: .found)
        }
    }

    /// A finding's resolution from its word and its detail (a bought licence's reference, an
    /// exemption's reason): the console's form and the API's body both come through here.
    static func resolution(_ word: String?, detail: String?) throws -> Resolution {
        let detail = (detail ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        switch word {
        case "uninstalled": return .uninstalled
        case "not-ours": return .notOurs
        case "licence-bought" where !detail.isEmpty: return .licenceBought(reference: detail)
        case "exempt" where !detail.isEmpty: return .exempt(reason: detail)
        case "licence-bought", "exempt":
            throw LedgerError(.invalidInput, "a bought licence needs its reference, an exemption its reason")
        default:
            throw LedgerError(.invalidInput, "resolution must be uninstalled, licence-bought, exempt or not-ours")
        }
    }

    /// A sample's result word: `pass` or `fail`.
    static func passed(_ word: String?) throws -> Bool {
        switch word {
        case "pass": return true
        case "fail": return false
        default: throw LedgerError(.invalidInput, "result is pass or fail")
        }
    }

    /// Rows of a security check's results one page shows (a department's filter narrows them).
    static let resultRows = 500
}

extension Pages {
    func campaigns(_ request: Request, _ context: LedgerContext) throws -> Response {
        let lang = Self.language(request)
        var d = base(lang.pick("检查活动", "Campaigns"), lang, context)
        d["c"] = CampaignRoutes.labels.mapValues { lang.pick($0.0, $0.1) }
        d["campaigns"] = try service.listCampaigns(scope: context.scope).reversed().map {
            [
                "id": $0.id,
                "kind": $0.kind == "self-check"
                    ? lang.pick("软件正版化自查", "self-check")
                    : lang.pick("网络安全检查", "security check"),
                "name": $0.name, "deadline": $0.deadline, "status": $0.status,
            ] as [String: Any]
        }
        if context.account?.role == .admin {
            d["mayOpen"] = true
            d["kinds"] = [
                ["value": "self-check", "label": lang.pick("软件正版化自查", "self-check")],
                ["value": "security-check", "label": lang.pick("网络安全检查", "security check")],
            ]
        }
        return render("campaigns", d)
    }

    func campaign(_ request: Request, _ context: LedgerContext, id: Int64) throws -> Response {
        let lang = Self.language(request)
        let scope = context.scope
        let campaign = try service.campaign(id, scope: scope)
        var d = base(campaign.name, lang, context)
        d["c"] = CampaignRoutes.labels.mapValues { lang.pick($0.0, $0.1) }
        d["campaignId"] = id
        d["name"] = campaign.name
        d["deadline"] = campaign.deadline
        d["status"] = campaign.status
        let changing = context.account?.mayChange == true && campaign.status == "open"
        d["mayClose"] = context.account?.role == .admin && campaign.status == "open"
        d["reportQuery"] = campaign.kind == "security-check" ? "security_check=\(id)" : "campaign=\(id)"
        // The comparison is an addition to the page: one that cannot be made (an older
        // snapshot this version cannot read) is said, and the page still shows.
        do { d["comparison"] = try comparison(campaign, lang, scope) } catch {
            d["comparisonError"] = ErrorOutput(error).message
        }
        if campaign.kind == "security-check" {
            return try securityCheck(request, context, campaign: campaign, changing: changing, d)
        }
        let (show, findings) = try service.selfCheckView(id, scope: scope)
        d["selfCheck"] = true
        d["departments"] = show.departments.map { r -> [String: Any] in
            [
                "department": r.department, "name": r.name, "findings": r.findings, "open": r.open,
                "resolved": r.resolved, "reopened": r.reopened, "pcs": r.pcs, "checked": r.pcsChecked,
                "signedBy": r.signedBy.map { "\($0) (\(r.signedAt ?? ""))" } ?? "", "sampled": r.sampled,
                "samplePassed": r.samplePassed, "sampleFailed": r.sampleFailed,
            ]
        }
        let options = CampaignRoutes.resolutions.map { ["value": $0.0, "label": lang.pick($0.1, $0.2)] }
        d["findings"] = findings.map { f -> [String: Any] in
            var row: [String: Any] = [
                "findingId": f.id, "kind": f.kind, "department": f.department ?? "",
                "device": f.device.map(String.init) ?? "",
                "hasDevice": f.device != nil, "hostname": f.hostname ?? "",
                "product": [f.product, f.edition, f.title].compactMap { $0 }.filter { !$0.isEmpty }.joined(
                    separator: " "),
                "detail": f.detail, "status": f.status,
                "resolution": [f.resolution, f.reference, f.reason].compactMap { $0 }.joined(separator: ": "),
            ]
            if changing && f.status != "resolved" {
                row["resolvable"] = true
                row["options"] = options
            }
            return row
        }
        let pcs = try service.campaignPCs(id, scope: scope)
        d["pcs"] = pcs.map { p -> [String: Any] in
            [
                "device": p.device, "hostname": p.hostname ?? "", "department": p.department ?? "",
                "checked": p.checked, "checkedBy": p.checkedBy.map { "\($0) \(p.checkedAt ?? "")" } ?? "",
                "checkable": changing && !p.checked,
            ]
        }
        let sampling = context.account?.role == .admin && campaign.status == "open"
        d["samples"] = try service.samples(id, scope: scope).map { s -> [String: Any] in
            [
                "device": s.device, "hostname": s.hostname ?? "", "department": s.department,
                "result": s.result.map { CampaignRoutes.resultLabel($0, lang) } ?? "–", "note": s.note ?? "",
                "confirmedBy": s.confirmedBy ?? "", "recordable": sampling,
            ]
        }
        let departmentOptions = try service.listDepartments(scope: scope).map { ["code": $0.code, "name": $0.name] }
        if changing {
            d["changing"] = true
            d["anyCheckable"] = pcs.contains { !$0.checked }
            d["departmentOptions"] = departmentOptions
        }
        if sampling {
            d["sampling"] = true
            d["sampleDepartments"] = departmentOptions
        }
        return render("campaign", d)
    }

    /// A closed campaign against the closed one of its kind before it (last year's): each
    /// department's counts then and now, and what changed in all.
    func comparison(_ campaign: CampaignOutput, _ lang: ReportLanguage, _ scope: DeviceScope) throws -> [String: Any]? {
        guard campaign.status == "closed",
            let previous = try service.previousClosedCampaign(before: campaign.id, scope: scope)
        else { return nil }
        let c = CampaignRoutes.labels.mapValues { lang.pick($0.0, $0.1) }
        var out: [String: Any] = ["old": previous.id, "oldName": previous.name]
        switch try service.compareCampaigns(old: previous.id, new: campaign.id, scope: scope) {
        case .selfCheck(let diff):
            out["headers"] = [c["department"]!, c["findingsThen"]!, c["findingsNow"]!]
            out["rows"] = diff.departments.map { r -> [String: Any] in
                ["cells": [r.department, String(r.oldFindings), String(r.newFindings)]]
            }
            let (added, gone, rows) = (diff.newFindings.count, diff.goneFindings.count, diff.compliance.count)
            out["summary"] = lang.pick(
                "新增问题 \(added) 项，已消除 \(gone) 项，正版化情况变化 \(rows) 行",
                "\(added) new findings, \(gone) gone, \(rows) compliance rows changed")
        case .securityCheck(let diff):
            out["headers"] = [
                c["department"]!, c["devicesThen"]!, c["devicesNow"]!, c["failedThen"]!, c["failedNow"]!,
                c["unansweredThen"]!, c["unansweredNow"]!,
            ]
            out["rows"] = diff.departments.map { r -> [String: Any] in
                let cells: [String] = [
                    r.department ?? "–", String(r.oldDevices), String(r.newDevices), String(r.oldFailed),
                    String(r.newFailed), String(r.oldUnanswered), String(r.newUnanswered),
                ]
                return ["cells": cells]
            }
            let changed = diff.changed.count
            out["summary"] = lang.pick("检查结果变化 \(changed) 项", "\(changed) results changed")
        }
        return out
    }

    /// A security check's page: progress by department, then the results (per device and item)
    /// of the department picked (`dept`; every one in view when none), failing ones only with
    /// `failing=1`; a caller who may change records a result by hand on each row.
    func securityCheck(
        _ request: Request, _ context: LedgerContext, campaign: CampaignOutput, changing: Bool, _ data: [String: Any]
    ) throws -> Response {
        let lang = Self.language(request)
        let (scope, id) = (context.scope, campaign.id)
        var d = data
        let dept = API.department(request)
        let failing = try API.flag(request, "failing")
        let (show, results) = try service.securityCheckView(
            id, SecurityCheckQuery(department: dept, failingOnly: failing), scope: scope)
        d["security"] = show.departments.map { r -> [String: Any] in
            [
                "department": r.department ?? "–", "name": r.name ?? "", "devices": r.devices, "items": r.items,
                "passed": r.passed, "failed": r.failed, "unanswered": r.unanswered,
            ]
        }
        d["resultsTotal"] = results.count
        d["resultsCut"] = results.count > CampaignRoutes.resultRows
        d["resultRows"] = CampaignRoutes.resultRows
        let options = ["pass", "fail", "na"].map { ["value": $0, "label": CampaignRoutes.resultLabel($0, lang)] }
        d["results"] = results.prefix(CampaignRoutes.resultRows).map { r -> [String: Any] in
            [
                "device": r.device, "hostname": r.hostname ?? "", "class": r.deviceClass,
                "department": r.department ?? "–", "item": r.item, "title": lang.pick(r.titleZH, r.titleEN),
                "result": CampaignRoutes.resultLabel(r.result, lang), "bad": r.result == "fail",
                "source": CampaignRoutes.resultLabel(r.source, lang), "evidence": r.evidence ?? "",
                "note": r.note ?? "",
                "checkedBy": [r.checkedBy, r.checkedAt].compactMap { $0 }.joined(separator: " "),
                "recordable": changing, "options": options,
            ]
        }
        d["filterDepartments"] = try service.listDepartments(scope: scope).map { x -> [String: Any] in
            ["code": x.code, "name": x.name, "selected": x.code == dept]
        }
        d["failingChecked"] = failing
        d["dept"] = dept ?? ""
        d["failing"] = failing ? "1" : ""
        return render("campaign", d)
    }
}

extension Templates {
    static let campaigns = """
        {{> head}}
        <h1>{{c.campaigns}}</h1>
        <table><thead><tr><th>#</th><th>{{c.kind}}</th><th>{{c.name}}</th><th>{{c.deadline}}</th><th>{{c.status}}</th></tr></thead><tbody>
        {{#campaigns}}<tr><td>{{id}}</td><td>{{kind}}</td><td><a href="/campaigns/{{id}}">{{name}}</a></td><td>{{deadline}}</td><td>{{status}}</td></tr>{{/campaigns}}
        </tbody></table>
        {{#mayOpen}}<section><h2>{{c.openCampaign}}</h2>
        <form method="post" action="/campaigns" class="open"><input type="hidden" name="csrf" value="{{csrf}}">
        <select name="kind">{{#kinds}}<option value="{{value}}">{{label}}</option>{{/kinds}}</select>
        <input name="name" placeholder="{{c.name}}" required> <label>{{c.deadline}} <input name="deadline" type="date" required></label>
        <button type="submit">{{c.openButton}}</button></form></section>{{/mayOpen}}
        <p><a href="/report">{{c.report}} (HTML)</a> · <a href="/report?format=xlsx">{{c.report}} (XLSX)</a></p>
        {{> foot}}
        """

    static let campaign = """
        {{> head}}
        <h1>{{name}}</h1>
        <p>{{c.deadline}}: {{deadline}} · {{c.status}}: {{status}} · <a href="/report?{{reportQuery}}">{{c.report}} (HTML)</a> · <a href="/report?{{reportQuery}}&amp;format=xlsx">XLSX</a></p>
        {{#mayClose}}<form method="post" action="/campaigns/{{campaignId}}/close" class="close"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{c.close}}</button> {{c.closeNote}}</form>{{/mayClose}}
        <section><h2>{{c.progress}}</h2>
        {{#selfCheck}}<table><thead><tr><th>{{c.department}}</th><th>{{c.name}}</th><th>{{c.findings}}</th><th>{{c.open}}</th><th>{{c.resolved}}</th><th>{{c.reopened}}</th><th>{{c.pcs}}</th><th>{{c.checked}}</th><th>{{c.signedBy}}</th><th>{{c.sample}}</th></tr></thead><tbody>
        {{#departments}}<tr><td>{{department}}</td><td>{{name}}</td><td class="n">{{findings}}</td><td class="n">{{open}}</td><td class="n">{{resolved}}</td><td class="n">{{reopened}}</td><td class="n">{{pcs}}</td><td class="n">{{checked}}</td><td>{{signedBy}}</td><td class="n">{{samplePassed}}/{{sampleFailed}} ({{sampled}})</td></tr>{{/departments}}
        </tbody></table>{{/selfCheck}}
        {{^selfCheck}}<table><thead><tr><th>{{c.department}}</th><th>{{c.name}}</th><th>{{c.device}}</th><th>{{c.items}}</th><th>{{c.passed}}</th><th>{{c.failed}}</th><th>{{c.unanswered}}</th></tr></thead><tbody>
        {{#security}}<tr><td>{{department}}</td><td>{{name}}</td><td class="n">{{devices}}</td><td class="n">{{items}}</td><td class="n">{{passed}}</td><td class="n">{{failed}}</td><td class="n">{{unanswered}}</td></tr>{{/security}}
        </tbody></table>{{/selfCheck}}
        </section>
        {{#comparisonError}}<p class="error">{{comparisonError}}</p>{{/comparisonError}}
        {{#comparison}}<section><h2>{{c.comparedWith}}: #{{old}} {{oldName}}</h2><p>{{summary}}</p>
        <table><thead><tr>{{#headers}}<th>{{.}}</th>{{/headers}}</tr></thead><tbody>
        {{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/rows}}
        </tbody></table></section>{{/comparison}}
        {{#selfCheck}}
        <section><h2>{{c.findings}}</h2>
        <table><thead><tr><th>{{c.department}}</th><th>{{c.device}}</th><th>{{c.kind}}</th><th>{{c.product}}</th><th>{{c.detail}}</th><th>{{c.status}}</th><th>{{c.resolution}}</th></tr></thead><tbody>
        {{#findings}}<tr><td>{{department}}</td><td>{{#hasDevice}}<a href="/devices/{{device}}">{{device}}</a> {{hostname}}{{/hasDevice}}</td><td>{{kind}}</td><td>{{product}}</td><td>{{detail}}</td><td>{{status}}</td>
        <td>{{resolution}}{{#resolvable}}<form method="post" action="/campaigns/{{campaignId}}/resolve" class="resolve"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="finding" value="{{findingId}}">
        <select name="resolution">{{#options}}<option value="{{value}}">{{label}}</option>{{/options}}</select> <input name="detail" placeholder="{{c.refOrReason}}"> <button type="submit">{{c.resolve}}</button></form>{{/resolvable}}</td></tr>{{/findings}}
        </tbody></table></section>
        <section><h2>{{c.pcs}}</h2>
        {{#anyCheckable}}<form method="post" action="/campaigns/{{campaignId}}/check" class="check"><input type="hidden" name="csrf" value="{{csrf}}">{{/anyCheckable}}
        <table><thead><tr><th></th><th>{{c.device}}</th><th>{{c.hostname}}</th><th>{{c.department}}</th><th>{{c.checkedBy}}</th></tr></thead><tbody>
        {{#pcs}}<tr><td>{{#checkable}}<input type="checkbox" name="device" value="{{device}}">{{/checkable}}{{#checked}}✓{{/checked}}</td><td><a href="/devices/{{device}}">{{device}}</a></td><td>{{hostname}}</td><td>{{department}}</td><td>{{checkedBy}}</td></tr>{{/pcs}}
        </tbody></table>
        {{#anyCheckable}}<button type="submit">{{c.markChecked}}</button></form>{{/anyCheckable}}
        </section>
        {{#changing}}<section><h2>{{c.signOff}}</h2>
        <form method="post" action="/campaigns/{{campaignId}}/sign-off" class="sign-off"><input type="hidden" name="csrf" value="{{csrf}}">
        <select name="department">{{#departmentOptions}}<option value="{{code}}">{{code}} {{name}}</option>{{/departmentOptions}}</select>
        <input name="by" placeholder="{{c.by}}" required> <input name="statement" value="{{c.statementDefault}}" size="60" required>
        <button type="submit">{{c.sign}}</button></form></section>{{/changing}}
        <section><h2>{{c.samples}}</h2>
        {{#sampling}}<form method="post" action="/campaigns/{{campaignId}}/sample" class="sample"><input type="hidden" name="csrf" value="{{csrf}}">
        <select name="department">{{#sampleDepartments}}<option value="{{code}}">{{code}} {{name}}</option>{{/sampleDepartments}}</select>
        <label>{{c.count}} <input name="count" type="number" min="1" max="1000" value="5" required></label> <button type="submit">{{c.drawSample}}</button></form>{{/sampling}}
        <table><thead><tr><th>{{c.device}}</th><th>{{c.hostname}}</th><th>{{c.department}}</th><th>{{c.result}}</th><th>{{c.note}}</th><th>{{c.confirmedBy}}</th></tr></thead><tbody>
        {{#samples}}<tr><td><a href="/devices/{{device}}">{{device}}</a></td><td>{{hostname}}</td><td>{{department}}</td><td>{{result}}</td><td>{{note}}</td><td>{{confirmedBy}}
        {{#recordable}}<form method="post" action="/campaigns/{{campaignId}}/sample-result" class="sample-result"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="device" value="{{device}}">
        <select name="result"><option value="pass">{{c.passed}}</option><option value="fail">{{c.failed}}</option></select> <input name="note" placeholder="{{c.note}}"> <input name="confirmed_by" placeholder="{{c.confirmedBy}}" required> <button type="submit">{{c.record}}</button></form>{{/recordable}}</td></tr>{{/samples}}
        </tbody></table></section>
        {{/selfCheck}}
        {{^selfCheck}}<section><h2>{{c.results}}</h2>
        <form method="get" action="/campaigns/{{campaignId}}" class="filter"><select name="dept"><option value="">{{c.allDepartments}}</option>{{#filterDepartments}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{code}} {{name}}</option>{{/filterDepartments}}</select>
        <label><input type="checkbox" name="failing" value="1"{{#failingChecked}} checked{{/failingChecked}}> {{c.failingOnly}}</label> <button type="submit">{{c.filter}}</button></form>
        {{#resultsCut}}<p>{{c.cut}} {{resultRows}} {{c.cutOf}} {{resultsTotal}} {{c.cutHint}}</p>{{/resultsCut}}
        <table><thead><tr><th>{{c.device}}</th><th>{{c.hostname}}</th><th>{{c.class}}</th><th>{{c.department}}</th><th>{{c.item}}</th><th>{{c.result}}</th><th>{{c.source}}</th><th>{{c.evidence}}</th><th>{{c.note}}</th></tr></thead><tbody>
        {{#results}}<tr><td><a href="/devices/{{device}}">{{device}}</a></td><td>{{hostname}}</td><td>{{class}}</td><td>{{department}}</td><td>{{title}}</td><td{{#bad}} class="error"{{/bad}}>{{result}}</td><td>{{source}}</td><td>{{evidence}}</td><td>{{note}} {{checkedBy}}
        {{#recordable}}<form method="post" action="/campaigns/{{campaignId}}/result" class="result"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="device" value="{{device}}"><input type="hidden" name="item" value="{{item}}"><input type="hidden" name="dept" value="{{dept}}"><input type="hidden" name="failing" value="{{failing}}">
        <select name="result">{{#options}}<option value="{{value}}">{{label}}</option>{{/options}}</select> <input name="note" placeholder="{{c.note}}"> <button type="submit">{{c.record}}</button></form>{{/recordable}}</td></tr>{{/results}}
        </tbody></table></section>{{/selfCheck}}
        {{> foot}}
        """
}
