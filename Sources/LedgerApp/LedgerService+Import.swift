import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// What importing one file did (`import --format json`: one object per file). The merge
/// counts are there for every format; the endpoint fields only for an inventory (null for
/// observations).
public struct ImportOutcome: Codable, Equatable, Sendable {
    public var file: String
    /// `observations`, `nmap-xml`, `assetledger-report`, `glpi-json`... (`ImportFormat`).
    public var format: String
    public var observations: Int
    public var created: Int
    public var matched: Int
    public var absorbed: Int
    public var ambiguous: Int
    /// The device an inventory was attached to.
    @Nullable public var device: Int64?
    @Nullable public var software: Int?
    @Nullable public var patches: Int?
    @Nullable public var antivirus: Int?
    /// Sections older than what the device already holds (kept as history only).
    @Nullable public var olderSections: Int?

    enum CodingKeys: String, CodingKey {
        case file, format, observations, created, matched, absorbed, ambiguous, device, software, patches, antivirus
        case olderSections = "older_sections"
    }
}

extension LedgerService {
    /// Imports one file, its format told from the content: observations and nmap XML merge as
    /// observations; inventories attach to their device (`device` for raw collector outputs
    /// that name no machine). One transaction per file: a bad file writes nothing.
    public func importFile(_ path: String, device: Int64? = nil, scope: DeviceScope = .everything) throws
        -> ImportOutcome
    {
        try requireEverything(scope, "importing")
        if let device { try checkDevice(device, scope) }
        // Observation lines are streamed through the file's one transaction; other formats are
        // refused by size before they are read: memory stays bounded either way.
        let content: ImportedContent
        let format: ImportFormat
        switch try InventoryReaders.open(file: path) {
        case .observationLines(let stream):
            let s = try ledger.merge(batches: { try stream.next() })
            return ImportOutcome(
                file: path, format: ImportFormat.observations.rawValue, observations: s.observations,
                created: s.created, matched: s.matched, absorbed: s.absorbed, ambiguous: s.ambiguous, device: nil,
                software: nil, patches: nil, antivirus: nil, olderSections: nil)
        case .content(let c, let f):
            content = c
            format = f
        }
        switch content {
        case .observations(let observations):
            let s = try ledger.merge(observations)
            return ImportOutcome(
                file: path, format: format.rawValue, observations: s.observations, created: s.created,
                matched: s.matched, absorbed: s.absorbed, ambiguous: s.ambiguous, device: nil, software: nil,
                patches: nil, antivirus: nil, olderSections: nil)
        case .endpoint(let report):
            guard device != nil || report.namesItsMachine else {
                throw InputError(
                    file: path, line: nil,
                    reason: "a \(report.format) output names no machine: give the device with --device ID")
            }
            let s = try ledger.importEndpointReports([report], sourceRef: path, device: device)
            return ImportOutcome(
                file: path, format: report.format, observations: s.merge.observations, created: s.merge.created,
                matched: s.merge.matched, absorbed: s.merge.absorbed, ambiguous: s.merge.ambiguous,
                device: s.deviceIDs.first, software: report.software.count, patches: report.patches.count,
                antivirus: report.antivirus.count, olderSections: s.olderSections)
        }
    }

    /// Imports one inventory or observation file received over HTTP (`POST /api/v1/reports`:
    /// a collector's report), its format told from the content like a file's; `source` names it
    /// in the evidence and in refusals. At most `InventoryLimits.maxBytes`; one transaction.
    public func importReceived(_ data: Data, source: String, scope: DeviceScope) throws -> ImportOutcome {
        try requireEverything(scope, "importing")
        switch try InventoryReaders.read(data, file: source) {
        case .observations(let observations):
            let s = try ledger.merge(observations)
            return ImportOutcome(
                file: source, format: ImportFormat.observations.rawValue, observations: s.observations,
                created: s.created, matched: s.matched, absorbed: s.absorbed, ambiguous: s.ambiguous, device: nil,
                software: nil, patches: nil, antivirus: nil, olderSections: nil)
        case .endpoint(let report):
            guard report.namesItsMachine else {
                throw InputError(file: source, line: nil, reason: "a \(report.format) report names no machine")
            }
            let s = try ledger.importEndpointReports([report], sourceRef: source)
            return ImportOutcome(
                file: source, format: report.format, observations: s.merge.observations, created: s.merge.created,
                matched: s.merge.matched, absorbed: s.merge.absorbed, ambiguous: s.merge.ambiguous,
                device: s.deviceIDs.first, software: report.software.count, patches: report.patches.count,
                antivirus: report.antivirus.count, olderSections: s.olderSections)
        }
    }

    /// Files as given, folders as their files (recursively, sorted, hidden ones skipped).
    public func importPaths(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(file: path, line: nil, reason: "no such file or folder")
            }
            guard isDirectory.boolValue else {
                out.append(path)
                continue
            }
            let base = URL(fileURLWithPath: path)
            guard
                let walk = FileManager.default.enumerator(
                    at: base, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
            else { throw InputError(file: path, line: nil, reason: "cannot read folder") }
            var files: [String] = []
            for case let url as URL in walk {
                let values = try url.resourceValues(forKeys: [.isRegularFileKey])
                if values.isRegularFile == true { files.append(url.path) }
            }
            out += files.sorted()
        }
        return out
    }
}
