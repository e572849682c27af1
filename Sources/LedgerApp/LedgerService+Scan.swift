import Discovery
import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// What a scan does after discovery (`--probes`).
public enum ScanPhase: String, CaseIterable, Codable, Sendable {
    /// SYN port scan.
    case ports
    /// SNMP, NetBIOS, DNS-SD, SSDP, WS-Discovery.
    case udp
    /// Banners, HTTP(S), SMB, IPP, PJLink, UPnP, PJL.
    case tcp

    /// `all`, `none` or a comma-separated list of phase names.
    public static func parse(_ text: String) throws -> [ScanPhase] {
        var phases = Set<ScanPhase>()
        for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            switch word {
            case "all": phases.formUnion(allCases)
            case "none": break
            default:
                guard let phase = ScanPhase(rawValue: word) else {
                    throw LedgerError(.invalidInput, "--probes: unknown '\(word)' (use ports, udp, tcp, all or none)")
                }
                phases.insert(phase)
            }
        }
        return allCases.filter(phases.contains)
    }
}

/// The probes a scan can leave out by name (`--skip`): the names of Discovery's probe registry.
public enum ScanProbes {
    public static var knownNames: [String] { ProbeRegistry.names }

    /// A comma-separated `--skip` list, each name checked against `knownNames`.
    public static func parseSkip(_ text: String) throws -> Set<String> {
        let names = Set(
            text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter {
                !$0.isEmpty
            })
        try check(names)
        return names
    }

    /// Refuses a name no probe has.
    public static func check(_ names: Set<String>) throws {
        let known = Set(knownNames)
        if let unknown = names.sorted().first(where: { !known.contains($0) }) {
            throw LedgerError(
                .invalidInput, "--skip: unknown probe '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
    }
}

/// One scan as asked: what to scan, how fast, which probes, from where.
public struct ScanRequest: Sendable {
    /// CIDR, range or address.
    public var targets: [String]
    public var exclusions: [String] = []
    /// nmap style (`22,80,8000-8010`, `default`).
    public var ports = "default"
    public var phases: [ScanPhase] = ScanPhase.allCases
    /// Probe names not to run (`ScanProbes.knownNames`).
    public var skip: Set<String> = []
    public var communities = ["public"]
    public var packetsPerSecond: Double = 1_000
    public var perHostPacketsPerSecond: Double = 50
    public var maximumInFlight = 256
    public var retries = 1
    public var maximumHosts = ScanScope.defaultMaximumHosts
    /// Required to send (not to plan).
    public var interface: String?
    public var settle: Double = 0.5
    public var probeTimeout: Double = 3
    /// Extra fingerprint rule files, after `scanners/fingerprints.tsv`.
    public var fingerprintFiles: [String] = []
    /// Stops the scan while it runs (a cancelled job); nil: it runs to its end.
    public var stop: ScanStop?

    public init(targets: [String]) { self.targets = targets }
}

/// A scan request checked and turned into the scanner's values.
struct CheckedScan {
    var scope: ScanScope
    var limits: ScanLimits
    var ports: PortList
    var phases: NetworkScan.Phases
}

/// What a scan would do (`scan --dry-run`).
public struct ScanPlanOutput: Codable, Equatable, Sendable {
    public var scope: String
    public var targets: Int
    public var ports: [Int]
    public var packetsPerSecond: Double
    public var perHostPacketsPerSecond: Double
    public var maxInFlight: Int
    public var retries: Int
    /// Packets and seconds if nobody answers (live hosts cut both).
    public var worstCasePackets: Int
    public var worstCaseSeconds: Double

    enum CodingKeys: String, CodingKey {
        case scope, targets, ports, retries
        case packetsPerSecond = "packets_per_second"
        case perHostPacketsPerSecond = "per_host_packets_per_second"
        case maxInFlight = "max_in_flight"
        case worstCasePackets = "worst_case_packets"
        case worstCaseSeconds = "worst_case_seconds"
    }
}

/// A recorded scan (`scan list --format json`).
public struct ScanOutputRecord: Codable, Equatable, Sendable {
    public var id: Int64
    /// Phases that ran, `+`-joined: `arp+ports+udp+tcp`, `passive`...
    public var method: String
    public var scope: String
    public var exclusions: String
    @Nullable public var interface: String?
    /// The remote sensor that ran it; null for this server.
    @Nullable public var sensor: String?
    public var started: String
    public var finished: String
    public var status: String
    public var targets: Int
    public var packets: Int
    public var answered: Int
    public var newDevices: Int
    public var knownDevices: Int

    enum CodingKeys: String, CodingKey {
        case id, method, scope, exclusions, interface, sensor, started, finished, status, targets, packets, answered
        case newDevices = "new_devices"
        case knownDevices = "known_devices"
    }

    public init(_ r: ScanRecord) {
        id = r.id ?? 0
        method = r.method
        scope = r.scope
        exclusions = r.exclusions
        interface = r.interface
        sensor = r.sensor
        started = isoDate(r.startedAt)
        finished = isoDate(r.finishedAt)
        status = r.status
        targets = r.targets
        packets = r.packets
        answered = r.answered
        newDevices = r.newDevices
        knownDevices = r.knownDevices
    }

    /// Seconds from start to end (for the table).
    public var seconds: Double {
        guard let a = ISODate.parse(started), let b = ISODate.parse(finished) else { return 0 }
        return b.timeIntervalSince(a)
    }
}

/// One scan run: the hosts found (written by the renderer as table, JSON lines, CSV or nmap
/// XML: `hosts` and `ports` are not part of this object's JSON), the scan as recorded, and
/// what each phase did.
public struct ScanRunOutput: Codable, Sendable {
    public var hosts: [ScannedHost] = []
    /// The ports asked (for the nmap XML).
    public var ports: [UInt16] = []
    public var record: ScanOutputRecord
    @Nullable public var arp: PhaseFigures?
    @Nullable public var ping: PhaseFigures?
    /// The unprivileged connect scan (discovery and ports at once) when capture was refused.
    @Nullable public var connect: PhaseFigures?
    @Nullable public var portScan: PortScanFigures?
    /// UDP questions and TCP conversations, when those phases ran.
    @Nullable public var probes: ProbeFigures?
    public var phases: [PhaseTime]
    public var scanSeconds: Double
    public var ledgerSeconds: Double
    /// Problems that did not stop the scan (the MAC registry could not be read...).
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case record, arp, ping, connect, probes, phases, warnings
        case portScan = "port_scan"
        case scanSeconds = "scan_seconds"
        case ledgerSeconds = "ledger_seconds"
    }
}

/// Packets a discovery phase sent, the hosts it found alive, and its time.
public struct PhaseFigures: Codable, Equatable, Sendable {
    public var packets: Int
    public var live: Int
    public var seconds: Double
}

/// The SYN port scan's results.
public struct PortScanFigures: Codable, Equatable, Sendable {
    public var open: Int
    public var closed: Int
    public var silent: Int
    public var packets: Int
    public var seconds: Double
}

/// UDP questions sent and TCP conversations held (and how many could not connect).
public struct ProbeFigures: Codable, Equatable, Sendable {
    public var udpQuestions: Int
    public var tcpConversations: Int
    public var tcpFailed: Int

    enum CodingKeys: String, CodingKey {
        case udpQuestions = "udp_questions"
        case tcpConversations = "tcp_conversations"
        case tcpFailed = "tcp_failed"
    }
}

/// How long one phase took.
public struct PhaseTime: Codable, Equatable, Sendable {
    public var name: String
    public var seconds: Double
}

/// What changed between two recorded scans (`scan diff --format json`).
public struct ScanDiffOutput: Codable, Equatable, Sendable {
    public var before: Int64
    public var after: Int64
    public var new: [ScanHostOutput]
    public var gone: [ScanHostOutput]
    public var changed: [ScanChangeOutput]
}

/// A host as a recorded scan saw it.
public struct ScanHostOutput: Codable, Equatable, Sendable {
    public var ip: String
    @Nullable public var mac: String?
    @Nullable public var name: String?
    /// Open ports, comma-separated.
    public var ports: String
    @Nullable public var firmware: String?
    @Nullable public var deviceClass: String?

    enum CodingKeys: String, CodingKey {
        case ip, mac, name, ports, firmware
        case deviceClass = "class"
    }

    init(_ h: ScanDiff.Host) {
        ip = h.ip
        mac = h.mac
        name = h.name
        ports = h.ports
        firmware = h.firmware
        deviceClass = h.deviceClass
    }
}

/// One field of a host that differs between the two scans (`mac`, `name`, `ports`...).
public struct ScanChangeOutput: Codable, Equatable, Sendable {
    public var ip: String
    public var field: String
    @Nullable public var before: String?
    @Nullable public var after: String?
}

extension LedgerService {
    /// Checks a request without sending anything: scope (and its size), ports, rates,
    /// `--skip` names, settle, timeout, communities.
    static func checkScan(_ r: ScanRequest) throws -> CheckedScan {
        let scope = try ScanScope(targets: r.targets, exclusions: r.exclusions, maximumHosts: r.maximumHosts)
        let ports = try PortList(r.ports)
        var limits = ScanLimits()
        limits.packetsPerSecond = r.packetsPerSecond
        limits.perHostPacketsPerSecond = r.perHostPacketsPerSecond
        limits.maximumInFlight = r.maximumInFlight
        limits.retries = r.retries
        limits = try limits.validated()
        limits.stop = r.stop
        try ScanProbes.check(r.skip)
        guard (0.1...30).contains(r.settle) else {
            throw LedgerError(.invalidInput, "--settle must be 0.1...30 seconds")
        }
        guard (0.1...60).contains(r.probeTimeout) else {
            throw LedgerError(.invalidInput, "--timeout must be 0.1...60 seconds")
        }
        let communities = r.communities.filter { !$0.isEmpty }
        guard !communities.isEmpty, communities.count <= 8 else {
            throw LedgerError(.invalidInput, "--community: 1 to 8 communities")
        }
        var phases: NetworkScan.Phases = []
        for p in r.phases {
            switch p {
            case .ports: phases.insert(.ports)
            case .udp: phases.insert(.udp)
            case .tcp: phases.insert(.tcp)
            }
        }
        return CheckedScan(scope: scope, limits: limits, ports: ports, phases: phases)
    }

    /// `scan --dry-run`: the target count and the worst-case time; sends nothing and needs no
    /// ledger (a plan opens no database).
    public static func planScan(_ request: ScanRequest) throws -> ScanPlanOutput {
        let c = try checkScan(request)
        let (packets, seconds) = c.limits.estimate(
            hosts: c.scope.count, ports: c.phases.contains(.ports) ? c.ports.ports.count : 0)
        return ScanPlanOutput(
            scope: c.scope.description, targets: c.scope.count, ports: c.ports.ports.map(Int.init),
            packetsPerSecond: c.limits.packetsPerSecond, perHostPacketsPerSecond: c.limits.perHostPacketsPerSecond,
            maxInFlight: c.limits.maximumInFlight, retries: c.limits.retries, worstCasePackets: packets,
            worstCaseSeconds: seconds)
    }

    /// The fingerprint rules: `scanners/fingerprints.tsv`, then the caller's files.
    public func fingerprintRules(extra: [String] = []) throws -> [FingerprintRule] {
        try Self.fingerprintRules(extra: extra, data: data)
    }

    /// What identification knows besides the rules: the IANA enterprise registry (a scan goes
    /// on without it, but says so) and the manufacturer dictionary (shipped, so it must read).
    public func identification() throws -> (knowledge: Identification, warnings: [String]) {
        try Self.identification(data: data)
    }

    /// The MAC registry, or why it could not be read (a scan goes on without it, but says so).
    public static func loadMACVendors() -> (vendors: MACVendors?, warning: String?) {
        do { return (try MACVendors.load(), nil) } catch {
            return (nil, "MAC vendors unknown: \(error) (the scan goes on without them)")
        }
    }

    /// `scan run`: checks the request, loads the fingerprints, scans from the interface,
    /// turns each host into an observation and records the scan with them in one transaction.
    public func runScan(_ request: ScanRequest, scope: DeviceScope = .everything) throws -> ScanRunOutput {
        try requireEverything(scope, "scanning")
        let c = try Self.checkScan(request)
        try request.stop?.check()  // stopped before it began
        guard let interface = request.interface else {
            throw LedgerError(
                .invalidInput, "name the interface to scan from with --interface (or plan with --dry-run)")
        }
        let nic = try mappingScanErrors { try NetworkInterface.named(interface) }
        var scan = NetworkScan(scope: c.scope, limits: c.limits)
        scan.ports = c.ports.ports
        scan.phases = c.phases
        scan.communities = request.communities.filter { !$0.isEmpty }
        scan.skip = request.skip
        scan.settle = request.settle
        scan.probeTimeout = request.probeTimeout
        scan.rules = try fingerprintRules(extra: request.fingerprintFiles)
        // The dictionary now (a broken one stops the scan before a packet); the enterprise
        // registry, like the MAC registry, read while the sweep runs.
        scan.knowledge = Identification(manufacturers: try Self.manufacturerDictionary(data: data))
        let enterprises = Background { Self.loadEnterprises() }
        scan.enterprises = Background { enterprises.value.0 }
        // Read while the sweep runs; a registry that cannot be read is reported, not hidden.
        let registry = Background { Self.loadMACVendors() }
        scan.vendors = Background { registry.value.vendors }
        let started = Date()
        let outcome = try mappingScanErrors { try scan.run(on: nic) }
        try request.stop?.check()  // stopped as it ended: nothing recorded either
        let finished = Date()
        let coverage = scan.coverage
        let observations = outcome.hosts.map {
            $0.observation(at: started, sourceRef: "scan \(interface)", coverage: coverage)
        }
        let packets =
            (outcome.sweep?.packetsSent ?? 0) + (outcome.routed?.packetsSent ?? 0) + (outcome.ports?.packetsSent ?? 0)
            + (outcome.connect?.attempts ?? 0) + outcome.udpPackets + outcome.tcpSent.count
        let discovery = [
            outcome.sweep == nil ? nil : "arp", outcome.routed == nil ? nil : "ping",
            outcome.connect == nil ? nil : "connect",
        ].compactMap { $0 }
        let method = (discovery + ScanPhase.allCases.filter(request.phases.contains).map(\.rawValue)).joined(
            separator: "+")
        let record = ScanRecord(
            method: method, scope: c.scope.description, exclusions: request.exclusions.joined(separator: ","),
            interface: interface, startedAt: started, finishedAt: finished, targets: c.scope.count, packets: packets,
            answered: outcome.hosts.count)
        let openPorts = Dictionary(
            outcome.hosts.map { ($0.ip.description, $0.openPorts) }, uniquingKeysWith: { a, _ in a })
        let beforeRecord = monotonicSeconds()
        let (saved, _) = try ledger.recordScan(record, observations: observations, openPorts: openPorts)
        let ledgerSeconds = monotonicSeconds() - beforeRecord
        var probes: ProbeFigures?
        if c.phases.contains(.udp) || c.phases.contains(.tcp) {
            probes = ProbeFigures(
                udpQuestions: outcome.udpPackets, tcpConversations: outcome.tcpSent.count,
                tcpFailed: outcome.tcpSent.filter { !$0.connected }.count)
        }
        return ScanRunOutput(
            hosts: outcome.hosts, ports: c.ports.ports, record: ScanOutputRecord(saved),
            arp: outcome.sweep.map {
                PhaseFigures(packets: $0.packetsSent, live: $0.answers.count, seconds: $0.seconds)
            },
            ping: outcome.routed.map {
                PhaseFigures(packets: $0.packetsSent, live: $0.live.count, seconds: $0.seconds)
            },
            connect: outcome.connect.map {
                PhaseFigures(packets: $0.attempts, live: $0.live.count, seconds: $0.seconds)
            },
            portScan: outcome.ports.map {
                PortScanFigures(
                    open: $0.open.values.reduce(0) { $0 + $1.count }, closed: $0.closed, silent: $0.silent,
                    packets: $0.packetsSent, seconds: $0.seconds)
            },
            probes: probes, phases: outcome.phaseSeconds.map { PhaseTime(name: $0.0, seconds: $0.1) },
            scanSeconds: outcome.seconds, ledgerSeconds: ledgerSeconds,
            warnings: [registry.value.warning, enterprises.value.warning].compactMap { $0 })
    }

    /// `listen`: records hosts heard passively (method `passive`) like a scan.
    public func recordHeard(
        _ hosts: [ScannedHost], source: String, scope scanScope: String, interface: String?, started: Date,
        finished: Date, scope: DeviceScope = .everything
    ) throws -> ScanOutputRecord {
        try requireEverything(scope, "recording what was heard")
        let observations = hosts.map { $0.observation(at: started, sourceRef: source) }
        let record = ScanRecord(
            method: "passive", scope: scanScope, exclusions: "", interface: interface, startedAt: started,
            finishedAt: finished, targets: 0, packets: 0, answered: hosts.count)
        return ScanOutputRecord(try ledger.recordScan(record, observations: observations).0)
    }

    /// `scan list`: recorded scans, newest first.
    public func listScans(limit: Int = 20, scope: DeviceScope) throws -> [ScanOutputRecord] {
        try requireEverything(scope, "listing scans")
        return try ledger.scans(limit: max(1, min(limit, 10_000))).map(ScanOutputRecord.init)
    }

    /// `scan diff`: hosts new, gone and changed between two recorded scans (none given: the
    /// last two).
    public func diffScans(_ ids: [Int64] = [], scope: DeviceScope) throws -> ScanDiffOutput {
        try requireEverything(scope, "comparing scans")
        let pair: (Int64, Int64)
        switch ids.count {
        case 0:
            let last = try ledger.scans(limit: 2).compactMap(\.id)
            guard last.count == 2 else {
                throw LedgerError(.notFound, "scan diff needs two recorded scans; there are \(last.count)")
            }
            pair = (last[1], last[0])
        case 2: pair = (ids[0], ids[1])
        default: throw LedgerError(.invalidInput, "scan diff takes no scan ids (the last two) or two: OLDER NEWER")
        }
        let diff = ScanDiff(before: try ledger.scanHosts(pair.0), after: try ledger.scanHosts(pair.1))
        return ScanDiffOutput(
            before: pair.0, after: pair.1, new: diff.new.map(ScanHostOutput.init),
            gone: diff.gone.map(ScanHostOutput.init),
            changed: diff.changed.map {
                ScanChangeOutput(ip: $0.ip, field: $0.field, before: $0.before, after: $0.after)
            })
    }
}
