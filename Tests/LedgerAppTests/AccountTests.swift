import Foundation
import LedgerModel
import Testing

@testable import LedgerApp
@testable import LedgerStore

/// Accounts and sessions in the application layer: what ends a session, who may grant, and
/// passwords longer than bcrypt's 72 bytes.
@Suite struct AccountTests {
    static let it = Principal("cli:it")

    func service() throws -> LedgerService {
        let s = try campusService()
        _ = try s.addUser(
            login: "wang", role: .liaison, departments: ["DZB"], password: "wang-password-1", scope: .everything,
            actor: Self.it, cost: 4)
        return s
    }

    /// 30 Chinese characters are 90 bytes: bcrypt alone would compare only the first 72, so
    /// two passwords differing after them would both open the account.
    @Test func aLongChinesePasswordCountsToItsLastCharacter() throws {
        let s = try service()
        let long = String(repeating: "安全", count: 15) + "甲"
        #expect(long.utf8.count > 72)
        _ = try s.setPassword(login: "wang", password: long, scope: .everything, actor: Self.it, cost: 4)
        #expect(try s.signIn(login: "wang", password: long).account.login == "wang")
        let sameFirst72 = String(repeating: "安全", count: 15) + "乙"
        #expect(throws: LedgerError.self) { try s.signIn(login: "wang", password: sameFirst72) }
    }

    @Test func aSessionEndsAtItsExpiryAndTheSweeperDropsIt() throws {
        let s = try service()
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        let opened = try s.signIn(login: "wang", password: "wang-password-1", now: t0)
        #expect(opened.expiresAt == t0.addingTimeInterval(SessionPolicy.lifetime))
        #expect(try s.session(id: opened.id, now: t0.addingTimeInterval(60)) != nil)
        #expect(try s.session(id: opened.id, now: opened.expiresAt) == nil)
        #expect(try s.session(id: opened.id, now: opened.expiresAt.addingTimeInterval(1)) == nil)
        #expect(try s.sweepSessions(now: t0.addingTimeInterval(60)) == 0)
        #expect(try s.sweepSessions(now: opened.expiresAt.addingTimeInterval(1)) == 1)
        #expect(try s.session(id: opened.id, now: t0.addingTimeInterval(60)) == nil)  // gone, not only expired
        // Not a session id at all: no lookup, no answer.
        for id in ["", "x", String(repeating: "G", count: 64), String(opened.id.dropLast()) + "Z"] {
            #expect(try s.session(id: id) == nil, "\(id)")
        }
    }

    @Test func aRoleOrDepartmentChangeEndsTheUsersSessions() throws {
        let s = try service()
        let first = try s.signIn(login: "wang", password: "wang-password-1")
        _ = try s.setRole(
            login: "wang", role: .liaison, departments: ["DZB", "CWC"], scope: .everything, actor: Self.it)
        #expect(try s.session(id: first.id) == nil)
        let second = try s.signIn(login: "wang", password: "wang-password-1")
        #expect(try s.session(id: second.id)?.account.departments.sorted() == ["CWC", "DZB"])
        _ = try s.setRole(login: "wang", role: .auditor, departments: [], scope: .everything, actor: Self.it)
        #expect(try s.session(id: second.id) == nil)
        let ended = try s.auditLog(scope: .everything).filter { $0.action == "user.change" }.map {
            $0.details["sessions_ended"]
        }
        #expect(ended.contains(.int(1)))
    }

    /// A liaison (any scope short of everything) grants nothing: no user, role, department,
    /// password, token or state of anyone's, their own included — and nothing changes.
    @Test func aLiaisonCanNeverGrantRolesOrDepartments() throws {
        let s = try service()
        let liaison = DeviceScope.departments(["DZB"])
        let before = try s.listUsers(scope: .everything)
        let attempts: [(String, () throws -> Any)] = [
            (
                "add",
                {
                    try s.addUser(
                        login: "new", role: .admin, departments: [], password: "new-password-1", scope: liaison,
                        actor: Self.it, cost: 4)
                }
            ),
            (
                "self admin",
                { try s.setRole(login: "wang", role: .admin, departments: [], scope: liaison, actor: Self.it) }
            ),
            (
                "self more",
                {
                    try s.setRole(
                        login: "wang", role: .liaison, departments: ["DZB", "CWC"], scope: liaison, actor: Self.it)
                }
            ),
            (
                "passwd",
                { try s.setPassword(login: "wang", password: "other-pass-1", scope: liaison, actor: Self.it, cost: 4) }
            ),
            ("disable", { try s.setDisabled(login: "wang", true, scope: liaison, actor: Self.it) }),
            ("token", { try s.createToken(login: "wang", name: "t", scope: liaison, actor: Self.it) }),
            ("list", { try s.listUsers(scope: liaison) }),
        ]
        for (name, attempt) in attempts {
            #expect(code(attempt) == .forbidden, "\(name)")
        }
        #expect(try s.listUsers(scope: .everything) == before)
        #expect(try s.listTokens(scope: .everything).isEmpty)
    }
}
