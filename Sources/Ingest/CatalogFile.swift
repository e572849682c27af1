import Foundation
import LedgerModel

/// Reads software-catalog rule files: tab-separated, `#` comments, header
/// `name_pattern publisher_pattern source product vendor category license domestic`.
/// Patterns are case-insensitive regular expressions; an empty publisher pattern or source
/// means any. Every refusal is `FILE:LINE: reason`.
public enum CatalogFile {
    public static let header = [
        "name_pattern", "publisher_pattern", "source", "product", "vendor", "category", "license", "domestic",
    ]

    public static func read(_ data: Data, file: String) throws -> [SoftwareRule] {
        var rules: [SoftwareRule] = []
        for row in try TabTable.rows(data, file: file, headers: [header], what: "catalog") {
            let fields = row.fields
            func fail(_ reason: String) -> InputError { row.fail(reason) }
            func regex(_ pattern: String, _ what: String) throws -> NSRegularExpression {
                do { return try NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) } catch {
                    throw fail("bad \(what) pattern '\(pattern)'")
                }
            }
            guard !fields[0].isEmpty else { throw fail("empty name_pattern") }
            guard !fields[3].isEmpty, !fields[4].isEmpty else { throw fail("empty product or vendor") }
            guard let category = SoftwareCategory(rawValue: fields[5].lowercased()) else {
                throw fail(
                    "unknown category '\(fields[5])' (\(SoftwareCategory.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            guard let license = LicenseClass(rawValue: fields[6].lowercased()) else {
                throw fail(
                    "unknown license '\(fields[6])' (\(LicenseClass.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let domestic: Bool
            switch fields[7].lowercased() {
            case "yes", "y", "true", "1", "是": domestic = true
            case "no", "n", "false", "0", "否": domestic = false
            default: throw fail("domestic must be yes or no, got '\(fields[7])'")
            }
            rules.append(
                SoftwareRule(
                    name: try regex(fields[0], "name"),
                    publisher: fields[1].isEmpty ? nil : try regex(fields[1], "publisher"),
                    sources: Set(
                        fields[2].lowercased().split(separator: ",").map { $0.trimmingWhitespace() }),
                    product: SoftwareProduct(
                        product: fields[3], vendor: fields[4], category: category, license: license, domestic: domestic),
                    origin: row.origin))
        }
        return rules
    }
}

/// Finds the data files under `scanners/` (catalog, posture policy, OS end-of-life table):
/// `$ASSETLEDGER_DATA`, then `./scanners`, then a `scanners` folder beside or above the
/// executable (a build tree or an install prefix).
public enum ScannerData {
    public static func locate(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String?
    {
        var candidates: [URL] = []
        if let dir = environment["ASSETLEDGER_DATA"], !dir.isEmpty { candidates.append(URL(fileURLWithPath: dir)) }
        candidates.append(
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("scanners"))
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent("scanners"))
            candidates.append(dir.appendingPathComponent("share/assetledger/scanners"))
            dir.deleteLastPathComponent()
        }
        return candidates.map { $0.appendingPathComponent(name).path }.first {
            FileManager.default.isReadableFile(atPath: $0)
        }
    }
}
