import Foundation
import Ingest
import LedgerModel

/// One fingerprint rule: when a signal matches, claim class, fax, vendor, model and/or OS with
/// a certainty. Rules are data (scanners/fingerprints.tsv and the user's own files).
public struct FingerprintRule: Sendable {
    public enum Match: String, Sendable { case prefix, regex, equals, present }

    public var signal: String
    public var match: Match
    public var pattern: String
    public var regex: NSRegularExpression?
    public var deviceClass: DeviceClass?
    public var fax: Bool?
    public var vendor: String?
    public var model: String?
    public var os: String?
    public var firmware: String?
    public var certainty: Int
    /// FILE:LINE, shown as the reason of the evidence.
    public var origin: String
}

/// The verdict on one device: per field the strongest claim, and every piece of evidence.
public struct Fingerprint: Equatable, Sendable {
    public var deviceClass: DeviceClass?
    public var faxCapable: Bool?
    public var vendor: String?
    public var model: String?
    public var os: String?
    public var firmware: String?
    public var evidence: [Evidence] = []
}

public enum Fingerprints {
    public static let header = [
        "signal", "match", "pattern", "class", "fax", "vendor", "model", "os", "firmware", "certainty", "note",
    ]
    /// The header before the firmware column existed; files with it are still read.
    public static let legacyHeader = header.filter { $0 != "firmware" }

    /// Reads a rule file (tab-separated, `#` comments); refusals are `FILE:LINE: reason`.
    public static func read(_ data: Data, file: String) throws -> [FingerprintRule] {
        var rules: [FingerprintRule] = []
        for row in try TabTable.rows(data, file: file, headers: [header, legacyHeader], what: "rule file") {
            let f = row.fields
            func fail(_ reason: String) -> InputError { row.fail(reason) }
            func field(_ name: String) -> String? { row[name] }
            guard let match = FingerprintRule.Match(rawValue: f[1]) else {
                throw fail("match must be prefix, regex, equals or present, got '\(f[1])'")
            }
            var regex: NSRegularExpression?
            if match == .regex {
                do { regex = try NSRegularExpression(pattern: f[2], options: [.caseInsensitive]) } catch {
                    throw fail("bad regex '\(f[2])'")
                }
            }
            var deviceClass: DeviceClass?
            if !f[3].isEmpty {
                guard let c = DeviceClass(word: f[3]) else { throw fail("unknown class '\(f[3])'") }
                deviceClass = c
            }
            guard let certainty = Int(field("certainty") ?? ""), (1...100).contains(certainty) else {
                throw fail("certainty must be 1...100")
            }
            guard f[4].isEmpty || f[4] == "yes" || f[4] == "no" else { throw fail("fax must be yes, no or empty") }
            rules.append(
                FingerprintRule(
                    signal: f[0], match: match, pattern: f[2], regex: regex, deviceClass: deviceClass,
                    fax: f[4].isEmpty ? nil : f[4] == "yes", vendor: f[5].isEmpty ? nil : f[5],
                    model: field("model"), os: field("os"), firmware: field("firmware"), certainty: certainty,
                    origin: row.origin))
        }
        return rules
    }

    /// Applies every rule to the signals; for each field the most certain claim wins (the
    /// earlier rule on a tie). `$1`.. in vendor/model/os take a regex's groups.
    public static func evaluate(_ signals: [String: [String]], rules: [FingerprintRule]) -> Fingerprint {
        var best: [String: (value: String, certainty: Int)] = [:]
        var result = Fingerprint()
        for rule in rules {
            for value in signals[rule.signal] ?? [] {
                var groups: [String] = []
                switch rule.match {
                case .present: break
                case .equals: guard value.caseInsensitiveCompare(rule.pattern) == .orderedSame else { continue }
                case .prefix: guard value.hasPrefix(rule.pattern) else { continue }
                case .regex:
                    guard let regex = rule.regex,
                        let m = regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value))
                    else { continue }
                    groups = (0..<m.numberOfRanges).map { i in
                        Range(m.range(at: i), in: value).map { String(value[$0]) } ?? ""
                    }
                }
                func fill(_ template: String) -> String {
                    var out = template
                    for (i, g) in groups.enumerated().reversed() {
                        out = out.replacingOccurrences(of: "$\(i)", with: g)
                    }
                    return out.trimmingCharacters(in: .whitespaces)
                }
                let claims: [(String, String?)] = [
                    ("class", rule.deviceClass?.rawValue), ("fax_capable", rule.fax.map { $0 ? "true" : "false" }),
                    ("vendor", rule.vendor.map(fill)), ("model", rule.model.map(fill)), ("os", rule.os.map(fill)),
                    ("firmware", rule.firmware.map(fill)),
                ]
                for (field, claim) in claims {
                    guard let claim, !claim.isEmpty else { continue }
                    let reason = "\(rule.signal) \(rule.match.rawValue) '\(rule.pattern)' (\(rule.origin))"
                    result.evidence.append(
                        Evidence(field: field, value: claim, reason: reason, certainty: rule.certainty))
                    if (best[field]?.certainty ?? 0) < rule.certainty { best[field] = (claim, rule.certainty) }
                }
                break  // one match per rule
            }
        }
        result.deviceClass = best["class"].flatMap { DeviceClass(rawValue: $0.value) }
        result.faxCapable = best["fax_capable"].map { $0.value == "true" }
        result.vendor = best["vendor"]?.value
        result.model = best["model"]?.value
        result.os = best["os"]?.value
        result.firmware = best["firmware"]?.value
        return result
    }
}
