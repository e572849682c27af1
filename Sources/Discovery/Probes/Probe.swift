import Foundation

/// How a probe reaches a host.
public enum ProbeTransport: String, Sendable {
    case udp, tcp
}

/// One question or conversation the scanner holds with every live host: its `--skip` name,
/// the ports it goes to, and the line of help that says what it asks. Each is one value in
/// `ProbeRegistry`; a UDP question is a `UDPQuestion`, a TCP conversation a `TCPProbe`.
public protocol Probe: Sendable {
    /// The name `--skip` takes (lower case, no spaces).
    var name: String { get }
    var transport: ProbeTransport { get }
    /// The ports it is sent to (for a TCP probe: the open ports it talks to).
    var ports: [UInt16] { get }
    /// What it asks and learns, for `--help` and scanners/README.md.
    var summary: String { get }
}

/// Every probe the scanner has, in the order they run: the one place `--skip`, its help and
/// the README's list come from. A new probe is one value conforming to `UDPQuestion` or
/// `TCPProbe` and one line here.
public enum ProbeRegistry {
    /// The UDP questions, asked in this order (each one of every host before the next).
    public static let udp: [any UDPQuestion] = [
        SNMPQuestion(),
        SNMPv3Question(),
        NBNSQuestion(),
        MDNSQuestion(),
        SSDPQuestion(),
        WSDQuestion(),
    ]

    /// The TCP conversations, held in this order with each host (PJL last: it needs the others' verdict).
    public static let tcp: [any TCPProbe] = [
        BannerProbe(),
        HTTPProbe(),
        HTTPSProbe(),
        SMBProbe(),
        PJLinkProbe(),
        IPPProbe(),
        UPnPDescriptionProbe(),
        PJLProbe(),
    ]

    public static var all: [any Probe] { udp.map { $0 as any Probe } + tcp.map { $0 as any Probe } }

    /// The names `--skip` accepts, in registry order.
    public static var names: [String] { all.map(\.name) }

    /// The `--skip` option's help.
    public static var helpText: String {
        "Probes not to run, comma-separated: \(names.joined(separator: ", "))."
    }

    /// The probe list as scanners/README.md shows it between `<!-- probes -->` and
    /// `<!-- /probes -->` (a test checks it; `ASSETLEDGER_WRITE_PROBE_LIST=1 swift test --filter
    /// theREADMEListIsTheRegistrys` writes it).
    public static var markdown: String {
        var lines = ["| `--skip` name | transport | ports | what it asks |", "|---|---|---|---|"]
        for probe in all {
            let ports = probe.ports.isEmpty ? "—" : probe.ports.map(String.init).joined(separator: ", ")
            lines.append("| `\(probe.name)` | \(probe.transport.rawValue.uppercased()) | \(ports) | \(probe.summary) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Checks `--skip` names against the registry.
    public static func validate(skip names: Set<String>) -> String? {
        let known = Set(self.names)
        return names.sorted().first { !known.contains($0) }
    }
}
