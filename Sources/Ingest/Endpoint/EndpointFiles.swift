import Foundation
import LedgerModel

/// What kind of file an import was given, told from its content (not its name).
public enum ImportFormat: String, Sendable, CaseIterable {
    /// Our collectors' endpoint report (docs/endpoint-report.md).
    case assetledgerReport = "assetledger-report"
    /// Observations, one JSON object per line (docs/SCHEMA.md).
    case observations
    case glpiJSON = "glpi-json"
    case fusionInventoryXML = "fusioninventory-xml"
    case openAuditXML = "open-audit-xml"
    /// osquery result logs or Fleet detail-query templates.
    case osquery
    /// nmap's XML output (`-oX`): observations of the hosts it found.
    case nmapXML = "nmap-xml"
    /// A raw output a collector reads (registry export, wmic list, dpkg list, ...).
    case collectorOutput = "collector-output"

    /// Sniffs the first bytes through the registry (`InventoryReaders.all`).
    public static func detect(_ data: Data, file: String) throws -> ImportFormat {
        try InventoryReaders.detect(data, file: file).format
    }
}

/// Reads our own endpoint report: `{"schema": "assetledger-endpoint-report", "schema_version": 1, ...}`.
///
/// Decoded into plain wire structs with explicit snake_case keys (no key conversion) and dates
/// read by `ISODate`'s fast path; a wrong type is refused with its place
/// (`antivirus[0].enabled`).
public enum AssetLedgerReportFile {
    public static let schema = "assetledger-endpoint-report"

    public static func read(_ data: Data, file: String) throws -> EndpointReport {
        guard data.count <= InventoryLimits.maxBytes else {
            throw InputError(file: file, line: nil, reason: "larger than \(InventoryLimits.maxBytes >> 20) MB")
        }
        let wire: Wire.Report
        do {
            wire = try JSONDecoder().decode(Wire.Report.self, from: data)
        } catch let e as DecodingError {
            throw InputError(file: file, line: nil, reason: ObservationFile.describe(e))
        } catch {
            throw InputError(file: file, line: nil, reason: "malformed JSON: \(error.localizedDescription)")
        }
        guard wire.schema == schema else {
            throw InputError(file: file, line: nil, reason: "schema is '\(wire.schema)', expected '\(schema)'")
        }
        guard wire.schemaVersion == EndpointReport.schemaVersion else {
            throw InputError(
                file: file, line: nil,
                reason:
                    "schema_version \(wire.schemaVersion) is not supported (this build reads \(EndpointReport.schemaVersion))"
            )
        }
        func date(_ s: String?, _ place: String) throws -> Date? {
            guard let s else { return nil }
            guard let d = ISODate.parse(s) ?? InventoryDate.parse(s) else {
                throw InputError(file: file, line: nil, reason: "invalid value at '\(place)': '\(s)' is not a date")
            }
            return d
        }
        var r = EndpointReport(format: schema)
        r.agent = wire.agent
        r.collectedAt = try date(wire.collectedAt, "collected_at")
        if let i = wire.identity {
            r.identity.hostname = i.hostname
            r.identity.domain = i.domain
            r.identity.serials = i.serials ?? []
            r.identity.smbiosUUID = i.smbiosUUID
            r.identity.macs = i.macs ?? []
            r.identity.ips = i.ips ?? []
            r.identity.vendor = i.vendor
            r.identity.model = i.model
        }
        var sections: Set<EndpointReport.Section> = []
        if let o = wire.os {
            var os = EndpointReport.OperatingSystem()
            os.name = o.name
            os.version = o.version
            os.build = o.build
            os.ubr = o.ubr
            os.kernel = o.kernel
            os.architecture = o.architecture
            os.installedAt = try date(o.installedAt, "os.installed_at")
            r.os = os
            sections.insert(.os)
        }
        if let items = wire.patches {
            r.patches = try items.enumerated().map { i, p in
                EndpointReport.Patch(
                    id: p.id, title: p.title, installedAt: try date(p.installedAt, "patches[\(i)].installed_at"))
            }
            sections.insert(.patches)
        }
        if let items = wire.pendingUpdates {
            r.pendingUpdates = items.map {
                EndpointReport.PendingUpdate(id: $0.id, title: $0.title, security: $0.security)
            }
            sections.insert(.pendingUpdates)
        }
        if let items = wire.antivirus {
            r.antivirus = try items.enumerated().map { i, a in
                var av = EndpointReport.AntivirusProduct(name: a.name)
                av.vendor = a.vendor
                av.enabled = a.enabled
                av.signaturesUpToDate = a.signaturesUpToDate
                av.productVersion = a.productVersion
                av.signatureVersion = a.signatureVersion
                av.signatureDate = try date(a.signatureDate, "antivirus[\(i)].signature_date")
                av.lastQuickScan = try date(a.lastQuickScan, "antivirus[\(i)].last_quick_scan")
                av.lastFullScan = try date(a.lastFullScan, "antivirus[\(i)].last_full_scan")
                return av
            }
            sections.insert(.antivirus)
        }
        if let items = wire.software {
            r.software = try items.enumerated().map { i, s in
                EndpointReport.Software(
                    name: s.name, publisher: s.publisher, version: s.version,
                    installedAt: try date(s.installedAt, "software[\(i)].installed_at"), source: s.source)
            }
            sections.insert(.software)
        }
        r.sections = sections
        return r
    }

    /// The report as it is on the wire.
    enum Wire {
        struct Report: Decodable {
            var schema: String
            var schemaVersion: Int
            var agent: String?
            var collectedAt: String?
            var identity: Identity?
            var os: OS?
            var patches: [Patch]?
            var pendingUpdates: [Pending]?
            var antivirus: [Antivirus]?
            var software: [Software]?
            enum CodingKeys: String, CodingKey {
                case schema, agent, identity, os, patches, antivirus, software
                case schemaVersion = "schema_version", collectedAt = "collected_at", pendingUpdates = "pending_updates"
            }
        }
        struct Identity: Decodable {
            var hostname, domain, smbiosUUID, vendor, model: String?
            var serials, macs, ips: [String]?
            enum CodingKeys: String, CodingKey {
                case hostname, domain, vendor, model, serials, macs, ips
                case smbiosUUID = "smbios_uuid"
            }
        }
        struct OS: Decodable {
            var name, version, build, ubr, kernel, architecture, installedAt: String?
            enum CodingKeys: String, CodingKey {
                case name, version, build, ubr, kernel, architecture
                case installedAt = "installed_at"
            }
        }
        struct Patch: Decodable {
            var id: String
            var title, installedAt: String?
            enum CodingKeys: String, CodingKey {
                case id, title
                case installedAt = "installed_at"
            }
        }
        struct Pending: Decodable {
            var id: String
            var title: String?
            var security: Bool?
        }
        struct Antivirus: Decodable {
            var name: String
            var vendor, productVersion, signatureVersion, signatureDate, lastQuickScan, lastFullScan: String?
            var enabled, signaturesUpToDate: Bool?
            enum CodingKeys: String, CodingKey {
                case name, vendor, enabled
                case signaturesUpToDate = "signatures_up_to_date", productVersion = "product_version"
                case signatureVersion = "signature_version", signatureDate = "signature_date"
                case lastQuickScan = "last_quick_scan", lastFullScan = "last_full_scan"
            }
        }
        struct Software: Decodable {
            var name: String
            var publisher, version, installedAt, source: String?
            enum CodingKeys: String, CodingKey {
                case name, publisher, version, source
                case installedAt = "installed_at"
            }
        }
    }
}

/// Reads any endpoint inventory format into an `EndpointReport`.
public enum EndpointFile {
    public static func read(_ data: Data, file: String) throws -> EndpointReport {
        switch try InventoryReaders.read(data, file: file) {
        case .endpoint(let report): report
        case .observations:
            throw InputError(file: file, line: 1, reason: "observations, not an endpoint inventory")
        }
    }
}
