import Hummingbird
import LedgerApp
import LedgerModel
import LedgerStore

/// Who is asking, as the session middleware found out: a signed-in user (cookie session, with
/// its CSRF token) or a bearer token, or nobody.
public struct LedgerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var account: Account?
    /// The session's CSRF token (cookie sessions only).
    public var csrfToken: String?
    /// The session id from the cookie (to sign out).
    public var sessionID: String?
    /// Set for a bearer token: what it may do. Token requests carry no cookie, so no CSRF.
    public var tokenPurpose: TokenPurpose?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Request bodies the console takes (an endpoint report is the largest: 64 MB).
    public var maxUploadSize: Int { 64 << 20 }

    /// The caller's scope for every use case: from their role and departments, never from the page.
    public var scope: DeviceScope {
        account.map(LedgerService.scope(of:)) ?? .departments(["\u{0}none"])
    }

    public var principal: Principal { account?.principal ?? Principal("web:anonymous") }
}
