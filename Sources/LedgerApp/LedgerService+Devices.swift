import Foundation
import LedgerModel
import LedgerStore

/// A device as listed (`device list --format json`): the current facts and owner.
public struct DeviceOutput: Codable, Equatable, Sendable {
    public var id: Int64
    public var deviceClass: String
    public var faxCapable: Bool
    @Nullable public var vendor: String?
    @Nullable public var model: String?
    @Nullable public var serial: String?
    @Nullable public var uuid: String?
    @Nullable public var os: String?
    @Nullable public var firmware: String?
    @Nullable public var hostname: String?
    public var macs: [String]
    public var ips: [String]
    public var hostnames: [String]
    @Nullable public var department: String?
    @Nullable public var departmentName: String?
    @Nullable public var ownerRule: String?
    @Nullable public var ownerDetail: String?
    public var firstSeen: String
    public var lastSeen: String

    enum CodingKeys: String, CodingKey {
        case id, vendor, model, serial, uuid, os, firmware, hostname, macs, ips, hostnames, department
        case deviceClass = "class"
        case faxCapable = "fax_capable"
        case departmentName = "department_name"
        case ownerRule = "owner_rule"
        case ownerDetail = "owner_detail"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
    }

    public init(_ d: DeviceSummary) {
        id = d.id
        deviceClass = d.deviceClass.rawValue
        faxCapable = d.faxCapable
        vendor = d.vendor
        model = d.model
        serial = d.serial
        uuid = d.uuid
        os = d.os
        firmware = d.firmware
        hostname = d.hostname
        macs = d.macs
        ips = d.ips
        hostnames = d.hostnames
        department = d.department
        departmentName = d.departmentName
        ownerRule = d.ownerRule?.rawValue
        ownerDetail = d.ownerDetail
        firstSeen = isoDate(d.firstSeen)
        lastSeen = isoDate(d.lastSeen)
    }
}

/// One device in full (`device show`): the listed fields at the top level, then pinned
/// fields, identifiers, observations with the rule that merged each and their evidence,
/// history, and the endpoint state (null when no agent reported).
public struct DeviceDetailOutput: Codable, Equatable, Sendable {
    public var device: DeviceOutput
    public var pinned: [String]
    public var identifiers: [IdentifierOutput]
    public var observations: [ObservationOutput]
    public var history: [HistoryOutput]
    @Nullable public var endpoint: EndpointOutput?
    /// Claims that disagree: what each observation's identification recorded, and sources
    /// naming a different class, vendor or model (`ClaimConflicts`).
    public var conflicts: [String] = []
    /// Who answers for the device and where it is; null when nobody was recorded.
    @Nullable public var custody: CustodyOutput?
    /// The open TCP ports of the newest port scan among its observations; null when none scanned it.
    @Nullable public var ports: DevicePortsOutput? = nil

    enum CodingKeys: String, CodingKey {
        case pinned, identifiers, observations, history, endpoint, conflicts, custody, ports
    }

    public init(
        device: DeviceOutput, pinned: [String], identifiers: [IdentifierOutput], observations: [ObservationOutput],
        history: [HistoryOutput], endpoint: EndpointOutput?, conflicts: [String] = [],
        custody: CustodyOutput? = nil, ports: DevicePortsOutput? = nil
    ) {
        self.device = device
        self.ports = ports
        self.conflicts = conflicts
        self.pinned = pinned
        self.identifiers = identifiers
        self.observations = observations
        self.history = history
        self.endpoint = endpoint
        self.custody = custody
    }

    /// The device's own keys sit beside these (one flat object, as `device list` shows them).
    public init(from decoder: any Decoder) throws {
        device = try DeviceOutput(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pinned = try c.decode([String].self, forKey: .pinned)
        identifiers = try c.decode([IdentifierOutput].self, forKey: .identifiers)
        observations = try c.decode([ObservationOutput].self, forKey: .observations)
        history = try c.decode([HistoryOutput].self, forKey: .history)
        _endpoint = try c.decode(Nullable<EndpointOutput>.self, forKey: .endpoint)
        conflicts = try c.decode([String].self, forKey: .conflicts)
        _custody = try c.decode(Nullable<CustodyOutput>.self, forKey: .custody)
        _ports = try c.decode(Nullable<DevicePortsOutput>.self, forKey: .ports)
    }

    public func encode(to encoder: any Encoder) throws {
        try device.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pinned, forKey: .pinned)
        try c.encode(identifiers, forKey: .identifiers)
        try c.encode(observations, forKey: .observations)
        try c.encode(history, forKey: .history)
        try c.encode(_endpoint, forKey: .endpoint)
        try c.encode(conflicts, forKey: .conflicts)
        try c.encode(_custody, forKey: .custody)
        try c.encode(_ports, forKey: .ports)
    }
}

/// What the newest port scan of a device found (`device show`'s `ports`).
public struct DevicePortsOutput: Codable, Equatable, Sendable {
    /// Open TCP ports, ascending.
    public var open: [Int]
    /// The ports asked, nmap style (`21-23,80`); null when the source does not say.
    @Nullable public var scanned: String?
    /// When that scan saw it.
    public var at: String

    init(_ facts: PortScanFacts) {
        open = facts.open.sorted().map(Int.init)
        scanned = facts.scanned.map { ScanEvidence.portText(Array($0)) }
        at = isoDate(facts.at)
    }
}

/// A serial, UUID or MAC that identifies the device.
public struct IdentifierOutput: Codable, Equatable, Sendable {
    public var kind: String
    public var value: String
}

/// One observation merged into the device, with the rule and value that attached it.
public struct ObservationOutput: Codable, Equatable, Sendable {
    public var id: Int64
    public var source: String
    @Nullable public var origin: String?
    @Nullable public var sourceRef: String?
    public var observedAt: String
    public var matchedRule: String
    @Nullable public var matchedValue: String?
    public var evidence: [EvidenceOutput]
    /// Set when the stored evidence could not be read (`evidence` is then empty): the reason,
    /// naming the observation.
    @Nullable public var evidenceError: String? = nil

    enum CodingKeys: String, CodingKey {
        case id, source, origin, evidence
        case evidenceError = "evidence_error"
        case sourceRef = "source_ref"
        case observedAt = "observed_at"
        case matchedRule = "matched_rule"
        case matchedValue = "matched_value"
    }
}

/// Why a claim of an observation is believed.
public struct EvidenceOutput: Codable, Equatable, Sendable {
    public var field: String
    public var value: String
    public var reason: String
    public var certainty: Int
}

/// One field change in a device's history (`created` for its first observation).
public struct HistoryOutput: Codable, Equatable, Sendable {
    public var field: String
    @Nullable public var old: String?
    @Nullable public var new: String?
    public var source: String
    public var at: String
}

/// What agents report of an endpoint: OS, patches, pending updates, antivirus, software.
public struct EndpointOutput: Codable, Equatable, Sendable {
    @Nullable public var os: String?
    @Nullable public var osBuild: String?
    public var reports: Int
    @Nullable public var lastPatch: String?
    public var pendingSecurityUpdates: Int
    public var patches: [PatchOutput]
    public var antivirus: [AntivirusOutput]
    public var software: [InstalledSoftwareOutput]

    enum CodingKeys: String, CodingKey {
        case os, reports, patches, antivirus, software
        case osBuild = "os_build"
        case lastPatch = "last_patch"
        case pendingSecurityUpdates = "pending_security_updates"
    }
}

/// An installed patch (KB number or package update).
public struct PatchOutput: Codable, Equatable, Sendable {
    public var id: String
    @Nullable public var title: String?
    @Nullable public var installedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, title
        case installedAt = "installed_at"
    }
}

/// An antivirus product and its state; `signature_age_days` counts whole days from the
/// signature date to the time of the question.
public struct AntivirusOutput: Codable, Equatable, Sendable {
    public var name: String
    @Nullable public var enabled: Bool?
    @Nullable public var signaturesUpToDate: Bool?
    @Nullable public var signatureDate: String?
    @Nullable public var signatureAgeDays: Int?

    enum CodingKeys: String, CodingKey {
        case name, enabled
        case signaturesUpToDate = "signatures_up_to_date"
        case signatureDate = "signature_date"
        case signatureAgeDays = "signature_age_days"
    }
}

/// One installed title as the agent reported it (unclassified; `software list` groups them).
public struct InstalledSoftwareOutput: Codable, Equatable, Sendable {
    public var name: String
    @Nullable public var version: String?
    @Nullable public var publisher: String?
}

/// What a manual edit did: `assign`, `unassign`, `merge` or `split`.
public struct DeviceEditOutcome: Codable, Equatable, Sendable {
    public var action: String
    public var device: Int64
    /// The department assigned (assign), else null.
    @Nullable public var department: String?
    /// The device folded in (merge) or created (split), else null.
    @Nullable public var otherDevice: Int64?
    /// Observations moved (split), else 0.
    public var observations: Int

    enum CodingKeys: String, CodingKey {
        case action, device, department, observations
        case otherDevice = "other_device"
    }
}

/// Which devices to list, within the caller's scope.
public struct DeviceQuery: Equatable, Sendable {
    /// Only this department and its sub-departments (must be within the scope).
    public var department: String?
    public var deviceClass: DeviceClass?
    public var unassignedOnly: Bool
    /// Text every listed device holds somewhere (host name, address, MAC, serial, vendor, model,
    /// OS), case-insensitive; nil or empty = all.
    public var text: String?
    /// Only these devices (nil: any).
    public var ids: [Int64]?
    /// The list's order (by id when not asked).
    public var order: DeviceOrder

    public init(
        department: String? = nil, deviceClass: DeviceClass? = nil, unassignedOnly: Bool = false, text: String? = nil,
        ids: [Int64]? = nil, order: DeviceOrder = .byID
    ) {
        self.department = department
        self.deviceClass = deviceClass
        self.unassignedOnly = unassignedOnly
        self.text = text
        self.ids = ids
        self.order = order
    }
}

/// One page of a device list (`listDevicePage`).
public struct DevicePage: Equatable, Sendable {
    public var total: Int
    public var page: Int
    public var perPage: Int
    public var devices: [DeviceOutput]

    /// How many pages the list has (at least one).
    public var pages: Int { max(1, total / perPage + (total % perPage == 0 ? 0 : 1)) }
}

extension LedgerService {
    /// Devices in scope matching the query, by id (the summaries the store keeps, for
    /// renderers that want them as they are).
    public func deviceSummaries(_ query: DeviceQuery = DeviceQuery(), scope: DeviceScope) throws -> [DeviceSummary] {
        if let dept = query.department { try checkDepartment(dept, scope) }
        let devices = try ledger.devices(
            DeviceFilter(
                scope: scope, department: query.department, deviceClass: query.deviceClass,
                unassignedOnly: query.unassignedOnly, ids: query.ids))
        let ordered = query.order == .byID ? devices : query.order.sorted(devices)
        guard let text = query.text?.trimmingCharacters(in: .whitespaces).lowercased(), !text.isEmpty else {
            return ordered
        }
        // Searched within the scoped rows only: a search never reaches past the scope.
        return ordered.filter { d in
            ([d.hostname, d.serial, d.vendor, d.model, d.os, d.uuid, d.departmentName].compactMap { $0 } + d.ips
                + d.macs + d.hostnames)
                .contains { $0.lowercased().contains(text) }
        }
    }

    /// One page (from 1) of `size` devices in scope matching the query, and how many match: read
    /// as a page from the store, or, for a text search (which looks into every address), searched
    /// in the scoped rows and cut. A page past the last is empty.
    public func listDevicePage(_ query: DeviceQuery = DeviceQuery(), scope: DeviceScope, page: Int, size: Int) throws
        -> DevicePage
    {
        let size = max(1, size)
        let page = max(1, page)
        let offset = (page - 1).multipliedReportingOverflow(by: size)
        let first = offset.overflow ? Int.max : offset.partialValue
        if let text = query.text, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let all = try deviceSummaries(query, scope: scope)
            return DevicePage(
                total: all.count, page: page, perPage: size,
                devices: all.dropFirst(min(first, all.count)).prefix(size).map(DeviceOutput.init))
        }
        if let dept = query.department { try checkDepartment(dept, scope) }
        let (total, devices) = try ledger.devicePage(
            DeviceFilter(
                scope: scope, department: query.department, deviceClass: query.deviceClass,
                unassignedOnly: query.unassignedOnly, ids: query.ids), order: query.order, limit: size, offset: first)
        return DevicePage(total: total, page: page, perPage: size, devices: devices.map(DeviceOutput.init))
    }

    /// `device list`.
    public func listDevices(_ query: DeviceQuery = DeviceQuery(), scope: DeviceScope) throws -> [DeviceOutput] {
        try deviceSummaries(query, scope: scope).map(DeviceOutput.init)
    }

    /// `device show`: facts, identifiers, observations and evidence, history, endpoint state.
    /// Ages (antivirus signatures) are counted to `now`.
    public func showDevice(_ id: Int64, scope: DeviceScope, now: Date = Date()) throws -> DeviceDetailOutput {
        try checkDevice(id, scope)
        let detail = try ledger.device(id, scope: scope)
        let endpoint = try ledger.endpoint(id, scope: scope)
        return DeviceDetailOutput(
            device: DeviceOutput(detail.summary), pinned: detail.pinned,
            identifiers: detail.keys.map { IdentifierOutput(kind: $0.kind, value: $0.value) },
            observations: detail.observations.map { e in
                // Stored as it came; shown with the raw vendor as evidence when the dictionary
                // names it otherwise.
                let o = e.observation.namingMaker { ledger.makerName($0) }.namingOS { ledger.osName($0) }
                return ObservationOutput(
                    id: e.id, source: o.source.rawValue, origin: o.origin, sourceRef: o.sourceRef,
                    observedAt: isoDate(o.observedAt), matchedRule: e.matchedRule, matchedValue: e.matchedValue,
                    evidence: o.evidence.map {
                        EvidenceOutput(field: $0.field, value: $0.value, reason: $0.reason, certainty: $0.certainty)
                    }, evidenceError: e.evidenceError)
            },
            history: detail.history.map {
                HistoryOutput(field: $0.field, old: $0.old, new: $0.new, source: $0.source, at: isoDate($0.at))
            },
            endpoint: endpoint.map { Self.endpointOutput($0, now: now) },
            conflicts: ClaimConflicts.of(
                detail.observations.map { $0.observation.namingMaker { ledger.makerName($0) } }),
            custody: try ledger.custody([id])[id].map(CustodyOutput.init),
            ports: ScanEvidence.portFacts(
                detail.observations.map { (at: $0.observation.observedAt, evidence: $0.observation.evidence) }
            ).map(DevicePortsOutput.init))
    }

    static func endpointOutput(_ e: EndpointState, now: Date) -> EndpointOutput {
        EndpointOutput(
            os: e.os?.name, osBuild: e.os?.build, reports: e.reports,
            lastPatch: e.patches.compactMap(\.installedAt).max().map(isoDate),
            pendingSecurityUpdates: e.pendingUpdates.filter { $0.security == true }.count,
            patches: e.patches.map {
                PatchOutput(id: $0.id, title: $0.title, installedAt: $0.installedAt.map(isoDate))
            },
            antivirus: e.antivirus.map { av in
                AntivirusOutput(
                    name: av.name, enabled: av.enabled, signaturesUpToDate: av.signaturesUpToDate,
                    signatureDate: av.signatureDate.map(isoDate),
                    signatureAgeDays: av.signatureDate.flatMap { now.wholeDays(since: $0) }.map { max(0, $0) })
            },
            software: e.software.map {
                InstalledSoftwareOutput(name: $0.name, version: $0.version, publisher: $0.publisher)
            })
    }

    /// `device assign`: a manual assignment, which scans and imports never overwrite. The
    /// department must be within the caller's scope too. The scope is checked inside the write
    /// (the store's transaction), so a device re-owned meanwhile cannot slip through.
    @discardableResult
    public func assign(device id: Int64, to department: String, scope: DeviceScope, actor: Principal) throws
        -> DeviceEditOutcome
    {
        try ledger.assign(device: id, to: department, scope: scope, actor: actor)
        return DeviceEditOutcome(
            action: "assign", device: id, department: department, otherDevice: nil, observations: 0)
    }

    /// `device unassign`: the rules decide the owner again.
    @discardableResult
    public func unassign(device id: Int64, scope: DeviceScope, actor: Principal) throws -> DeviceEditOutcome {
        try ledger.unassign(device: id, scope: scope, actor: actor)
        return DeviceEditOutcome(action: "unassign", device: id, department: nil, otherDevice: nil, observations: 0)
    }

    /// `device merge`: `other` is folded into `keep`; both must be in scope, and so must
    /// `keep` as merged (else `forbidden`, nothing written).
    @discardableResult
    public func merge(keep: Int64, other: Int64, scope: DeviceScope, actor: Principal) throws -> DeviceEditOutcome {
        guard keep != other else { throw LedgerError(.conflict, "cannot merge device \(keep) with itself") }
        try ledger.mergeDevices(keep: keep, other: other, scope: scope, actor: actor)
        return DeviceEditOutcome(action: "merge", device: keep, department: nil, otherDevice: other, observations: 0)
    }

    /// `device split`: the observations named move to a new device. Both devices as rebuilt
    /// must be in scope (else `forbidden`, nothing written).
    @discardableResult
    public func split(device id: Int64, observations: [Int64], scope: DeviceScope, actor: Principal) throws
        -> DeviceEditOutcome
    {
        let newID = try ledger.split(device: id, observations: observations, scope: scope, actor: actor)
        return DeviceEditOutcome(
            action: "split", device: id, department: nil, otherDevice: newID, observations: Set(observations).count)
    }
}
