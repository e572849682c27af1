import Crypto
import Foundation
import HummingbirdBcrypt
import LedgerModel
import LedgerStore

/// One user (`user list --format json`, `GET /api/v1/users`). Never a password or its hash.
public struct UserOutput: Codable, Equatable, Sendable {
    public var login: String
    public var role: String
    public var departments: [String]
    public var disabled: Bool
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case login, role, departments, disabled
        case createdAt = "created_at"
    }

    init(_ a: Account) {
        (login, role, departments, disabled, createdAt) = (
            a.login, a.role.rawValue, a.departments, a.disabled, isoDate(a.createdAt)
        )
    }
}

/// An API token (`token list --format json`): never its secret.
public struct TokenOutput: Codable, Equatable, Sendable {
    public var id: Int64
    public var login: String
    public var name: String
    /// `api` or `reports` (a collector's).
    public var purpose: String
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, login, name, purpose
        case createdAt = "created_at"
    }
}

/// A token just created (`token create --format json`): what `TokenOutput` lists, and the
/// secret itself, printed this once (the ledger keeps only its SHA-256).
public struct CreatedTokenOutput: Codable, Equatable, Sendable {
    public var id: Int64
    public var login: String
    public var name: String
    public var purpose: String
    public var createdAt: String
    public var token: String

    enum CodingKeys: String, CodingKey {
        case id, login, name, purpose, token
        case createdAt = "created_at"
    }

    init(_ t: TokenOutput, token: String) {
        (id, login, name, purpose, createdAt, self.token) = (t.id, t.login, t.name, t.purpose, t.createdAt, token)
    }
}

/// A signed-in session as the server hands it out: the id goes into the cookie, the CSRF
/// token into every form; the store holds only the id's hash.
public struct OpenedSession: Sendable {
    public var id: String
    public var csrfToken: String
    public var account: Account
    public var expiresAt: Date
}

/// How long a session lasts, and how sign-in attempts are limited.
public enum SessionPolicy {
    public static let lifetime: TimeInterval = 8 * 3600
    /// Failed sign-ins of one login within `window` after which it is refused for the window.
    public static let maxFailures = 5
    public static let window: TimeInterval = 15 * 60
    /// bcrypt's cost (2^cost rounds); tests lower it through `LedgerService.bcryptCost`.
    public static let bcryptCost: UInt8 = 12
}

extension LedgerService {
    /// The scope a signed-in user works in: admin and auditor everything, a liaison their
    /// departments (with sub-departments); a liaison with none sees nothing.
    public static func scope(of account: Account) -> DeviceScope {
        switch account.role {
        case .admin, .auditor: .everything
        case .liaison: .departments(account.departments.isEmpty ? ["\u{0}none"] : account.departments)
        }
    }

    /// What bcrypt is given: the password's SHA-256, base64 (44 bytes), so a long password — 24
    /// Chinese characters are already 72 bytes in UTF-8 — is never cut at bcrypt's 72-byte
    /// limit, and no NUL byte reaches it.
    static func prehash(_ password: String) -> String {
        Data(Crypto.SHA256.hash(data: Array(password.utf8))).base64EncodedString()
    }

    static func checkPassword(_ password: String) throws {
        guard password.count >= 8 else { throw LedgerError(.invalidInput, "a password has at least 8 characters") }
        guard password.utf8.count <= 1024 else { throw LedgerError(.invalidInput, "a password has at most 1024 bytes") }
    }

    static func checkRole(_ role: Role, _ departments: [String]) throws {
        switch role {
        case .liaison:
            if departments.isEmpty { throw LedgerError(.invalidInput, "a liaison needs at least one --dept") }
        case .admin, .auditor:
            if !departments.isEmpty {
                throw LedgerError(.invalidInput, "\(role.rawValue) sees every department: no --dept")
            }
        }
    }

    /// `user add`: only a caller who sees everything (IT, the CLI) adds users; a liaison can
    /// never grant roles or departments.
    public func addUser(
        login: String, role: Role, departments: [String], password: String, scope: DeviceScope, actor: Principal,
        cost: UInt8 = SessionPolicy.bcryptCost
    ) throws -> UserOutput {
        try requireEverything(scope, "adding users")
        guard Account.isLogin(login) else {
            throw LedgerError(.invalidInput, "login '\(login)': 1 to 64 of a-z, 0-9, '.', '_', '-'")
        }
        try Self.checkRole(role, departments)
        try Self.checkPassword(password)
        let hash = Bcrypt.hash(Self.prehash(password), cost: cost)
        return UserOutput(
            try ledger.addAccount(
                login: login, role: role, departments: departments, passwordHash: hash, actor: actor))
    }

    /// `user passwd`: a new password; the user's sessions end.
    public func setPassword(
        login: String, password: String, scope: DeviceScope, actor: Principal, cost: UInt8 = SessionPolicy.bcryptCost
    ) throws -> UserOutput {
        try requireEverything(scope, "setting passwords")
        try Self.checkPassword(password)
        return UserOutput(
            try ledger.changeAccount(
                login: login, passwordHash: Bcrypt.hash(Self.prehash(password), cost: cost), actor: actor))
    }

    /// `user set`: a new role and departments; the user's sessions end.
    public func setRole(login: String, role: Role, departments: [String], scope: DeviceScope, actor: Principal) throws
        -> UserOutput
    {
        try requireEverything(scope, "changing roles")
        try Self.checkRole(role, departments)
        return UserOutput(try ledger.changeAccount(login: login, role: role, departments: departments, actor: actor))
    }

    /// `user disable` / `enable`; disabling ends the user's sessions and stops their tokens.
    public func setDisabled(login: String, _ disabled: Bool, scope: DeviceScope, actor: Principal) throws
        -> UserOutput
    {
        try requireEverything(scope, disabled ? "disabling users" : "enabling users")
        return UserOutput(try ledger.changeAccount(login: login, disabled: disabled, actor: actor))
    }

    public func listUsers(scope: DeviceScope) throws -> [UserOutput] {
        try requireEverything(scope, "listing users")
        return try ledger.accounts().map(UserOutput.init)
    }

    /// `token create`: a new API token for scripts and collectors (`Authorization: Bearer …`),
    /// returned once; the ledger keeps its SHA-256.
    public func createToken(
        login: String, name: String, purpose: TokenPurpose = .api, scope: DeviceScope, actor: Principal
    ) throws -> String {
        try issueToken(login: login, name: name, purpose: purpose, scope: scope, actor: actor).token
    }

    /// `createToken` with the new token's id, name and purpose (`token create --format json`).
    public func issueToken(
        login: String, name: String, purpose: TokenPurpose = .api, scope: DeviceScope, actor: Principal
    ) throws -> CreatedTokenOutput {
        try requireEverything(scope, "creating tokens")
        // A collector's token imports for the whole campus: only an admin's account may hold one.
        if purpose == .reports, let a = try ledger.account(login: login), a.role != .admin {
            throw LedgerError(
                .invalidInput, "a --reports-only token imports for every department: only for an admin user")
        }
        let token = "alt_" + Digest.randomHex()
        let id = try ledger.addToken(
            login: login, name: name, purpose: purpose, tokenHash: Digest.sha256Hex(token.utf8), actor: actor)
        let created = try require(try listTokens(login: login, scope: scope).first { $0.id == id })
        return CreatedTokenOutput(created, token: token)
    }

    /// `token list`: the tokens of one user or all (IT only), never their secrets.
    public func listTokens(login: String? = nil, scope: DeviceScope) throws -> [TokenOutput] {
        try requireEverything(scope, "listing tokens")
        return try ledger.tokens(login: login).map {
            TokenOutput(
                id: $0.id, login: $0.login, name: $0.name, purpose: $0.purpose.rawValue,
                createdAt: isoDate($0.createdAt))
        }
    }

    /// `token revoke`: the token stops working at once (IT only). Returns the token as it was.
    @discardableResult
    public func revokeToken(id: Int64, scope: DeviceScope, actor: Principal) throws -> TokenOutput {
        try requireEverything(scope, "revoking tokens")
        let revoked = try listTokens(scope: scope).first { $0.id == id }
        try ledger.revokeToken(id: id, actor: actor)
        return try require(revoked)
    }

    /// The enabled account of a bearer token and what the token is for, else nil.
    public func account(bearer token: String) throws -> (account: Account, purpose: TokenPurpose, name: String)? {
        guard token.hasPrefix("alt_"), token.utf8.count == 68 else { return nil }
        return try ledger.account(tokenHash: Digest.sha256Hex(token.utf8))
    }

    /// Checks a sign-in and opens a fresh session (a new id every time). Wrong login or password
    /// and a disabled user are one answer (`forbidden`, nothing said about which); after
    /// `SessionPolicy.maxFailures` failures within the window the login is refused
    /// (`refusedByPolicy`) even with the right password. bcrypt runs here: call it off the event
    /// loop.
    public func signIn(login: String, password: String, now: Date = Date()) throws -> OpenedSession {
        // The attempt is counted (as a failure until proven otherwise) before bcrypt runs.
        let (failures, attempt) = try ledger.beginLoginAttempt(
            login: login, at: now, since: now.addingTimeInterval(-SessionPolicy.window))
        if failures >= SessionPolicy.maxFailures {
            throw LedgerError(
                .refusedByPolicy, "too many failed sign-ins: try again in \(Int(SessionPolicy.window / 60)) minutes")
        }
        let stored = try ledger.passwordHash(login: login)
        // A missing user costs the same bcrypt as a real one.
        let ok = Bcrypt.verify(Self.prehash(password), hash: stored?.hash ?? Self.dummyHash)
        guard ok, let stored else { throw LedgerError(.forbidden, "wrong user or password") }
        let id = Digest.randomHex()
        let csrf = Digest.randomHex()
        let expires = now.addingTimeInterval(SessionPolicy.lifetime)
        // Refused if the password changed (or the user was disabled) while bcrypt ran.
        try ledger.createSession(
            account: stored.account.id, passwordHash: stored.hash, idHash: Digest.sha256Hex(id.utf8), csrfToken: csrf,
            expiresAt: expires)
        try ledger.loginSucceeded(attempt: attempt)
        return OpenedSession(id: id, csrfToken: csrf, account: stored.account, expiresAt: expires)
    }

    /// A random 256-bit token as hex (forms' double-submit tokens).
    public static func randomToken() -> String { Digest.randomHex() }

    static let dummyHash = Bcrypt.hash("assetledger-no-such-user", cost: SessionPolicy.bcryptCost)

    /// The live session of a cookie's id, else nil (expired, signed out, user disabled or changed).
    public func session(id: String, now: Date = Date()) throws -> SessionRecord? {
        guard id.utf8.count == 64, id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        return try ledger.session(idHash: Digest.sha256Hex(id.utf8), now: now)
    }

    public func signOut(id: String) throws { try ledger.deleteSession(idHash: Digest.sha256Hex(id.utf8)) }

    /// The session sweeper's work: drop expired sessions.
    @discardableResult
    public func sweepSessions(now: Date = Date()) throws -> Int { try ledger.sweepSessions(now: now) }
}
