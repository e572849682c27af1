import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a device came to belong to its department, strongest first.
public enum OwnershipRule: String, Codable, Sendable, Comparable {
    case manual, hostname, subnet

    var strength: Int {
        switch self {
        case .manual: 3
        case .hostname: 2
        case .subnet: 1
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.strength < b.strength }
}

/// A subnet owned by a department (`subnet import`).
public struct SubnetRule: Equatable, Sendable {
    public var network: IPNetwork
    public var departmentCode: String
    public var site: String?
    public var vlan: Int?
    public var note: String?

    public init(
        network: IPNetwork, departmentCode: String, site: String? = nil, vlan: Int? = nil,
        note: String? = nil
    ) {
        self.network = network
        self.departmentCode = departmentCode
        self.site = site
        self.vlan = vlan
        self.note = note
    }
}

/// A host-name pattern owned by a department, e.g. `cw-*` for 财务处 PCs. Shell-style glob
/// (`*`, `?`, `[...]`), case-insensitive, matched against the whole name and its first label.
public struct HostnameRule: Equatable, Sendable {
    public var pattern: String
    public var departmentCode: String
    public var note: String?

    public init(pattern: String, departmentCode: String, note: String? = nil) {
        self.pattern = pattern.lowercased()
        self.departmentCode = departmentCode
        self.note = note
    }

    /// More literal characters make a more specific rule; it wins over a looser one.
    public var specificity: Int { pattern.filter { $0 != "*" && $0 != "?" }.count }

    public func matches(_ hostname: String) -> Bool {
        let name = hostname.lowercased()
        let short = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        return fnmatch(pattern, name, 0) == 0 || fnmatch(pattern, short, 0) == 0
    }
}

/// The verdict of the ownership rules for one device or observation.
public struct Ownership: Equatable, Sendable {
    public var departmentCode: String
    public var rule: OwnershipRule
    /// The subnet or pattern that decided it (for the device's evidence).
    public var detail: String

    public init(departmentCode: String, rule: OwnershipRule, detail: String) {
        self.departmentCode = departmentCode
        self.rule = rule
        self.detail = detail
    }
}

/// All subnet and host-name rules, compiled for fast lookup. Pure: build it once per batch.
public struct OwnershipMap: Sendable {
    private let hostnameRules: [HostnameRule]
    /// Per prefix length (longest first): masked network bytes -> rule.
    private let subnetsByLength: [(length: Int, v4: Bool, rules: [[UInt8]: SubnetRule])]

    public init(subnets: [SubnetRule], hostnames: [HostnameRule]) {
        hostnameRules = hostnames.enumerated()
            .sorted { a, b in
                a.element.specificity != b.element.specificity
                    ? a.element.specificity > b.element.specificity : a.offset < b.offset
            }
            .map(\.element)
        var groups: [String: (length: Int, v4: Bool, rules: [[UInt8]: SubnetRule])] = [:]
        for rule in subnets {
            let key = "\(rule.network.network.isV4)/\(rule.network.prefixLength)"
            groups[key, default: (rule.network.prefixLength, rule.network.network.isV4, [:])]
                .rules[rule.network.network.bytes] = rule
        }
        subnetsByLength = groups.values.sorted { $0.length > $1.length }
    }

    public var isEmpty: Bool { hostnameRules.isEmpty && subnetsByLength.isEmpty }

    /// The subnet rule with the longest prefix containing `address`.
    public func subnet(for address: IPAddress) -> SubnetRule? {
        for group in subnetsByLength where group.v4 == address.isV4 {
            if let rule = group.rules[address.masked(group.length)] { return rule }
        }
        return nil
    }

    /// The most specific host-name rule matching any of `hostnames`.
    public func hostnameRule(for hostnames: [String]) -> HostnameRule? {
        for rule in hostnameRules where hostnames.contains(where: rule.matches) { return rule }
        return nil
    }

    /// The owner by rules: a host-name rule beats a subnet rule. `ips` are tried in order (the
    /// most recent first), so a PC that moved is owned by where it is now.
    public func owner(hostnames: [String], ips: [String]) -> Ownership? {
        if let rule = hostnameRule(for: hostnames) {
            return Ownership(departmentCode: rule.departmentCode, rule: .hostname, detail: rule.pattern)
        }
        for ip in ips {
            guard let address = IPAddress(ip), let rule = subnet(for: address) else { continue }
            return Ownership(
                departmentCode: rule.departmentCode, rule: .subnet, detail: rule.network.description)
        }
        return nil
    }
}
