import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// A department with its contacts and device count (`dept list --format json`).
public struct DepartmentOutput: Codable, Equatable, Sendable {
    public var code: String
    public var name: String
    @Nullable public var nameEn: String?
    public var kind: String
    @Nullable public var parentCode: String?
    @Nullable public var leader: String?
    public var liaison: ContactOutput
    public var sysadmin: ContactOutput
    /// Devices owned by this department itself (not its sub-departments).
    public var devices: Int
    /// 0 for a top unit, 1 for its sub-departments...
    public var depth: Int

    enum CodingKeys: String, CodingKey {
        case code, name, kind, leader, liaison, sysadmin, devices, depth
        case nameEn = "name_en"
        case parentCode = "parent_code"
    }

    init(_ s: DepartmentSummary) {
        let d = s.department
        code = d.code
        name = d.name
        nameEn = d.nameEn
        kind = d.kind.rawValue
        parentCode = d.parentCode
        leader = d.leader
        liaison = ContactOutput(d.liaison)
        sysadmin = ContactOutput(d.sysadmin)
        devices = s.deviceCount
        depth = s.depth
    }
}

/// A person to call: 网络安全联络员 or 信息系统管理员.
public struct ContactOutput: Codable, Equatable, Sendable {
    @Nullable public var name: String?
    @Nullable public var phone: String?
    @Nullable public var email: String?

    init(_ c: Contact) {
        name = c.name
        phone = c.phone
        email = c.email
    }
}

/// What importing a department file did.
public struct DepartmentImportOutcome: Codable, Equatable, Sendable {
    public var file: String
    public var added: Int
    public var updated: Int
}

extension LedgerService {
    /// `dept import`: the file is read, checked against the ledger's tree and applied in one
    /// transaction (updates by code).
    public func importDepartments(file: String, scope: DeviceScope, actor: Principal) throws -> DepartmentImportOutcome
    {
        try requireEverything(scope, "importing departments")
        let entries = try DepartmentFile.read(try readInputFile(file), file: file)
        let result = try ledger.importDepartments(entries, file: file, actor: actor)
        return DepartmentImportOutcome(file: file, added: result.added, updated: result.updated)
    }

    /// The department summaries in scope, depth first (for renderers that need the domain values).
    /// A parent outside the scope is not named: the department shows no parent, like a top unit.
    public func departmentSummaries(scope: DeviceScope) throws -> [DepartmentSummary] {
        let all = try ledger.departments()
        guard case .departments(let roots) = scope else { return all }
        let visible = Self.codes(under: roots, in: all.map(\.department))
        return all.filter { visible.contains($0.department.code) }.map { s in
            var s = s
            if let parent = s.department.parentCode, !visible.contains(parent) { s.department.parentCode = nil }
            return s
        }
    }

    /// `dept list`: departments in scope, depth first, with their device counts.
    public func listDepartments(scope: DeviceScope) throws -> [DepartmentOutput] {
        try departmentSummaries(scope: scope).map(DepartmentOutput.init)
    }

    /// `dept export`: the departments in scope in the import format (UTF-8 with BOM, CRLF),
    /// so the text re-imports unchanged.
    public func exportDepartments(scope: DeviceScope) throws -> (text: String, count: Int) {
        let departments = try departmentSummaries(scope: scope).map(\.department)
        return (
            CSVWriter.document(header: DepartmentFile.header, rows: departments.map(Self.csvRow)), departments.count
        )
    }

    /// One department as a row of the import format.
    public static func csvRow(_ d: Department) -> [String] {
        [
            d.code, d.name, d.nameEn ?? "", d.kind.rawValue, d.parentCode ?? "", d.leader ?? "", d.liaison.name ?? "",
            d.liaison.phone ?? "", d.liaison.email ?? "", d.sysadmin.name ?? "", d.sysadmin.phone ?? "",
            d.sysadmin.email ?? "",
        ]
    }
}
