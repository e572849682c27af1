import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ingest
import LedgerApp
import LedgerModel
import LedgerServer
import LedgerStore
import TestSupport
import Testing

/// A campus on a database file (the role matrix reads its tables directly): DZB, CWC, JYXY
/// with JYXY-JYS; a DZB printer, a CWC printer named like a script, a JYXY-JYS PC, a device of
/// no department; users of every role.
struct Campus {
    let service: LedgerService
    let path: String
    let dzb: Int64, cwc: Int64, jys: Int64, orphan: Int64
    static let passwords = [
        "it": "管理员的秘密口令-2026", "dzb": "dzb-liaison-pass", "two": "two-departments-pass", "aud": "auditor-pass-1",
        "zero": "zero-departments-pass",
    ]

    init() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("al-srv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("ledger.sqlite").path
        let ledger = try Ledger.open(path: path)
        let departments = """
            code,name,name_en,kind,parent_code,leader,liaison,liaison_phone,liaison_email,sysadmin,sysadmin_phone,sysadmin_email
            DZB,党政办公室,,职能部门,,,,,,,,
            CWC,财务处,,职能部门,,,,,,,,
            JYXY,教育学院,,二级学院,,,,,,,,
            JYXY-JYS,教研室,,二级学院,JYXY,,,,,,,
            """
        try ledger.importDepartments(DepartmentFile.read(Data(departments.utf8), file: "d.csv"), file: "d.csv")
        let subnets = """
            cidr,department_code,site,vlan,note
            198.18.10.0/24,DZB,,,
            198.18.11.0/24,CWC,,,
            198.18.30.0/24,JYXY-JYS,,,
            """
        try ledger.importSubnets(SubnetFile.read(Data(subnets.utf8), file: "s.csv"), file: "s.csv")
        func seen(_ mac: String, _ ip: String, _ cls: DeviceClass, name: String? = nil) throws -> Int64 {
            var o = Observation(
                source: .scan, sourceRef: "test", observedAt: Date(timeIntervalSince1970: 1_790_000_000),
                deviceClass: cls, macs: [mac], ips: [ip])
            o.hostnames = name.map { [$0] } ?? []
            o.evidence = [Evidence(field: "class", value: cls.rawValue, reason: "test rule", certainty: 80)]
            return try #require(try ledger.merge([o]).deviceIDs.first)
        }
        dzb = try seen("3c:d9:2b:00:00:01", "198.18.10.5", .printer, name: "dzb-printer")
        cwc = try seen("3c:d9:2b:00:00:02", "198.18.11.5", .printer, name: "<script>alert(1)</script>")
        jys = try seen("3c:d9:2b:00:00:03", "198.18.30.200", .pc, name: "jys-pc")
        orphan = try seen("3c:d9:2b:00:00:04", "198.18.99.9", .unknown, name: "stray")
        service = LedgerService(ledger: ledger)
        let it = Principal("test")
        _ = try service.addUser(
            login: "it", role: .admin, departments: [], password: Self.passwords["it"]!, scope: .everything, actor: it,
            cost: 4)
        _ = try service.addUser(
            login: "dzb", role: .liaison, departments: ["DZB"], password: Self.passwords["dzb"]!, scope: .everything,
            actor: it, cost: 4)
        _ = try service.addUser(
            login: "two", role: .liaison, departments: ["CWC", "JYXY"], password: Self.passwords["two"]!,
            scope: .everything, actor: it, cost: 4)
        _ = try service.addUser(
            login: "zero", role: .liaison, departments: ["DZB"], password: Self.passwords["zero"]!,
            scope: .everything, actor: it, cost: 4)
        _ = try service.addUser(
            login: "aud", role: .auditor, departments: [], password: Self.passwords["aud"]!, scope: .everything,
            actor: it, cost: 4)
    }

    func app() throws -> some ApplicationProtocol {
        let (router, _) = try LedgerServer.router(service: service)
        return Application(router: router)
    }
}

/// A signed-in browser: the session cookie and the page's CSRF token.
struct Browser {
    var cookie: String
    var csrf: String
}

extension TestClientProtocol {
    /// The sign-in page's double-submit pair: its cookie header and the form's token.
    func loginForm() async throws -> (cookie: String, csrf: String) {
        let page = try await execute(uri: "/login", method: .get)
        let set = try #require(page.headers[.setCookie])
        let cookie = try #require(set.split(separator: ";").first.map(String.init))
        let html = String(buffer: page.body)
        let start = try #require(html.range(of: "name=\"csrf\" value=\""))
        return (cookie, String(html[start.upperBound...].prefix { $0 != "\"" }))
    }

    /// Posts the sign-in form (with the page's token unless `body` is given whole).
    func postLogin(_ login: String, _ password: String) async throws -> TestResponse {
        let form = try await loginForm()
        let body =
            "csrf=\(form.csrf)&login=\(login)&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        return try await execute(
            uri: "/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: form.cookie],
            body: ByteBuffer(string: body))
    }

    /// Signs in through the form; returns the cookie and the CSRF token the dashboard carries.
    /// A form posted as a signed-in browser does: its cookie, its session's token in the form.
    func postForm(_ uri: String, _ body: String, as b: Browser) async throws -> TestResponse {
        try await execute(
            uri: uri, method: .post, headers: [.cookie: b.cookie, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "csrf=\(b.csrf)&" + body))
    }

    func signIn(_ login: String, _ password: String) async throws -> Browser {
        let response = try await postLogin(login, password)
        #expect(response.status == .found, "sign-in of \(login): \(response.status)")
        let set = try #require(response.headers[.setCookie])
        let cookie = try #require(set.split(separator: ";").first.map(String.init))
        let page = try await execute(uri: "/", method: .get, headers: [.cookie: cookie])
        let html = String(buffer: page.body)
        let marker = "name=\"csrf\" value=\""
        let start = try #require(html.range(of: marker))
        let token = String(html[start.upperBound...].prefix { $0 != "\"" })
        return Browser(cookie: cookie, csrf: token)
    }

    func get(_ uri: String, as browser: Browser?) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: browser.map { [.cookie: $0.cookie] } ?? [:])
    }
}

func json(_ r: TestResponse) throws -> Any { try JSONSerialization.jsonObject(with: Data(buffer: r.body)) }
