import Foundation

/// How a product was activated, where an agent reports it.
public enum ActivationChannel: String, CaseIterable, Codable, Sendable {
    case retail, oem, volume
}

/// One licence fact an agent reported: the Windows product ID (FusionInventory
/// `HARDWARE/WINPRODID`, `AAOEM`/`-OEM-` = OEM) or an Office `LICENSEINFOS` entry (`OEM`,
/// `TRIAL`). Kept with the software section of the report it came from.
public struct Activation: Codable, Equatable, Hashable, Sendable {
    /// The product as the agent names it (`Microsoft Office Professionnel 2010`); for the OS,
    /// nil (it is the report's OS).
    public var product: String?
    public var channel: ActivationChannel?
    public var trial: Bool?

    public init(product: String?, channel: ActivationChannel?, trial: Bool? = nil) {
        self.product = product
        self.channel = channel
        self.trial = trial
    }

    /// The channel a Windows product ID shows: `…-AAOEM` or `…-OEM-…` is OEM; other IDs do not
    /// tell retail from volume, so nil.
    public static func channel(windowsProductID id: String) -> ActivationChannel? {
        let upper = id.uppercased()
        if upper.hasSuffix("OEM") || upper.contains("-OEM-") { return .oem }
        return nil
    }
}

/// Edition words as agents and languages spell them, reduced to one English name so a licence
/// for "Pro" covers "Professional", "Professionnel" and "专业版".
public enum Editions {
    static let aliases: [String: String] = [
        "pro": "Pro", "professional": "Pro", "professionnel": "Pro", "专业版": "Pro", "professionell": "Pro",
        "enterprise": "Enterprise", "entreprise": "Enterprise", "企业版": "Enterprise",
        "education": "Education", "éducation": "Education", "教育版": "Education",
        "home": "Home", "famille": "Home", "家庭版": "Home", "家庭中文版": "Home", "core": "Home",
        "single language": "Home", "home basic": "Home Basic", "home premium": "Home Premium",
        "familiale basique": "Home Basic", "familiale premium": "Home Premium", "家庭普通版": "Home Basic",
        "家庭高级版": "Home Premium",
        "ultimate": "Ultimate", "intégrale": "Ultimate", "旗舰版": "Ultimate",
        "professional plus": "Professional Plus", "professionnel plus": "Professional Plus",
        "专业增强版": "Professional Plus",
        "home and business": "Home and Business", "famille et petite entreprise": "Home and Business",
        "home & business": "Home and Business", "小型企业版": "Home and Business",
        "home and student": "Home and Student", "famille et étudiant": "Home and Student",
        "famille et etudiant": "Home and Student", "home & student": "Home and Student",
        "家庭和学生版": "Home and Student",
        "standard": "Standard", "标准版": "Standard", "datacenter": "Datacenter", "数据中心版": "Datacenter",
        "essentials": "Essentials", "foundation": "Foundation", "web": "Web", "developer": "Developer",
        "express": "Express", "ltsc": "LTSC", "enterprise ltsc": "Enterprise LTSC", "iot enterprise": "IoT Enterprise",
        "pro for workstations": "Pro for Workstations", "pro education": "Pro Education",
        "small business": "Small Business", "mondo": "Mondo",
        "enterprise ltsb": "Enterprise LTSB", "企业版 ltsc": "Enterprise LTSC", "企业版 ltsb": "Enterprise LTSB",
        "专业教育版": "Pro Education", "专业工作站版": "Pro for Workstations", "proplus": "Professional Plus",
        "apps for enterprise": "Apps for enterprise", "apps for business": "Apps for business",
    ]

    /// Names one product gives an edition that another product's same word does not mean:
    /// Microsoft 365 Apps for enterprise was called Office 365 ProPlus (Office's ProPlus is
    /// Professional Plus).
    static let productAliases: [String: [String: String]] = [
        "Microsoft 365 Apps": ["proplus": "Apps for enterprise", "professional plus": "Apps for enterprise"]
    ]

    static let evaluationWords = ["evaluation", "trial", "评估", "试用", "évaluation", "preview"]

    /// The canonical name of an edition as read from a title; unknown words stay as read.
    /// Years (`Enterprise LTSC 2019`, `Enterprise 2016 LTSB`: the version is read from the
    /// title) and the N / KN variants (`Pro N`: the same licence) are not part of the edition.
    public static func canonical(_ raw: String, product: String? = nil) -> String {
        var text = raw.trimmingCharacters(in: .whitespaces)
        for word in evaluationWords {
            if let r = text.range(of: word, options: [.caseInsensitive, .backwards]) { text.removeSubrange(r) }
        }
        text = text.replacingOccurrences(of: "Edition", with: "", options: .caseInsensitive)
            .replacingOccurrences(of: "版本", with: "")
            .trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "-,()")))
        var words = text.split(whereSeparator: \.isWhitespace).filter { !isYear($0) }
        if words.count > 1 { words.removeAll { $0 == "N" || $0 == "KN" } }
        let collapsed = words.joined(separator: " ")
        let key = collapsed.lowercased()
        return product.flatMap { productAliases[$0]?[key] } ?? aliases[key] ?? collapsed
    }

    static func isYear(_ word: Substring) -> Bool {
        word.count == 4 && word.allSatisfy { $0.isASCII && $0.isNumber }
            && (word.hasPrefix("19") || word.hasPrefix("20"))
    }

    /// Home editions are not a unit licence (单位正版): by rule, a canonical edition that starts
    /// with Home, 家庭 or Core (Windows' internal name: `CoreCountrySpecific` = Home China,
    /// `CoreSingleLanguage`); except Office Home and Business, which is licensed for business use.
    public static func isHome(_ edition: String) -> Bool {
        let lower = edition.lowercased()
        if lower == "home and business" { return false }
        if lower.hasPrefix("home") || edition.hasPrefix("家庭") { return true }
        guard edition.hasPrefix("Core") else { return false }
        let rest = edition.dropFirst(4)
        return rest.isEmpty || rest.first!.isUppercase || rest.first! == " "
    }

    public static func isEvaluation(_ title: String) -> Bool {
        evaluationWords.contains { title.range(of: $0, options: .caseInsensitive) != nil }
    }

    /// Whether a licence's edition covers an install's (empty = any).
    public static func covers(_ licence: String?, _ install: String, product: String? = nil) -> Bool {
        guard let licence, !licence.isEmpty else { return true }
        return canonical(licence, product: product).caseInsensitiveCompare(install) == .orderedSame
    }
}

/// Versions as products number them (`2016`, `10`, `8.1`, `XP`, `2008 R2`), ordered for
/// downgrade rights.
public enum Versions {
    static let named: [String: [Int]] = ["xp": [5, 1], "vista": [6, 0]]

    /// Numeric parts (`2008 R2` → [2008, 2]), nil when the text is not a version.
    public static func key(_ raw: String) -> [Int]? {
        let text = raw.lowercased().trimmingCharacters(in: .whitespaces)
        if let k = named[text] { return k }
        let parts = text.replacingOccurrences(of: " r", with: ".").split(
            separator: ".", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { p in p.allSatisfy { $0.isASCII && $0.isNumber } ? Int(p) : nil }
        return numbers.count == parts.count && !numbers.isEmpty ? numbers : nil
    }

    public static func compare(_ a: String, _ b: String) -> ComparisonResult? {
        guard let x = key(a), let y = key(b) else {
            return a.caseInsensitiveCompare(b) == .orderedSame ? .orderedSame : nil
        }
        for i in 0..<max(x.count, y.count) {
            let (p, q) = (i < x.count ? x[i] : 0, i < y.count ? y[i] : 0)
            if p != q { return p < q ? .orderedAscending : .orderedDescending }
        }
        return .orderedSame
    }
}

/// One install the legalization counts: one per device per product edition (the highest version
/// when several are installed).
public struct SoftwareInstall: Codable, Equatable, Hashable, Sendable {
    public var product: SoftwareProduct
    /// Canonical edition (`Professional Plus`, `Pro`), empty when no title says.
    public var edition: String
    /// Version read from the title (`2016`, `10`), empty when none says.
    public var version: String
    /// A home edition: not a unit licence.
    public var homeEdition: Bool
    public var evaluation: Bool
    public var channel: ActivationChannel?
    /// The raw titles (or the OS name) behind this install.
    public var titles: [String]

    public init(
        product: SoftwareProduct, edition: String, version: String, homeEdition: Bool = false,
        evaluation: Bool = false, channel: ActivationChannel? = nil, titles: [String]
    ) {
        self.product = product
        self.edition = edition
        self.version = version
        self.homeEdition = homeEdition
        self.evaluation = evaluation
        self.channel = channel
        self.titles = titles
    }
}

/// What one device's inventory amounts to for legalization.
public struct DeviceInstalls: Equatable, Sendable {
    public var installs: [SoftwareInstall] = []
    /// Titles of activation cracks (rule kind `crack`).
    public var cracks: [String] = []
    public init() {}
}

/// Turns one device's OS and installed titles into installs (see `RuleKind`): the OS from the
/// report's OS section only (an OS title in the software list is not a second install);
/// components, updates and cracks never; a suite part only without its suite; titles of one
/// product and version without an edition fold into the one that names it (SQL Server's
/// components into `SQL Server 2014 Standard`).
public struct InstallMatcher: Sendable {
    public var catalog: SoftwareCatalog
    /// The OS products' rules alone: an OS name is matched only against these.
    let osCatalog: SoftwareCatalog

    public init(catalog: SoftwareCatalog) {
        self.catalog = catalog
        osCatalog = SoftwareCatalog(rules: catalog.rules.filter { $0.kind == .product && $0.product.category.isOS })
    }

    /// What one title (name, publisher, source) is, remembered across the devices of one run:
    /// a campus has thousands of distinct titles but millions of installed rows, and matching
    /// a title against the catalog's regular expressions is the expensive part. Not shared
    /// between threads; one per computation.
    public final class Memo {
        struct Key: Hashable {
            var name: String
            var publisher: String?
            var source: String?
        }
        enum Seen {
            case none, crack, skip
            case install(SoftwareInstall, part: Bool)
        }
        var titles: [Key: Seen] = [:]
        var os: [String: SoftwareInstall?] = [:]
        var activations: [String: SoftwareInstall?] = [:]
        public init() {}
    }

    public func installs(
        os: String?, software: [(name: String, publisher: String?, source: String?)], activations: [Activation] = [],
        memo: Memo = Memo()
    ) -> DeviceInstalls {
        var out = DeviceInstalls()
        var found: [SoftwareInstall] = []
        var parts: [SoftwareInstall] = []
        if let os = os?.trimmingCharacters(in: .whitespaces) {
            let known =
                memo.os[os]
                ?? {
                    let made = osCatalog.match(name: os, publisher: nil, source: "os").map {
                        Self.install($0.product, $0.rule, title: os)
                    }
                    memo.os[os] = made
                    return made
                }()
            if var install = known {
                install.channel = activations.first { $0.product == nil }?.channel
                found.append(install)
            }
        }
        for s in software {
            let key = Memo.Key(name: s.name, publisher: s.publisher, source: s.source)
            let seen =
                memo.titles[key]
                ?? {
                    let seen: Memo.Seen
                    if let hit = catalog.match(name: s.name, publisher: s.publisher, source: s.source) {
                        switch hit.rule.kind {
                        case .crack: seen = .crack
                        case .component, .exclude: seen = .skip
                        case .product, .part:
                            // OS titles in a software list are not a second OS; `other` is not counted.
                            seen =
                                hit.product.category.isOS || hit.product.category == .other
                                ? .skip
                                : .install(
                                    Self.install(hit.product, hit.rule, title: s.name), part: hit.rule.kind == .part)
                        }
                    } else {
                        seen = .none
                    }
                    memo.titles[key] = seen
                    return seen
                }()
            switch seen {
            case .none, .skip: continue
            case .crack: out.cracks.append(s.name)
            case .install(let install, let part): if part { parts.append(install) } else { found.append(install) }
            }
        }
        // A part counts only when no suite of its product is on the device.
        for p in parts where !found.contains(where: { $0.product.product == p.product.product }) { found.append(p) }
        // Activations reported for an application (Office LICENSEINFOS) set its channel.
        for a in activations {
            guard let name = a.product else { continue }
            let known =
                memo.activations[name]
                ?? {
                    let made = catalog.match(name: name, publisher: nil, source: nil).map {
                        Self.install($0.product, $0.rule, title: name)
                    }
                    memo.activations[name] = made
                    return made
                }()
            guard let e = known else { continue }
            // The same product and version; the same edition, or the device's only install of it
            // (agents name the key's edition, which may differ from the installed title's).
            let same = found.indices.filter {
                found[$0].product.product == e.product.product && (e.version.isEmpty || found[$0].version == e.version)
            }
            for i in same where found[i].channel == nil && (same.count == 1 || found[i].edition == e.edition) {
                found[i].channel = a.channel
                if a.trial == true { found[i].evaluation = true }
            }
        }
        out.installs = Self.fold(found)
        out.cracks.sort()
        return out
    }

    static func install(_ product: SoftwareProduct, _ rule: SoftwareRule, title: String) -> SoftwareInstall {
        let edition =
            SoftwareRule.capture(rule.edition, in: title).map { Editions.canonical($0, product: product.product) } ?? ""
        let version = SoftwareRule.capture(rule.version, in: title) ?? ""
        return SoftwareInstall(
            product: product, edition: edition, version: version, homeEdition: Editions.isHome(edition),
            evaluation: Editions.isEvaluation(title), titles: [title])
    }

    /// One install per product and edition, whatever the versions (several versions of one
    /// edition on one device take one licence: the highest version is kept, for the version
    /// match); an install without an edition joins one of the same product and version that has
    /// one (or the only one of the product when it has no version either). The answer does not
    /// depend on the order of the titles.
    static func fold(_ list: [SoftwareInstall]) -> [SoftwareInstall] {
        var merged: [SoftwareInstall] = []
        func absorb(_ i: Int, _ x: SoftwareInstall) {
            merged[i].titles += x.titles
            merged[i].evaluation = merged[i].evaluation || x.evaluation
            merged[i].channel = merged[i].channel ?? x.channel
        }
        func higher(_ a: SoftwareInstall, _ b: SoftwareInstall) -> Bool {
            if a.version.isEmpty != b.version.isEmpty { return !a.version.isEmpty }
            switch Versions.compare(a.version, b.version) {
            case .orderedDescending?: return true
            case .orderedAscending?: return false
            default:
                return (a.version, a.titles.joined(separator: "\n")) < (b.version, b.titles.joined(separator: "\n"))
            }
        }
        // Editions first, so editionless titles find them; versions before none, highest first.
        let ordered = list.sorted {
            if $0.edition.isEmpty != $1.edition.isEmpty { return !$0.edition.isEmpty }
            if ($0.product.product, $0.edition) != ($1.product.product, $1.edition) {
                return ($0.product.product, $0.edition) < ($1.product.product, $1.edition)
            }
            return higher($0, $1)
        }
        for x in ordered {
            if let i = merged.firstIndex(where: { $0.product.product == x.product.product && $0.edition == x.edition })
            {
                absorb(i, x)
                continue
            }
            if x.edition.isEmpty {
                let same = merged.indices.filter {
                    merged[$0].product.product == x.product.product
                        && (merged[$0].version == x.version || x.version.isEmpty)
                }
                if same.count == 1 {
                    absorb(same[0], x)
                    continue
                }
            }
            merged.append(x)
        }
        for i in merged.indices { merged[i].titles.sort() }
        return merged.sorted {
            ($0.product.product, $0.edition, $0.version) < ($1.product.product, $1.edition, $1.version)
        }
    }
}
