import Foundation
import LedgerModel

/// A conversation every live host with the right open port is offered over TCP. It talks
/// only through its `TCPSession` (the gate), and adds what it learns to the session's signals.
public protocol TCPProbe: Probe {
    func talk(_ session: TCPSession)
}

extension TCPProbe {
    public var transport: ProbeTransport { .tcp }
}

/// One host's TCP conversations: the host, what was learnt so far, and the gate every
/// payload passes (with the host's printer verdict of the moment). Records each conversation.
public final class TCPSession {
    public let host: ServiceProbes.Host
    /// What this host's conversations have said so far.
    public var signals = Signals()
    public private(set) var log: [ServiceProbes.Sent] = []
    let gate: TCPGate
    public let timeout: Double
    let verdict: (Signals, Signals) -> Bool

    init(host: ServiceProbes.Host, gate: TCPGate, timeout: Double, isPrinter: @escaping (Signals, Signals) -> Bool) {
        self.host = host
        self.gate = gate
        self.timeout = timeout
        self.verdict = isPrinter
    }

    var ip: UInt32 { host.target.ip.v4Value }
    public var address: IPAddress { host.target.ip }

    /// Whether the signals other than open ports and MAC vendor (the UDP answers and these
    /// conversations so far) call the host a printer or MFP.
    public var hostIsPrinter: Bool { verdict(host.signals, signals) }

    /// One request (or none: a banner) and its answer; nil when the gate refused it (nothing
    /// connected or sent) or the connection failed.
    public func exchange(
        _ port: UInt16, _ request: [UInt8]?, maxBytes: Int = 64 * 1024,
        done: @escaping ([UInt8]) -> Bool = { _ in false }
    ) -> [UInt8]? {
        do {
            let answer = try gate.exchange(
                ip, port, send: request, timeout: timeout, maxBytes: maxBytes, hostIsPrinter: { self.hostIsPrinter },
                done: done)
            log.append(ServiceProbes.Sent(ip: address, port: port, bytes: request?.count ?? 0))
            return answer
        } catch is TCPRefused {
            return nil
        } catch {
            log.append(ServiceProbes.Sent(ip: address, port: port, bytes: 0, connected: false))
            return nil
        }
    }

    /// Several turns on one connection (each turn's request passes the gate); nil when the
    /// connection failed. Logged as one conversation of `bytes` 1.
    public func converse(_ port: UInt16, _ body: (_ turn: ([UInt8]?, Int, ([UInt8]) -> Bool) -> [UInt8]) -> Void)
        -> Bool
    {
        let connected: Void? = try? gate.converse(
            ip, port, timeout: timeout, hostIsPrinter: { self.hostIsPrinter }, body)
        log.append(
            ServiceProbes.Sent(ip: address, port: port, bytes: connected != nil ? 1 : 0, connected: connected != nil))
        return connected != nil
    }

    /// One HTTPS conversation; nil when refused, not connected or the handshake failed.
    public func tls(_ port: UInt16, _ request: [UInt8]) -> TLSAnswer? {
        do {
            let answer = try gate.tls(
                ip, port, request: request, timeout: timeout, hostIsPrinter: { self.hostIsPrinter })
            log.append(ServiceProbes.Sent(ip: address, port: port, bytes: request.count))
            return answer
        } catch is TCPRefused {
            return nil
        } catch {
            log.append(ServiceProbes.Sent(ip: address, port: port, bytes: request.count, connected: false))
            return nil
        }
    }
}

/// The first line a service greets with on 21 (FTP), 22 (SSH), 4559 (HylaFAX).
public struct BannerProbe: TCPProbe {
    public init() {}
    public var name: String { "banner" }
    static let signals: [UInt16: String] = [21: "banner.ftp", 22: "banner.ssh", 4559: "banner.hylafax"]
    public var ports: [UInt16] { [21, 22, 4559] }
    public var summary: String { "the first line a service greets with (FTP, SSH, HylaFAX); nothing sent" }

    public func talk(_ session: TCPSession) {
        for port in session.host.openPorts {
            guard let name = Self.signals[port],
                let answer = session.exchange(port, nil, maxBytes: 1024, done: { $0.contains(0x0A) })
            else { continue }
            session.signals.add(name, String(decoding: answer.prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self))
        }
    }
}

func httpGet(_ host: IPAddress) -> [UInt8] {
    Array("GET / HTTP/1.0\r\nHost: \(host)\r\nUser-Agent: AssetLedger\r\n\r\n".utf8)
}

/// `GET /` on the plain web ports: the page's title and `Server`.
public struct HTTPProbe: TCPProbe {
    public init() {}
    public var name: String { "http" }
    public var ports: [UInt16] { [80, 8000, 8008, 8080] }
    public var summary: String { "`GET /`: the page's title and `Server`" }

    public func talk(_ session: TCPSession) {
        for port in session.host.openPorts where ports.contains(port) {
            if let answer = session.exchange(port, httpGet(session.address)),
                let head = try? HTTPHead.parse(answer[...])
            {
                session.signals.add("http.server", head["server"])
                session.signals.add("http.title", HTTPHead.title(head.body))
            }
        }
    }
}

/// `GET /` over TLS (the system OpenSSL, unverified): the certificate's subject and issuer,
/// the page's title and `Server`.
public struct HTTPSProbe: TCPProbe {
    public init() {}
    public var name: String { "https" }
    public var ports: [UInt16] { [443, 8443] }
    public var summary: String { "`GET /` over TLS, unverified: certificate subject and issuer, title, `Server`" }

    public func talk(_ session: TCPSession) {
        for port in session.host.openPorts where ports.contains(port) {
            guard let answer = session.tls(port, httpGet(session.address)) else { continue }
            session.signals.add("tls.subject", answer.subject)
            session.signals.add("tls.issuer", answer.issuer)
            if let head = try? HTTPHead.parse(answer.bytes[...]) {
                session.signals.add("http.server", head["server"])
                session.signals.add("http.title", HTTPHead.title(head.body))
            }
        }
    }
}

/// SMB2 NEGOTIATE and an anonymous SESSION_SETUP on one connection: the dialect, and from the
/// NTLM challenge the host's names and OS version. No credentials are ever sent.
public struct SMBProbe: TCPProbe {
    public init() {}
    public var name: String { "smb" }
    public var ports: [UInt16] { [445] }
    public var summary: String {
        "SMB2 negotiate and an anonymous session setup: dialect, NTLM names and OS version (no credentials)"
    }

    public func talk(_ session: TCPSession) {
        guard session.host.openPorts.contains(445) else { return }
        var s = Signals()
        _ = session.converse(445) { turn in
            let negotiated = turn(SMBNegotiate.negotiateRequest(), 64 * 1024, SMBNegotiate.isWhole)
            guard let dialect = try? SMBNegotiate.dialect(negotiated) else { return }
            s.add("smb.dialect", dialect)
            let answer = turn(SMBNegotiate.sessionSetupRequest(), 64 * 1024, SMBNegotiate.isWhole)
            guard let c = try? SMBNegotiate.challenge(answer) else { return }
            s.add("ntlm.version", c.version)
            s.add("ntlm.netbiosComputer", c.netbiosComputer)
            s.add("ntlm.netbiosDomain", c.netbiosDomain)
            s.add("ntlm.dnsComputer", c.dnsComputer)
            s.add("ntlm.dnsDomain", c.dnsDomain)
        }
        session.signals.merge(s)
    }
}

/// PJLink's greeting; without a password, the projector's name, maker, model and class.
public struct PJLinkProbe: TCPProbe {
    public init() {}
    public var name: String { "pjlink" }
    public var ports: [UInt16] { [4352] }
    public var summary: String { "PJLink greeting; without a password, name, maker, model, class" }

    public func talk(_ session: TCPSession) {
        guard session.host.openPorts.contains(4352),
            let greeting = session.exchange(4352, nil, maxBytes: 64, done: { $0.contains(0x0D) })
        else { return }
        let text = String(decoding: greeting, as: UTF8.self)
        session.signals.merge(ProbeAnswers.pjlink(text))
        // Class 1 without a password ("PJLINK 0"): ask name, maker, model, class.
        guard text.hasPrefix("PJLINK 0") else { return }
        let questions = Array("%1NAME ?\r%1INF1 ?\r%1INF2 ?\r%1CLSS ?\r".utf8)
        if let answer = session.exchange(
            4352, questions, maxBytes: 2048, done: { bytes in bytes.filter { $0 == 0x0D }.count >= 5 })
        {
            session.signals.merge(ProbeAnswers.pjlink(String(decoding: answer, as: UTF8.self)))
        }
    }
}

/// IPP Get-Printer-Attributes on 631 (`/ipp/print`, then `/`).
public struct IPPProbe: TCPProbe {
    public init() {}
    public var name: String { "ipp" }
    public var ports: [UInt16] { [631] }
    public var summary: String { "IPP Get-Printer-Attributes (make and model, device ID, firmware, serial)" }

    public func talk(_ session: TCPSession) {
        guard session.host.openPorts.contains(631) else { return }
        let host = session.address
        for path in ["/ipp/print", "/"] {
            let uri = "ipp://\(host):631\(path)"
            let body = IPPMessage.getPrinterAttributes(uri: uri, requestID: 1)
            let request =
                Array(
                    "POST \(path) HTTP/1.0\r\nHost: \(host):631\r\nContent-Type: application/ipp\r\nContent-Length: \(body.count)\r\n\r\n"
                        .utf8) + body
            guard let answer = session.exchange(631, request, maxBytes: 256 * 1024),
                let head = try? HTTPHead.parse(answer[...]),
                head.status == 200, let ipp = try? IPPMessage.parse(head.body), ipp.code < 0x0100
            else { continue }
            session.signals.merge(ProbeAnswers.ipp(ipp))
            break
        }
    }
}

/// The UPnP device description the SSDP answer named (plain HTTP, on that host only).
public struct UPnPDescriptionProbe: TCPProbe {
    public init() {}
    public var name: String { "upnp" }
    public var ports: [UInt16] { [] }
    public var summary: String { "the UPnP description the SSDP answer named, on its own port (maker, model, serial)" }

    public func talk(_ session: TCPSession) {
        guard let location = session.host.description,
            let (port, path) = ServiceProbes.descriptionTarget(location, host: session.address)
        else { return }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: \(session.address):\(port)\r\n\r\n".utf8)
        if let answer = session.exchange(port, request), let head = try? HTTPHead.parse(answer[...]),
            head.status == 200
        {
            session.signals.merge(ProbeAnswers.upnpDescription(head.body))
        }
    }
}

/// Last, and only once the other signals say printer: PJL `INFO ID` to the first open raw
/// print port, the one payload `RawPrintPorts` lets through there.
public struct PJLProbe: TCPProbe {
    public init() {}
    public var name: String { "pjl" }
    public var ports: [UInt16] { RawPrintPorts.ports.sorted() }
    public var summary: String { "PJL `INFO ID` to the raw port, only to a host the other signals call a printer" }

    public func talk(_ session: TCPSession) {
        guard let raw = session.host.openPorts.first(where: { RawPrintPorts.ports.contains($0) }),
            session.hostIsPrinter,
            let answer = session.exchange(raw, RawPrintPorts.pjlInfoID, maxBytes: 4096, done: { $0.contains(0x0C) })
        else { return }
        session.signals.add("pjl.id", RawPrintPorts.model(fromInfoID: answer))
    }
}
