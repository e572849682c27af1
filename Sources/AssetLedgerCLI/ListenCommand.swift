import ArgumentParser
import Discovery
import Foundation
import LedgerModel
import LedgerStore

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
        let rules = try loadFingerprintRules(extra: fingerprints)
        var listener = PassiveListener()
        let started = Date()
        if let pcap {
            for packet in try PcapFile.packets(pcap) { listener.observe(linkType: packet.linkType, packet.bytes) }
        } else if let interface {
            let capture = try LiveCapture(interface: interface, filter: PassiveListener.captureFilter, snapLength: 2048)
            let end = monotonicSeconds() + duration
            while monotonicSeconds() < end {
                capture.poll { listener.observe(linkType: capture.linkType, $0) }
                usleep(5_000)
            }
        }
        let finished = Date()
        let hosts = listener.hosts(rules: rules, vendors: try? MACVendors.load())
        let source = pcap.map { "file \($0)" } ?? "listen \(interface ?? "")"
        let observations = hosts.map { $0.observation(at: started, sourceRef: source) }
        let record = ScanRecord(
            method: "passive", scope: pcap ?? "heard on \(interface ?? "")", exclusions: "", interface: interface,
            startedAt: started, finishedAt: finished, targets: 0, packets: 0, answered: hosts.count)
        let (saved, summary) = try options.open().recordScan(record, observations: observations)
        var out = try writeHosts(
            hosts, format: format, xml: nil, ports: [], started: started, finished: finished, targets: hosts.count)
        guard format == .table else { return }
        out +=
            "\(listener.frames) frames, \(listener.refused) malformed; \(listener.heard.count) MACs heard, \(hosts.count) with an IPv4 address; ledger: \(summary.created) new, \(summary.matched) known devices\n"
        out += "recorded as scan \(saved.id ?? 0)\n"
        Console.current.write(out)
    }
}
