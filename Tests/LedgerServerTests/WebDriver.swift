import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A small WebDriver client (W3C protocol) over HummingbirdTesting's HTTP client, driving
/// Debian's chromedriver and headless Chromium (installed by scripts/install-deps.sh; a missing
/// one fails the test). Chromium gets a dead proxy for everything but loopback, so a page under
/// test reaches only the server on 127.0.0.1.
final class WebDriver: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let driver: Process
    let client: TestClient
    var session = ""

    init() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
            throw Failure(description: "chromedriver is not installed: run scripts/install-deps.sh")
        }
        let port = Int.random(in: 30_000...50_000)
        driver = Process()
        driver.executableURL = URL(fileURLWithPath: "/usr/bin/chromedriver")
        driver.arguments = ["--port=\(port)", "--log-level=OFF"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(60)))
        // Wait (bounded) for the driver to listen.
        var ready = false
        for _ in 0..<100 where !ready {
            try await Task.sleep(for: .milliseconds(100))
            ready = (try? Self.probe(port)) == true
        }
        guard ready else {
            driver.terminate()
            throw Failure(description: "chromedriver did not start on port \(port)")
        }
        client.connect()
        let value = try await command(
            .post, "/session",
            [
                "capabilities": [
                    "alwaysMatch": [
                        "browserName": "chrome",
                        "goog:chromeOptions": [
                            "binary": "/usr/bin/chromium",
                            "args": [
                                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--window-size=1280,900", "--proxy-server=127.0.0.1:9", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                "--lang=zh-CN",
                            ],
                        ],
                    ]
                ]
            ])
        guard let id = (value as? [String: Any])?["sessionId"] as? String else {
            throw Failure(description: "no WebDriver session: \(value)")
        }
        session = id
    }

    static func probe(_ port: Int) throws -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }

    func quit() async {
        if !session.isEmpty { _ = try? await command(.delete, "/session/\(session)") }
        // Bounded: a driver that does not stop on SIGTERM within 5 s is killed.
        driver.terminate()
        for _ in 0..<50 where driver.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if driver.isRunning { kill(driver.processIdentifier, SIGKILL) }
        try? await client.close()
    }

    /// Waits (at most `seconds`) until the page's source satisfies `condition`.
    func wait(seconds: Double = 10, until condition: (String) -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(try await source()) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @discardableResult
    func command(_ method: HTTPRequest.Method, _ path: String, _ body: [String: Any]? = nil) async throws -> Any {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        // A Content-Length, not chunked: chromedriver's server waits forever on a chunked body.
        var headers: HTTPFields = [.connection: "keep-alive", .contentLength: String(data?.count ?? 0)]
        if data != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(
            TestClient.Request(
                path, method: method, authority: "127.0.0.1", headers: headers, body: data.map { ByteBuffer(bytes: $0) }
            ))
        let object = try JSONSerialization.jsonObject(
            with: response.body.map { Data(buffer: $0) } ?? Data("{}".utf8), options: [.fragmentsAllowed])
        guard response.status.code < 300 else { throw Failure(description: "\(method) \(path): \(object)") }
        return (object as? [String: Any])?["value"] ?? NSNull()
    }

    func go(_ url: String) async throws { try await command(.post, "/session/\(session)/url", ["url": url]) }

    func source() async throws -> String {
        try await command(.get, "/session/\(session)/source") as? String ?? ""
    }

    func title() async throws -> String { try await command(.get, "/session/\(session)/title") as? String ?? "" }

    func element(_ css: String) async throws -> String {
        let v = try await command(.post, "/session/\(session)/element", ["using": "css selector", "value": css])
        guard let e = (v as? [String: Any])?.values.first as? String else { throw Failure(description: "no \(css)") }
        return e
    }

    func type(_ css: String, _ text: String) async throws {
        let e = try await element(css)
        try await command(.post, "/session/\(session)/element/\(e)/value", ["text": text])
    }

    func click(_ css: String) async throws {
        try await command(.post, "/session/\(session)/element/\(try await element(css))/click", [:])
    }

    func text(_ css: String) async throws -> String {
        try await command(.get, "/session/\(session)/element/\(try await element(css))/text") as? String ?? ""
    }

    func cookie(_ name: String) async throws -> String? {
        let v = try await command(.get, "/session/\(session)/cookie/\(name)")
        return (v as? [String: Any])?["value"] as? String
    }

    func screenshot() async throws -> Data {
        let v = try await command(.get, "/session/\(session)/screenshot")
        guard let b64 = v as? String, let data = Data(base64Encoded: b64) else {
            throw Failure(description: "no screenshot")
        }
        return data
    }
}
