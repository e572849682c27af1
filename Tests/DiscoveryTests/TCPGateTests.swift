import Foundation
import LedgerModel
import TestSupport
import Testing

@testable import Discovery

/// The raw-print-port rule at the one door every TCP payload passes (`TCPGate`), and a whole
/// TCP phase on the fake network checked for what reached the printer's raw port.
@Suite struct TCPGateTests {
    let printer = IPAddress("198.18.0.10")!
    let pjlAnswer = Array("@PJL INFO ID\r\n\"Acme Laser 9\"\r\n\u{0C}".utf8)

    func fake() -> FakeTCP {
        let answer = pjlAnswer
        let everything = FakeTCPService(tls: TLSAnswer(subject: "/CN=x", bytes: [])) { _ in answer }
        return FakeTCP(services: [printer.v4Value: [9100: everything, 515: everything, 80: everything]])
    }

    @Test func noTLSOrSMBReachesARawPortEvenOnAPrinter() throws {
        let tcp = fake()
        let gate = TCPGate(tcp)
        let ip = printer.v4Value
        #expect(throws: TCPRefused(refusal: .payloadNotAllowed(port: 9100))) {
            try gate.tls(ip, 9100, request: httpGet(printer), timeout: 1, hostIsPrinter: { true })
        }
        let negotiated = try gate.converse(ip, 9100, timeout: 1, hostIsPrinter: { true }) { turn in
            turn(SMBNegotiate.negotiateRequest(), 1024, { _ in false })
        }
        #expect(negotiated.isEmpty)
        #expect(throws: TCPRefused(refusal: .payloadNotAllowed(port: 515))) {
            try gate.exchange(ip, 515, send: RawPrintPorts.pjlInfoID, timeout: 1, hostIsPrinter: { true })
        }
        #expect(tcp.received.isEmpty)
    }

    @Test func pjlInfoIDOnlyToAPrinter() throws {
        let tcp = fake()
        let gate = TCPGate(tcp)
        let ip = printer.v4Value
        #expect(throws: TCPRefused(refusal: .notAPrinter(port: 9100))) {
            try gate.exchange(ip, 9100, send: RawPrintPorts.pjlInfoID, timeout: 1, hostIsPrinter: { false })
        }
        #expect(tcp.connections.isEmpty)  // refused before connecting
        let answer = try gate.exchange(ip, 9100, send: RawPrintPorts.pjlInfoID, timeout: 1, hostIsPrinter: { true })
        #expect(answer == pjlAnswer)
        #expect(tcp.received == [FakeTCP.Received(ip: printer, port: 9100, bytes: RawPrintPorts.pjlInfoID)])
        // A connect alone is allowed everywhere; other ports are not the rule's business and
        // never ask for the (costly) printer verdict.
        _ = try gate.exchange(ip, 515, send: nil, timeout: 1, hostIsPrinter: { true })
        _ = try gate.exchange(
            ip, 80, send: httpGet(printer), timeout: 1,
            hostIsPrinter: {
                Issue.record("verdict asked for port 80")
                return false
            })
    }

    func rules() throws -> [FingerprintRule] { try shippedFingerprints() }

    /// A probe that throws everything it has at every open port: the gate alone stands between it and the printer.
    struct Reckless: TCPProbe {
        var name: String { "reckless" }
        var ports: [UInt16] { [] }
        var summary: String { "" }
        func talk(_ session: TCPSession) {
            for port in session.host.openPorts {
                _ = session.tls(port, httpGet(session.address))
                _ = session.converse(port) { turn in _ = turn(SMBNegotiate.negotiateRequest(), 1024, { _ in false }) }
                _ = session.exchange(port, httpGet(session.address))
                _ = session.exchange(port, Array("@PJL INFO STATUS\r\n".utf8))
            }
        }
    }

    @Test func aTCPPhaseOnTheFakeNetworkSendsTheRawPortOnlyPJLInfoID() throws {
        let answer = pjlAnswer
        let web = FakeTCPService(
            tls: TLSAnswer(subject: "/O=Acme/CN=prn", bytes: Array("HTTP/1.0 200 OK\r\n\r\n".utf8))
        ) {
            _ in Array("HTTP/1.0 200 OK\r\nServer: Acme\r\n\r\n<title>Acme Laser</title>".utf8)
        }
        let raw = FakeTCPService(tls: TLSAnswer(bytes: [])) { _ in answer }
        var printerHost = FakeHost(ip: "198.18.0.10", mac: mac(0x10))
        printerHost.tcp = [80: web, 443: web, 445: web, 631: web, 515: raw, 9100: raw, 9101: raw]
        var pc = FakeHost(ip: "198.18.0.20", mac: mac(0x20))
        pc.tcp = [80: web, 9100: raw]  // a raw port open, but nothing says printer
        let net = FakeNetwork(hosts: [printerHost, pc])
        let tcp = net.tcp()
        for probes in [ProbeRegistry.tcp, ProbeRegistry.tcp + [Reckless()]] {
            var phase = ServiceProbes(rules: try rules())
            phase.gate = TCPGate(tcp)
            phase.probes = probes
            phase.workers = 1
            let jobs = net.hosts.map { h in
                var job = ServiceProbes.Host(
                    target: LinkTarget(ip: h.ip, mac: h.mac), openPorts: h.tcp.keys.sorted(),
                    signals: h.ip == printer ? Signals(["mdns.service": ["_ipp._tcp"]]) : Signals())
                job.onLink = false
                return job
            }
            let (signals, _) = phase.run(jobs)
            #expect(signals[printer]?.first("pjl.id") == "Acme Laser 9")
            #expect(signals[printer]?.first("tls.subject") == "/O=Acme/CN=prn")
        }
        let toRaw = tcp.received.filter { RawPrintPorts.ports.contains($0.port) || $0.port == RawPrintPorts.lpd }
        #expect(toRaw.count == 2)  // once per run
        #expect(toRaw.allSatisfy { $0.ip == printer && $0.port == 9100 && $0.bytes == RawPrintPorts.pjlInfoID })
        // The other ports did hear the reckless probe: the gate is what kept it off the raw ones.
        #expect(tcp.received.contains { $0.port == 80 && $0.bytes.starts(with: Array("@PJL".utf8)) })
    }
}

/// The kernel's TCP is reachable from other modules only through the gate.
@Suite struct KernelTCPAccessTests {
    static let discovery = Fixtures.file("Sources/Discovery")

    @Test func theGateDefaultsToTheKernel() {
        #expect(TCPGate().connector is KernelTCP)
    }

    /// `KernelTCP` and everything declared on it stay internal: a public `connect` or `tls`
    /// would let another module write to a raw print port without `RawPrintPorts.check`.
    @Test func kernelTCPIsNotPublic() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Self.discovery.path).filter {
            $0.hasSuffix(".swift")
        }
        var declarations = 0
        for file in files {
            let text = try String(contentsOf: Self.discovery.appendingPathComponent(file), encoding: .utf8)
            let lines = text.components(separatedBy: "\n")
            for (i, line) in lines.enumerated()
            where line.range(of: #"^\S*\s*(struct|extension|class)\s+KernelTCP\b"#, options: .regularExpression) != nil
            {
                declarations += 1
                #expect(!line.contains("public") && !line.contains("open "), "\(file):\(i + 1): \(line)")
                // The body runs to the closing brace at column 0.
                for body in lines[(i + 1)...].prefix(while: { $0 != "}" }) {
                    #expect(!body.contains("public ") && !body.contains("open "), "\(file): \(body)")
                }
            }
        }
        #expect(declarations >= 2)  // the struct (TCPGate.swift) and its tls (TLSProbe.swift)
    }
}
