import Foundation
import LedgerModel

/// Reads the security check's checklist (`scanners/security-checklist.tsv`): one item per line,
/// `item classes rule parameter title_zh title_en`, tab-separated. Every refusal is
/// `FILE:LINE: reason`: an id that is not `[a-z0-9_]+` or repeats, an unknown class or rule, a
/// parameter missing, malformed or given to a rule that takes none, an empty title.
public enum SecurityChecklistFile {
    public static let header = ["item", "classes", "rule", "parameter", "title_zh", "title_en"]

    public static func read(_ data: Data, file: String) throws -> [SecurityCheckItem] {
        var out: [SecurityCheckItem] = []
        var seen: Set<String> = []
        for row in try TabTable.rows(data, file: file, headers: [header], what: "checklist") {
            let f = row.fields
            let id = f[0]
            guard !id.isEmpty, id.utf8.count <= 64,
                id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
            else { throw row.fail("item '\(id)' is not an id of a-z, 0-9 and _ (at most 64)") }
            guard seen.insert(id).inserted else { throw row.fail("item '\(id)' repeats an earlier line") }
            var classes: [DeviceClass] = []
            for word in f[1].split(separator: ",") {
                guard let c = DeviceClass(word: String(word)) else {
                    throw row.fail(
                        "unknown class '\(word)' (\(DeviceClass.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                if !classes.contains(c) { classes.append(c) }
            }
            guard !classes.isEmpty else { throw row.fail("item '\(id)' names no device class") }
            guard let rule = SecurityCheckRule(rawValue: f[2]) else {
                throw row.fail(
                    "unknown rule '\(f[2])' (\(SecurityCheckRule.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var parameter: [String] = []
            if f[3] != "-" && !f[3].isEmpty {
                parameter = f[3].split(separator: ",", omittingEmptySubsequences: false).map {
                    $0.trimmingWhitespace()
                }
            }
            if rule.takesParameter {
                guard !parameter.isEmpty else { throw row.fail("rule \(rule.rawValue) needs a parameter") }
            } else if !parameter.isEmpty {
                throw row.fail("rule \(rule.rawValue) takes no parameter (write -)")
            }
            for p in parameter {
                switch rule {
                case .portsClosed:
                    guard let n = UInt16(p), n > 0 else { throw row.fail("port '\(p)' is not 1-65535") }
                default:
                    guard !p.isEmpty, p.utf8.count <= 64, !p.contains(where: { $0.isWhitespace }) else {
                        throw row.fail("community '\(p)' is empty, too long or has a space")
                    }
                }
            }
            guard !f[4].isEmpty, !f[5].isEmpty else { throw row.fail("item '\(id)' needs title_zh and title_en") }
            out.append(
                SecurityCheckItem(
                    id: id, classes: classes, rule: rule, parameter: parameter, titleZH: f[4], titleEN: f[5]))
        }
        guard !out.isEmpty else { throw InputError(file: file, line: nil, reason: "the checklist has no item") }
        return out
    }
}
