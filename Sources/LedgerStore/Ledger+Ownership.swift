import Foundation
import GRDB
import LedgerModel

extension Ledger {
    /// Imports subnet rules (update by CIDR) in one transaction and re-applies the ownership
    /// rules to every device not assigned by hand.
    @discardableResult
    public func importSubnets(_ rules: [(line: Int, rule: SubnetRule)], file: String, actor: Principal = .system) throws
        -> Int
    {
        try importRules(
            rules, file: file, source: "subnet import", action: "subnet_rules.import", actor: actor,
            department: \.departmentCode
        ) { db, rule, dept in
            try db.execute(
                sql: """
                    INSERT INTO subnet_rule (cidr, department_id, site, vlan, note) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (cidr) DO UPDATE SET department_id = excluded.department_id,
                        site = excluded.site, vlan = excluded.vlan, note = excluded.note
                    """,
                arguments: [rule.network.description, dept, rule.site, rule.vlan, rule.note])
        }
    }

    /// Imports host-name rules (update by pattern) and re-applies ownership, like `importSubnets`.
    @discardableResult
    public func importHostnameRules(
        _ rules: [(line: Int, rule: HostnameRule)], file: String, actor: Principal = .system
    )
        throws -> Int
    {
        try importRules(
            rules, file: file, source: "hostname-rule import", action: "hostname_rules.import", actor: actor,
            department: \.departmentCode
        ) { db, rule, dept in
            try db.execute(
                sql: """
                    INSERT INTO hostname_rule (pattern, department_id, note) VALUES (?, ?, ?)
                    ON CONFLICT (pattern) DO UPDATE SET department_id = excluded.department_id, note = excluded.note
                    """,
                arguments: [rule.pattern, dept, rule.note])
        }
    }

    /// One transaction: every rule's department must exist (else `FILE:LINE`), each rule is
    /// written, then ownership is re-applied.
    private func importRules<Rule>(
        _ rules: [(line: Int, rule: Rule)], file: String, source: String, action: String, actor: Principal,
        department: KeyPath<Rule, String>,
        write: (Database, Rule, Int64) throws -> Void
    ) throws -> Int {
        try writer.write { db in
            let ids = try Self.departmentIDs(db)
            for (line, rule) in rules {
                guard let dept = ids[rule[keyPath: department]] else {
                    throw InputError(
                        file: file, line: line, reason: "unknown department '\(rule[keyPath: department])'")
                }
                try write(db, rule, dept)
            }
            try Self.rulesChanged(db)
            try Self.reapplyOwnership(db, source: "\(source) \(file)")
            try Self.audit(
                db,
                AuditEntry(
                    actor: actor, action: action, entityKind: "rules", entityID: file,
                    details: [
                        "file": .string(file), "rules": JSONValue(rules.count),
                        "departments": .array(
                            Set(rules.map { $0.rule[keyPath: department] }).sorted().map(JSONValue.string)),
                    ]))
            return rules.count
        }
    }

    public func subnetRules() throws -> [SubnetRule] {
        try writer.read { db in try Self.ownershipRules(db).subnets }
    }

    public func hostnameRules() throws -> [HostnameRule] {
        try writer.read { db in try Self.ownershipRules(db).hostnames }
    }

    static func ownershipRules(_ db: Database) throws -> (subnets: [SubnetRule], hostnames: [HostnameRule]) {
        let subnets = try Row.fetchAll(
            db,
            sql: """
                SELECT s.cidr, d.code, s.site, s.vlan, s.note FROM subnet_rule s
                JOIN department d ON d.id = s.department_id ORDER BY s.cidr
                """
        ).map { r -> SubnetRule in
            // Imports check every CIDR, so this is a damaged database: say so rather than let
            // the rule silently stop owning its devices.
            let net: IPNetwork
            do { net = try IPNetwork(cidr: r[0]) } catch {
                throw LedgerError(.io, "the database holds a subnet rule that is not a CIDR: \(error)")
            }
            return SubnetRule(network: net, departmentCode: r[1], site: r[2], vlan: r[3], note: r[4])
        }
        let hostnames = try Row.fetchAll(
            db,
            sql: """
                SELECT h.pattern, d.code, h.note FROM hostname_rule h
                JOIN department d ON d.id = h.department_id ORDER BY h.id
                """
        ).map { HostnameRule(pattern: $0[0], departmentCode: $0[1], note: $0[2]) }
        return (subnets, hostnames)
    }

    /// The owner the rules give a device as it is now: a host-name rule on its current name,
    /// else the subnet of its most recent address. The one place both the merge and a rule
    /// import decide ownership.
    static func ruleOwner(_ map: OwnershipMap, hostname: String?, addresses: AddressBook) -> Ownership? {
        map.owner(hostnames: hostname.map { [$0] } ?? [], ips: addresses.values(.ip))
    }

    static func ownershipMap(_ db: Database) throws -> OwnershipMap {
        let rules = try ownershipRules(db)
        return OwnershipMap(subnets: rules.subnets, hostnames: rules.hostnames)
    }

    /// Recomputes the owner of every device that was not assigned by hand, from its current host
    /// names and its addresses (most recent first). A device no rule claims becomes unassigned.
    static func reapplyOwnership(_ db: Database, source: String) throws {
        let map = try ownershipMap(db)
        let ids = try departmentIDs(db)
        let codes = Dictionary(uniqueKeysWithValues: ids.map { ($1, $0) })
        let now = Date().unixSeconds
        let devices = try Row.fetchAll(
            db,
            sql: """
                SELECT id, hostname, department_id, owner_rule, owner_detail, addresses FROM device
                WHERE owner_rule IS NOT 'manual'
                """)
        for d in devices {
            let id: Int64 = d["id"]
            let owner = ruleOwner(map, hostname: d["hostname"], addresses: AddressBook(encoded: d["addresses"]))
            let newDept = owner.flatMap { ids[$0.departmentCode] }
            let oldDept: Int64? = d["department_id"]
            guard
                newDept != oldDept || owner?.rule.rawValue != d["owner_rule"]
                    || owner?.detail != d["owner_detail"]
            else { continue }
            try db.execute(
                sql: "UPDATE device SET department_id = ?, owner_rule = ?, owner_detail = ? WHERE id = ?",
                arguments: [
                    newDept, newDept == nil ? nil : owner?.rule.rawValue, newDept == nil ? nil : owner?.detail, id,
                ])
            if newDept != oldDept {
                try history(
                    db, id, "department", oldDept.flatMap { codes[$0] }, newDept.flatMap { codes[$0] }, source: source,
                    observation: nil, at: now)
            }
        }
    }
}
