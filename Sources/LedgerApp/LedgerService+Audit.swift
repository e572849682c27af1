import Foundation
import LedgerModel
import LedgerStore

/// One entry of the audit log (`audit --format json`).
public struct AuditEntryOutput: Codable, Equatable, Sendable {
    public var id: Int64
    /// ISO 8601, UTC.
    public var at: String
    public var actor: String
    public var action: String
    public var entityKind: String
    @Nullable public var entityId: String?
    /// Null: a campus-wide change (seen only by a caller who sees everything).
    @Nullable public var department: String?
    public var details: [String: JSONValue]

    enum CodingKeys: String, CodingKey {
        case id, at, actor, action, department, details
        case entityKind = "entity_kind"
        case entityId = "entity_id"
    }
}

extension LedgerService {
    /// `audit`: the log, oldest first. A department scope sees the entries of its departments
    /// (sub-departments included) and no campus-wide ones; `department` narrows to one
    /// department's sub-tree.
    /// `latest` keeps the newest that many entries (still oldest first).
    public func auditLog(department: String? = nil, since: Date? = nil, latest: Int? = nil, scope: DeviceScope) throws
        -> [AuditEntryOutput]
    {
        let visible = try auditDepartments(department, scope)
        return try ledger.auditLog(since: since, departments: visible, latest: latest).map { e in
            AuditEntryOutput(
                id: e.id, at: isoDate(e.at), actor: e.actor, action: e.action, entityKind: e.entityKind,
                entityId: e.entityID, department: e.department, details: e.details)
        }
    }

    /// How many entries `auditLog` holds for the caller (the console's "latest N of M").
    public func auditCount(department: String? = nil, scope: DeviceScope) throws -> Int {
        try ledger.auditCount(departments: try auditDepartments(department, scope))
    }

    func auditDepartments(_ department: String?, _ scope: DeviceScope) throws -> Set<String>? {
        var visible = try codes(in: scope)
        if let department {
            try checkDepartment(department, scope)
            let under = Self.codes(under: [department], in: try ledger.departments().map(\.department))
            visible = visible.map { $0.intersection(under) } ?? under
        }
        return visible
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Principal {
    /// The command line's actor: `cli:` and the OS user running it (its login name, else
    /// `$USER`, else the numeric uid).
    public static func commandLine(environment: [String: String] = ProcessInfo.processInfo.environment) -> Principal {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name, let user = String(validatingCString: name),
            !user.isEmpty
        {
            return Principal("cli:\(user)")
        }
        return Principal("cli:\(environment["USER"] ?? String(geteuid()))")
    }
}
