import ArgumentParser
import Discovery
import Foundation
import Ingest
import LedgerApp
import LedgerModel

/// `assetledger scan`: discovers and identifies devices in an explicit scope. `--dry-run`
/// plans without sending; otherwise, from `--interface`: ARP sweep, SYN port scan of the live
/// hosts, UDP questions (SNMP, NetBIOS, DNS-SD, SSDP), TCP conversations (banners, HTTP,
/// IPP, PJLink, UPnP description, PJL INFO ID to known printers only), fingerprints; the
/// hosts merge into the ledger and the scan is recorded.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan subnets, list recorded scans, compare two scans, set scan jobs.",
        subcommands: [ScanRunCommand.self, ScanListCommand.self, ScanDiffCommand.self, ScanJobCommand.self],
        defaultSubcommand: ScanRunCommand.self)
}

/// How `scan` and `listen` print the hosts they found.
enum ScanFormat: String, ExpressibleByArgument, CaseIterable {
    case table, jsonl, csv, xml
}

/// `scan run --format`: the hosts found (`ScanFormat`), or with `--dry-run` the plan (table
/// or json, `ScanPlanOutput`). `validate()` refuses a word the mode does not print.
enum ScanRunFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl, csv, xml

    /// How a scan that sends prints its hosts; nil for `json` (the plan's only).
    var hosts: ScanFormat? { ScanFormat(rawValue: rawValue) }
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
        help: ArgumentHelp(
            "What to do after the ARP sweep, comma-separated: ports (SYN scan), udp (SNMP, NetBIOS, DNS-SD, SSDP), tcp (banners, HTTP, IPP, PJLink, PJL); 'all' or 'none'. (default: all)",
            valueName: "phases"),
        transform: { text in try usage { try ScanPhase.parse(text) } })
    var probes: [ScanPhase] = ScanPhase.allCases
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
    @Option(help: "Hosts as table, jsonl, csv, or xml (nmap -oX shape); with --dry-run, the plan as table or json.")
    var format: ScanRunFormat = .table
    @Option(help: "Also write the nmap-compatible XML to this file (like nmap -oX).") var xml: String?
    @Flag(
        name: .customLong("dry-run"), help: "Print the target count and time estimate; send nothing, open no database.")
    var dryRun = false

    /// Probe names are checked while parsing, so a typo is a usage error like any other.
    func validate() throws {
        _ = try usage { try ScanProbes.parseSkip(skip) }
        if dryRun {
            guard format == .table || format == .json else {
                throw ValidationError("scan --dry-run prints its plan as table or json, not \(format.rawValue)")
            }
            if xml != nil { throw ValidationError("--xml writes the hosts a scan finds: --dry-run finds none") }
        } else if format.hosts == nil {
            throw ValidationError("scan prints hosts as table, jsonl, csv or xml (json is the --dry-run plan)")
        }
    }

    /// The request as typed: LedgerApp checks it (scope size, rates, probe names...).
    func request() throws -> ScanRequest {
        var r = ScanRequest(targets: targets)
        r.exclusions = exclude
        r.ports = ports
        r.phases = probes
        r.skip = try ScanProbes.parseSkip(skip)
        r.communities = community.split(separator: ",").map(String.init).filter { !$0.isEmpty }
        r.packetsPerSecond = rate
        r.perHostPacketsPerSecond = hostRate
        r.maximumInFlight = maxInFlight
        r.retries = retries
        r.maximumHosts = maxHosts
        r.interface = interface
        r.settle = settle
        r.probeTimeout = timeout
        r.fingerprintFiles = fingerprints
        return r
    }

    func run() async throws {
        let request = try request()
        guard dryRun else { return try scan(try options.service(), request, format: format.hosts ?? .table) }
        // A plan needs no ledger: a dry run opens (and creates) no database.
        let plan = try LedgerService.planScan(request)
        if format == .json { return Console.current.write(try json(plan)) }
        Console.current.write(
            """
            scope      \(plan.scope)
            targets    \(plan.targets) addresses
            ports      \(plan.ports.count) (\(plan.ports.map(String.init).joined(separator: ",")))
            limits     \(Int(plan.packetsPerSecond)) packets/s, \(Int(plan.perHostPacketsPerSecond)) per host, \(plan.maxInFlight) in flight, \(plan.retries) retries
            worst case \(plan.worstCasePackets) packets in \(String(format: "%.1f", plan.worstCaseSeconds)) s (nobody answers; live hosts cut it)

            """)
    }

    func scan(_ service: LedgerService, _ request: ScanRequest, format: ScanFormat) throws {
        let result = try service.runScan(request, scope: .everything)
        for warning in result.warnings { Console.warn("warning: \(warning)") }
        let r = result.record
        var out = try writeHosts(
            result.hosts, format: format, xml: xml, ports: result.ports, started: parseDate(r.started) ?? Date(),
            finished: parseDate(r.finished) ?? Date(), targets: r.targets)
        guard format == .table else { return }
        var found = [String]()
        if let sweep = result.arp {
            found.append(String(format: "%d ARP requests in %.2f s", sweep.packets, sweep.seconds))
        }
        if let routed = result.ping {
            found.append(
                String(
                    format: "%d routed answered %d ICMP/SYN pings in %.2f s", routed.live, routed.packets,
                    routed.seconds))
        }
        if let connect = result.connect {
            found.append(
                String(
                    format: "no capture privilege: %d TCP connects in %.2f s (open or refused = alive)",
                    connect.packets, connect.seconds))
        }
        out +=
            "\(r.answered) of \(r.targets) addresses answered; \(found.joined(separator: "; ")); "
            + "ledger: \(r.newDevices) new, \(r.knownDevices) known devices\n"
        if let ports = result.portScan {
            out += String(
                format: "ports: %d open, %d closed, %d silent; %d SYN probes in %.2f s\n", ports.open, ports.closed,
                ports.silent, ports.packets, ports.seconds)
        }
        if let probes = result.probes {
            out += "probes: \(probes.udpQuestions) UDP questions, \(probes.tcpConversations) TCP conversations"
            out += probes.tcpFailed > 0 ? " (\(probes.tcpFailed) could not connect)\n" : "\n"
        }
        out +=
            "phases: "
            + result.phases.map { "\($0.name) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", ")
        out += String(format: "; scan %.2f s, ledger %.2f s\n", result.scanSeconds, result.ledgerSeconds)
        out += "recorded as scan \(r.id) (assetledger scan list, scan diff)\n"
        Console.current.write(out)
    }
}

/// `assetledger scan list`: the recorded scans, newest first.
struct ScanListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List recorded scans (scope, time, counts), newest first.")

    @OptionGroup var options: LedgerOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @Option(help: "How many scans to list.") var limit = 20

    func run() async throws {
        let scans = try options.service().listScans(limit: limit, scope: .everything)
        if format == .json {
            Console.current.write(try json(scans))
            return
        }
        if format == .csv {
            Console.current.write(
                CSVWriter.document(
                    header: [
                        "id", "method", "started", "finished", "targets", "answered", "new_devices", "status", "scope",
                    ],
                    rows: scans.map {
                        [
                            String($0.id), $0.method, $0.started, $0.finished, String($0.targets), String($0.answered),
                            String($0.newDevices), $0.status, $0.scope,
                        ]
                    }))
            return
        }
        var out = "ID  METHOD  STARTED               SECONDS  TARGETS  ANSWERED  NEW  STATUS     SCOPE\n"
        for s in scans {
            func pad(_ text: String, _ width: Int) -> String {
                text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0)
            }
            let seconds = String(format: "%7.1f", s.seconds)
            out +=
                pad("\(s.id)", 3) + " " + pad(s.method, 7) + " " + pad(s.started, 20) + " " + seconds
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

    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() async throws {
        let diff = try options.service().diffScans(ids, scope: .everything)
        switch format {
        case .json:
            Console.current.write(try json(diff))
        case .csv:
            let rows =
                diff.new.map { ["new", $0.ip, "mac", "", $0.mac ?? ""] }
                + diff.gone.map { ["gone", $0.ip, "mac", $0.mac ?? "", ""] }
                + diff.changed.map { ["changed", $0.ip, $0.field, $0.before ?? "", $0.after ?? ""] }
            Console.current.write(CSVWriter.document(header: ["change", "ip", "field", "before", "after"], rows: rows))
        case .table:
            var out =
                "scan \(diff.before) → scan \(diff.after): \(diff.new.count) new, \(diff.gone.count) gone, \(diff.changed.count) changed\n"
            for h in diff.new { out += "+ \(h.ip) \(Text.terminalSafe(h.mac ?? "-"))\n" }
            for h in diff.gone { out += "- \(h.ip) \(Text.terminalSafe(h.mac ?? "-"))\n" }
            for c in diff.changed {
                out +=
                    "~ \(c.ip) \(c.field) \(Text.terminalSafe(c.before ?? "-")) → \(Text.terminalSafe(c.after ?? "-"))\n"
            }
            Console.current.write(out)
        }
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
    if let xml { try writeOutputFile(xmlText(), to: xml) }
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
