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

    /// Sniffs the first bytes: JSON or XML, then the telltale key or root element.
    public static func detect(_ data: Data, file: String) throws -> ImportFormat {
        var head = String(decoding: data.prefix(64 * 1024), as: UTF8.self)
        if head.hasPrefix("\u{FEFF}") { head.removeFirst() }
        let trimmed = head.drop(while: { $0.isWhitespace })
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            if head.contains("\"assetledger-endpoint-report\"") { return .assetledgerReport }
            if head.contains("\"observed_at\"") && head.contains("\"source\"") { return .observations }
            if head.contains("\"content\"") { return .glpiJSON }
        } else if trimmed.hasPrefix("<") {
            if head.range(of: "<REQUEST", options: .caseInsensitive) != nil { return .fusionInventoryXML }
            if head.contains("<system>") || head.contains("<system ") { return .openAuditXML }
        } else if data.starts(with: [0xFF, 0xFE]) {
            throw InputError(
                file: file, line: 1,
                reason: "UTF-16 text (a raw WMI or registry dump?): not an inventory format this import reads yet")
        }
        throw InputError(
            file: file, line: 1,
            reason:
                "unrecognized format (expected an AssetLedger report, observations, GLPI JSON, FusionInventory/OCS XML or Open-AudIT XML)"
        )
    }
}

/// Reads our own endpoint report: `{"schema": "assetledger-endpoint-report", "schema_version": 1, ...}`.
public enum AssetLedgerReportFile {
    public static let schema = "assetledger-endpoint-report"

    public static func read(_ data: Data, file: String) throws -> EndpointReport {
        guard data.count <= InventoryLimits.maxBytes else {
            throw InputError(file: file, line: nil, reason: "larger than \(InventoryLimits.maxBytes >> 20) MB")
        }
        struct Envelope: Decodable {
            var schema: String
            var schemaVersion: Int
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { d in
            let c = try d.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = ISODate.parse(s) ?? InventoryDate.parse(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(s)' is not a date")
            }
            return date
        }
        do {
            let envelope = try decoder.decode(Envelope.self, from: data)
            guard envelope.schema == schema else {
                throw InputError(file: file, line: nil, reason: "schema is '\(envelope.schema)', expected '\(schema)'")
            }
            guard envelope.schemaVersion == EndpointReport.schemaVersion else {
                throw InputError(
                    file: file, line: nil,
                    reason:
                        "schema_version \(envelope.schemaVersion) is not supported (this build reads \(EndpointReport.schemaVersion))"
                )
            }
            var report = try decoder.decode(EndpointReport.self, from: data)
            report.format = schema
            return report
        } catch let e as DecodingError {
            throw InputError(file: file, line: nil, reason: ObservationFile.describe(e))
        } catch let e as InputError {
            throw e
        } catch {
            throw InputError(file: file, line: nil, reason: "malformed JSON: \(error.localizedDescription)")
        }
    }
}

/// Reads any endpoint inventory format into an `EndpointReport`.
public enum EndpointFile {
    public static func read(_ data: Data, file: String) throws -> EndpointReport {
        switch try ImportFormat.detect(data, file: file) {
        case .assetledgerReport: try AssetLedgerReportFile.read(data, file: file)
        case .glpiJSON: try GLPIInventory.json(data, file: file)
        case .fusionInventoryXML: try GLPIInventory.xml(data, file: file)
        case .openAuditXML: try OpenAuditInventory.xml(data, file: file)
        case .observations:
            throw InputError(file: file, line: 1, reason: "observations, not an endpoint inventory")
        }
    }
}
