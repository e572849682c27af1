import Foundation
import HTTPTypes
import Hummingbird
import Ingest
import LedgerApp
import LedgerModel
import NIOCore

/// The cookie that carries the session id.
let sessionCookie = "al_session"
/// The sign-in form's double-submit token.
let loginCookie = "al_login"

/// Refusals as the caller can act on them: `LedgerError` codes to HTTP statuses (a thing
/// outside the caller's scope is 404, like one that does not exist), a bad file line to 400; JSON
/// (`ErrorOutput`) under `/api/`, a small page elsewhere. Anything else is a 500 that says
/// nothing of the inside.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = LedgerContext
    let pages: Pages
    /// The routes, to tell a path routed for other methods (405 with `Allow`) from no such path.
    let book: RouteBook

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let e as NIOTooManyBytesError {
            var output = ErrorOutput(LedgerError(.invalidInput, "the request body is too large"))
            output.httpStatus = Int(HTTPResponse.Status.contentTooLarge.code)
            _ = e
            return request.uri.path.hasPrefix("/api/")
                ? try Response.json(output, status: .contentTooLarge)
                : pages.error(status: .contentTooLarge, message: output.message, context: context)
        } catch let e as any HTTPResponseError {
            // A path that exists for other methods: 405 and what it allows.
            let allowed = e.status == .notFound ? book.methods(for: request.uri.path) : []
            if !allowed.isEmpty {
                var response = Response(status: .methodNotAllowed)
                response.headers[.allow] = Set(allowed).sorted().joined(separator: ", ")
                return response
            }
            // Answered here, so the security headers (the outer middleware) go on it too.
            return try e.response(from: request, context: context)
        } catch {
            let output: ErrorOutput
            let status: HTTPResponse.Status
            if let e = error as? LedgerError {
                output = ErrorOutput(e)
                status = HTTPResponse.Status(code: e.code.httpStatus)
            } else if error is InputError {
                output = ErrorOutput(error)
                status = .badRequest
            } else {
                context.logger.error("request failed: \(String(describing: error))")
                output = ErrorOutput(LedgerError(.io, "the server could not do this"))
                status = .internalServerError
            }
            if request.uri.path.hasPrefix("/api/") {
                return try Response.json(output, status: status)
            }
            return pages.error(status: status, message: output.message, context: context)
        }
    }
}

/// Headers every answer carries (refusals included: it is the outermost middleware): no
/// framing, no sniffing, no script at all, nothing from elsewhere, nothing cached but the style
/// sheet.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = LedgerContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// Finds who is asking: the session cookie (a live session of an enabled user), else an
/// `Authorization: Bearer` token. Nothing found: the request goes on anonymous (the route's
/// policy decides).
struct SessionMiddleware: RouterMiddleware {
    typealias Context = LedgerContext
    let service: LedgerService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if let id = request.cookies[sessionCookie]?.value, let s = try service.session(id: id) {
            context.account = s.account
            context.csrfToken = s.csrfToken
            context.sessionID = id
        } else if let auth = request.headers[.authorization], auth.hasPrefix("Bearer "),
            let found = try service.account(bearer: String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        {
            context.account = found.account
            context.tokenPurpose = found.purpose
            context.tokenName = found.name
        }
        return try await next(request, context)
    }
}

/// Cross-site request forgery, refused in one place for every unsafe request a browser could be
/// tricked into: a request from another site (`Origin` not this host, `Sec-Fetch-Site` not
/// same-origin) is refused, and one carried by the session cookie must also bring the session's
/// token (`X-CSRF-Token` header or `csrf` form field). Bearer-token requests carry no cookie and
/// need none.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = LedgerContext

    static let safe: Set<HTTPRequest.Method> = [.get, .head, .options]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard !Self.safe.contains(request.method) else { return try await next(request, context) }
        if context.tokenPurpose != nil { return try await next(request, context) }
        if let site = request.headers[.secFetchSite], site != "same-origin", site != "none" {
            throw LedgerError(.forbidden, "cross-site request refused")
        }
        if let origin = request.headers[.origin] {
            let host = request.head.authority ?? ""
            guard origin == "http://\(host)" || origin == "https://\(host)" else {
                throw LedgerError(.forbidden, "cross-site request refused (Origin \(origin))")
            }
        }
        // The sign-in form brings its own token (a double-submit cookie, checked by the route).
        if request.uri.path == "/login" { return try await next(request, context) }
        guard let expected = context.csrfToken else { return try await next(request, context) }
        var request = request
        var given = request.headers[.csrfToken]
        if given == nil, request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            let body = try await request.collectBody(upTo: 1 << 20)
            given = Form.fields(String(buffer: body))["csrf"]
        }
        guard let given, Self.equal(given, expected) else {
            throw LedgerError(.forbidden, "missing or wrong CSRF token: reload the page")
        }
        return try await next(request, context)
    }

    /// Compares in time independent of where the strings differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// `application/x-www-form-urlencoded` bodies and query strings.
enum Form {
    /// Each field's first value.
    static func fields(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in pairs(text) where out[key] == nil { out[key] = value }
        return out
    }

    /// The values of a repeated field (a list's checked boxes) as ids; one that is not a number
    /// refuses the form.
    static func ids(_ pairs: [(String, String)], _ name: String) throws -> [Int64] {
        try pairs.filter { $0.0 == name }.map { pair in
            guard let id = Int64(pair.1) else { throw LedgerError(.invalidInput, "'\(pair.1)' is no device id") }
            return id
        }
    }

    /// A console form's fields, each name's first value (a body of at most 64 KiB).
    static func read(_ request: Request) async throws -> [String: String] {
        var request = request
        return fields(String(buffer: try await request.collectBody(upTo: 64 << 10)))
    }

    /// A query string of `items` (empty values left out), percent-encoded: a page's links back
    /// to itself with its filters.
    static func query(_ items: [(String, String?)]) -> String {
        var c = URLComponents()
        c.queryItems = items.compactMap { k, v in v.flatMap { $0.isEmpty ? nil : URLQueryItem(name: k, value: $0) } }
        return c.percentEncodedQuery ?? ""
    }

    /// Every field in order, repeated names kept (a list's checked boxes).
    static func pairs(_ text: String) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            return (decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
        }
    }
}

extension Response {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) throws
        -> Response
    {
        let data = try outputEncoder().encode(value)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension HTTPField.Name {
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
    static let totalCount = HTTPField.Name("X-Total-Count")!
}
