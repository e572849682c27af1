import Foundation
import Ingest
import LedgerModel
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The Linux collector's POST path, end to end without touching a real interface: the test
/// makes a network namespace joined to this one by a veth pair on 198.18.250.0/30, listens on
/// its own end (198.18.250.1) for one request, and runs the collector inside the namespace.
/// Needs root (ip netns); CI runs as root.
@Suite(.serialized) struct CollectorPostTests {
    @Test func theCollectorPostsItsReportWithItsToken() throws {
        #expect(getuid() == 0, "this test needs root to make a network namespace")
        let ip = try #require(which("ip"), "iproute2 must be installed")
        let namespace = "al-post-\(getpid())"
        let host = "alh\(getpid() % 100_000)"
        let peer = "alp\(getpid() % 100_000)"
        try run(ip, ["netns", "add", namespace])
        defer {
            _ = try? run(ip, ["link", "del", host])
            _ = try? run(ip, ["netns", "del", namespace])
        }
        try run(ip, ["link", "add", host, "type", "veth", "peer", "name", peer])
        try run(ip, ["link", "set", peer, "netns", namespace])
        try run(ip, ["addr", "add", "198.18.250.1/30", "dev", host])
        try run(ip, ["link", "set", host, "up"])
        try run(ip, ["netns", "exec", namespace, "ip", "addr", "add", "198.18.250.2/30", "dev", peer])
        try run(ip, ["netns", "exec", namespace, "ip", "link", "set", peer, "up"])

        let server = try OneRequestServer(address: "198.18.250.1", port: 18_080)
        let received = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var request: (head: String, body: Data)?
        DispatchQueue.global().async {
            request = try? server.receive(timeout: 30)
            received.signal()
        }
        let collector = Fixtures.scanners("collectors/assetledger-collect-linux.sh").path
        try run(
            ip,
            [
                "netns", "exec", namespace, "/bin/sh", collector, "--post", "http://198.18.250.1:18080/api/reports",
                "--token", "campus-collector-7",
            ])
        #expect(received.wait(timeout: .now() + 30) == .success)
        let got = try #require(request)
        #expect(got.head.hasPrefix("POST /api/reports HTTP/1.1"))
        #expect(got.head.contains("Authorization: Bearer campus-collector-7"))
        let report = try AssetLedgerReportFile.read(got.body, file: "posted report")
        #expect(!report.software.isEmpty)
        #expect(report.agent == "assetledger-collect-linux 1")
    }
}

/// A listener for exactly one HTTP request, bound to one address: enough to see what a
/// collector sends. Answers 200 with an empty body.
final class OneRequestServer: @unchecked Sendable {
    let fd: Int32

    init(address: String, port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LedgerError(.io, "socket failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        inet_pton(AF_INET, address, &addr.sin_addr)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 1) == 0 else {
            close(fd)
            throw LedgerError(.io, "cannot listen on \(address):\(port)")
        }
    }

    deinit { close(fd) }

    func receive(timeout: Int) throws -> (head: String, body: Data) {
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let client = accept(fd, nil, nil)
        guard client >= 0 else { throw LedgerError(.io, "no request within \(timeout) s") }
        defer { close(client) }
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var expected: Int?
        var headEnd: Int?
        while data.count < 64 << 20 {
            let n = recv(client, &buffer, buffer.count, 0)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
            if headEnd == nil, let r = data.range(of: Data("\r\n\r\n".utf8)) {
                headEnd = r.upperBound
                let head = String(decoding: data[..<r.lowerBound], as: UTF8.self)
                expected = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
            }
            if let headEnd, let expected, data.count - headEnd >= expected { break }
        }
        let reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        _ = reply.withCString { send(client, $0, strlen($0), 0) }
        guard let headEnd else { throw LedgerError(.io, "no HTTP request head") }
        return (String(decoding: data[..<headEnd], as: UTF8.self), Data(data[headEnd...]))
    }
}
