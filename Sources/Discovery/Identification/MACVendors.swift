import Foundation
import Ingest
import LedgerModel

/// Who made a network adapter, from the IEEE registries Debian ships in `ieee-data`
/// (`oui.csv` MA-L /24, `mam.csv` MA-M /28, `oui36.csv` MA-S /36, `iab.csv` /36), longest
/// prefix first. Not a copied table: the files are read where Debian installs them.
public struct MACVendors: Sendable {
    public static let debianDirectory = "/usr/share/ieee-data"
    public static let files = ["oui36.csv", "iab.csv", "mam.csv", "oui.csv"]

    /// Upper-case hex prefix (6, 7 or 9 digits) -> organization.
    private let prefixes: [String: String]
    public var count: Int { prefixes.count }

    init(prefixes: [String: String]) { self.prefixes = prefixes }

    /// Reads the registries. Every file must be readable: a missing registry would silently
    /// leave adapters nameless.
    public static func load(directory: String = debianDirectory) throws -> MACVendors {
        var prefixes: [String: String] = [:]
        for name in files {
            let path = "\(directory)/\(name)"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw InputError(
                    file: path, line: nil, reason: "cannot read the IEEE registry (install Debian's ieee-data)")
            }
            let text = try TextDecoding.decode(data, file: path).text
            let records = try CSVReader.records(text, file: path)
            guard let header = records.first,
                header.fields.starts(with: ["Registry", "Assignment", "Organization Name"])
            else {
                throw InputError(
                    file: path, line: 1, reason: "not an IEEE registry CSV (Registry,Assignment,Organization Name,...)")
            }
            for record in records.dropFirst() where record.fields.count >= 3 {
                let assignment = record.fields[1].uppercased()
                guard [6, 7, 9].contains(assignment.count), assignment.allSatisfy(\.isHexDigit) else {
                    throw InputError(
                        file: path, line: record.line, reason: "assignment '\(assignment)' is not 6, 7 or 9 hex digits")
                }
                // A longer (more specific) registry was read first: keep it.
                if prefixes[assignment] == nil {
                    prefixes[assignment] = record.fields[2].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return MACVendors(prefixes: prefixes)
    }

    /// The organization for a MAC in any common spelling; nil when unknown or locally
    /// administered (randomized by the device, so it names no maker).
    public func vendor(of mac: String) -> String? {
        guard let normalized = Identifiers.normalizeMAC(mac),
            let first = UInt8(normalized.prefix(2), radix: 16), first & 0x02 == 0
        else { return nil }
        let hex = normalized.replacingOccurrences(of: ":", with: "").uppercased()
        for length in [9, 7, 6] {
            if let name = prefixes[String(hex.prefix(length))] { return name }
        }
        return nil
    }
}
