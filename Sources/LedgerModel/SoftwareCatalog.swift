import Foundation

/// What kind of software a product is, for licensing and posture: the categories of the
/// legalization seed (操作系统 for PCs and servers, 办公软件, 杀毒软件, 数据库, 服务器软件,
/// 工具软件), and `other` for what a legalization check does not count (runtimes, drivers,
/// platform components). Old catalog files' `os` is read as `os_pc` (`os_server` for a product
/// named "Server").
public enum SoftwareCategory: String, CaseIterable, Codable, Sendable {
    case osPC = "os_pc"
    case osServer = "os_server"
    case office, antivirus, database, server, tool, other

    /// The label of the seed (Chinese).
    public var label: String {
        switch self {
        case .osPC: "操作系统(PC)"
        case .osServer: "操作系统(服务器)"
        case .office: "办公软件"
        case .antivirus: "杀毒软件"
        case .database: "数据库"
        case .server: "服务器软件"
        case .tool: "工具软件"
        case .other: "其他"
        }
    }

    public var isOS: Bool { self == .osPC || self == .osServer }
}

/// What a catalog rule says a matching title is (`kind` column).
public enum RuleKind: String, CaseIterable, Codable, Sendable {
    /// An installation of the product.
    case product
    /// An application of a suite also sold alone (Word, Excel): an install only on a device
    /// without the suite.
    case part
    /// Named after a product but not it: a driver, runtime, viewer, redistributable, language
    /// pack, proofing tools, setup metadata, SDK. Known (not "unknown"), never an install.
    case component
    /// An activation crack (KMSpico, KMSAuto...): a finding of its own.
    case crack
    /// Updates, hotfixes, service packs: known, never an install.
    case exclude
}

/// How a product is licensed.
public enum LicenseClass: String, CaseIterable, Codable, Sendable {
    case commercial, freeware
    case openSource = "open-source"
}

/// A catalog product: what a raw installed-software title is.
public struct SoftwareProduct: Equatable, Hashable, Codable, Sendable {
    public var product: String
    public var vendor: String
    public var category: SoftwareCategory
    public var license: LicenseClass
    /// 国产: made by a Chinese vendor (for the domestic-share indicator).
    public var domestic: Bool

    public init(product: String, vendor: String, category: SoftwareCategory, license: LicenseClass, domestic: Bool) {
        self.product = product
        self.vendor = vendor
        self.category = category
        self.license = license
        self.domestic = domestic
    }
}

/// One catalog rule: a title (and optionally publisher and source) pattern → product.
public struct SoftwareRule: Sendable {
    public var name: NSRegularExpression
    public var publisher: NSRegularExpression?
    /// Where the title must come from (`deb`, `rpm`, `registry` ...); empty = anywhere.
    public var sources: Set<String>
    public var product: SoftwareProduct
    /// File and line it was read from, for "why was this classified so".
    public var origin: String
    public var kind: RuleKind
    /// First capture group = the edition, read from the title (`Professional Plus`).
    public var edition: NSRegularExpression?
    /// First capture group = the version, read from the title (`2016`, `10`).
    public var version: NSRegularExpression?

    public init(
        name: NSRegularExpression, publisher: NSRegularExpression?, sources: Set<String>, product: SoftwareProduct,
        origin: String, kind: RuleKind = .product, edition: NSRegularExpression? = nil,
        version: NSRegularExpression? = nil
    ) {
        self.name = name
        self.publisher = publisher
        self.sources = sources
        self.product = product
        self.origin = origin
        self.kind = kind
        self.edition = edition
        self.version = version
    }

    /// The first capture group of `pattern` in `text` (trimmed), or nil.
    static func capture(_ pattern: NSRegularExpression?, in text: String) -> String? {
        guard let pattern, let m = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            m.numberOfRanges > 1, let r = Range(m.range(at: 1), in: text)
        else { return nil }
        let value = text[r].trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }

    func matches(name raw: String, publisher pub: String?, source: String?) -> Bool {
        if !sources.isEmpty && !sources.contains((source ?? "").lowercased()) { return false }
        guard name.firstMatch(in: raw, range: NSRange(raw.startIndex..., in: raw)) != nil else { return false }
        if let publisher {
            guard let pub, publisher.firstMatch(in: pub, range: NSRange(pub.startIndex..., in: pub)) != nil else {
                return false
            }
        }
        return true
    }
}

/// Maps raw installed-software titles to products. Rules are data (scanners/software-catalog.tsv
/// plus the user's own files, theirs first); the first matching rule wins; a title no rule
/// matches is unknown and listed for review — never guessed.
public struct SoftwareCatalog: Sendable {
    public var rules: [SoftwareRule]

    public init(rules: [SoftwareRule]) { self.rules = rules }

    public func classify(name: String, publisher: String?, source: String?) -> (product: SoftwareProduct, rule: String)?
    {
        match(name: name, publisher: publisher, source: source).map { ($0.product, $0.rule.origin) }
    }

    /// The first rule a title matches, and the product it names.
    public func match(name: String, publisher: String?, source: String?) -> (
        product: SoftwareProduct, rule: SoftwareRule
    )? {
        for rule in rules where rule.matches(name: name, publisher: publisher, source: source) {
            var product = rule.product
            // `{name}` stands for the title itself (a distribution's packages are each a product).
            product.product = product.product.replacingOccurrences(of: "{name}", with: name)
            return (product, rule)
        }
        return nil
    }

    /// Every product a rule of kind product or part names, by name (licences name these).
    public var products: [String: SoftwareProduct] {
        var out: [String: SoftwareProduct] = [:]
        for rule in rules
        where (rule.kind == .product || rule.kind == .part) && !rule.product.product.contains("{name}") {
            if out[rule.product.product] == nil { out[rule.product.product] = rule.product }
        }
        return out
    }
}
