import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// A subnet owned by a department (`subnet list --format json`).
public struct SubnetRuleOutput: Codable, Equatable, Sendable {
    public var cidr: String
    public var department: String
    @Nullable public var site: String?
    @Nullable public var vlan: Int?
    @Nullable public var note: String?
}

/// A host-name pattern owned by a department (`hostname-rule list --format json`).
public struct HostnameRuleOutput: Codable, Equatable, Sendable {
    public var pattern: String
    public var department: String
    @Nullable public var note: String?
}

/// What importing a subnet or host-name rule file did.
public struct RuleImportOutcome: Codable, Equatable, Sendable {
    public var file: String
    public var imported: Int
}

extension LedgerService {
    /// `subnet import`: updates by CIDR and re-applies ownership.
    public func importSubnets(file: String, scope: DeviceScope, actor: Principal) throws -> RuleImportOutcome {
        try requireEverything(scope, "importing subnet rules")
        let rules = try SubnetFile.read(try readInputFile(file), file: file)
        return RuleImportOutcome(file: file, imported: try ledger.importSubnets(rules, file: file, actor: actor))
    }

    /// `hostname-rule import`: updates by pattern and re-applies ownership.
    public func importHostnameRules(file: String, scope: DeviceScope, actor: Principal) throws -> RuleImportOutcome {
        try requireEverything(scope, "importing host-name rules")
        let rules = try HostnameRuleFile.read(try readInputFile(file), file: file)
        return RuleImportOutcome(file: file, imported: try ledger.importHostnameRules(rules, file: file, actor: actor))
    }

    /// `subnet list`: the rules of the departments in scope.
    public func listSubnetRules(scope: DeviceScope) throws -> [SubnetRuleOutput] {
        let visible = try codes(in: scope)
        return try ledger.subnetRules().filter { visible?.contains($0.departmentCode) ?? true }.map {
            SubnetRuleOutput(
                cidr: $0.network.description, department: $0.departmentCode, site: $0.site, vlan: $0.vlan,
                note: $0.note)
        }
    }

    /// `hostname-rule list`: the rules of the departments in scope.
    public func listHostnameRules(scope: DeviceScope) throws -> [HostnameRuleOutput] {
        let visible = try codes(in: scope)
        return try ledger.hostnameRules().filter { visible?.contains($0.departmentCode) ?? true }.map {
            HostnameRuleOutput(pattern: $0.pattern, department: $0.departmentCode, note: $0.note)
        }
    }
}
