import Discovery
import Foundation
import Ingest
import LedgerModel

/// `fingerprint test FILE`: what the rules make of a recording or a capture, so a user can write
/// a rule in minutes.
public struct FingerprintTestOutput: Codable, Equatable, Sendable {
    public var file: String
    /// `snmprec` or `capture`.
    public var input: String
    public var hosts: [FingerprintTestHost]
}

/// One device of the file: its signals (the derived ones included), every rule that fired
/// (as evidence: field, value, the rule's `signal match 'pattern' (FILE:LINE)`, certainty), the
/// conflicts and what won.
public struct FingerprintTestHost: Codable, Equatable, Sendable {
    @Nullable public var ip: String?
    @Nullable public var mac: String?
    public var signals: [String: [String]]
    public var fired: [Evidence]
    public var conflicts: [String]
    public var verdict: FingerprintVerdictOutput
}

/// What won, per field (null where nothing claims it; class null = unknown).
public struct FingerprintVerdictOutput: Codable, Equatable, Sendable {
    @Nullable public var deviceClass: String?
    @Nullable public var kind: String?
    @Nullable public var faxCapable: Bool?
    @Nullable public var vendor: String?
    @Nullable public var model: String?
    @Nullable public var os: String?
    @Nullable public var firmware: String?

    enum CodingKeys: String, CodingKey {
        case kind, vendor, model, os, firmware
        case deviceClass = "class"
        case faxCapable = "fax_capable"
    }

    init(_ f: Fingerprint, vendor: String?) {
        deviceClass = f.deviceClass?.rawValue
        kind = f.kind
        faxCapable = f.faxCapable
        self.vendor = vendor
        model = f.model
        os = f.os
        firmware = f.firmware
    }
}

extension LedgerService {
    /// The shipped rules and the caller's files (no ledger needed).
    static func fingerprintRules(extra: [String], data: DataFiles) throws -> [FingerprintRule] {
        try ([try data.locate("fingerprints.tsv")] + extra).flatMap {
            try Fingerprints.read(try readInputFile($0), file: $0)
        }
    }

    /// The enterprise registry (a warning when it cannot be read) and the shipped dictionary.
    static func identification(data: DataFiles) throws -> (knowledge: Identification, warnings: [String]) {
        let makers = try manufacturerDictionary(data: data)
        let (enterprises, warning) = loadEnterprises()
        return (Identification(enterprises: enterprises, manufacturers: makers), [warning].compactMap { $0 })
    }

    /// `scanners/manufacturers.tsv` (a file that cannot be read is an error: it ships with us).
    static func manufacturerDictionary(data: DataFiles) throws -> ManufacturerDictionary {
        let file = try data.locate("manufacturers.tsv")
        return ManufacturerDictionary(entries: try ManufacturerFile.read(try readInputFile(file), file: file))
    }

    /// The IANA enterprise registry, or why it could not be read (a scan goes on without it, but
    /// says so). 1.7 MB: a scan reads it on a thread of its own while the sweep runs.
    static func loadEnterprises() -> (EnterpriseNumbers?, warning: String?) {
        do { return (try EnterpriseNumbers.load(), nil) } catch {
            return (nil, "SNMP enterprise names unknown: \(error) (the scan goes on without them)")
        }
    }

    /// `fingerprint test FILE`: an snmpsim recording (`.snmprec`: one device, the signals a scan
    /// would read from it) or a capture (pcap/pcapng: every host heard, as `listen` hears them),
    /// through the shipped rules and `fingerprints` (the caller's files, after them).
    public static func testFingerprint(
        file: String, fingerprints: [String] = [], data: DataFiles = DataFiles()
    ) throws -> FingerprintTestOutput {
        let rules = try fingerprintRules(extra: fingerprints, data: data)
        let knowledge = try identification(data: data).knowledge
        func host(_ signals: [String: [String]], ip: String?, mac: String?, macVendor: String?) -> FingerprintTestHost {
            let derived = DeviceStructure.derive(signals, enterprises: knowledge.enterprises)
            let verdict = knowledge.identify(derived, rules: rules)
            let fallback = verdict.vendor == nil && knowledge.manufacturers == nil ? macVendor : nil
            return FingerprintTestHost(
                ip: ip, mac: mac, signals: derived,
                fired: verdict.evidence.filter { $0.field != "conflict" && $0.field != "signal" },
                conflicts: verdict.evidence.filter { $0.field == "conflict" }.map(\.value),
                verdict: FingerprintVerdictOutput(verdict, vendor: verdict.vendor ?? fallback))
        }
        if file.lowercased().hasSuffix(".snmprec") {
            let walk = try Snmprec.read(try readInputFile(file), file: file)
            return FingerprintTestOutput(
                file: file, input: "snmprec", hosts: [host(Snmprec.signals(walk), ip: nil, mac: nil, macVendor: nil)])
        }
        var listener = PassiveListener()
        for packet in try mappingScanErrors({ try PcapFile.packets(file) }) {
            listener.observe(linkType: packet.linkType, packet.bytes)
        }
        let vendors = loadMACVendors().vendors
        let hosts = listener.hosts(rules: rules, vendors: vendors, knowledge: knowledge).map {
            host($0.signals.values, ip: $0.ip.description, mac: $0.mac, macVendor: $0.macVendor)
        }
        return FingerprintTestOutput(file: file, input: "capture", hosts: hosts)
    }
}
