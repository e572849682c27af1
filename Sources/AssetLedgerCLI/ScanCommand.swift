import ArgumentParser
import Discovery
import Foundation
import LedgerModel
import LedgerStore

/// `assetledger scan`: discovers devices in an explicit scope. `--dry-run` plans without
/// sending; otherwise an ARP sweep through libpcap on `--interface` finds the on-link hosts,
/// which merge into the ledger as scan observations. (Port probes, ICMP/TCP ping for routed
/// subnets and the scan record come next: issue 3.)
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan subnets, list recorded scans, compare two scans.",
        subcommands: [ScanRunCommand.self, ScanListCommand.self, ScanDiffCommand.self],
        defaultSubcommand: ScanRunCommand.self)
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
    @Option(help: "TCP ports, nmap style (22,80,8000-8010; 'default'). Planned by --dry-run; port probes come next.")
    var ports = "default"
    @Option(help: "Packets per second over the whole scan.") var rate: Double = 1_000
    @Option(
        name: .customLong("host-rate"),
        help: "Packets per second to any one host (port probes; ARP sends one per round).")
    var hostRate: Double = 50
    @Option(name: .customLong("max-in-flight"), help: "Probes awaiting an answer at once (port probes, not ARP).")
    var maxInFlight = 256
    @Option(help: "Extra rounds for hosts that did not answer.") var retries = 1
    @Option(name: .customLong("max-hosts"), help: "Refuse scopes with more addresses than this.")
    var maxHosts = ScanScope.defaultMaximumHosts
    @Option(help: "Interface to sweep from (its subnet must be on-link). Required to send.")
    var interface: String?
    @Option(help: "Seconds to keep listening after each round.") var settle: Double = 0.5
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
        guard dryRun else { return try await sweep(scope, limits) }
        let (packets, seconds) = limits.estimate(hosts: scope.count, ports: portList.ports.count)
        Console.current.write(
            """
            scope      \(scope)
            targets    \(scope.count) addresses
            ports      \(portList.ports.count) (\(portList.ports.map(String.init).joined(separator: ",")))
            limits     \(Int(limits.packetsPerSecond)) packets/s, \(Int(limits.perHostPacketsPerSecond)) per host, \(limits.maximumInFlight) in flight, \(limits.retries) retries
            worst case \(packets) packets in \(String(format: "%.1f", seconds)) s (nobody answers; live hosts cut it)

            """)
    }

    func sweep(_ scope: ScanScope, _ limits: ScanLimits) async throws {
        guard let interface else {
            throw LedgerError("name the interface to scan from with --interface (or plan with --dry-run)")
        }
        guard (0...30).contains(settle) else { throw LedgerError("--settle must be 0...30 seconds") }
        let nic = try NetworkInterface.named(interface)
        var sweep = ARPSweep(scope: scope, limits: limits)
        sweep.settle = settle
        let started = Date()
        // The IEEE registries load while the sweep runs.
        let vendorTable = Task.detached { try? MACVendors.load() }
        let result = try sweep.run(on: nic)
        let vendors = await vendorTable.value
        let observations = result.answers.map { answer in
            var o = Observation(source: .scan, sourceRef: "arp \(interface)", observedAt: started)
            o.ips = [answer.ip.description]
            o.macs = [answer.mac]
            if let vendor = vendors?.vendor(of: answer.mac) {
                o.evidence.append(
                    Evidence(field: "vendor", value: vendor, reason: "IEEE registry: MAC \(answer.mac)", certainty: 30))
            }
            return o
        }
        let record = ScanRecord(
            method: "arp", scope: scope.description, exclusions: exclude.joined(separator: ","), interface: interface,
            startedAt: started, finishedAt: Date(), targets: scope.count, packets: result.packetsSent,
            answered: result.answers.count)
        let (saved, summary) = try options.open().recordScan(record, observations: observations)
        var out = "IP               MAC                VENDOR\n"
        for answer in result.answers {
            let ip = answer.ip.description.padding(toLength: 16, withPad: " ", startingAt: 0)
            out += "\(ip) \(answer.mac)  \(Text.terminalSafe(vendors?.vendor(of: answer.mac) ?? "-"))\n"
        }
        out += String(
            format: "%d of %d addresses answered; %d ARP requests in %.2f s; ledger: %d new, %d known devices\n",
            result.answers.count, scope.count, result.packetsSent, result.seconds, summary.created, summary.matched)
        out += "recorded as scan \(saved.id ?? 0) (assetledger scan list, scan diff)\n"
        Console.current.write(out)
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
        let diff = ScanDiff(
            before: try ledger.scanHosts(pair.0).map { ($0.ip, $0.mac) },
            after: try ledger.scanHosts(pair.1).map { ($0.ip, $0.mac) })
        var out =
            "scan \(pair.0) → scan \(pair.1): \(diff.new.count) new, \(diff.gone.count) gone, \(diff.changed.count) changed\n"
        for h in diff.new { out += "+ \(h.ip) \(Text.terminalSafe(h.mac ?? "-"))\n" }
        for h in diff.gone { out += "- \(h.ip) \(Text.terminalSafe(h.mac ?? "-"))\n" }
        for c in diff.changed {
            out += "~ \(c.ip) MAC \(Text.terminalSafe(c.before ?? "-")) → \(Text.terminalSafe(c.after ?? "-"))\n"
        }
        Console.current.write(out)
    }
}
