import Foundation

/// Where an observation came from.
public enum ObservationSource: String, Codable, CaseIterable, Sendable {
    /// A scan run by this server.
    case scan
    /// A scan run by a remote sensor and sent to this server (`origin` names the sensor).
    case sensor
    /// An endpoint agent or collector report.
    case agent
    /// A file imported by a person (CSV, nmap XML, another inventory's export).
    case `import`
    /// An edit typed by a person.
    case manual
}

/// Why the ledger believes one claim, e.g. `class=printer` because Printer-MIB answered.
public struct Evidence: Codable, Equatable, Sendable {
    public var field: String
    public var value: String
    public var reason: String
    /// 0...100; the strongest evidence for a field wins.
    public var certainty: Int

    public init(field: String, value: String, reason: String, certainty: Int) {
        self.field = field
        self.value = value
        self.reason = reason
        self.certainty = certainty
    }
}

/// One source's statement about one device at one time. Observations are stored as they came
/// and never edited; devices are derived from them by the identity rules.
public struct Observation: Codable, Equatable, Sendable {
    public var source: ObservationSource
    /// The sensor or collector that produced it; nil for this server.
    public var origin: String?
    /// A reference inside the source: scan id, file name, report id.
    public var sourceRef: String?
    public var observedAt: Date

    public var deviceClass: DeviceClass?
    public var faxCapable: Bool?
    public var vendor: String?
    public var model: String?
    public var serial: String?
    public var uuid: String?
    public var os: String?
    public var firmware: String?
    public var macs: [String]
    public var ips: [String]
    public var hostnames: [String]
    public var evidence: [Evidence]

    public init(
        source: ObservationSource, origin: String? = nil, sourceRef: String? = nil,
        observedAt: Date, deviceClass: DeviceClass? = nil, faxCapable: Bool? = nil,
        vendor: String? = nil, model: String? = nil, serial: String? = nil, uuid: String? = nil,
        os: String? = nil, firmware: String? = nil, macs: [String] = [], ips: [String] = [],
        hostnames: [String] = [], evidence: [Evidence] = []
    ) {
        self.source = source
        self.origin = origin
        self.sourceRef = sourceRef
        self.observedAt = observedAt
        self.deviceClass = deviceClass
        self.faxCapable = faxCapable
        self.vendor = vendor
        self.model = model
        self.serial = serial
        self.uuid = uuid
        self.os = os
        self.firmware = firmware
        self.macs = macs
        self.ips = ips
        self.hostnames = hostnames
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey {
        case source, origin, sourceRef = "source_ref", observedAt = "observed_at"
        case deviceClass = "class", faxCapable = "fax_capable"
        case vendor, model, serial, uuid, os, firmware, macs, ips, hostnames, evidence
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decode(ObservationSource.self, forKey: .source)
        origin = try c.decodeIfPresent(String.self, forKey: .origin)
        sourceRef = try c.decodeIfPresent(String.self, forKey: .sourceRef)
        observedAt = try c.decode(Date.self, forKey: .observedAt)
        deviceClass = try c.decodeIfPresent(DeviceClass.self, forKey: .deviceClass)
        faxCapable = try c.decodeIfPresent(Bool.self, forKey: .faxCapable)
        vendor = try c.decodeIfPresent(String.self, forKey: .vendor)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        serial = try c.decodeIfPresent(String.self, forKey: .serial)
        uuid = try c.decodeIfPresent(String.self, forKey: .uuid)
        os = try c.decodeIfPresent(String.self, forKey: .os)
        firmware = try c.decodeIfPresent(String.self, forKey: .firmware)
        macs = try c.decodeIfPresent([String].self, forKey: .macs) ?? []
        ips = try c.decodeIfPresent([String].self, forKey: .ips) ?? []
        hostnames = try c.decodeIfPresent([String].self, forKey: .hostnames) ?? []
        evidence = try c.decodeIfPresent([Evidence].self, forKey: .evidence) ?? []
    }

    /// The vendor as the dictionary names its maker (`name`: raw → canonical, nil when no entry
    /// names it); the raw spelling stays as a vendor evidence, certainty 0 (it claims nothing more).
    public func namingMaker(_ name: (String) -> String?) -> Observation {
        guard let raw = vendor, let canonical = name(raw), canonical != raw else { return self }
        var o = self
        o.vendor = canonical
        if !evidence.contains(where: { $0.field == "vendor" && $0.value == raw }) {
            o.evidence.append(
                Evidence(
                    field: "vendor", value: raw,
                    reason: "as the source spelled it; named \(canonical) by manufacturers.tsv",
                    certainty: 0))
        }
        return o
    }

    /// The OS as the OS name table spells it (`name`: raw → name, nil when no line matches); the
    /// raw spelling stays as an `os` evidence, certainty 0.
    public func namingOS(_ name: (String) -> String?) -> Observation {
        guard let raw = os, let named = name(raw), named != raw else { return self }
        var o = self
        o.os = named
        if !evidence.contains(where: { $0.field == "os" && $0.value == raw }) {
            o.evidence.append(
                Evidence(
                    field: "os", value: raw, reason: "as the source spelled it; named \(named) by os-names.tsv",
                    certainty: 0))
        }
        return o
    }

    /// The same observation with every identifier normalized (MACs, UUID, host names lower-case,
    /// addresses canonical); values that cannot be read are dropped from the identity lists.
    public func normalized() -> Observation {
        var o = self
        o.macs = unique(macs.compactMap(Identifiers.normalizeMAC))
        o.ips = unique(ips.compactMap { IPAddress($0)?.description })
        o.hostnames = unique(hostnames.compactMap(Identifiers.normalizeHostname))
        o.serial = serial.flatMap(Identifiers.normalizeSerial)
        // Text that is no UUID at all ("None", "Not Settable") is not kept as the device's UUID.
        o.uuid = uuid.flatMap(Identifiers.normalizeUUID)
        for keyPath in [\Observation.vendor, \.model, \.os, \.firmware] {
            o[keyPath: keyPath] = o[keyPath: keyPath].flatMap(Identifiers.normalizeSerial)
        }
        return o
    }

    private func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
