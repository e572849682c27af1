import Foundation

/// What a signed-in user may do. `admin`: IT, every department, every change. `liaison`: a
/// department's security liaison, their departments (sub-departments included) only, their
/// devices' review and self-check. `auditor`: reads everything, changes nothing.
public enum Role: String, CaseIterable, Codable, Sendable {
    case admin, liaison, auditor

    public var label: String {
        switch self {
        case .admin: "管理员"
        case .liaison: "部门联络员"
        case .auditor: "审计员"
        }
    }
}

/// A user of the console and the API.
public struct Account: Equatable, Sendable {
    public var id: Int64
    public var login: String
    public var role: Role
    /// The departments a liaison answers for (empty for admin and auditor).
    public var departments: [String]
    public var disabled: Bool
    public var createdAt: Date

    public init(id: Int64, login: String, role: Role, departments: [String], disabled: Bool, createdAt: Date) {
        self.id = id
        self.login = login
        self.role = role
        self.departments = departments
        self.disabled = disabled
        self.createdAt = createdAt
    }

    /// Whether the account may change anything at all (an auditor reads only).
    public var mayChange: Bool { role != .auditor }

    /// How the audit log names what this user did.
    public var principal: Principal { Principal("web:\(login)") }

    /// A login: 1–64 of a–z, 0–9, `.`, `_`, `-` (lower case; the staff id or mail name).
    public static func isLogin(_ s: String) -> Bool {
        (1...64).contains(s.utf8.count)
            && s.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || "._-".utf8.contains($0) }
    }
}

/// What an API token may do: the user's whole API, or only deliver endpoint reports (a
/// collector's token: it reads nothing).
public enum TokenPurpose: String, CaseIterable, Codable, Sendable {
    case api, reports
}
