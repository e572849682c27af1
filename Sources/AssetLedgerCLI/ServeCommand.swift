import ArgumentParser
import Foundation
import LedgerApp
import LedgerServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The web console and the JSON API (/api/v1, described at /api/v1/openapi.json).",
        discussion: """
            Sign in with a user of `assetledger user add`; scripts and collectors send \
            `Authorization: Bearer TOKEN` (`assetledger token create`). Listens on loopback unless told \
            otherwise; put a TLS proxy in front to serve other machines. It also runs the scan jobs \
            (`assetledger scan job`) as they fall due, checking every 30 seconds, each scan on a thread of its \
            own. Stops gracefully on SIGINT/SIGTERM (after the scans that are running).
            """)
    @OptionGroup var options: LedgerOptions
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @Flag(help: "Mark cookies Secure (on by default unless listening on loopback: behind a TLS proxy).")
    var secureCookies = false

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1 to 65535") }
    }

    func run() async throws {
        let service = try options.service()
        Console.current.line("AssetLedger console on http://\(host):\(port)/ (API /api/v1)")
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(host)
        try await LedgerServer.run(
            service: service, host: host, port: port, options: ServerOptions(secureCookies: secureCookies || !loopback))
    }
}
