import ArgumentParser
import Discovery
import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// `assetledger scan`: discovers and identifies devices in an explicit scope. `--dry-run`
/// plans without sending; otherwise, from `--interface`: ARP sweep, SYN port scan of the live
/// hosts, UDP questions (SNMP, NetBIOS, DNS-SD, SSDP), TCP conversations (banners, HTTP,
/// IPP, PJLink, UPnP description, PJL INFO ID to known printers only), fingerprints; the
/// hosts merge into the ledger and the scan is recorded.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan subnets, list recorded scans, compare two scans.",
        subcommands: [ScanRunCommand.self, ScanListCommand.self, ScanDiffCommand.self],
        defaultSubcommand: ScanRunCommand.self)
}

/// How `scan` prints the hosts it found.
enum ScanFormat: String, ExpressibleByArgument, CaseIterable {
    case table, jsonl, csv, xml
}

/// `assetledger scan [run] SCOPE...`: the scan itself (the default subcommand).
struct ScanRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Scan subnets for devices (explicit scope required; --dry-run plans without sending).")

    @OptionGroup var options: LedgerOptions
    @Argument(help: "Targets: CIDR (198.18.0.0/24), range (198.18.0.1-198.18.0.40) or address.")
    var targets: [String] = []
    @Option(name: .long, help: "Addresses never to touch (CIDR, range or address); repeatable.")
    var exclude: [String] = []
    @Option(help: "TCP ports, nmap style (22,80,8000-8010; 'default').")
    var ports = "default"
    @Option(
        help:
            "What to do after the ARP sweep, comma-separated: ports (SYN scan), udp (SNMP, NetBIOS, DNS-SD, SSDP), tcp (banners, HTTP, IPP, PJLink, PJL); 'all' or 'none'."
    )
    var probes = "all"
    @Option(help: ArgumentHelp(ProbeRegistry.helpText))
    var skip = ""
    @Option(help: "SNMP communities to try, comma-separated.") var community = "public"
    @Option(help: "Packets per second over the whole scan.") var rate: Double = 1_000
    @Option(name: .customLong("host-rate"), help: "Packets per second to any one host.")
    var hostRate: Double = 50
    @Option(
        name: .customLong("max-in-flight"),
        help: "Port probes awaiting an answer at once; also caps hosts talked to at once over TCP (at most 64).")
    var maxInFlight = 256
    @Option(help: "Extra rounds for hosts and ports that did not answer.") var retries = 1
    @Option(name: .customLong("max-hosts"), help: "Refuse scopes with more addresses than this.")
    var maxHosts = ScanScope.defaultMaximumHosts
    @Option(help: "Interface to scan from (its subnet must be on-link). Required to send.")
    var interface: String?
    @Option(help: "Seconds to keep listening after each round.") var settle: Double = 0.5
    @Option(help: "Seconds allowed for each TCP conversation.") var timeout: Double = 3
    @Option(help: "Extra fingerprint rules (same format as scanners/fingerprints.tsv); repeatable.")
    var fingerprints: [String] = []
    @Option(help: "table, jsonl, csv, or xml (nmap -oX shape).") var format: ScanFormat = .table
    @Option(help: "Also write the nmap-compatible XML to this file (like nmap -oX).") var xml: String?
    @Flag(name: .customLong("dry-run"), help: "Print the target count and time estimate; send nothing.")
    var dryRun = false

    func run() async throws {
        let scope = try ScanScope(targets: targets, exclusions: exclude, maximumHosts: maxHosts)
        let portList = try PortList(ports)
        var limits = ScanLimits()
        limits.packetsPerSecond = rate
        limits.perHostPacketsPerSecond = hostRate
        limits.maximumInFlight = maxInFlight
        limits.retries = retries
        limits = try limits.validated()
        let phases = try Self.phases(probes)
        _ = try skipped()
        guard dryRun else { return try await scan(scope, limits, portList, phases) }
        let (packets, seconds) = limits.estimate(
            hosts: scope.count, ports: phases.contains(.ports) ? portList.ports.count : 0)
        Console.current.write(
            """
            scope      \(scope)
            targets    \(scope.count) addresses
            ports      \(portList.ports.count) (\(portList.ports.map(String.init).joined(separator: ",")))
            limits     \(Int(limits.packetsPerSecond)) packets/s, \(Int(limits.perHostPacketsPerSecond)) per host, \(limits.maximumInFlight) in flight, \(limits.retries) retries
            worst case \(packets) packets in \(String(format: "%.1f", seconds)) s (nobody answers; live hosts cut it)

            """)
    }

    /// The `--skip` list, checked against the probes that exist.
    func skipped() throws -> Set<String> {
        let names = Set(skip.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        if let unknown = ProbeRegistry.validate(skip: names) {
            throw LedgerError(
                "--skip: unknown probe '\(unknown)' (known: \(ProbeRegistry.names.sorted().joined(separator: ", ")))")
        }
        return names
    }

    static func phases(_ text: String) throws -> NetworkScan.Phases {
        var phases: NetworkScan.Phases = []
        for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            switch word {
            case "all": phases.formUnion(.all)
            case "none": break
            case "ports": phases.insert(.ports)
            case "udp": phases.insert(.udp)
            case "tcp": phases.insert(.tcp)
            default: throw LedgerError("--probes: unknown '\(word)' (use ports, udp, tcp, all or none)")
            }
        }
        return phases
    }

    func scan(_ scope: ScanScope, _ limits: ScanLimits, _ portList: PortList, _ phases: NetworkScan.Phases) async throws
    {
        guard let interface else {
            throw LedgerError("name the interface to scan from with --interface (or plan with --dry-run)")
        }
        guard (0.1...30).contains(settle) else { throw LedgerError("--settle must be 0.1...30 seconds") }
        guard (0.1...60).contains(timeout) else { throw LedgerError("--timeout must be 0.1...60 seconds") }
        let communities = community.split(separator: ",").map(String.init).filter { !$0.isEmpty }
        guard !communities.isEmpty, communities.count <= 8 else { throw LedgerError("--community: 1 to 8 communities") }
        let nic = try NetworkInterface.named(interface)
        var scan = NetworkScan(scope: scope, limits: limits)
        scan.ports = portList.ports
        scan.phases = phases
        scan.communities = communities
        scan.skip = try skipped()
        scan.settle = settle
        scan.probeTimeout = timeout
        scan.rules = try loadFingerprintRules(extra: fingerprints)
        scan.vendors = Background { try? MACVendors.load() }
        let started = Date()
        let outcome = try scan.run(on: nic)
        let finished = Date()
        let observations = outcome.hosts.map { $0.observation(at: started, sourceRef: "scan \(interface)") }
        let packets =
            (outcome.sweep?.packetsSent ?? 0) + (outcome.routed?.packetsSent ?? 0) + (outcome.ports?.packetsSent ?? 0)
            + (outcome.connect?.attempts ?? 0)
            + outcome.udpPackets + outcome.tcpSent.count
        let discovery = [
            outcome.sweep == nil ? nil : "arp", outcome.routed == nil ? nil : "ping",
            outcome.connect == nil ? nil : "connect",
        ].compactMap { $0 }
        let method = (discovery + ["ports", "udp", "tcp"].filter { Self.phasesContain(phases, $0) }).joined(
            separator: "+")
        let record = ScanRecord(
            method: method, scope: scope.description, exclusions: exclude.joined(separator: ","),
            interface: interface, startedAt: started, finishedAt: finished, targets: scope.count, packets: packets,
            answered: outcome.hosts.count)
        let openPorts = Dictionary(
            outcome.hosts.map { ($0.ip.description, $0.openPorts) }, uniquingKeysWith: { a, _ in a })
        let beforeRecord = monotonicSeconds()
        let (saved, summary) = try options.open().recordScan(record, observations: observations, openPorts: openPorts)
        let recorded = monotonicSeconds()
        var out = try writeHosts(
            outcome.hosts, format: format, xml: xml, ports: portList.ports, started: started, finished: finished,
            targets: scope.count)
        guard format == .table else { return }
        var found = [String]()
        if let sweep = outcome.sweep {
            found.append(String(format: "%d ARP requests in %.2f s", sweep.packetsSent, sweep.seconds))
        }
        if let routed = outcome.routed {
            found.append(
                String(
                    format: "%d routed answered %d ICMP/SYN pings in %.2f s", routed.live.count, routed.packetsSent,
                    routed.seconds))
        }
        if let connect = outcome.connect {
            found.append(
                String(
                    format: "no capture privilege: %d TCP connects in %.2f s (open or refused = alive)",
                    connect.attempts, connect.seconds))
        }
        out +=
            "\(outcome.hosts.count) of \(scope.count) addresses answered; \(found.joined(separator: "; ")); "
            + "ledger: \(summary.created) new, \(summary.matched) known devices\n"
        if let ports = outcome.ports {
            let open = ports.open.values.reduce(0) { $0 + $1.count }
            out += String(
                format: "ports: %d open, %d closed, %d silent; %d SYN probes in %.2f s\n", open, ports.closed,
                ports.silent, ports.packetsSent, ports.seconds)
        }
        if phases.contains(.udp) || phases.contains(.tcp) {
            let failed = outcome.tcpSent.filter { !$0.connected }.count
            out += "probes: \(outcome.udpPackets) UDP questions, \(outcome.tcpSent.count) TCP conversations"
            out += failed > 0 ? " (\(failed) could not connect)\n" : "\n"
        }
        out +=
            "phases: "
            + outcome.phaseSeconds.map { "\($0.0) \(String(format: "%.2f", $0.1)) s" }.joined(separator: ", ")
        out += String(format: "; scan %.2f s, ledger %.2f s\n", outcome.seconds, recorded - beforeRecord)
        out += "recorded as scan \(saved.id ?? 0) (assetledger scan list, scan diff)\n"
        Console.current.write(out)
    }

    static func phasesContain(_ phases: NetworkScan.Phases, _ name: String) -> Bool {
        switch name {
        case "ports": phases.contains(.ports)
        case "udp": phases.contains(.udp)
        default: phases.contains(.tcp)
        }
    }
}

/// `assetledger scan list`: the recorded scans, newest first.
struct ScanListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List recorded scans (scope, time, counts), newest first.")

    @OptionGroup var options: LedgerOptions
    @Option(help: "table or json.") var format: OutputFormat = .table
    @Option(help: "How many scans to list.") var limit = 20

    func run() async throws {
        let scans = try options.open().scans(limit: max(1, min(limit, 10_000)))
        if format == .json {
            let rows: [[String: Any]] = scans.map {
                [
                    "id": $0.id ?? 0, "method": $0.method, "scope": $0.scope, "exclusions": $0.exclusions,
                    "interface": $0.interface ?? NSNull(), "sensor": $0.sensor ?? NSNull(),
                    "started": iso($0.startedAt), "finished": iso($0.finishedAt), "status": $0.status,
                    "targets": $0.targets, "packets": $0.packets, "answered": $0.answered,
                    "new_devices": $0.newDevices, "known_devices": $0.knownDevices,
                ]
            }
            Console.current.write(try json(rows))
            return
        }
        var out = "ID  METHOD  STARTED               SECONDS  TARGETS  ANSWERED  NEW  STATUS     SCOPE\n"
        for s in scans {
            func pad(_ text: String, _ width: Int) -> String {
                text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0)
            }
            let seconds = String(format: "%7.1f", s.finishedAt.timeIntervalSince(s.startedAt))
            out +=
                pad("\(s.id ?? 0)", 3) + " " + pad(s.method, 7) + " " + pad(iso(s.startedAt), 20) + " " + seconds
                + "  " + String(format: "%7d  %8d  %3d", s.targets, s.answered, s.newDevices) + "  " + pad(s.status, 9)
                + "  " + Text.terminalSafe(s.scope) + "\n"
        }
        Console.current.write(out)
    }
}

/// `assetledger scan diff [A B]`: hosts new, gone and changed (MAC behind an IP) between two
/// recorded scans; by default the last two.
struct ScanDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "What changed between two recorded scans (default: the last two).")

    @OptionGroup var options: LedgerOptions
    @Argument(help: "Older and newer scan ids.") var ids: [Int64] = []

    func run() async throws {
        let ledger = try options.open()
        let pair: (Int64, Int64)
        switch ids.count {
        case 0:
            let last = try ledger.scans(limit: 2).compactMap(\.id)
            guard last.count == 2 else {
                throw LedgerError("scan diff needs two recorded scans; there are \(last.count)")
            }
            pair = (last[1], last[0])
        case 2: pair = (ids[0], ids[1])
        default: throw LedgerError("scan diff takes no scan ids (the last two) or two: OLDER NEWER")
        }
        let diff = ScanDiff(before: try ledger.scanHosts(pair.0), after: try ledger.scanHosts(pair.1))
        var out =
            "scan \(pair.0) → scan \(pair.1): \(diff.new.count) new, \(diff.gone.count) gone, \(diff.changed.count) changed\n"
        for h in diff.new { out += "+ \(h.ip) \(Text.terminalSafe(h.mac ?? "-"))\n" }
        for h in diff.gone { out += "- \(h.ip) \(Text.terminalSafe(h.mac ?? "-"))\n" }
        for c in diff.changed {
            out += "~ \(c.ip) \(c.field) \(Text.terminalSafe(c.before ?? "-")) → \(Text.terminalSafe(c.after ?? "-"))\n"
        }
        Console.current.write(out)
    }
}

/// Writes found hosts in the chosen format (and the nmap XML file when asked). For a table
/// it returns the table for the caller to add its summary to; machine formats are written whole
/// and return "".
func writeHosts(
    _ hosts: [ScannedHost], format: ScanFormat, xml: String?, ports: [UInt16], started: Date, finished: Date,
    targets: Int
) throws -> String {
    func xmlText() -> String {
        ScanOutput.nmapXML(
            hosts: hosts, ports: ports, arguments: CommandLine.arguments.joined(separator: " "), started: started,
            finished: finished, targets: targets)
    }
    if let xml { try Data(xmlText().utf8).write(to: URL(fileURLWithPath: xml)) }
    switch format {
    case .xml: Console.current.write(xmlText())
    case .jsonl: Console.current.write(try hosts.map { try ScanOutput.jsonLine($0) + "\n" }.joined())
    case .csv:
        Console.current.write(CSVWriter.document(header: ScanOutput.csvHeader, rows: hosts.map(ScanOutput.csvRow)))
    case .table:
        let rows = hosts.map { h -> [String] in
            let f = h.fingerprint
            return [
                h.ip.description, h.mac ?? "-", h.macVendor ?? "-",
                (f.deviceClass?.rawValue ?? "-") + (f.faxCapable == true && f.deviceClass != .fax ? "+fax" : ""),
                h.vendor ?? "-",
                f.model ?? "-", h.hostname ?? "-", h.openPorts.map(String.init).joined(separator: ","),
            ]
        }
        return renderTable(
            header: ["IP", "MAC", "MAC VENDOR", "CLASS", "VENDOR", "MODEL", "NAME", "OPEN PORTS"], rows: rows)
    }
    return ""
}

/// The fingerprint rules: scanners/fingerprints.tsv and the user's own files, in that order.
func loadFingerprintRules(extra: [String]) throws -> [FingerprintRule] {
    guard let standard = ScannerData.locate("fingerprints.tsv") else {
        throw LedgerError("scanners/fingerprints.tsv not found (set ASSETLEDGER_DATA to the scanners folder)")
    }
    return try ([standard] + extra).flatMap { try Fingerprints.read(try readInput($0), file: $0) }
}
