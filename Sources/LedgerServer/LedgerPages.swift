import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerModel
import Reports

/// The read-only pages of the ledger: departments (contacts, devices, review progress),
/// software (the licence position and the register) and the audit log, each from the use case
/// the CLI and the API call, in the caller's scope.
enum LedgerPageRoutes {
    static let labels: [String: (String, String)] = [
        "departments": ("部门", "Departments"), "code": ("代码", "Code"), "name": ("名称", "Name"),
        "kind": ("类型", "Kind"), "leader": ("负责人", "Head"), "liaison": ("信息安全联络员", "Security liaison"),
        "sysadmin": ("系统管理员", "Sysadmin"), "devices": ("设备", "Devices"), "reviewed": ("已确认", "Reviewed"),
        "software": ("软件正版化", "Software"), "compliance": ("正版化情况", "Licence position"),
        "product": ("软件", "Product"), "edition": ("版本", "Edition"), "category": ("类别", "Category"),
        "department": ("部门", "Department"), "installs": ("安装数", "Installs"), "entitled": ("授权数", "Entitled"),
        "delta": ("差额", "Delta"), "status": ("状态", "Status"), "licences": ("授权登记", "Licence register"),
        "versions": ("适用版本", "Versions"), "metric": ("计量", "Metric"), "seats": ("数量", "Seats"),
        "validTo": ("有效期至", "Valid to"), "source": ("来源", "Source"), "contract": ("合同", "Contract"),
        "state": ("有效性", "State"), "audit": ("操作日志", "Audit log"), "at": ("时间", "At"),
        "actor": ("操作人", "Actor"), "action": ("操作", "Action"), "entity": ("对象", "Entity"),
        "details": ("详情", "Details"), "pool": ("全校公共", "campus pool"), "unlimited": ("不限", "unlimited"),
        "shown": ("显示最近", "Showing the latest"),
    ]

    static let auditShown = 500

    static func add(to book: RouteBook, pages: Pages, service: LedgerService) {
        book.add(.get, "/departments", .reader) { request, context in try pages.departments(request, context) }
        book.add(.get, "/software", .reader) { request, context in try pages.software(request, context) }
        book.add(.get, "/audit", .reader) { request, context in try pages.audit(request, context) }
    }

    /// An audit entry's details as one line (`key=value`, keys sorted), for the page.
    static func details(_ details: [String: JSONValue]) -> String {
        func text(_ v: JSONValue) -> String {
            switch v {
            case .null: return "–"
            case .bool(let b): return b ? "true" : "false"
            case .int(let i): return String(i)
            case .double(let d): return String(d)
            case .string(let s): return s
            case .array(let a): return "[" + a.map(text).joined(separator: ", ") + "]"
            case .object(let o):
                return "{" + o.keys.sorted().map { "\($0)=\(text(o[$0]!))" }.joined(separator: ", ") + "}"
            }
        }
        return details.keys.sorted().map { "\($0)=\(text(details[$0]!))" }.joined(separator: " ")
    }
}

extension Pages {
    func departments(_ request: Request, _ context: LedgerContext) throws -> Response {
        let lang = Self.language(request)
        var d = base(lang.pick("部门", "Departments"), lang, context)
        d["l"] = LedgerPageRoutes.labels.mapValues { lang.pick($0.0, $0.1) }
        let coverage = Dictionary(
            try service.reviewCoverage(scope: context.scope).map { ($0.department, $0) },
            uniquingKeysWith: { a, _ in a })
        func contact(_ c: ContactOutput) -> String {
            [c.name, c.phone, c.email].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
        }
        d["departments"] = try service.listDepartments(scope: context.scope).map { x -> [String: Any] in
            let c = coverage[x.code]
            return [
                "code": x.code, "name": x.name, "indent": String(repeating: "　", count: x.depth), "kind": x.kind,
                "leader": x.leader ?? "", "liaison": contact(x.liaison), "sysadmin": contact(x.sysadmin),
                "devices": x.devices, "reviewed": c.map { "\($0.reviewed) (\(HTMLReport.percent($0.share)))" } ?? "",
            ]
        }
        return render("departments", d)
    }

    func software(_ request: Request, _ context: LedgerContext) throws -> Response {
        let lang = Self.language(request)
        let labels = LedgerPageRoutes.labels.mapValues { lang.pick($0.0, $0.1) }
        var d = base(lang.pick("软件正版化", "Software"), lang, context)
        d["l"] = labels
        d["compliance"] = try service.compliance(scope: context.scope).map { r -> [String: Any] in
            [
                "product": r.product, "edition": r.edition, "category": lang == .zh ? r.categoryLabel : r.category,
                "department": r.department ?? labels["pool"]!, "installs": r.installs, "entitled": r.entitled,
                "delta": r.delta, "status": r.status, "bad": r.status == "unlicensed" || r.status == "expired",
            ]
        }
        d["licences"] = try service.listLicenses(scope: context.scope).map { l -> [String: Any] in
            [
                "product": l.product, "edition": l.edition ?? "", "versions": l.versions, "metric": l.metric,
                "seats": l.seats.map(String.init) ?? labels["unlimited"]!,
                "department": l.department ?? labels["pool"]!,
                "validTo": l.validTo ?? "", "source": l.source, "contract": l.contract ?? "", "state": l.state,
            ]
        }
        return render("software", d)
    }

    func audit(_ request: Request, _ context: LedgerContext) throws -> Response {
        let lang = Self.language(request)
        var d = base(lang.pick("操作日志", "Audit log"), lang, context)
        d["l"] = LedgerPageRoutes.labels.mapValues { lang.pick($0.0, $0.1) }
        let entries = try service.auditLog(latest: LedgerPageRoutes.auditShown, scope: context.scope)
        d["count"] = entries.count
        d["total"] = try service.auditCount(scope: context.scope)
        d["entries"] = entries.reversed().map { e -> [String: Any] in
            [
                "at": e.at, "actor": e.actor, "action": e.action,
                "entity": [e.entityKind, e.entityId].compactMap { $0 }.joined(separator: " "),
                "department": e.department ?? "", "details": LedgerPageRoutes.details(e.details),
            ]
        }
        return render("audit", d)
    }
}

extension Templates {
    static let departments = """
        {{> head}}
        <h1>{{l.departments}}</h1>
        <table><thead><tr><th>{{l.code}}</th><th>{{l.name}}</th><th>{{l.kind}}</th><th>{{l.leader}}</th><th>{{l.liaison}}</th><th>{{l.sysadmin}}</th><th>{{l.devices}}</th><th>{{l.reviewed}}</th></tr></thead><tbody>
        {{#departments}}<tr><td><a href="/devices?dept={{code}}">{{code}}</a></td><td>{{indent}}{{name}}</td><td>{{kind}}</td><td>{{leader}}</td><td>{{liaison}}</td><td>{{sysadmin}}</td><td class="n">{{devices}}</td><td class="n">{{reviewed}}</td></tr>{{/departments}}
        </tbody></table>
        {{> foot}}
        """

    static let software = """
        {{> head}}
        <h1>{{l.software}}</h1>
        <section><h2>{{l.compliance}}</h2>
        <table><thead><tr><th>{{l.category}}</th><th>{{l.product}}</th><th>{{l.edition}}</th><th>{{l.department}}</th><th>{{l.installs}}</th><th>{{l.entitled}}</th><th>{{l.delta}}</th><th>{{l.status}}</th></tr></thead><tbody>
        {{#compliance}}<tr><td>{{category}}</td><td>{{product}}</td><td>{{edition}}</td><td>{{department}}</td><td class="n">{{installs}}</td><td class="n">{{entitled}}</td><td class="n">{{delta}}</td><td{{#bad}} class="error"{{/bad}}>{{status}}</td></tr>{{/compliance}}
        </tbody></table></section>
        <section><h2>{{l.licences}}</h2>
        <table><thead><tr><th>{{l.product}}</th><th>{{l.edition}}</th><th>{{l.versions}}</th><th>{{l.metric}}</th><th>{{l.seats}}</th><th>{{l.department}}</th><th>{{l.validTo}}</th><th>{{l.source}}</th><th>{{l.contract}}</th><th>{{l.state}}</th></tr></thead><tbody>
        {{#licences}}<tr><td>{{product}}</td><td>{{edition}}</td><td>{{versions}}</td><td>{{metric}}</td><td class="n">{{seats}}</td><td>{{department}}</td><td>{{validTo}}</td><td>{{source}}</td><td>{{contract}}</td><td>{{state}}</td></tr>{{/licences}}
        </tbody></table></section>
        {{> foot}}
        """

    static let audit = """
        {{> head}}
        <h1>{{l.audit}}</h1>
        <p>{{l.shown}} {{count}} / {{total}}</p>
        <table><thead><tr><th>{{l.at}}</th><th>{{l.actor}}</th><th>{{l.action}}</th><th>{{l.entity}}</th><th>{{l.department}}</th><th>{{l.details}}</th></tr></thead><tbody>
        {{#entries}}<tr><td>{{at}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{entity}}</td><td>{{department}}</td><td>{{details}}</td></tr>{{/entries}}
        </tbody></table>
        {{> foot}}
        """
}
