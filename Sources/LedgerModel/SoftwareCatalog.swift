import Foundation

/// What kind of software a product is, for licensing and posture.
public enum SoftwareCategory: String, CaseIterable, Codable, Sendable {
    case os, office, antivirus, server, other
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

    public init(
        name: NSRegularExpression, publisher: NSRegularExpression?, sources: Set<String>, product: SoftwareProduct,
        origin: String
    ) {
        self.name = name
        self.publisher = publisher
        self.sources = sources
        self.product = product
        self.origin = origin
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
        for rule in rules where rule.matches(name: name, publisher: publisher, source: source) {
            var product = rule.product
            // `{name}` stands for the title itself (a distribution's packages are each a product).
            product.product = product.product.replacingOccurrences(of: "{name}", with: name)
            return (product, rule.origin)
        }
        return nil
    }
}
