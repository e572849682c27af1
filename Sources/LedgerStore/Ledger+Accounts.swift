import Foundation
import GRDB
import LedgerModel

/// A signed-in session as the store keeps it: the id is never stored, only its hash.
public struct SessionRecord: Equatable, Sendable {
    public var account: Account
    public var csrfToken: String
    public var expiresAt: Date
}

extension Ledger {
    static func account(_ db: Database, where clause: String, _ arguments: StatementArguments) throws -> Account? {
        guard
            let r = try Row.fetchOne(
                db, sql: "SELECT id, login, role, disabled, created_at FROM account WHERE \(clause)",
                arguments: arguments)
        else { return nil }
        return try account(db, r)
    }

    static func account(_ db: Database, _ r: Row) throws -> Account {
        let id: Int64 = r["id"]
        let roleWord: String = r["role"]
        guard let role = Role(rawValue: roleWord) else {
            throw LedgerError(.io, "account \(id) holds role '\(roleWord)', which this version cannot read")
        }
        let departments = try String.fetchAll(
            db, sql: "SELECT department_code FROM account_department WHERE account_id = ? ORDER BY department_code",
            arguments: [id])
        return Account(
            id: id, login: r["login"], role: role, departments: departments, disabled: r["disabled"],
            createdAt: Date(timeIntervalSince1970: r["created_at"]))
    }

    /// Every account, by login.
    public func accounts() throws -> [Account] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, login, role, disabled, created_at FROM account ORDER BY login").map {
                try Self.account(db, $0)
            }
        }
    }

    public func account(login: String) throws -> Account? {
        try writer.read { db in try Self.account(db, where: "login = ?", [login]) }
    }

    /// The stored password hash of an enabled account (for verification off the store).
    public func passwordHash(login: String) throws -> (account: Account, hash: String)? {
        try writer.read { db in
            guard let a = try Self.account(db, where: "login = ? AND disabled = 0", [login]),
                let hash = try String.fetchOne(
                    db, sql: "SELECT password_hash FROM account WHERE id = ?", arguments: [a.id])
            else { return nil }
            return (a, hash)
        }
    }

    /// Adds an account; its departments must exist. `conflict` when the login is taken.
    public func addAccount(login: String, role: Role, departments: [String], passwordHash: String, actor: Principal)
        throws -> Account
    {
        try writer.write { db in
            if try Self.account(db, where: "login = ?", [login]) != nil {
                throw LedgerError(.conflict, "user '\(login)' already exists")
            }
            try Self.requireDepartments(db, departments)
            let now = Date()
            try db.execute(
                sql: """
                    INSERT INTO account (login, role, password_hash, disabled, created_at, changed_at)
                    VALUES (?, ?, ?, 0, ?, ?)
                    """, arguments: [login, role.rawValue, passwordHash, now.unixSeconds, now.unixSeconds])
            let id = db.lastInsertedRowID
            for d in Set(departments) {
                try db.execute(
                    sql: "INSERT INTO account_department (account_id, department_code) VALUES (?, ?)",
                    arguments: [id, d])
            }
            try Self.audit(
                db,
                AuditEntry(
                    at: now, actor: actor, action: "user.add", entityKind: "user", entityID: login, department: nil,
                    details: [
                        "role": .string(role.rawValue),
                        "departments": .array(departments.sorted().map(JSONValue.string)),
                    ]))
            return try Self.account(db, where: "id = ?", [id])!
        }
    }

    static func requireDepartments(_ db: Database, _ codes: [String]) throws {
        for d in codes where try Int.fetchOne(db, sql: "SELECT 1 FROM department WHERE code = ?", arguments: [d]) == nil
        {
            throw LedgerError(.notFound, "unknown department '\(d)'")
        }
    }

    /// Changes an account (password hash, role and departments, or disabled); every change of
    /// these ends the account's sessions. `notFound` for an unknown login.
    public func changeAccount(
        login: String, passwordHash: String? = nil, role: Role? = nil, departments: [String]? = nil,
        disabled: Bool? = nil, actor: Principal
    ) throws -> Account {
        try writer.write { db in
            guard let a = try Self.account(db, where: "login = ?", [login]) else {
                throw LedgerError(.notFound, "no user '\(login)'")
            }
            let now = Date()
            var details: [String: JSONValue] = [:]
            if let passwordHash {
                try db.execute(
                    sql: "UPDATE account SET password_hash = ?, changed_at = ? WHERE id = ?",
                    arguments: [passwordHash, now.unixSeconds, a.id])
                details["password"] = "changed"
            }
            if let role {
                try db.execute(sql: "UPDATE account SET role = ? WHERE id = ?", arguments: [role.rawValue, a.id])
                details["role"] = .string(role.rawValue)
            }
            if let departments {
                try Self.requireDepartments(db, departments)
                try db.execute(sql: "DELETE FROM account_department WHERE account_id = ?", arguments: [a.id])
                for d in Set(departments) {
                    try db.execute(
                        sql: "INSERT INTO account_department (account_id, department_code) VALUES (?, ?)",
                        arguments: [a.id, d])
                }
                details["departments"] = .array(departments.sorted().map(JSONValue.string))
            }
            if let disabled {
                try db.execute(sql: "UPDATE account SET disabled = ? WHERE id = ?", arguments: [disabled, a.id])
                details["disabled"] = .bool(disabled)
            }
            let ended = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM session WHERE account_id = ?", arguments: [a.id])
            try db.execute(sql: "DELETE FROM session WHERE account_id = ?", arguments: [a.id])
            details["sessions_ended"] = .int(Int64(ended ?? 0))
            try Self.audit(
                db,
                AuditEntry(
                    at: now, actor: actor, action: "user.change", entityKind: "user", entityID: login, department: nil,
                    details: details))
            return try Self.account(db, where: "id = ?", [a.id])!
        }
    }

    // MARK: sessions

    /// Opens a session, unless the account's password hash is no longer `passwordHash` (a
    /// change raced the sign-in: `forbidden`) or the account was disabled meanwhile.
    public func createSession(
        account: Int64, passwordHash: String, idHash: String, csrfToken: String, expiresAt: Date
    ) throws {
        try writer.write { db in
            guard
                try String.fetchOne(
                    db, sql: "SELECT password_hash FROM account WHERE id = ? AND disabled = 0", arguments: [account])
                    == passwordHash
            else { throw LedgerError(.forbidden, "wrong user or password") }
            try db.execute(
                sql: """
                    INSERT INTO session (id_hash, account_id, csrf_token, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?)
                    """, arguments: [idHash, account, csrfToken, Date().unixSeconds, expiresAt.unixSeconds])
        }
    }

    /// The session of this id hash, if it has not expired and its account is enabled.
    public func session(idHash: String, now: Date) throws -> SessionRecord? {
        try writer.read { db in
            guard
                let r = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT s.csrf_token, s.expires_at, a.id, a.login, a.role, a.disabled, a.created_at
                        FROM session s JOIN account a ON a.id = s.account_id
                        WHERE s.id_hash = ? AND s.expires_at > ? AND a.disabled = 0
                        """, arguments: [idHash, now.unixSeconds])
            else { return nil }
            return SessionRecord(
                account: try Self.account(db, r), csrfToken: r["csrf_token"],
                expiresAt: Date(timeIntervalSince1970: r["expires_at"]))
        }
    }

    public func deleteSession(idHash: String) throws {
        try writer.write { db in try db.execute(sql: "DELETE FROM session WHERE id_hash = ?", arguments: [idHash]) }
    }

    /// Removes expired sessions; returns how many.
    @discardableResult
    public func sweepSessions(now: Date) throws -> Int {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM session WHERE expires_at <= ?", arguments: [now.unixSeconds])
            return db.changesCount
        }
    }

    public func sessionCount(account: Int64) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM session WHERE account_id = ?", arguments: [account]) ?? 0
        }
    }

    // MARK: API tokens

    /// Stores a token's hash; returns the token's id.
    @discardableResult
    public func addToken(login: String, name: String, purpose: TokenPurpose, tokenHash: String, actor: Principal) throws
        -> Int64
    {
        try writer.write { db in
            guard let a = try Self.account(db, where: "login = ?", [login]) else {
                throw LedgerError(.notFound, "no user '\(login)'")
            }
            let now = Date()
            try db.execute(
                sql: "INSERT INTO api_token (account_id, token_hash, name, purpose, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [a.id, tokenHash, name, purpose.rawValue, now.unixSeconds])
            let id = db.lastInsertedRowID
            try Self.audit(
                db,
                AuditEntry(
                    at: now, actor: actor, action: "token.create", entityKind: "user", entityID: login, department: nil,
                    details: ["name": .string(name), "purpose": .string(purpose.rawValue)]))
            return id
        }
    }

    /// The tokens (never their hashes), of one user or all, by id.
    public func tokens(login: String? = nil) throws -> [TokenRecord] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, a.login, t.name, t.purpose, t.created_at FROM api_token t
                    JOIN account a ON a.id = t.account_id WHERE ? IS NULL OR a.login = ? ORDER BY t.id
                    """, arguments: [login, login]
            ).map {
                TokenRecord(
                    id: $0[0], login: $0[1], name: $0[2], purpose: TokenPurpose(rawValue: $0[3]) ?? .api,
                    createdAt: Date(timeIntervalSince1970: $0[4]))
            }
        }
    }

    /// Deletes a token: a request bearing it is anonymous from then on.
    public func revokeToken(id: Int64, actor: Principal) throws {
        try writer.write { db in
            guard
                let r = try Row.fetchOne(
                    db,
                    sql: "SELECT a.login, t.name FROM api_token t JOIN account a ON a.id = t.account_id WHERE t.id = ?",
                    arguments: [id])
            else { throw LedgerError(.notFound, "no token \(id)") }
            try db.execute(sql: "DELETE FROM api_token WHERE id = ?", arguments: [id])
            try Self.audit(
                db,
                AuditEntry(
                    actor: actor, action: "token.revoke", entityKind: "user", entityID: r[0], department: nil,
                    details: ["token": .int(id), "name": .string(r[1])]))
        }
    }

    /// The enabled account a token hash belongs to, and what the token is for.
    public func account(tokenHash: String) throws -> (account: Account, purpose: TokenPurpose, name: String)? {
        try writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT purpose, name FROM api_token WHERE token_hash = ?", arguments: [tokenHash]),
                let purpose = TokenPurpose(rawValue: row["purpose"]),
                let a = try Self.account(
                    db, where: "disabled = 0 AND id = (SELECT account_id FROM api_token WHERE token_hash = ?)",
                    [tokenHash])
            else { return nil }
            return (a, purpose, row["name"])
        }
    }

    // MARK: sign-in attempts

    /// Counts this login's failures since `since` (after its last success) and records this
    /// attempt as failed, in one write transaction, before the password is checked: parallel
    /// attempts each see the others, so the limit cannot be raced. Returns the failures before
    /// this one and the attempt's row id (`loginSucceeded` marks it).
    public func beginLoginAttempt(login: String, at: Date, since: Date) throws -> (failures: Int, attempt: Int64) {
        try writer.write { db in
            let failures =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM login_attempt WHERE login = ? AND ok = 0 AND at >= ?
                        AND at > COALESCE((SELECT max(at) FROM login_attempt WHERE login = ? AND ok = 1), 0)
                        """, arguments: [login, since.unixSeconds, login]) ?? 0
            try db.execute(
                sql: "INSERT INTO login_attempt (login, at, ok) VALUES (?, ?, 0)", arguments: [login, at.unixSeconds])
            let id = db.lastInsertedRowID
            try db.execute(sql: "DELETE FROM login_attempt WHERE at < ?", arguments: [at.unixSeconds - 86_400])
            return (failures, id)
        }
    }

    public func loginSucceeded(attempt: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE login_attempt SET ok = 1 WHERE rowid = ?", arguments: [attempt])
        }
    }
}

/// An API token as listed (its secret is never kept).
public struct TokenRecord: Equatable, Sendable {
    public var id: Int64
    public var login: String
    public var name: String
    public var purpose: TokenPurpose
    public var createdAt: Date
}
