import ArgumentParser
import Discovery
import Foundation
import LedgerModel

/// `assetledger scan`: the scope and politeness limits of a scan. Today it plans (`--dry-run`);
/// the active scanner that sends the packets is the rest of issue 3.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan subnets for devices (explicit scope required; --dry-run plans without sending).")

    @OptionGroup var options: LedgerOptions
    @Argument(help: "Targets: CIDR (198.18.0.0/24), range (198.18.0.1-198.18.0.40) or address.")
    var targets: [String] = []
    @Option(name: .long, help: "Addresses never to touch (CIDR, range or address); repeatable.")
    var exclude: [String] = []
    @Option(help: "TCP ports, nmap style (22,80,8000-8010; 'default' for the default set).")
    var ports = "default"
    @Option(help: "Packets per second over the whole scan.") var rate: Double = 1_000
    @Option(name: .customLong("host-rate"), help: "Packets per second to any one host.")
    var hostRate: Double = 50
    @Option(name: .customLong("max-in-flight"), help: "Probes awaiting an answer at once.")
    var maxInFlight = 256
    @Option(help: "Extra rounds for hosts that did not answer.") var retries = 1
    @Option(name: .customLong("max-hosts"), help: "Refuse scopes with more addresses than this.")
    var maxHosts = ScanScope.defaultMaximumHosts
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
        guard dryRun else {
            throw LedgerError(
                "active scanning is not built yet; `scan --dry-run` plans a scan and `assetledger import` reads nmap XML"
            )
        }
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
}
