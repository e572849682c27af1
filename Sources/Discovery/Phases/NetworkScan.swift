import Foundation
import LedgerModel

/// One live host as a scan saw it: addresses, open ports, every signal, and the fingerprint
/// verdict with its evidence.
public struct ScannedHost: Sendable, Equatable {
    public var ip: IPAddress
    /// Nil for a host behind a router (its MAC does not cross it).
    public var mac: String?
    public var macVendor: String?
    public var openPorts: [UInt16] = []
    public var signals = Signals()
    public var fingerprint = Fingerprint()

    public init(ip: IPAddress, mac: String?, macVendor: String?) {
        self.ip = ip
        self.mac = mac
        self.macVendor = macVendor
    }

    /// First value of the first signal present, in order of preference.
    func first(_ names: [String]) -> String? { names.lazy.compactMap { signals.first($0) }.first }

    /// The first name that names this machine (placeholders like `<private>` and names
    /// many machines share are skipped).
    public var hostname: String? {
        let candidates = [
            "snmp.sysName", "nbns.name", "ntlm.netbiosComputer", "mdns.hostname", "dhcp.hostname", "lldp.systemName",
            "cdp.deviceID",
        ]
        return candidates.lazy.flatMap { self.signals.values[$0] ?? [] }.first {
            Identifiers.normalizeHostname($0).flatMap(Identifiers.hostnameKey) != nil
        }
    }
    public var serial: String? {
        first([
            "snmp.prtGeneralSerialNumber", "ipp.printer-serial-number", "upnp.serialNumber",
            "snmp.entPhysicalSerialNum",
        ])
    }
    /// What the device says of its firmware: IPP's own attribute, else the rules' reading.
    public var firmware: String? { first(["ipp.printer-firmware-string-version"]) ?? fingerprint.firmware }
    /// The maker: the verdict (the MAC registry's name is one of its claims, `mac.vendor`),
    /// else, classified without a manufacturer dictionary, the registry's name.
    public var vendor: String? { fingerprint.vendor ?? (namedMakers ? nil : macVendor) }
    /// Whether the verdict named makers through the dictionary (then an adapter maker's
    /// registry name is not taken for the device's).
    var namedMakers = false

    /// Classifies the host from its signals (open ports and MAC vendor included), with the
    /// structure and enterprise derived (`DeviceStructure`) and makers named by the dictionary.
    public mutating func classify(rules: [FingerprintRule], knowledge: Identification = Identification()) {
        signals.add("mac.vendor", macVendor)
        for port in openPorts { signals.add("port.open", String(port)) }
        if !openPorts.isEmpty { signals.add("ports", openPorts.map(String.init).joined(separator: ",")) }
        fingerprint = knowledge.identify(signals.values, rules: rules)
        namedMakers = knowledge.manufacturers != nil
    }

    /// The ledger observation: what was seen, with the evidence for each claim, and what the
    /// security check reads (`ScanEvidence`): each open port, and with `coverage` the TCP ports
    /// and default SNMP communities the scan asked, and the communities the agent answered.
    public func observation(at date: Date, sourceRef: String, origin: String? = nil, coverage: ScanCoverage? = nil)
        -> Observation
    {
        var o = Observation(
            source: origin == nil ? .scan : .sensor, origin: origin, sourceRef: sourceRef, observedAt: date)
        o.ips = [ip.description]
        o.macs = mac.map { [$0] } ?? []
        o.deviceClass = fingerprint.deviceClass
        o.faxCapable = fingerprint.faxCapable
        o.vendor = vendor
        o.model = fingerprint.model
        o.os = fingerprint.os
        o.serial = serial
        o.firmware = firmware
        o.hostnames = [hostname].compactMap { $0 }
        o.evidence = fingerprint.evidence
        if let macVendor, let mac, !fingerprint.evidence.contains(where: { $0.reason.hasPrefix("mac.vendor ") }) {
            o.evidence.append(
                Evidence(field: "vendor", value: macVendor, reason: "IEEE registry: MAC \(mac)", certainty: 30))
        }
        if let kind = fingerprint.kind {
            o.evidence.append(Evidence(field: "kind", value: kind, reason: "class other: what it is", certainty: 0))
        }
        for port in openPorts.sorted() {
            o.evidence.append(Evidence(field: "port", value: "tcp/\(port)", reason: "scan: open", certainty: 100))
        }
        if let ports = coverage?.tcpPorts, !ports.isEmpty {
            o.evidence.append(
                Evidence(
                    field: "ports.scanned", value: ScanEvidence.portText(ports), reason: "scan: TCP ports asked",
                    certainty: 100))
        }
        if let communities = coverage?.snmpCommunities {
            let named = ProbeAnswers.namedCommunities.filter(communities.contains)
            if !named.isEmpty {
                o.evidence.append(
                    Evidence(
                        field: "snmp.asked", value: named.joined(separator: ","),
                        reason: "scan: SNMP communities asked (others are not named)", certainty: 100))
            }
        }
        for community in signals.values["snmp.community"] ?? [] {
            o.evidence.append(
                Evidence(
                    field: "snmp.community", value: community, reason: "SNMP agent answered this community",
                    certainty: 100))
        }
        return o
    }
}

/// What a scan asked of every live host, for the evidence of its observations: a port found
/// closed or a community that got no answer is known only when it was asked.
public struct ScanCoverage: Equatable, Sendable {
    /// The TCP ports scanned; nil when no port phase ran.
    public var tcpPorts: [UInt16]?
    /// The SNMP communities asked; nil when SNMP was not asked.
    public var snmpCommunities: [String]?

    public init(tcpPorts: [UInt16]? = nil, snmpCommunities: [String]? = nil) {
        self.tcpPorts = tcpPorts
        self.snmpCommunities = snmpCommunities
    }
}

/// A whole active scan: ARP sweep of the on-link part of the scope, ICMP echo + TCP SYN ping of
/// the routed part through its gateway, then SYN port scan of the live hosts, UDP questions,
/// TCP conversations, classification. Each phase after discovery is optional.
public struct NetworkScan {
    public struct Phases: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let ports = Phases(rawValue: 1)
        public static let udp = Phases(rawValue: 2)
        public static let tcp = Phases(rawValue: 4)
        public static let all: Phases = [.ports, .udp, .tcp]
    }

    public struct Outcome: Sendable {
        public var hosts: [ScannedHost]
        /// The ARP sweep of the on-link part, if the scope has one.
        public var sweep: ARPSweep.Result?
        /// The ping of the routed part, if the scope has one.
        public var routed: RoutedPing.Result?
        /// The unprivileged connect scan (discovery and ports at once), when libpcap was refused.
        public var connect: ConnectScan.Result?
        public var ports: SYNScan.Result?
        public var udpPackets = 0
        /// Payloads sent over TCP (port and size), for `--verbose` and the safety test.
        public var tcpSent: [ServiceProbes.Sent] = []
        public var seconds: Double
        public var phaseSeconds: [(String, Double)] = []
    }

    public var scope: ScanScope
    public var limits: ScanLimits
    public var ports: [UInt16] = PortList.defaultPorts
    public var phases: Phases = .all
    public var communities = ["public"]
    /// Individual probes not to run (`ProbeRegistry.names`).
    public var skip: Set<String> = []
    public var settle: Double = 0.5
    public var probeTimeout: Double = 3
    public var rules: [FingerprintRule] = []
    /// The enterprise registry and the manufacturer dictionary the verdicts use.
    public var knowledge = Identification()
    /// The MAC registry, loaded while the sweep runs (it takes a few hundred milliseconds).
    public var vendors: Background<MACVendors?>?
    /// The enterprise registry, loaded while the sweep runs; when set, it is `knowledge`'s.
    public var enterprises: Background<EnterpriseNumbers?>?
    public var seed: UInt64 = UInt64.random(in: 0...UInt64.max)

    public init(scope: ScanScope, limits: ScanLimits) {
        self.scope = scope
        self.limits = limits
    }

    /// What this scan asks of every live host (its phases, ports, communities and skips).
    public var coverage: ScanCoverage {
        ScanCoverage(
            tcpPorts: phases.contains(.ports) ? ports : nil,
            snmpCommunities: phases.contains(.udp) && !skip.contains("snmp") ? communities : nil)
    }

    public func run(on interface: NetworkInterface) throws -> Outcome {
        let start = monotonicSeconds()
        var phaseSeconds: [(String, Double)] = []
        func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let t = monotonicSeconds()
            defer { phaseSeconds.append((name, monotonicSeconds() - t)) }
            return try body()
        }
        // What hosts announce while we scan (DHCP, mDNS, SSDP NOTIFY, LLDP/CDP) joins their signals.
        var listener = PassiveListener()
        listener.maximumHosts = 16_384
        // Without the privilege to capture, the scan falls back to kernel sockets throughout.
        var passive: LiveCapture?
        do {
            // Not our own frames: the capture would otherwise see every probe we send.
            let ours = interface.mac.map { String(format: "%02x", $0) }.joined(separator: ":")
            passive = try LiveCapture(
                interface: interface.name, filter: "(\(PassiveListener.captureFilter)) and not ether src \(ours)",
                snapLength: 2048)
        } catch is CaptureDenied {
            passive = nil
        }
        func hear() { passive?.poll(limit: 100_000) { listener.observe(linkType: passive!.linkType, $0) } }
        var outcome = Outcome(hosts: [], seconds: 0)
        var hosts: [ScannedHost] = []
        var targets: [LinkTarget] = []
        let (onLink, routed) = passive == nil ? (nil, nil) : scope.split(by: interface.network)
        if passive == nil {
            var connect = ConnectScan(addresses: scope.ascending, ports: ports, limits: limits)
            connect.timeout = max(0.5, min(3, settle * 3))
            connect.seed = seed
            let result = try timed("connect") { try connect.run() }
            for ip in result.live {
                var host = ScannedHost(ip: ip, mac: nil, macVendor: nil)
                host.openPorts = result.open[ip] ?? []
                hosts.append(host)
                targets.append(LinkTarget(ip: ip, mac: [0, 0, 0, 0, 0, 0]))
            }
            outcome.connect = result
        }
        if let onLink {
            var sweep = ARPSweep(scope: onLink, limits: limits)
            sweep.settle = settle
            sweep.seed = seed
            let swept = try timed("arp") { try sweep.run(on: interface) }
            hear()
            let registry = vendors?.value
            hosts = swept.answers.map { ScannedHost(ip: $0.ip, mac: $0.mac, macVendor: registry?.vendor(of: $0.mac)) }
            targets = swept.answers.map { LinkTarget(ip: $0.ip, mac: Self.macBytes($0.mac)) }
            outcome.sweep = swept
        }
        if let routed {
            let gateway = try gatewayMAC(for: routed, on: interface)
            var ping = RoutedPing(scope: routed, gatewayMAC: gateway, limits: limits)
            ping.settle = settle
            ping.seed = seed
            let result = try timed("ping") { try ping.run(on: interface) }
            for ip in result.live {
                hosts.append(ScannedHost(ip: ip, mac: nil, macVendor: nil))
                targets.append(LinkTarget(ip: ip, mac: gateway))
            }
            outcome.routed = result
        }
        if phases.contains(.ports), passive != nil {
            var scan = SYNScan(targets: targets, ports: ports, limits: limits)
            scan.settle = settle
            scan.seed = seed
            let result = try timed("ports") { try scan.run(on: interface) }
            for i in hosts.indices { hosts[i].openPorts = result.open[hosts[i].ip] ?? [] }
            outcome.ports = result
            hear()
        }
        var descriptions: [IPAddress: String] = [:]
        if phases.contains(.udp) {
            var questions = UDPQuestions(targets: targets, limits: limits)
            questions.communities = communities
            questions.settle = settle
            questions.seed = seed
            questions.throughKernel = passive == nil
            questions.skip = skip
            let result = try timed("udp") { try questions.run(on: interface) }
            for i in hosts.indices { hosts[i].signals.merge(result.signals[hosts[i].ip] ?? Signals()) }
            descriptions = result.descriptions
            outcome.udpPackets = result.packetsSent
            hear()
        }
        try limits.stop?.check()
        if phases.contains(.tcp) {
            var probes = ServiceProbes(rules: rules)
            probes.stop = limits.stop
            probes.timeout = probeTimeout
            probes.skip = skip
            probes.workers = max(1, min(64, limits.maximumInFlight))
            let work = hosts.enumerated().filter { !$0.element.openPorts.isEmpty || descriptions[$0.element.ip] != nil }
            let jobs = work.map { i, h in
                var job = ServiceProbes.Host(
                    target: targets[i], openPorts: h.openPorts, signals: h.signals, description: descriptions[h.ip])
                job.onLink = h.mac != nil
                return job
            }
            let (signals, sent) = timed("tcp") { probes.run(jobs) }
            for (i, _) in work { hosts[i].signals.merge(signals[hosts[i].ip] ?? Signals()) }
            outcome.tcpSent = sent
            try limits.stop?.check()
        }
        var knowledge = self.knowledge
        if let enterprises { knowledge.enterprises = enterprises.value }
        timed("classify") {
            hear()
            for i in hosts.indices {
                if let mac = hosts[i].mac, let heard = listener.heard[mac] {
                    // Only what the host said itself: ARP answers to us are already known.
                    hosts[i].signals.merge(heard.signals)
                }
                hosts[i].classify(rules: rules, knowledge: knowledge)
            }
        }
        outcome.hosts = hosts
        outcome.seconds = monotonicSeconds() - start
        outcome.phaseSeconds = phaseSeconds
        return outcome
    }

    /// The MAC of the gateway the kernel routes the whole routed part through (asked by ARP).
    func gatewayMAC(for routed: ScanScope, on interface: NetworkInterface) throws -> [UInt8] {
        let gateway = try Self.gateway(for: routed, via: interface.name, table: RouteTable.system())
        let address = IPAddress(v4: gateway)
        var arp = ARPSweep(scope: try ScanScope(targets: [address.description]), limits: limits)
        arp.settle = settle
        guard let answer = try arp.run(on: interface).answers.first else {
            throw ScanError(.route, "the gateway \(address) does not answer ARP on \(interface.name)")
        }
        return Self.macBytes(answer.mac)
    }

    /// The one gateway in front of the routed part of a scope, from the route table: refused
    /// when part of it is on no route through the interface, when several gateways (or a more
    /// specific route) share it, or when `--exclude` names the gateway.
    static func gateway(for routed: ScanScope, via interface: String, table: RouteTable) throws -> UInt32 {
        var gateway: UInt32?
        for range in routed.intervals {
            for end in [range.lowerBound, range.upperBound] {
                guard let route = table.route(to: end, via: interface), route.gateway != 0 else {
                    throw ScanError(
                        .route,
                        "\(IPAddress(v4: end)) is neither on \(interface)'s subnet nor routed through a gateway on it")
                }
                guard gateway == nil || gateway == route.gateway else {
                    throw LedgerError(
                        .refusedByPolicy,
                        "the routed part of the scope spans several gateways: scan each subnet on its own")
                }
                gateway = route.gateway
            }
        }
        guard let gateway else { throw ScanError(.route, "nothing routed to scan") }
        // A more specific route inside the routed part through another gateway would send
        // those probes to the wrong next hop.
        for route in table.routes where route.interface == interface && route.gateway != gateway && route.mask != 0 {
            let range = (route.destination & route.mask)...(route.destination | ~route.mask)
            if routed.intervals.contains(where: { $0.overlaps(range) }) {
                throw LedgerError(
                    .refusedByPolicy,
                    "the routed part of the scope spans several gateways (\(IPAddress(v4: range.lowerBound))/\(route.mask.nonzeroBitCount) has its own): scan each subnet on its own"
                )
            }
        }
        guard !routed.isExcluded(gateway) else {
            throw LedgerError(
                .refusedByPolicy,
                "the gateway \(IPAddress(v4: gateway)) is excluded, and the routed part can only be reached through it")
        }
        return gateway
    }

    static func macBytes(_ text: String) -> [UInt8] {
        let bytes = text.split(separator: ":").compactMap { UInt8($0, radix: 16) }
        return bytes.count == 6 ? bytes : [0, 0, 0, 0, 0, 0]
    }
}

/// A value computed on its own thread, started at once; `value` waits for it.
public final class Background<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: T?

    public init(_ body: @escaping @Sendable () -> T) {
        Thread {
            self.result = body()
            self.done.signal()
        }.start()
    }

    public var value: T {
        done.wait()
        done.signal()  // later reads do not block
        return result!
    }
}
