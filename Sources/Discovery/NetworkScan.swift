import Foundation
import LedgerModel

/// One live host as a scan saw it: addresses, open ports, every signal, and the fingerprint
/// verdict with its evidence.
public struct ScannedHost: Sendable, Equatable {
    public var ip: IPAddress
    public var mac: String
    public var macVendor: String?
    public var openPorts: [UInt16] = []
    public var signals = Signals()
    public var fingerprint = Fingerprint()

    public init(ip: IPAddress, mac: String, macVendor: String?) {
        self.ip = ip
        self.mac = mac
        self.macVendor = macVendor
    }

    /// First value of the first signal present, in order of preference.
    func first(_ names: [String]) -> String? { names.lazy.compactMap { signals.first($0) }.first }

    public var hostname: String? {
        first(["snmp.sysName", "nbns.name", "mdns.hostname", "dhcp.hostname", "lldp.systemName", "cdp.deviceID"])
    }
    public var serial: String? {
        first([
            "snmp.prtGeneralSerialNumber", "ipp.printer-serial-number", "upnp.serialNumber",
            "snmp.entPhysicalSerialNum",
        ])
    }
    public var firmware: String? { first(["ipp.printer-firmware-string-version"]) }
    /// The maker: what the device's own signals say, else the MAC registry's name.
    public var vendor: String? { fingerprint.vendor ?? macVendor }

    /// Classifies the host from its signals (open ports and MAC vendor included).
    public mutating func classify(rules: [FingerprintRule]) {
        signals.add("mac.vendor", macVendor)
        for port in openPorts { signals.add("port.open", String(port)) }
        if !openPorts.isEmpty { signals.add("ports", openPorts.map(String.init).joined(separator: ",")) }
        fingerprint = Fingerprints.evaluate(signals.values, rules: rules)
    }

    /// The ledger observation: what was seen, with the evidence for each claim.
    public func observation(at date: Date, sourceRef: String, origin: String? = nil) -> Observation {
        var o = Observation(
            source: origin == nil ? .scan : .sensor, origin: origin, sourceRef: sourceRef, observedAt: date)
        o.ips = [ip.description]
        o.macs = [mac]
        o.deviceClass = fingerprint.deviceClass
        o.faxCapable = fingerprint.faxCapable
        o.vendor = vendor
        o.model = fingerprint.model
        o.os = fingerprint.os
        o.serial = serial
        o.firmware = firmware
        o.hostnames = [hostname].compactMap { $0 }
        o.evidence = fingerprint.evidence
        if let macVendor {
            o.evidence.append(
                Evidence(field: "vendor", value: macVendor, reason: "IEEE registry: MAC \(mac)", certainty: 30))
            if o.vendor == nil { o.vendor = macVendor }
        }
        return o
    }
}

/// A whole active scan of an on-link scope: ARP sweep, SYN port scan of the live hosts, UDP
/// questions, TCP conversations, classification. Each phase after the sweep is optional.
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
        public var sweep: ARPSweep.Result
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
    public var settle: Double = 0.5
    public var probeTimeout: Double = 3
    public var rules: [FingerprintRule] = []
    public var vendors: MACVendors?
    public var seed: UInt64 = UInt64.random(in: 0...UInt64.max)

    public init(scope: ScanScope, limits: ScanLimits) {
        self.scope = scope
        self.limits = limits
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
        let passive = try LiveCapture(
            interface: interface.name, filter: PassiveListener.captureFilter, snapLength: 2048)
        func hear() { passive.poll(limit: 100_000) { listener.observe(linkType: passive.linkType, $0) } }
        var sweep = ARPSweep(scope: scope, limits: limits)
        sweep.settle = settle
        sweep.seed = seed
        let swept = try timed("arp") { try sweep.run(on: interface) }
        hear()
        var hosts = swept.answers.map { ScannedHost(ip: $0.ip, mac: $0.mac, macVendor: vendors?.vendor(of: $0.mac)) }
        let targets = swept.answers.map { LinkTarget(ip: $0.ip, mac: Self.macBytes($0.mac)) }
        var outcome = Outcome(hosts: [], sweep: swept, seconds: 0)
        if phases.contains(.ports) {
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
            let result = try timed("udp") { try questions.run(on: interface) }
            for i in hosts.indices { hosts[i].signals.merge(result.signals[hosts[i].ip] ?? Signals()) }
            descriptions = result.descriptions
            outcome.udpPackets = result.packetsSent
            hear()
        }
        if phases.contains(.tcp) {
            var probes = ServiceProbes(rules: rules)
            probes.timeout = probeTimeout
            probes.workers = max(1, min(64, limits.maximumInFlight))
            let work = hosts.enumerated().filter { !$0.element.openPorts.isEmpty || descriptions[$0.element.ip] != nil }
            let jobs = work.map { i, h in
                ServiceProbes.Host(
                    target: targets[i], openPorts: h.openPorts, signals: h.signals, description: descriptions[h.ip])
            }
            let (signals, sent) = timed("tcp") { probes.run(jobs) }
            for (i, _) in work { hosts[i].signals.merge(signals[hosts[i].ip] ?? Signals()) }
            outcome.tcpSent = sent
        }
        hear()
        for i in hosts.indices {
            if let heard = listener.heard[hosts[i].mac] {
                // Only what the host said itself: ARP answers to us are already known.
                hosts[i].signals.merge(heard.signals)
            }
            hosts[i].classify(rules: rules)
        }
        outcome.hosts = hosts
        outcome.seconds = monotonicSeconds() - start
        outcome.phaseSeconds = phaseSeconds
        return outcome
    }

    static func macBytes(_ text: String) -> [UInt8] {
        let bytes = text.split(separator: ":").compactMap { UInt8($0, radix: 16) }
        return bytes.count == 6 ? bytes : [0, 0, 0, 0, 0, 0]
    }
}
