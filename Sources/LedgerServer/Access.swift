import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerModel

/// Who may use a route. Every route the router has is added through `RouteBook.add` with one of
/// these, so no route exists without a policy (the role-matrix test reads the router's own
/// list and fails on one the book does not know).
public enum Access: String, Sendable, CaseIterable {
    /// Anyone: the sign-in page and form, the OpenAPI document, the style sheet.
    case open
    /// Any signed-in user or API token: admin, liaison (scoped), auditor.
    case reader
    /// A signed-in user who may change things: admin or liaison (an auditor gets 403).
    case changer
    /// IT only.
    case admin
    /// An endpoint report from a collector: a `reports` token, or an admin's.
    case reports

    /// Whether this caller passes; nil when nobody is signed in (401 / the sign-in page).
    func allows(_ context: LedgerContext) -> Bool? {
        if self == .open { return true }
        guard let account = context.account else { return nil }
        if context.tokenPurpose == .reports { return self == .reports && account.role == .admin }
        switch self {
        case .open, .reader: return true
        case .changer: return account.mayChange
        case .admin, .reports: return account.role == .admin
        }
    }
}

/// The routes and their policies, in the order added.
public final class RouteBook: @unchecked Sendable {
    public struct Entry: Sendable, Hashable {
        public var method: String
        public var path: String
        public var access: Access
    }

    public private(set) var entries: [Entry] = []
    let router: Router<LedgerContext>

    init(router: Router<LedgerContext>) { self.router = router }

    /// The methods routed for a path (its `{name}` segments match any one segment): what a
    /// 405 names in `Allow`.
    func methods(for path: String) -> [String] {
        // A literal path is its own resource (`/api/v1/devices/review` is not a device id).
        let literal = entries.filter { $0.path == path }
        if !literal.isEmpty { return literal.map(\.method) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return entries.filter { e in
            let pattern = e.path.split(separator: "/", omittingEmptySubsequences: false)
            return pattern.count == parts.count
                && zip(pattern, parts).allSatisfy { p, s in
                    (p.hasPrefix("{") && p.hasSuffix("}") && !s.isEmpty) || p == s
                }
        }.map(\.method)
    }

    /// Adds a route; the policy is checked before the handler runs. A JSON route (`/api/...`)
    /// answers 401 to nobody signed in, a page sends them to the sign-in page.
    func add(
        _ method: HTTPRequest.Method, _ path: String, _ access: Access,
        _ handler: @escaping @Sendable (Request, LedgerContext) async throws -> Response
    ) {
        entries.append(Entry(method: method.rawValue, path: path, access: access))
        let api = path.hasPrefix("/api/")
        router.on(RouterPath(path), method: method) { request, context -> Response in
            switch access.allows(context) {
            case true?: return try await handler(request, context)
            case false?: throw LedgerError(.forbidden, "your role may not do this")
            case nil:
                if api { throw LedgerError(.unauthenticated, "sign in or send a bearer token") }
                return Response.redirect(to: "/login", type: .found)
            }
        }
    }
}
