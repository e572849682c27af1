import Foundation
import HTTPTypes
import Hummingbird
import Ingest
import LedgerApp
import LedgerModel
import LedgerStore
import Mustache
import Reports

/// The console's pages: each builds plain data from one use case's output (in the caller's
/// scope) and renders a template. Chinese by default; `?lang=en` switches (and is remembered in
/// a cookie).
struct Pages: Sendable {
    let library: MustacheLibrary
    let service: LedgerService
    let options: ServerOptions
    static let pageSize = 50
    /// Rows of each dashboard list (failing PCs, products short of licences).
    static let dashboardRows = 10

    init(service: LedgerService, options: ServerOptions) throws {
        self.service = service
        self.options = options
        library = try Templates.library()
    }

    static func language(_ request: Request) -> ReportLanguage {
        if let q = request.uri.queryParameters["lang"], let l = ReportLanguage(rawValue: String(q)) { return l }
        if let c = request.cookies["al_lang"]?.value, let l = ReportLanguage(rawValue: c) { return l }
        return .zh
    }

    static let labels: [String: (String, String)] = [
        "dashboard": ("总览", "Dashboard"), "devices": ("设备", "Devices"), "signOut": ("退出", "Sign out"),
        "signIn": ("登录", "Sign in"), "login": ("用户名", "Login"), "password": ("密码", "Password"),
        "scopeLabel": ("范围", "Scope"), "byClass": ("按类别", "By class"), "byDepartment": ("按部门", "By department"),
        "class": ("类别", "Class"), "count": ("数量", "Count"), "department": ("部门", "Department"), "name": ("名称", "Name"),
        "unassigned": ("待认领设备", "Unassigned devices"), "lastScans": ("最近扫描", "Last scans"), "scope": ("范围", "Scope"),
        "started": ("开始", "Started"), "answered": ("应答", "Answered"), "search": ("搜索主机名、IP、MAC、序列号", "Search"),
        "allClasses": ("全部类别", "All classes"), "filter": ("筛选", "Filter"), "devicesCount": ("台设备", "devices"),
        "hostname": ("主机名", "Host name"), "vendor": ("厂商", "Vendor"), "model": ("型号", "Model"),
        "lastSeen": ("最后发现", "Last seen"), "previous": ("上一页", "Previous"), "next": ("下一页", "Next"),
        "device": ("设备", "Device"), "evidence": ("证据", "Evidence"), "source": ("来源", "Source"),
        "observed": ("时间", "Observed"), "field": ("字段", "Field"), "value": ("值", "Value"), "reason": ("依据", "Reason"),
        "software": ("软件", "Software"), "title": ("名称", "Title"), "version": ("版本", "Version"),
        "publisher": ("发布者", "Publisher"), "history": ("变更记录", "History"), "at": ("时间", "At"),
        "change": ("变更", "Change"), "review": ("部门确认", "Department review"), "responsible": ("责任人", "Responsible"),
        "location": ("位置", "Location"), "note": ("说明", "Note"), "saveReview": ("提交确认", "Save review"),
        "saveCustody": ("保存责任人", "Save"), "reviewCoverage": ("部门确认进度", "Review coverage"),
        "reviewed": ("已确认", "Reviewed"), "queue": ("待认领", "Queue"), "claims": ("认领", "Claims"),
        "openClaims": ("待裁决认领", "Open claims"), "campaigns": ("检查活动", "Campaigns"),
        "commitments": ("承诺书", "Commitments"), "domestic": ("国产化", "Domestic share"),
        "failingPCs": ("未达标的办公电脑", "PCs failing a rule"),
        "of": ("台，共", "of"), "findings": ("问题", "Findings"), "licencePosition": ("正版化", "Licence position"),
        "short": ("项软件授权不足或过期，共", "product editions short of licences or expired, of"),
        "installs": ("安装", "Installs"), "entitled": ("授权", "Entitled"), "status": ("状态", "Status"),
        "product": ("软件", "Product"), "more": ("查看全部", "All"),
        "departments": ("部门", "Departments"), "audit": ("日志", "Audit"),
        "claimedOn": ("其他部门认领了此设备 (信息中心裁决)", "Claimed by another department (IT decides)"),
        "ports": ("端口", "Ports"), "notPortScanned": ("尚未做端口扫描", "No port scan has seen it"),
        "openPorts": ("开放的TCP端口", "Open TCP ports"), "scannedPorts": ("扫描的端口", "Ports asked"),
        "posture": ("终端安全状态", "Endpoint posture"), "os": ("操作系统", "OS"),
        "lastReport": ("最近上报", "Last report"), "lastPatch": ("最近补丁", "Last patch"),
        "antivirus": ("防病毒软件", "Antivirus"), "noFindings": ("无", "none"), "enabled": ("已启用", "Enabled"),
        "signatures": ("病毒库日期", "Signatures"), "signatureAge": ("病毒库天数", "Signature age, days"),
        "patch": ("补丁", "Patch"), "installed": ("安装时间", "Installed"),
    ]

    /// Every page's labels (`t.…`) in each language, picked once.
    static let chinese = labelTable(.zh)
    static let english = labelTable(.en)
    static func labelTable(_ lang: ReportLanguage) -> [String: String] {
        labels.merging(scanLabels, uniquingKeysWith: { a, _ in a }).mapValues { lang.pick($0.0, $0.1) }
    }
    static func picked(_ lang: ReportLanguage) -> [String: String] { lang == .zh ? chinese : english }

    /// What every page's head needs: the labels, the user and the form token.
    func base(_ title: String, _ lang: ReportLanguage, _ context: LedgerContext) -> [String: Any] {
        var d: [String: Any] = [
            "title": title, "lang": lang == .zh ? "zh-CN" : "en", "t": Self.picked(lang),
        ]
        if let a = context.account {
            d["user"] = true
            d["login"] = a.login
            d["roleLabel"] = lang == .zh ? a.role.label : a.role.rawValue
            d["csrf"] = context.csrfToken ?? ""
            // The campus-wide pages (queue, scans) are linked for those who may read them.
            d["campus"] = a.role != .liaison
        }
        return d
    }

    func render(_ template: String, _ data: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        Response.html(Templates.render(template, data, library), status: status)
    }

    func error(status: HTTPResponse.Status, message: String, context: LedgerContext) -> Response {
        var d = base("\(status.code)", .zh, context)
        d["status"] = "\(status.code) \(status.reasonPhrase)"
        d["message"] = message
        return render("error", d, status: status)
    }

    /// The sign-in page, with a fresh double-submit token in its form and its cookie.
    func login(
        _ request: Request, _ context: LedgerContext, message: String? = nil, login: String = "",
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let lang = Self.language(request)
        var d = base(lang.pick("登录", "Sign in"), lang, context)
        d.removeValue(forKey: "user")
        if let message { d["message"] = message }
        d["loginValue"] = login
        let token = LedgerService.randomToken()
        d["loginCsrf"] = token
        var response = render("login", d, status: status)
        response.setCookie(
            Cookie(
                name: loginCookie, value: token, maxAge: 3600, path: "/login", secure: options.secureCookies,
                httpOnly: true, sameSite: .strict))
        return response
    }

    func dashboard(_ request: Request, _ context: LedgerContext) throws -> Response {
        let lang = Self.language(request)
        let scope = context.scope
        let devices = try service.deviceSummaries(scope: scope)
        var byClass: [String: Int] = [:]
        var byDepartment: [String: Int] = [:]
        for d in devices {
            byClass[d.deviceClass.rawValue, default: 0] += 1
            if let code = d.department { byDepartment[code, default: 0] += 1 }
        }
        let names = Dictionary(
            try service.listDepartments(scope: scope).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        var d = base(lang.pick("总览", "Dashboard"), lang, context)
        d["scopeText"] =
            context.account.map {
                $0.role == .liaison ? $0.departments.joined(separator: ", ") : lang.pick("全校", "the whole campus")
            } ?? ""
        d["classes"] = DeviceClass.allCases.compactMap { c -> [String: Any]? in
            guard let n = byClass[c.rawValue] else { return nil }
            return ["name": c.rawValue, "label": ReportLayout.classLabel(c.rawValue, lang), "count": n]
        }
        d["departments"] = byDepartment.keys.sorted().map {
            ["code": $0, "name": names[$0] ?? "", "count": byDepartment[$0]!]
        }
        if scope == .everything {
            d["showUnassigned"] = true
            d["unassigned"] = devices.filter { $0.department == nil }.count
            d["openClaims"] = try service.listClaims(status: "open", scope: scope).count
        }
        d["coverage"] = try service.reviewCoverage(scope: scope).filter { $0.devices > 0 }.map {
            [
                "department": $0.department, "name": $0.name, "devices": $0.devices, "reviewed": $0.reviewed,
                "share": HTMLReport.percent($0.share),
            ] as [String: Any]
        }
        // Office PCs failing a posture rule (the first ones, with what they fail) and the
        // licence position, both in the caller's scope.
        let posture = try service.posture(scope: scope)
        let failing = posture.filter(\.failing)
        d["pcs"] = posture.count
        d["failingCount"] = failing.count
        d["failing"] = failing.prefix(Self.dashboardRows).map { p -> [String: Any] in
            [
                "id": p.id, "hostname": p.hostname ?? "", "department": p.department ?? "",
                "findings": p.findings.map(\.code).joined(separator: ", "),
            ]
        }
        let compliance = try service.compliance(scope: scope)
        let short = compliance.filter { $0.status == "unlicensed" || $0.status == "expired" }
        d["complianceRows"] = compliance.count
        d["complianceShort"] = short.count
        d["unlicensed"] = short.prefix(Self.dashboardRows).map { r -> [String: Any] in
            [
                "product": [r.product, r.edition].filter { !$0.isEmpty }.joined(separator: " "),
                "department": r.department ?? "", "installs": r.installs, "entitled": r.entitled, "status": r.status,
            ]
        }
        if scope == .everything {  // scans cover the campus: IT's and auditors' view
            d["scans"] = try service.listScans(limit: 5, scope: scope).map {
                ["id": $0.id, "scope": $0.scope, "started": $0.started, "answered": $0.answered] as [String: Any]
            }
        }
        return render("dashboard", d)
    }

    func devices(_ request: Request, _ context: LedgerContext) throws -> Response {
        let lang = Self.language(request)
        let q = try API.deviceQuery(request)
        let page = max(1, request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1)
        var listed = try service.listDevicePage(q, scope: context.scope, page: page, size: Self.pageSize)
        let pages = listed.pages
        if page > pages {  // past the last page: the last one
            listed = try service.listDevicePage(q, scope: context.scope, page: pages, size: Self.pageSize)
        }
        var d = base(lang.pick("设备", "Devices"), lang, context)
        d["q"] = q.text ?? ""
        d["dept"] = q.department ?? ""
        if q.order != .byID { d["sort"] = q.order.word }
        d["classOptions"] = DeviceClass.allCases.map {
            ["name": $0.rawValue, "label": ReportLayout.classLabel($0.rawValue, lang), "selected": $0 == q.deviceClass]
                as [String: Any]
        }
        d["total"] = listed.total
        d["page"] = min(page, pages)
        d["pages"] = pages
        func link(_ p: Int, _ order: DeviceOrder? = nil) -> String {
            var items = [URLQueryItem(name: "page", value: String(p))]
            if let t = q.text { items.append(URLQueryItem(name: "q", value: t)) }
            if let c = q.deviceClass { items.append(URLQueryItem(name: "class", value: c.rawValue)) }
            if let dept = q.department { items.append(URLQueryItem(name: "dept", value: dept)) }
            let order = order ?? q.order
            if order != .byID { items.append(URLQueryItem(name: "sort", value: order.word)) }
            var c = URLComponents()
            c.queryItems = items
            return c.percentEncodedQuery ?? ""
        }
        let shown = min(page, pages)
        if shown > 1 { d["previous"] = link(shown - 1) }
        if shown < pages { d["next"] = link(shown + 1) }
        d["exportQuery"] = link(1)
        // Each column's heading sorts by it (the sorted one's flips the direction); MAC does not
        // sort (a device has several, none first).
        let headings: [(DeviceOrder.Key?, String)] = [
            (.id, "#"), (.deviceClass, "class"), (.hostname, "hostname"), (.ip, "IP"), (nil, "MAC"),
            (.vendor, "vendor"), (.model, "model"), (.department, "department"), (.lastSeen, "lastSeen"),
        ]
        let t = Self.picked(lang)
        d["columns"] = headings.map { key, name -> [String: Any] in
            let label = t[name] ?? name
            guard let key else { return ["label": label, "sortable": false] }
            let sorted = q.order.key == key
            return [
                "label": label, "sortable": true, "link": link(1, sorted ? q.order.reversed : DeviceOrder(key)),
                "mark": sorted ? (q.order.descending ? " ▼" : " ▲") : "",
            ]
        }
        d["rows"] = Self.deviceRows(listed.devices, lang)
        return render("devices", d)
    }

    /// The device list's rows: written, not templated (see `HTMLWriter`).
    static func deviceRows(_ devices: [DeviceOutput], _ lang: ReportLanguage) -> SafeHTML {
        var w = HTMLWriter(capacity: devices.count * 400)
        for v in devices {
            w.markup("<tr><td><a href=\"/devices/")
            w.text(v.id)
            w.markup("\">")
            w.text(v.id)
            w.markup("</a></td>")
            w.cell(ReportLayout.classLabel(v.deviceClass, lang))
            w.cell(v.hostname ?? "")
            w.cell(v.ips.first ?? "")
            w.cell(v.macs.first ?? "")
            w.cell(v.vendor ?? "")
            w.cell(v.model ?? "")
            w.cell(v.departmentName ?? v.department ?? "")
            w.cell(v.lastSeen)
            w.markup("</tr>\n")
        }
        return w.html
    }

    static func reviewLabel(_ raw: String, _ lang: ReportLanguage) -> String {
        let zh = ["confirmed": "确认属于本部门", "not_ours": "非本部门设备", "retired": "已报废/停用", "wrong_class": "类别有误"]
        let en = ["confirmed": "confirmed", "not_ours": "not ours", "retired": "retired", "wrong_class": "wrong class"]
        return (lang == .zh ? zh[raw] : en[raw]) ?? raw
    }

    /// A workbook as a download (libxlsxwriter writes files: through a temporary one).
    static func workbook(_ sheets: [ReportSheet], named name: String) throws -> Response {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "al-export-\(UUID().uuidString).xlsx"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Workbook.write(sheets, to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                .contentDisposition: "attachment; filename=\"\(name)\"",
            ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The device list of exactly the current filter (and scope), as CSV (UTF-8 with BOM,
    /// formula prefixes guarded) or XLSX.
    func export(_ request: Request, _ context: LedgerContext) throws -> Response {
        let lang = Self.language(request)
        let q = try API.deviceQuery(request)
        let devices = try service.listDevices(q, scope: context.scope)
        let header = [
            lang.pick("设备编号", "id"), lang.pick("类别", "class"), lang.pick("主机名", "hostname"), "IP", "MAC",
            lang.pick("厂商", "vendor"), lang.pick("型号", "model"), lang.pick("序列号", "serial"),
            lang.pick("部门代码", "department"), lang.pick("部门名称", "department name"),
            lang.pick("最后发现", "last seen"),
        ]
        let rows = devices.map { v -> [String] in
            [
                String(v.id), v.deviceClass, v.hostname ?? "", v.ips.joined(separator: " "),
                v.macs.joined(separator: " "),
                v.vendor ?? "", v.model ?? "", v.serial ?? "", v.department ?? "", v.departmentName ?? "", v.lastSeen,
            ]
        }
        if request.uri.queryParameters["format"] == "xlsx" {
            return try Self.workbook(
                [
                    ReportSheet(
                        name: lang.pick("设备清单", "Devices"), header: header, rows: rows.map { $0.map(ReportCell.text) })
                ], named: "devices.xlsx")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"devices.csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: CSVWriter.document(header: header, rows: rows))))
    }

    func device(_ request: Request, _ context: LedgerContext, id: Int64) throws -> Response {
        let lang = Self.language(request)
        let v = try service.showDevice(id, scope: context.scope)
        var d = base(lang.pick("设备", "Device") + " \(id)", lang, context)
        d["id"] = id
        d["hostname"] = v.device.hostname ?? ""
        let facts: [(String, String, String?)] = [
            ("类别", "Class", ReportLayout.classLabel(v.device.deviceClass, lang)), ("厂商", "Vendor", v.device.vendor),
            ("型号", "Model", v.device.model), ("序列号", "Serial", v.device.serial), ("操作系统", "OS", v.device.os),
            ("固件", "Firmware", v.device.firmware), ("IP", "IP", v.device.ips.joined(separator: ", ")),
            ("MAC", "MAC", v.device.macs.joined(separator: ", ")),
            ("部门", "Department", v.device.departmentName ?? v.device.department),
            ("首次发现", "First seen", v.device.firstSeen), ("最后发现", "Last seen", v.device.lastSeen),
        ]
        d["facts"] = facts.compactMap { f -> [String: Any]? in
            guard let value = f.2, !value.isEmpty else { return nil }
            return ["label": lang.pick(f.0, f.1), "value": value]
        }
        d["evidence"] = v.observations.flatMap { o in
            o.evidence.map { e -> [String: Any] in
                ["source": o.source, "observed": o.observedAt, "field": e.field, "value": e.value, "reason": e.reason]
            }
        }
        d["software"] = (v.endpoint?.software ?? []).map {
            ["name": $0.name, "version": $0.version ?? "", "publisher": $0.publisher ?? ""] as [String: Any]
        }
        if let c = v.custody {
            d["custody"] = [
                "responsible": c.responsible, "location": c.location ?? "", "setBy": c.setBy, "setAt": c.setAt,
            ]
        }
        d["claimedOn"] = try service.claimsOn(device: id, scope: context.scope).map {
            ["department": $0.department, "reason": $0.reason, "by": $0.claimedBy, "at": $0.claimedAt]
        }
        if let r = try service.reviews(scope: context.scope, devices: [id])[id] {
            d["review"] = [
                "status": Self.reviewLabel(r.status, lang), "note": r.note ?? "", "by": r.reviewedBy,
                "at": r.reviewedAt,
            ]
        }
        if context.account?.mayChange == true {
            d["mayChange"] = true
            d["statuses"] = DeviceReview.Status.allCases.map {
                ["value": $0.rawValue, "label": Self.reviewLabel($0.rawValue, lang)]
            }
        }
        d["history"] = v.history.map {
            ["at": $0.at, "source": $0.source, "change": "\($0.field): \($0.old ?? "–") → \($0.new ?? "–")"]
                as [String: Any]
        }
        if let p = v.ports {
            d["ports"] = [
                "open": p.open.isEmpty ? lang.pick("无", "none") : p.open.map(String.init).joined(separator: ", "),
                "scanned": p.scanned ?? "?", "at": p.at,
            ]
        }
        // Office PCs: what the posture rules find, with the agent's patches and antivirus (a
        // posture file that cannot be read is said in its section; the page still shows).
        let judged: PostureOutput?
        do {
            judged =
                v.device.deviceClass == DeviceClass.pc.rawValue
                ? try service.posture(PostureQuery(device: id), scope: context.scope).first : nil
        } catch {
            judged = nil
            d["postureError"] = ErrorOutput(error).message
        }
        if let p = judged {
            let yes = lang.pick("是", "yes")
            let no = lang.pick("否", "no")
            // Newest first (the agent's order is its own), at most 50.
            let newest = (v.endpoint?.patches ?? []).sorted { ($0.installedAt ?? "") > ($1.installedAt ?? "") }
            let patches: [[String: Any]] = newest.prefix(50).map {
                ["id": $0.id, "title": $0.title ?? "", "installedAt": $0.installedAt ?? ""]
            }
            let antivirus: [[String: Any]] = (v.endpoint?.antivirus ?? []).map { a in
                let enabled: String = a.enabled.map { $0 ? yes : no } ?? "?"
                let age: String = a.signatureAgeDays.map(String.init) ?? "?"
                return ["name": a.name, "enabled": enabled, "signatureDate": a.signatureDate ?? "?", "age": age]
            }
            var posture: [String: Any] = [
                "os": [p.os, p.osBuild].compactMap { $0 }.joined(separator: " "), "lastReport": p.lastReport ?? "–",
                "lastPatch": p.lastPatch ?? "–", "antivirus": p.antivirus,
            ]
            posture["findings"] = p.findings.map { ["code": $0.code, "detail": $0.detail] }
            posture["patches"] = patches
            posture["hasPatches"] = !patches.isEmpty
            posture["antivirusProducts"] = antivirus
            posture["hasAntivirus"] = !antivirus.isEmpty
            d["posture"] = posture
        }
        return render("device", d)
    }
}
