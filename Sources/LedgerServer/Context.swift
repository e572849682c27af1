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
    /// The bearer token's name (a collector's), for the evidence of what it delivers.
    public var tokenName: String?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Request bodies decoded through the context: forms and JSON commands are small. The one
    /// large body, an endpoint report (64 MB), is collected by its route with its own limit.
    public var maxUploadSize: Int { 256 << 10 }

    /// The caller's scope for every use case: from their role and departments, never from the page.
    public var scope: DeviceScope {
        account.map(LedgerService.scope(of:)) ?? .departments(["\u{0}none"])
    }

    public var principal: Principal { account?.principal ?? Principal("web:anonymous") }
}
