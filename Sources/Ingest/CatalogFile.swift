import Foundation
import LedgerModel

/// Reads software-catalog rule files: tab-separated, `#` comments, header
/// `name_pattern publisher_pattern source product vendor category license domestic kind
/// edition_pattern version_pattern` (the last three may be left out: the format before
/// legalization, every rule a `product` without edition or version). Patterns are
/// case-insensitive regular expressions; an empty publisher pattern or source means any; the
/// edition and version patterns' first capture group is the value. Every refusal is
/// `FILE:LINE: reason`.
public enum CatalogFile {
    public static let header = oldHeader + ["kind", "edition_pattern", "version_pattern"]
    /// The header before `kind` and the patterns (user `--catalog` files may still use it).
    public static let oldHeader = [
        "name_pattern", "publisher_pattern", "source", "product", "vendor", "category", "license", "domestic",
    ]

    public static func read(_ data: Data, file: String) throws -> [SoftwareRule] {
        var rules: [SoftwareRule] = []
        for row in try TabTable.rows(data, file: file, headers: [header, oldHeader], what: "catalog") {
            let fields = row.fields
            func fail(_ reason: String) -> InputError { row.fail(reason) }
            func regex(_ pattern: String, _ what: String) throws -> NSRegularExpression {
                do { return try NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) } catch {
                    throw fail("bad \(what) pattern '\(pattern)'")
                }
            }
            guard !fields[0].isEmpty else { throw fail("empty name_pattern") }
            guard !fields[3].isEmpty, !fields[4].isEmpty else { throw fail("empty product or vendor") }
            var categoryWord = fields[5].lowercased()
            if categoryWord == "os" {  // the old single OS category
                categoryWord = fields[3].localizedCaseInsensitiveContains("server") ? "os_server" : "os_pc"
            }
            guard let category = SoftwareCategory(rawValue: categoryWord) else {
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
            let kindWord = row["kind"]?.lowercased() ?? "product"
            guard let kind = RuleKind(rawValue: kindWord) else {
                throw fail("unknown kind '\(kindWord)' (\(RuleKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let edition = try row["edition_pattern"].map { try regex($0, "edition") }
            let version = try row["version_pattern"].map { try regex($0, "version") }
            for (pattern, what) in [(edition, "edition"), (version, "version")] {
                if let pattern, pattern.numberOfCaptureGroups < 1 {
                    throw fail("\(what)_pattern '\(pattern.pattern)' has no capture group for the \(what)")
                }
            }
            rules.append(
                SoftwareRule(
                    name: try regex(fields[0], "name"),
                    publisher: fields[1].isEmpty ? nil : try regex(fields[1], "publisher"),
                    sources: Set(
                        fields[2].lowercased().split(separator: ",").map { $0.trimmingWhitespace() }),
                    product: SoftwareProduct(
                        product: fields[3], vendor: fields[4], category: category, license: license, domestic: domestic),
                    origin: row.origin, kind: kind, edition: edition, version: version))
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
