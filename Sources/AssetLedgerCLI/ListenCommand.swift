import ArgumentParser
import Discovery
import Foundation
import LedgerApp
import LedgerModel

/// `assetledger listen`: passive discovery. Sends nothing; hears ARP, DHCP, mDNS, SSDP
/// NOTIFY, NetBIOS broadcasts, LLDP and CDP on an interface for a while, or reads them from a
/// capture file, classifies the hosts heard and records them like a scan (method `passive`).
struct ListenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Hear devices without sending anything (live for --duration seconds, or from --pcap FILE).")

    @OptionGroup var options: LedgerOptions
    @Option(help: "Interface to listen on.") var interface: String?
    @Option(help: "Seconds to listen (1...86400).") var duration: Double = 60
    @Option(help: "Read this capture file (pcap or pcapng) instead of listening.") var pcap: String?
    @Option(help: "Extra fingerprint rules; repeatable.") var fingerprints: [String] = []
    @Option(help: "table, jsonl, csv, or xml (nmap -oX shape).") var format: ScanFormat = .table

    func validate() throws {
        guard (interface == nil) != (pcap == nil) else {
            throw ValidationError("give either --interface (listen live) or --pcap FILE (read a capture)")
        }
        guard (1...86_400).contains(duration) else { throw ValidationError("--duration must be 1...86400 seconds") }
    }

    func run() async throws {
        let service = try options.service()
        let rules = try service.fingerprintRules(extra: fingerprints)
        var listener = PassiveListener()
        let started = Date()
        if let pcap {
            for packet in try PcapFile.packets(pcap) { listener.observe(linkType: packet.linkType, packet.bytes) }
        } else if let interface {
            let capture = try mappingScanErrors {
                try LiveCapture(interface: interface, filter: PassiveListener.captureFilter, snapLength: 2048)
            }
            let end = monotonicSeconds() + duration
            while monotonicSeconds() < end {
                capture.poll { listener.observe(linkType: capture.linkType, $0) }
                usleep(5_000)
            }
        }
        let finished = Date()
        let registry = LedgerService.loadMACVendors()
        if let warning = registry.warning { Console.warn("warning: \(warning)") }
        let (knowledge, warnings) = try service.identification()
        for warning in warnings { Console.warn("warning: \(warning)") }
        let hosts = listener.hosts(rules: rules, vendors: registry.vendors, knowledge: knowledge)
        let record = try service.recordHeard(
            hosts, source: pcap.map { "file \($0)" } ?? "listen \(interface ?? "")",
            scope: pcap ?? "heard on \(interface ?? "")", interface: interface, started: started, finished: finished)
        var out = try writeHosts(
            hosts, format: format, xml: nil, ports: [], started: started, finished: finished, targets: hosts.count)
        guard format == .table else { return }
        out +=
            "\(listener.frames) frames, \(listener.refused) malformed; \(listener.heard.count) MACs heard, \(hosts.count) with an IPv4 address; ledger: \(record.newDevices) new, \(record.knownDevices) known devices\n"
        out += "recorded as scan \(record.id)\n"
        Console.current.write(out)
    }
}
