import Foundation
import LedgerModel

/// Reads the posture thresholds (`key = value` lines, `#` comments).
public enum PolicyFile {
    public static func read(_ data: Data, file: String) throws -> PosturePolicy {
        var policy = PosturePolicy()
        let text = try TextDecoding.decode(data, file: file).text
        for (i, raw) in TextLines.split(text).enumerated() {
            let line = raw.trimmingWhitespaceAndNewlines()
            if line.isEmpty || line.hasPrefix("#") { continue }
            func fail(_ reason: String) -> InputError { InputError(file: file, line: i + 1, reason: reason) }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
            guard parts.count == 2 else { throw fail("expected 'key = value'") }
            let (key, value) = (parts[0], parts[1])
            func days() throws -> Int {
                guard let n = Int(value), (0...3650).contains(n) else {
                    throw fail("\(key) must be a number of days 0...3650")
                }
                return n
            }
            switch key {
            case "patch_max_age_days": policy.patchMaxAgeDays = try days()
            case "signature_max_age_days": policy.signatureMaxAgeDays = try days()
            case "full_scan_max_age_days": policy.fullScanMaxAgeDays = try days()
            case "report_max_age_days": policy.reportMaxAgeDays = try days()
            case "require_antivirus_on_linux":
                switch value.lowercased() {
                case "yes", "true": policy.requireAntivirusOnLinux = true
                case "no", "false": policy.requireAntivirusOnLinux = false
                default: throw fail("require_antivirus_on_linux must be yes or no")
                }
            default: throw fail("unknown setting '\(key)'")
            }
        }
        return policy
    }
}

/// Reads the OS end-of-support table: `os_pattern build edition_pattern end_of_support label`.
public enum LifecycleFile {
    public static let header = ["os_pattern", "build", "edition_pattern", "end_of_support", "label"]

    public static func read(_ data: Data, file: String) throws -> [OSLifecycle] {
        var out: [OSLifecycle] = []
        for row in try TabTable.rows(data, file: file, headers: [header], what: "table") {
            let f = row.fields
            func fail(_ reason: String) -> InputError { row.fail(reason) }
            func regex(_ p: String) throws -> NSRegularExpression {
                do { return try NSRegularExpression(pattern: p, options: [.caseInsensitive]) } catch {
                    throw fail("bad pattern '\(p)'")
                }
            }
            guard !f[0].isEmpty else { throw fail("empty os_pattern") }
            guard f[1].isEmpty || f[1].allSatisfy(\.isNumber) else { throw fail("build '\(f[1])' is not a number") }
            guard let date = InventoryDate.parse(f[3]), f[3].count == 10 else {
                throw fail("end_of_support '\(f[3])' is not YYYY-MM-DD")
            }
            out.append(
                OSLifecycle(
                    name: try regex(f[0]), build: f[1].isEmpty ? nil : f[1],
                    edition: f[2].isEmpty ? nil : try regex(f[2]),
                    endOfSupport: date, label: f[4].isEmpty ? f[0] : f[4]))
        }
        return out
    }
}
