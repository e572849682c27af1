import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerModel
import LedgerStore
import Logging
import NIOPosix
import ServiceLifecycle

/// `assetledger serve`: the web console and the JSON API over one ledger.
public enum LedgerServer {
    /// The router with every route (each added through the `RouteBook` with its policy) and the
    /// middleware chain: security headers → errors → who is asking → CSRF. `runner` starts the
    /// scan jobs asked for now (the application shares it with its `ScanScheduler`).
    public static func router(
        service: LedgerService, options: ServerOptions = ServerOptions(), runner: ScanRunner? = nil
    ) throws -> (Router<LedgerContext>, RouteBook) {
        let router = Router(context: LedgerContext.self)
        let pages = try Pages(service: service, options: options)
        let book = RouteBook(router: router)
        let runner = runner ?? ScanRunner(service: service)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(pages: pages, book: book))
        router.add(middleware: SessionMiddleware(service: service))
        router.add(middleware: CSRFMiddleware())
        addPages(to: book, pages: pages, service: service, options: options)
        addScanPages(to: book, pages: pages, runner: runner)
        API.add(to: book, service: service, runner: runner)
        Queue.add(to: book, pages: pages, service: service)
        CampaignRoutes.add(to: book, pages: pages, service: service)
        LedgerPageRoutes.add(to: book, pages: pages, service: service)
        ReportRoutes.add(to: book, service: service)
        LegalizationRoutes.add(to: book, pages: pages, service: service)
        CampaignAPI.add(to: book, service: service)
        return (router, book)
    }

    static func addPages(to book: RouteBook, pages: Pages, service: LedgerService, options: ServerOptions) {
        book.add(.get, "/static/console.css", .open) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Templates.css)))
        }
        book.add(.get, "/login", .open) { request, context in pages.login(request, context) }
        book.add(.post, "/login", .open) { request, context in
            let fields = try await Form.read(request)
            let form = SignIn(login: fields["login"] ?? "", password: fields["password"] ?? "")
            // The sign-in form's own CSRF token: the value of the cookie the page set, echoed
            // by the form (a site that cannot read our cookie cannot forge the pair).
            guard let expected = request.cookies[loginCookie]?.value, let given = fields["csrf"],
                CSRFMiddleware.equal(given, expected)
            else {
                return pages.login(
                    request, context, message: "the sign-in form expired: try again", login: form.login,
                    status: .forbidden)
            }
            do {
                let session = try await Bcrypting.shared.run {
                    try service.signIn(login: form.login, password: form.password)
                }
                var response = Response.redirect(to: "/", type: .found)
                response.setCookie(
                    Cookie(
                        name: sessionCookie, value: session.id, expires: session.expiresAt, path: "/",
                        secure: options.secureCookies, httpOnly: true, sameSite: .lax))
                // A session id from before signing in is dropped (a fresh id at every sign-in).
                if let old = context.sessionID { try service.signOut(id: old) }
                return response
            } catch let e as LedgerError where e.code == .forbidden || e.code == .refusedByPolicy {
                return pages.login(
                    request, context, message: e.message, login: form.login,
                    status: e.code == .forbidden ? .unauthorized : .tooManyRequests)
            }
        }
        book.add(.post, "/logout", .reader) { _, context in
            if let id = context.sessionID { try service.signOut(id: id) }
            var response = Response.redirect(to: "/login", type: .found)
            response.setCookie(
                Cookie(name: sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
            return response
        }
        book.add(.get, "/", .reader) { request, context in
            try await Offload.run { try pages.dashboard(request, context) }
        }
        book.add(.get, "/devices", .reader) { request, context in
            try await Offload.run { try pages.devices(request, context) }
        }
        book.add(.get, "/devices/export", .reader) { request, context in
            try await Offload.run { try pages.export(request, context) }
        }
        book.add(.post, "/devices/{id}/review", .changer) { request, context in
            let id = try API.id(context)
            let form = try await Form.read(request)
            guard let status = form["status"].flatMap(DeviceReview.Status.init(rawValue:)) else {
                throw LedgerError(.invalidInput, "status must be confirmed, not_ours, retired or wrong_class")
            }
            _ = try service.reviewDevices(
                [id], status: status, note: form["note"], scope: context.scope, actor: context.principal)
            return Response.redirect(to: "/devices/\(id)", type: .found)
        }
        book.add(.post, "/devices/{id}/custody", .changer) { request, context in
            let id = try API.id(context)
            let form = try await Form.read(request)
            _ = try service.setCustody(
                device: id, responsible: form["responsible"] ?? "",
                location: form["location"].flatMap { $0.isEmpty ? nil : $0 },
                scope: context.scope, actor: context.principal)
            return Response.redirect(to: "/devices/\(id)", type: .found)
        }
        book.add(.get, "/devices/{id}", .reader) { request, context in
            let id = try API.id(context)
            return try await Offload.run { try pages.device(request, context, id: id) }
        }
    }

    struct SignIn: Sendable {
        var login: String
        var password: String
    }

    /// The application: the HTTP server, the session sweeper and the scan scheduler, run as
    /// services of one `ServiceGroup` with graceful shutdown on SIGINT/SIGTERM (the server stops
    /// first; the scheduler then starts nothing more and waits for the scans that are running).
    public static func application(
        service: LedgerService, host: String, port: Int, options: ServerOptions = ServerOptions(), logger: Logger? = nil
    ) throws -> some ApplicationProtocol {
        var log = logger ?? Logger(label: "assetledger.serve")
        if logger == nil { log.logLevel = .info }
        let runner = ScanRunner(service: service, logger: log)
        let (router, _) = try Self.router(service: service, options: options, runner: runner)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "AssetLedger"),
            services: [
                SessionSweeper(service: service, logger: log),
                ScanScheduler(service: service, runner: runner, logger: log, interval: options.scanCheckInterval),
            ], logger: log)
    }

    public static func run(service: LedgerService, host: String, port: Int, options: ServerOptions) async throws {
        let app = try application(service: service, host: host, port: port, options: options)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

/// How the server is exposed.
public struct ServerOptions: Sendable {
    /// Cookies with `Secure`: on whenever the console is reached over HTTPS (a TLS proxy in
    /// front); `serve` turns it on unless it listens on loopback only.
    public var secureCookies: Bool
    /// How often the scan scheduler looks for due jobs.
    public var scanCheckInterval: Duration

    public init(secureCookies: Bool = false, scanCheckInterval: Duration = .seconds(30)) {
        self.secureCookies = secureCookies
        self.scanCheckInterval = scanCheckInterval
    }
}

/// A request's blocking work (its SQLite reads and the page's rendering) on NIO's thread pool,
/// first come first served, instead of on the concurrency pool's few threads, where a queue of
/// blocked handlers starved some connections (the console benchmark's p99).
enum Offload {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}

/// bcrypt, which is slow on purpose, on NIO's blocking-I/O thread pool and at most two at a
/// time: a flood of sign-ins waits here instead of taking the threads every request needs.
actor Bcrypting {
    static let shared = Bcrypting()
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    static let limit = 2

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        if running >= Self.limit { await withCheckedContinuation { waiting.append($0) } } else { running += 1 }
        defer {
            if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
        }
        return try await NIOThreadPool.singleton.runIfActive(body)
    }
}

/// Drops expired sessions every few minutes until the service group shuts down.
struct SessionSweeper: Service {
    let service: LedgerService
    let logger: Logger
    var interval: Duration = .seconds(300)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let n = try service.sweepSessions()
                if n > 0 { logger.info("swept \(n) expired session(s)") }
            } catch {
                logger.error("session sweep failed: \(String(describing: error))")
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // shutting down
            }
        }
    }
}
