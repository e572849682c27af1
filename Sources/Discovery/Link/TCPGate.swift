import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One open TCP connection, as a `TCPConnector` hands it out. Only `TCPGate` writes to it.
public protocol TCPStream: AnyObject {
    /// Writes all of `bytes` within the conversation's deadline; false when that failed.
    func write(_ bytes: [UInt8]) -> Bool
    /// Reads until `done` says the answer is whole, the peer closes, `maxBytes` arrive, or the
    /// conversation's deadline passes.
    func read(maxBytes: Int, done: ([UInt8]) -> Bool) -> [UInt8]
}

/// What an HTTPS conversation gave: the certificate's subject and issuer, and the answer.
public struct TLSAnswer: Sendable, Equatable {
    public var subject: String?
    public var issuer: String?
    public var bytes: [UInt8]
    public init(subject: String? = nil, issuer: String? = nil, bytes: [UInt8]) {
        self.subject = subject
        self.issuer = issuer
        self.bytes = bytes
    }
}

/// How TCP connections are made: the kernel (`KernelTCP`), or the fake network's hosts
/// (`FakeTCP`). The raw side of the gate: nothing but `TCPGate` calls it, so nothing reaches
/// a port without passing `RawPrintPorts.check`.
public protocol TCPConnector: Sendable {
    /// A connection within `timeout`; every later read and write shares that deadline.
    func connect(_ ip: UInt32, _ port: UInt16, timeout: Double) throws -> any TCPStream
    /// One HTTPS conversation: handshake (unverified), `request`, a bounded answer.
    func tls(_ ip: UInt32, _ port: UInt16, request: [UInt8], timeout: Double, maxBytes: Int) throws -> TLSAnswer
}

/// The gate refused a payload: it was not sent.
public struct TCPRefused: Error, Equatable, Sendable {
    public var refusal: RawPrintPorts.Refusal
}

/// The one door every TCP payload the scanner writes goes through: each request, SMB turn and
/// TLS handshake is checked against the raw-print-port rule (`RawPrintPorts.check`) with the
/// host's printer verdict before a byte leaves. The verdict is asked only for a print port.
public struct TCPGate: Sendable {
    let connector: any TCPConnector

    /// Connections through the kernel (`KernelTCP`, which no other module can reach: the gate
    /// is the only way out of this one).
    public init() { connector = KernelTCP() }

    /// Connections through another connector (the fake network's `FakeTCP`).
    public init(_ connector: any TCPConnector) { self.connector = connector }

    /// How the gate sees a TLS handshake: its first record, a ClientHello (OpenSSL writes the
    /// rest, but no TLS byte may reach a raw print port at all).
    public static let tlsClientHello: [UInt8] = [0x16, 0x03, 0x01]

    /// The rule for one payload bound for `port` (nil: allowed).
    public static func check(port: UInt16, payload: [UInt8], hostIsPrinter: () -> Bool) -> RawPrintPorts.Refusal? {
        let printPort = RawPrintPorts.ports.contains(port) || port == RawPrintPorts.lpd
        return RawPrintPorts.check(port: port, payload: payload, hostIsPrinter: printPort && hostIsPrinter())
    }

    /// One request (checked before connecting) and its answer; throws `TCPRefused` when the
    /// request may not go, another error when the connection fails.
    public func exchange(
        _ ip: UInt32, _ port: UInt16, send request: [UInt8]?, timeout: Double, maxBytes: Int = 64 * 1024,
        hostIsPrinter: @escaping () -> Bool, done: @escaping ([UInt8]) -> Bool = { _ in false }
    ) throws -> [UInt8] {
        if let refusal = Self.check(port: port, payload: request ?? [], hostIsPrinter: hostIsPrinter) {
            throw TCPRefused(refusal: refusal)
        }
        return try converse(ip, port, timeout: timeout, hostIsPrinter: hostIsPrinter) { turn in
            turn(request, maxBytes, done)
        }
    }

    /// Several turns on one connection: `turn` sends a request (if any, and only if the rule
    /// allows it: a refused one is not written and its turn reads nothing) and reads its answer.
    public func converse<T>(
        _ ip: UInt32, _ port: UInt16, timeout: Double, hostIsPrinter: @escaping () -> Bool,
        _ body: (_ turn: ([UInt8]?, Int, ([UInt8]) -> Bool) -> [UInt8]) -> T
    ) throws -> T {
        let stream = try connector.connect(ip, port, timeout: timeout)
        return body { request, maxBytes, done in
            if let request {
                guard Self.check(port: port, payload: request, hostIsPrinter: hostIsPrinter) == nil,
                    stream.write(request)
                else { return [] }
            }
            return stream.read(maxBytes: maxBytes, done: done)
        }
    }

    /// One HTTPS conversation; the handshake and the request are checked before connecting.
    public func tls(
        _ ip: UInt32, _ port: UInt16, request: [UInt8], timeout: Double, maxBytes: Int = 64 * 1024,
        hostIsPrinter: @escaping () -> Bool
    ) throws -> TLSAnswer {
        for payload in [Self.tlsClientHello, request] {
            if let refusal = Self.check(port: port, payload: payload, hostIsPrinter: hostIsPrinter) {
                throw TCPRefused(refusal: refusal)
            }
        }
        return try connector.tls(ip, port, request: request, timeout: timeout, maxBytes: maxBytes)
    }
}

/// Kernel TCP connections: non-blocking sockets, one deadline per conversation. Internal, like
/// its members: outside this module the only way to the kernel's TCP is `TCPGate`, so no
/// caller can skip `RawPrintPorts.check`.
struct KernelTCP: TCPConnector {
    init() {}

    func connect(_ ip: UInt32, _ port: UInt16, timeout: Double) throws -> any TCPStream {
        let started = monotonicSeconds()
        return KernelTCPStream(fd: try Sockets.connect(ip, port, timeout: timeout), deadline: started + timeout)
    }

    // tls(...) is in TLSProbe.swift, the only caller of the OpenSSL conversation.
}

/// A kernel socket's conversation: the only place the scanner writes to a TCP socket.
private final class KernelTCPStream: TCPStream {
    let fd: Int32
    let deadline: Double

    init(fd: Int32, deadline: Double) {
        self.fd = fd
        self.deadline = deadline
    }

    deinit { close(fd) }

    func write(_ request: [UInt8]) -> Bool {
        var offset = 0
        while offset < request.count {
            let n = request[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                offset += n
            } else if errno == EAGAIN, Sockets.wait(fd, for: Int16(POLLOUT), until: deadline) {
                continue
            } else {
                return false
            }
        }
        return true
    }

    func read(maxBytes: Int, done: ([UInt8]) -> Bool) -> [UInt8] {
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while answer.count < maxBytes, !done(answer), Sockets.wait(fd, for: Int16(POLLIN), until: deadline) {
            let n = buffer.withUnsafeMutableBytes {
                recv(fd, $0.baseAddress, min($0.count, maxBytes - answer.count), 0)
            }
            if n <= 0 { break }
            answer += buffer[0..<n]
        }
        return answer
    }
}
