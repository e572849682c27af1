import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerModel
import Reports

/// The legalization pages beside the campaigns: the staff commitments (承诺书) — coverage by
/// department for a year, who has not signed, and a form to record a signature — and the
/// domestic share (国产化). Each is the CLI's use case (`commitment status|sign`, `domestic`)
/// in the caller's scope.
enum LegalizationRoutes {
    static let labels: [String: (String, String)] = [
        "commitments": ("正版软件承诺书", "Licensed-software commitments"), "year": ("年度", "Year"),
        "department": ("部门", "Department"), "name": ("名称", "Name"), "staff": ("教职工", "Staff"),
        "signed": ("已签", "Signed"), "unsigned": ("未签", "Unsigned"), "share": ("签署率", "Share"),
        "whoUnsigned": ("尚未签署的教职工", "Staff who have not signed"), "employee": ("工号", "Employee id"),
        "person": ("姓名", "Name"), "email": ("邮箱", "Email"), "signedOn": ("签署日期", "Signed on"),
        "sign": ("登记签署", "Record signature"), "allDepartments": ("全部部门", "All departments"),
        "filter": ("筛选", "Filter"), "cut": ("仅显示前", "Showing the first"), "cutOf": ("人，共", "of"),
        "noStaff": (
            "尚未导入教职工名单 (assetledger commitment staff FILE.csv)",
            "No staff list yet (assetledger commitment staff FILE.csv)"
        ),
        "domestic": ("国产化率", "Domestic share"), "measure": ("口径", "Measure"), "category": ("类别", "Category"),
        "domesticValue": ("国产", "Domestic"), "foreign": ("国外", "Foreign"), "unknown": ("未知", "Unknown"),
        "target": ("目标", "Target"), "met": ("达标", "Met"), "makers": ("主要厂商/产品", "Makers / products"),
        "installs": ("软件安装数", "software installs"), "spend": ("授权金额 (元)", "licence spend (CNY)"),
        "devices": ("硬件台数", "devices"), "domesticShare": ("国产占比", "Domestic share"), "yes": ("是", "yes"),
        "no": ("否", "no"),
    ]

    /// Unsigned staff one page lists (a department's filter narrows them).
    static let unsignedRows = 500

    static func add(to book: RouteBook, pages: Pages, service: LedgerService) {
        book.add(.get, "/commitments", .reader) { request, context in try pages.commitments(request, context) }
        book.add(.post, "/commitments/sign", .changer) { request, context in
            let form = try await Form.read(request)
            guard let year = Int(form["year"] ?? "") else { throw LedgerError(.invalidInput, "year is a number") }
            _ = try service.signCommitment(
                employee: form["employee"] ?? "", year: year, day: form["day"].flatMap { $0.isEmpty ? nil : $0 },
                scope: context.scope, actor: context.principal)
            let back = Form.query([("year", String(year)), ("dept", form["dept"])])
            return Response.redirect(to: "/commitments?\(back)", type: .found)
        }
        book.add(.get, "/domestic", .reader) { request, context in
            let (scope, dept) = (context.scope, API.department(request))
            let year = try ReportRoutes.year(request)
            let shares = try await Offload.run {
                try service.domesticShare(
                    DomesticShareQuery(department: dept, year: year), scope: scope)
            }
            return try pages.domestic(request, context, shares, department: dept)
        }
    }
}

extension Pages {
    func commitments(_ request: Request, _ context: LedgerContext) throws -> Response {
        let lang = Self.language(request)
        let scope = context.scope
        let year = try ReportRoutes.year(request) ?? LedgerService.currentYear()
        let dept = API.department(request)
        var d = base(lang.pick("正版软件承诺书", "Commitments"), lang, context)
        d["l"] = LegalizationRoutes.labels.mapValues { lang.pick($0.0, $0.1) }
        d["year"] = year
        d["dept"] = dept ?? ""
        let coverage = try service.commitmentCoverage(department: dept, year: year, scope: scope)
        d["coverage"] = coverage.map { c -> [String: Any] in
            [
                "department": c.department, "name": c.name, "staff": c.staff, "signed": c.signed,
                "unsigned": c.unsigned, "share": HTMLReport.percent(c.share), "short": c.unsigned > 0,
            ]
        }
        d["noStaff"] = coverage.isEmpty
        let unsigned = try service.unsignedStaff(department: dept, year: year, scope: scope)
        let mayChange = context.account?.mayChange == true
        d["unsigned"] = unsigned.prefix(LegalizationRoutes.unsignedRows).map { s -> [String: Any] in
            [
                "employee": s.employeeId, "name": s.name, "department": s.department, "email": s.email ?? "",
                "signable": mayChange,
            ]
        }
        d["unsignedTotal"] = unsigned.count
        d["unsignedCut"] = unsigned.count > LegalizationRoutes.unsignedRows
        d["unsignedRows"] = LegalizationRoutes.unsignedRows
        d["today"] = LedgerService.today()
        d["filterDepartments"] = try service.listDepartments(scope: scope).map { x -> [String: Any] in
            ["code": x.code, "name": x.name, "selected": x.code == dept]
        }
        return render("commitments", d)
    }

    func domestic(
        _ request: Request, _ context: LedgerContext, _ shares: [DomesticShareOutput], department: String?
    ) throws -> Response {
        let lang = Self.language(request)
        var d = base(lang.pick("国产化率", "Domestic share"), lang, context)
        let l = LegalizationRoutes.labels.mapValues { lang.pick($0.0, $0.1) }
        d["l"] = l
        func number(_ v: Double) -> String { v.rounded() == v ? String(Int(v)) : String(format: "%.2f", v) }
        d["measures"] = ["installs", "spend", "devices"].compactMap { measure -> [String: Any]? in
            let rows = shares.filter { $0.measure == measure }
            guard !rows.isEmpty else { return nil }
            return [
                "measure": l[measure] ?? measure,
                "rows": rows.map { r -> [String: Any] in
                    [
                        "category": r.categoryLabel, "year": r.year.map(String.init) ?? "–",
                        "domestic": number(r.domestic), "foreign": number(r.foreign), "unknown": number(r.unknown),
                        "share": r.share.map(HTMLReport.percent) ?? "–",
                        "target": r.target.map(HTMLReport.percent) ?? "–",
                        "met": r.met.map { $0 ? l["yes"]! : l["no"]! } ?? "–", "short": r.met == false,
                        "makers": r.items.sorted { $0.value > $1.value }.prefix(5).map { item in
                            "\(lang == .zh ? item.nameZh ?? item.name ?? "–" : item.name ?? "–") \(number(item.value))"
                        }.joined(separator: " · "),
                    ]
                },
            ]
        }
        d["filterDepartments"] = try service.listDepartments(scope: context.scope).map { x -> [String: Any] in
            ["code": x.code, "name": x.name, "selected": x.code == department]
        }
        return render("domestic", d)
    }
}

extension Templates {
    static let commitments = """
        {{> head}}
        <h1>{{l.commitments}} · {{year}}</h1>
        <form method="get" action="/commitments" class="filter"><label>{{l.year}} <input name="year" type="number" min="2000" max="2100" value="{{year}}"></label>
        <select name="dept"><option value="">{{l.allDepartments}}</option>{{#filterDepartments}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{code}} {{name}}</option>{{/filterDepartments}}</select>
        <button type="submit">{{l.filter}}</button></form>
        {{#noStaff}}<p>{{l.noStaff}}</p>{{/noStaff}}
        <table><thead><tr><th>{{l.department}}</th><th>{{l.name}}</th><th>{{l.staff}}</th><th>{{l.signed}}</th><th>{{l.unsigned}}</th><th>{{l.share}}</th></tr></thead><tbody>
        {{#coverage}}<tr><td><a href="/commitments?year={{year}}&amp;dept={{department}}">{{department}}</a></td><td>{{name}}</td><td class="n">{{staff}}</td><td class="n">{{signed}}</td><td class="n{{#short}} error{{/short}}">{{unsigned}}</td><td class="n">{{share}}</td></tr>{{/coverage}}
        </tbody></table>
        <section><h2>{{l.whoUnsigned}}</h2>
        {{#unsignedCut}}<p>{{l.cut}} {{unsignedRows}} {{l.cutOf}} {{unsignedTotal}}</p>{{/unsignedCut}}
        <table><thead><tr><th>{{l.employee}}</th><th>{{l.person}}</th><th>{{l.department}}</th><th>{{l.email}}</th><th></th></tr></thead><tbody>
        {{#unsigned}}<tr><td>{{employee}}</td><td>{{name}}</td><td>{{department}}</td><td>{{email}}</td><td>{{#signable}}<form method="post" action="/commitments/sign" class="sign"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="employee" value="{{employee}}"><input type="hidden" name="year" value="{{year}}"><input type="hidden" name="dept" value="{{dept}}">
        <input name="day" type="date" value="{{today}}"> <button type="submit">{{l.sign}}</button></form>{{/signable}}</td></tr>{{/unsigned}}
        </tbody></table></section>
        {{> foot}}
        """

    static let domestic = """
        {{> head}}
        <h1>{{l.domestic}}</h1>
        <form method="get" action="/domestic" class="filter"><select name="dept"><option value="">{{l.allDepartments}}</option>{{#filterDepartments}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{code}} {{name}}</option>{{/filterDepartments}}</select>
        <button type="submit">{{l.filter}}</button></form>
        {{#measures}}<section><h2>{{measure}}</h2>
        <table><thead><tr><th>{{l.category}}</th><th>{{l.year}}</th><th>{{l.domesticValue}}</th><th>{{l.foreign}}</th><th>{{l.unknown}}</th><th>{{l.domesticShare}}</th><th>{{l.target}}</th><th>{{l.met}}</th><th>{{l.makers}}</th></tr></thead><tbody>
        {{#rows}}<tr><td>{{category}}</td><td>{{year}}</td><td class="n">{{domestic}}</td><td class="n">{{foreign}}</td><td class="n">{{unknown}}</td><td class="n">{{share}}</td><td class="n">{{target}}</td><td{{#short}} class="error"{{/short}}>{{met}}</td><td>{{makers}}</td></tr>{{/rows}}
        </tbody></table></section>{{/measures}}
        {{> foot}}
        """
}
