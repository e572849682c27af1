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
    /// What an `other` is (`ups`, `sensor`, `camera`, `encoder`, `nas` …): written `other:ups`
    /// in the class column.
    public var kind: String?
    public var fax: Bool?
    public var vendor: String?
    public var model: String?
    public var os: String?
    public var firmware: String?
    public var certainty: Int
    /// FILE:LINE, shown as the reason of the evidence.
    public var origin: String
}

/// The verdict on one device (see `Verdict`: agreement of independent sources), and every piece
/// of evidence, conflicts included.
public struct Fingerprint: Equatable, Sendable {
    public var deviceClass: DeviceClass?
    /// What an `other` is (`ups`, `sensor`, `camera` …), when a rule says.
    public var kind: String?
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
            var kind: String?
            if !f[3].isEmpty {
                let parts = f[3].split(separator: ":", maxSplits: 1).map(String.init)
                guard let c = DeviceClass(word: parts[0]) else { throw fail("unknown class '\(f[3])'") }
                if parts.count == 2 {
                    kind = parts[1].trimmingCharacters(in: .whitespaces).lowercased()
                    guard c == .other, kind?.isEmpty == false, kind!.allSatisfy({ $0.isLetter || $0 == "-" })
                    else { throw fail("a kind goes with class other, as other:ups, got '\(f[3])'") }
                }
                deviceClass = c
            }
            guard let certainty = Int(field("certainty") ?? ""), (1...100).contains(certainty) else {
                throw fail("certainty must be 1...100")
            }
            guard f[4].isEmpty || f[4] == "yes" || f[4] == "no" else { throw fail("fax must be yes, no or empty") }
            rules.append(
                FingerprintRule(
                    signal: f[0], match: match, pattern: f[2], regex: regex, deviceClass: deviceClass, kind: kind,
                    fax: f[4].isEmpty ? nil : f[4] == "yes", vendor: f[5].isEmpty ? nil : f[5],
                    model: field("model"), os: field("os"), firmware: field("firmware"), certainty: certainty,
                    origin: row.origin))
        }
        return rules
    }

    /// Applies every rule to the signals and decides each field (see `Verdict`). `$1`.. in
    /// vendor/model/os take a regex's groups. With a manufacturer dictionary, vendor claims are
    /// named by it (the raw value stays in the evidence) and a component's or a software
    /// publisher's name (an adapter maker, Net-SNMP, Microsoft) is no vendor claim.
    public static func evaluate(
        _ signals: [String: [String]], rules: [FingerprintRule], manufacturers: ManufacturerDictionary? = nil
    ) -> Fingerprint {
        var claims: [Claim] = []
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
                let fields: [(String, String?)] = [
                    ("class", rule.deviceClass?.rawValue), ("kind", rule.kind),
                    ("fax_capable", rule.fax.map { $0 ? "true" : "false" }),
                    ("vendor", rule.vendor.map(fill)), ("model", rule.model.map(fill)), ("os", rule.os.map(fill)),
                    ("firmware", rule.firmware.map(fill)),
                ]
                for (field, claim) in fields {
                    guard let claim, !claim.isEmpty else { continue }
                    var reason = "\(rule.signal) \(rule.match.rawValue) '\(rule.pattern)' (\(rule.origin))"
                    var counts = true
                    if field == "vendor", let maker = manufacturers?.canonical(claim) {
                        if maker.role != .maker {
                            reason += "; \(maker.name) is a \(maker.role.rawValue) maker, not the device's"
                            counts = false
                        } else if maker.name != claim {
                            reason += "; named \(maker.name)"
                        }
                    }
                    result.evidence.append(
                        Evidence(field: field, value: claim, reason: reason, certainty: rule.certainty))
                    if counts {
                        claims.append(
                            Claim(
                                field: field, value: claim, certainty: rule.certainty, source: source(rule.signal),
                                order: claims.count))
                    }
                }
                break  // one match per rule
            }
        }
        let verdict = Verdict(claims: claims, manufacturers: manufacturers)
        result.deviceClass = verdict.deviceClass
        result.kind = result.deviceClass == .other ? verdict.kind : nil
        result.faxCapable = verdict.loudest("fax_capable").map { $0 == "true" }
        result.vendor = verdict.vendor
        result.model = verdict.model
        result.os = verdict.loudest("os")
        result.firmware = verdict.loudest("firmware")
        result.evidence += verdict.conflicts.map {
            Evidence(field: "conflict", value: $0, reason: "independent sources disagree", certainty: 0)
        }
        if result.deviceClass == nil {
            // Nothing supports a class: what the device had, so a user can write the rule.
            for (name, values) in signals.sorted(by: { $0.key < $1.key }).prefix(32) {
                result.evidence.append(
                    Evidence(
                        field: "signal", value: "\(name)=\(values.prefix(4).joined(separator: " | "))",
                        reason: "no rule claims a class", certainty: 0))
            }
        }
        return result
    }

    /// The source a signal comes from: its family (`snmp`, `ipp`, `mdns`, `pjl`, `upnp`,
    /// `ntlm`, `http`, `port` …). Claims of one source are not independent of each other.
    static func source(_ signal: String) -> String {
        let family = String(signal.prefix { $0 != "." })
        switch family {
        case "ports": return "port"
        case "ssdp": return "upnp"
        case "smb": return "ntlm"
        default: return family
        }
    }
}

/// One claim a rule made, for the verdict.
struct Claim {
    var field: String
    var value: String
    var certainty: Int
    var source: String
    var order: Int
}

/// How the claims become the fingerprint (issue 14: agreement beats one loud claim).
///
/// - Class: claims are grouped in families (printer and mfp; pc and server; each other class
///   alone). A family's support is the chance that at least one independent source is right,
///   1 − Π(1 − cᵢ), over the sources (the strongest claim of each source); the best supported
///   family wins, and inside it the most certain member (an mfp rule refines printer).
/// - Vendor and model: claims grouped by the maker they name (dictionary) or the model they
///   name (folded, the maker's words in front dropped), supported the same way. A model that
///   starts with a maker's name claims that maker too. The vendor is the one the winning
///   model's sources name, unless the vendor's support is greater: then the model is the best
///   one among the sources naming that vendor. So vendor and model belong together, and an IPP,
///   DNS-SD and PJL HP beats one more certain SNMP rule.
/// - Fax, OS and firmware: the most certain claim (a precise version refines a family name).
/// - Conflicts: a field whose losing group still has the support of a 50-certain claim.
struct Verdict {
    var deviceClass: DeviceClass?
    var kind: String?
    var vendor: String?
    var model: String?
    var conflicts: [String] = []
    let claims: [Claim]

    struct Group {
        var key: String
        var value: String
        var best: Int
        var first: Int
        var bySource: [String: Int] = [:]
        var support: Double { 1 - bySource.values.reduce(1.0) { $0 * (1 - Double($1) / 100) } }
        var sources: [String] { bySource.keys.sorted() }
    }

    static func groups(_ claims: [Claim], key: (Claim) -> String, value: (Claim) -> String) -> [Group] {
        var groups: [String: Group] = [:]
        for c in claims {
            let k = key(c)
            guard !k.isEmpty else { continue }
            var g = groups[k] ?? Group(key: k, value: value(c), best: c.certainty, first: c.order)
            if c.certainty > g.best {
                g.best = c.certainty
                g.value = value(c)
            }
            g.bySource[c.source] = max(g.bySource[c.source] ?? 0, c.certainty)
            groups[k] = g
        }
        return groups.values.sorted {
            if $0.support != $1.support { return $0.support > $1.support }
            if $0.best != $1.best { return $0.best > $1.best }
            return $0.first < $1.first
        }
    }

    static func family(_ c: String) -> String {
        switch c {
        case "printer", "mfp": "printer"
        case "pc", "server": "computer"
        default: c
        }
    }

    func loudest(_ field: String) -> String? {
        var best: Claim?
        for c in claims where c.field == field && (best?.certainty ?? 0) < c.certainty { best = c }
        return best?.value
    }

    init(claims: [Claim], manufacturers: ManufacturerDictionary?) {
        self.claims = claims
        // Class
        let classes = claims.filter { $0.field == "class" }
        let families = Self.groups(classes, key: { Self.family($0.value) }, value: { $0.value })
        if let winner = families.first {
            let members = classes.filter { Self.family($0.value) == winner.key }
            var best: Claim?
            for c in members where (best?.certainty ?? 0) < c.certainty { best = c }
            deviceClass = best.flatMap { DeviceClass(rawValue: $0.value) }
            conflicts += Self.conflict("class", families)
        }
        kind =
            Self.groups(claims.filter { $0.field == "kind" }, key: { $0.value.lowercased() }, value: { $0.value })
            .first?.value
        // Vendor and model
        func maker(_ raw: String) -> (key: String, name: String) {
            if let m = manufacturers?.canonical(raw), m.role == .maker { return (m.name.lowercased(), m.name) }
            return (ManufacturerDictionary.normalize(raw), raw)
        }
        var vendorClaims = claims.filter { $0.field == "vendor" }
        let modelClaims = claims.filter { $0.field == "model" }
        // A model that starts with a maker's name ("HP LaserJet M404") claims that maker.
        for m in modelClaims {
            if let made = manufacturers?.canonical(m.value), made.role == .maker {
                vendorClaims.append(
                    Claim(
                        field: "vendor", value: made.name, certainty: max(1, m.certainty - 10), source: m.source,
                        order: m.order))
            }
        }
        let makerWords = Set(
            vendorClaims.flatMap { c in
                (ManufacturerDictionary.normalize(c.value) + " " + ManufacturerDictionary.normalize(maker(c.value).name))
                    .split(separator: " ").map(String.init)
            })
        func modelKey(_ raw: String) -> String {
            var words = ManufacturerDictionary.normalize(raw).split(separator: " ").map(String.init)
            while words.count > 1, makerWords.contains(words[0]) { words.removeFirst() }
            // "MFC-L2710DW series", "… printer": the same model.
            while words.count > 1, ["series", "printer", "mfp"].contains(words[words.count - 1]) { words.removeLast() }
            return words.joined()
        }
        let vendors = Self.groups(vendorClaims, key: { maker($0.value).key }, value: { maker($0.value).name })
        let models = Self.groups(modelClaims, key: { modelKey($0.value) }, value: { $0.value })
        vendor = vendors.first?.value
        model = models.first?.value
        if let m = models.first, let v = vendors.first {
            let ofModel = Self.groups(
                vendorClaims.filter { m.bySource[$0.source] != nil }, key: { maker($0.value).key },
                value: { maker($0.value).name }
            ).first
            if let ofModel, ofModel.key != v.key {
                if m.support >= v.support {
                    vendor = ofModel.value
                } else {
                    // The vendor is better supported: the model its own sources state, if any.
                    let sources = Set(vendorClaims.filter { maker($0.value).key == v.key }.map(\.source))
                    model =
                        Self.groups(
                            modelClaims.filter { sources.contains($0.source) }, key: { modelKey($0.value) },
                            value: { $0.value }
                        ).first?.value
                }
                conflicts.append(
                    "vendor and model: \(m.value) (\(m.sources.joined(separator: ", "))) is \(ofModel.value)'s, "
                        + "\(v.value) (\(v.sources.joined(separator: ", "))) another maker")
            }
        }
        conflicts += Self.conflict("vendor", vendors) + Self.conflict("model", models)
    }

    /// The groups that lost though a 50-certain claim supports them.
    static func conflict(_ field: String, _ groups: [Group]) -> [String] {
        guard let winner = groups.first else { return [] }
        let losers = groups.dropFirst().filter { $0.support >= 0.5 }
        guard !losers.isEmpty else { return [] }
        func describe(_ g: Group) -> String { "\(g.value) (\(g.sources.joined(separator: ", ")))" }
        return ["\(field): \(describe(winner)) over \(losers.map(describe).joined(separator: ", "))"]
    }

}
