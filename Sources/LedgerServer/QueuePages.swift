import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerModel
import LedgerStore
import Reports

/// `POST /api/v1/claims`.
struct ClaimRequest: Decodable {
    var identifier: String
    var department: String?
    var reason: String
}

/// `POST /api/v1/claims/{id}/decision`.
struct DecisionRequest: Decodable {
    var decision: String
    var note: String?
    var device: Int64?
}

/// `POST /api/v1/devices/assign`.
struct AssignRequest: Decodable {
    var devices: [Int64]
    var department: String
}

/// The unknown-device queue (IT: devices of no department, other departments' claims, devices
/// their department marked not theirs; bulk assignment and decisions) and the claims page (a
/// department files and follows its claims), as pages and as API routes.
enum Queue {
    static let pageSize = 100

    static let labels: [String: (String, String)] = [
        "queue": ("待认领队列", "Unknown-device queue"), "claims": ("设备认领", "Claims"),
        "unassigned": ("无归属部门的设备", "Devices of no department"), "assign": ("分配给所选部门", "Assign to"),
        "openClaims": ("待裁决的认领", "Open claims"), "disputed": ("被部门标记为非本部门的设备", "Marked not ours"),
        "claimant": ("认领部门", "Claimant"), "identifier": ("标识 (MAC/序列号/IP)", "Identifier (MAC/serial/IP)"),
        "owner": ("现归属", "Now in"), "reason": ("理由", "Reason"), "by": ("提交人", "By"), "at": ("时间", "At"),
        "grant": ("同意", "Grant"), "refuse": ("驳回", "Refuse"), "note": ("说明", "Note"), "status": ("状态", "Status"),
        "decision": ("裁决说明", "Decision"), "file": ("提交认领", "File a claim"),
        "fileHelp": (
            "本部门的设备被划到了其他部门或未归属？填写设备标签上的 MAC、序列号或其 IP，由信息中心裁决。",
            "A device of yours listed elsewhere or nowhere? Give its MAC, serial or IP; IT decides."
        ),
        "department": ("部门", "Department"), "device": ("设备", "Device"), "none": ("无", "none"),
        "claimedOn": ("其他部门认领了此设备 (信息中心裁决)", "Claimed by another department (IT decides)"),
    ]

    static func text(_ lang: ReportLanguage) -> [String: String] {
        labels.mapValues { lang.pick($0.0, $0.1) }
    }

    static func statusLabel(_ raw: String, _ lang: ReportLanguage) -> String {
        let zh = ["open": "待裁决", "granted": "已同意", "refused": "已驳回"]
        return lang == .zh ? zh[raw] ?? raw : raw
    }

    static func add(to book: RouteBook, pages: Pages, service: LedgerService) {
        book.add(.get, "/queue", .reader) { request, context in try pages.queue(request, context) }
        book.add(.post, "/queue/assign", .admin) { request, context in
            var request = request
            let pairs = Form.pairs(String(buffer: try await request.collectBody(upTo: 256 << 10)))
            let ids = try Form.ids(pairs, "device")
            let department = pairs.first { $0.0 == "department" }?.1 ?? ""
            _ = try service.assignDevices(ids, to: department, scope: context.scope, actor: context.principal)
            return Response.redirect(to: "/queue", type: .found)
        }
        book.add(.get, "/claims", .reader) { request, context in try pages.claims(request, context) }
        book.add(.post, "/claims", .changer) { request, context in
            let form = try await Form.read(request)
            _ = try service.fileClaim(
                identifier: form["identifier"] ?? "", department: form["department"].flatMap { $0.isEmpty ? nil : $0 },
                reason: form["reason"] ?? "", scope: context.scope, actor: context.principal)
            return Response.redirect(to: "/claims", type: .found)
        }
        book.add(.post, "/claims/{id}/decision", .admin) { request, context in
            let id = try API.id(context)
            let form = try await Form.read(request)
            _ = try service.decideClaim(
                id, grant: try grant(form["decision"]), note: form["note"],
                device: form["device"].flatMap { Int64($0) }, scope: context.scope, actor: context.principal)
            return Response.redirect(to: "/queue", type: .found)
        }
        book.add(.get, "/api/v1/claims", .reader) { request, context in
            let status = request.uri.queryParameters["status"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            return try Response.json(try service.listClaims(status: status, scope: context.scope))
        }
        book.add(.post, "/api/v1/claims", .changer) { request, context in
            let body = try await API.decode(ClaimRequest.self, request, "{\"identifier\": ..., \"reason\": ...}")
            return try Response.json(
                try service.fileClaim(
                    identifier: body.identifier, department: body.department, reason: body.reason,
                    scope: context.scope, actor: context.principal), status: .created)
        }
        book.add(.post, "/api/v1/claims/{id}/decision", .admin) { request, context in
            let id = try API.id(context)
            let body = try await API.decode(
                DecisionRequest.self, request, "{\"decision\": \"grant\" or \"refuse\", \"note\": ...}")
            return try Response.json(
                try service.decideClaim(
                    id, grant: try grant(body.decision), note: body.note, device: body.device, scope: context.scope,
                    actor: context.principal))
        }
        book.add(.post, "/api/v1/devices/assign", .admin) { request, context in
            let body = try await API.decode(AssignRequest.self, request, "{\"devices\": [ids], \"department\": CODE}")
            return try Response.json(
                try service.assignDevices(
                    body.devices, to: body.department, scope: context.scope, actor: context.principal))
        }
    }

    static func grant(_ decision: String?) throws -> Bool {
        switch decision {
        case "grant": return true
        case "refuse": return false
        default: throw LedgerError(.invalidInput, "decision must be grant or refuse")
        }
    }
}

extension Pages {
    /// IT's queue: what no rule placed, what departments claim, what they disowned. Auditors
    /// read it; a liaison is refused (it is campus-wide).
    func queue(_ request: Request, _ context: LedgerContext) throws -> Response {
        guard context.scope == .everything else {
            throw LedgerError(.forbidden, "the queue is IT's: your claims are under /claims")
        }
        let lang = Self.language(request)
        let page = max(1, request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1)
        var listed = try service.listDevicePage(
            DeviceQuery(unassignedOnly: true), scope: context.scope, page: page, size: Queue.pageSize)
        if page > listed.pages {  // past the last page: the last one
            listed = try service.listDevicePage(
                DeviceQuery(unassignedOnly: true), scope: context.scope, page: listed.pages, size: Queue.pageSize)
        }
        var d = base(lang.pick("待认领队列", "Unknown-device queue"), lang, context)
        d["q"] = Queue.text(lang)
        d["isAdmin"] = context.account?.role == .admin
        d["total"] = listed.total
        d["page"] = min(page, listed.pages)  // (past the last page: the last)
        d["pages"] = listed.pages
        let shown = min(page, listed.pages)
        if shown > 1 { d["previous"] = String(shown - 1) }
        if shown < listed.pages { d["next"] = String(shown + 1) }
        d["devices"] = listed.devices.map { v -> [String: Any] in
            [
                "id": v.id, "classLabel": ReportLayout.classLabel(v.deviceClass, lang), "hostname": v.hostname ?? "",
                "ip": v.ips.first ?? "", "mac": v.macs.first ?? "", "vendor": v.vendor ?? "", "model": v.model ?? "",
                "lastSeen": v.lastSeen,
            ]
        }
        d["departmentOptions"] = try service.listDepartments(scope: context.scope).map {
            ["code": $0.code, "name": $0.name]
        }
        d["claims"] = try service.listClaims(status: "open", scope: context.scope).map { c -> [String: Any] in
            [
                "id": c.id, "department": c.department, "identifier": "\(c.identifierKind) \(c.identifier)",
                "device": c.device.map(String.init) ?? "", "hasDevice": c.device != nil,
                "owner": c.deviceDepartment ?? (c.device == nil ? "" : Queue.text(lang)["none"]!), "reason": c.reason,
                "by": c.claimedBy, "at": c.claimedAt,
            ]
        }
        let disputed = try service.reviews(scope: context.scope, status: .notOurs).values.sorted {
            $0.device < $1.device
        }
        let hostnames = Dictionary(
            try service.deviceSummaries(DeviceQuery(ids: disputed.map(\.device)), scope: context.scope).map {
                ($0.id, $0.hostname)
            }, uniquingKeysWith: { a, _ in a })
        d["disputed"] =
            disputed
            .map { r -> [String: Any] in
                [
                    "id": r.device, "hostname": (hostnames[r.device] ?? nil) ?? "",
                    "department": r.department ?? "", "note": r.note ?? "", "by": r.reviewedBy, "at": r.reviewedAt,
                ]
            }
        return render("queue", d)
    }

    /// A department's claims and the form to file one; IT sees every claim here too.
    func claims(_ request: Request, _ context: LedgerContext) throws -> Response {
        let lang = Self.language(request)
        var d = base(lang.pick("设备认领", "Claims"), lang, context)
        d["q"] = Queue.text(lang)
        d["claims"] = try service.listClaims(scope: context.scope).map { c -> [String: Any] in
            [
                "id": c.id, "department": c.department, "identifier": "\(c.identifierKind) \(c.identifier)",
                "reason": c.reason, "status": Queue.statusLabel(c.status, lang), "by": c.claimedBy, "at": c.claimedAt,
                "decision": c.decisionNote ?? "", "device": c.device.map(String.init) ?? "",
                "hasDevice": c.device != nil,
            ]
        }
        if context.account?.mayChange == true {
            d["mayFile"] = true
            d["departmentOptions"] = try service.listDepartments(scope: context.scope).map {
                ["code": $0.code, "name": $0.name]
            }
        }
        return render("claims", d)
    }
}

extension Templates {
    static let queue = """
        {{> head}}
        <h1>{{q.queue}}</h1>
        <section><h2>{{q.openClaims}}</h2>
        <table><thead><tr><th>#</th><th>{{q.claimant}}</th><th>{{q.identifier}}</th><th>{{q.device}}</th><th>{{q.owner}}</th><th>{{q.reason}}</th><th>{{q.by}}</th><th>{{q.at}}</th>{{#isAdmin}}<th></th>{{/isAdmin}}</tr></thead><tbody>
        {{#claims}}<tr><td>{{id}}</td><td>{{department}}</td><td>{{identifier}}</td><td>{{#hasDevice}}<a href="/devices/{{device}}">{{device}}</a>{{/hasDevice}}</td><td>{{owner}}</td><td>{{reason}}</td><td>{{by}}</td><td>{{at}}</td>
        {{#isAdmin}}<td><form method="post" action="/claims/{{id}}/decision" class="decision"><input type="hidden" name="csrf" value="{{csrf}}">
        <input name="note" placeholder="{{q.decision}}"> <button type="submit" name="decision" value="grant">{{q.grant}}</button> <button type="submit" name="decision" value="refuse">{{q.refuse}}</button></form></td>{{/isAdmin}}</tr>{{/claims}}
        </tbody></table></section>
        <section><h2>{{q.unassigned}} ({{total}})</h2>
        {{#isAdmin}}<form method="post" action="/queue/assign" class="assign"><input type="hidden" name="csrf" value="{{csrf}}">{{/isAdmin}}
        <table><thead><tr>{{#isAdmin}}<th></th>{{/isAdmin}}<th>#</th><th>{{t.class}}</th><th>{{t.hostname}}</th><th>IP</th><th>MAC</th><th>{{t.vendor}}</th><th>{{t.model}}</th><th>{{t.lastSeen}}</th></tr></thead><tbody>
        {{#devices}}<tr>{{#isAdmin}}<td><input type="checkbox" name="device" value="{{id}}"></td>{{/isAdmin}}<td><a href="/devices/{{id}}">{{id}}</a></td><td>{{classLabel}}</td><td>{{hostname}}</td><td>{{ip}}</td><td>{{mac}}</td><td>{{vendor}}</td><td>{{model}}</td><td>{{lastSeen}}</td></tr>{{/devices}}
        </tbody></table>
        {{#isAdmin}}<select name="department" required>{{#departmentOptions}}<option value="{{code}}">{{code}} {{name}}</option>{{/departmentOptions}}</select> <button type="submit">{{q.assign}}</button></form>{{/isAdmin}}
        <p class="pages">{{#previous}}<a href="/queue?page={{previous}}">‹ {{t.previous}}</a>{{/previous}} {{page}} / {{pages}} {{#next}}<a href="/queue?page={{next}}">{{t.next}} ›</a>{{/next}}</p>
        </section>
        <section><h2>{{q.disputed}}</h2>
        <table><thead><tr><th>#</th><th>{{t.hostname}}</th><th>{{q.department}}</th><th>{{q.note}}</th><th>{{q.by}}</th><th>{{q.at}}</th></tr></thead><tbody>
        {{#disputed}}<tr><td><a href="/devices/{{id}}">{{id}}</a></td><td>{{hostname}}</td><td>{{department}}</td><td>{{note}}</td><td>{{by}}</td><td>{{at}}</td></tr>{{/disputed}}
        </tbody></table></section>
        {{> foot}}
        """

    static let claims = """
        {{> head}}
        <h1>{{q.claims}}</h1>
        {{#mayFile}}<section><h2>{{q.file}}</h2><p>{{q.fileHelp}}</p>
        <form method="post" action="/claims" class="claim"><input type="hidden" name="csrf" value="{{csrf}}">
        <input name="identifier" placeholder="{{q.identifier}}" required>
        <select name="department">{{#departmentOptions}}<option value="{{code}}">{{code}} {{name}}</option>{{/departmentOptions}}</select>
        <input name="reason" placeholder="{{q.reason}}" required> <button type="submit">{{q.file}}</button></form></section>{{/mayFile}}
        <table><thead><tr><th>#</th><th>{{q.claimant}}</th><th>{{q.identifier}}</th><th>{{q.reason}}</th><th>{{q.status}}</th><th>{{q.decision}}</th><th>{{q.device}}</th><th>{{q.by}}</th><th>{{q.at}}</th></tr></thead><tbody>
        {{#claims}}<tr><td>{{id}}</td><td>{{department}}</td><td>{{identifier}}</td><td>{{reason}}</td><td>{{status}}</td><td>{{decision}}</td><td>{{#hasDevice}}<a href="/devices/{{device}}">{{device}}</a>{{/hasDevice}}</td><td>{{by}}</td><td>{{at}}</td></tr>{{/claims}}
        </tbody></table>
        {{> foot}}
        """
}
