import Foundation

/// The three kinds of unit the college's rules name.
public enum DepartmentKind: String, CaseIterable, Codable, Sendable {
    /// 职能部门
    case functional
    /// 教辅机构
    case support
    /// 二级学院
    case college

    public var chineseName: String {
        switch self {
        case .functional: "职能部门"
        case .support: "教辅机构"
        case .college: "二级学院"
        }
    }

    /// Accepts the English or the Chinese word, e.g. `college` or `二级学院`.
    public init?(word: String) {
        let w = word.trimmingCharacters(in: .whitespaces)
        if let kind = DepartmentKind(rawValue: w.lowercased()) {
            self = kind
        } else if let kind = DepartmentKind.allCases.first(where: { $0.chineseName == w }) {
            self = kind
        } else {
            return nil
        }
    }
}

/// A responsible person with the ways to reach them.
public struct Contact: Codable, Equatable, Sendable {
    public var name: String?
    public var phone: String?
    public var email: String?

    public init(name: String? = nil, phone: String? = nil, email: String? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
    }
}

/// A unit of the college that owns devices: a node of the department tree.
public struct Department: Codable, Equatable, Sendable {
    /// Stable short code (the key for imports and assignments), e.g. `XXZX`.
    public var code: String
    /// Chinese name, e.g. `信息中心`.
    public var name: String
    public var nameEn: String?
    public var kind: DepartmentKind
    public var parentCode: String?
    /// 第一责任人
    public var leader: String?
    /// 网络安全联络员
    public var liaison: Contact
    /// 信息系统管理员
    public var sysadmin: Contact

    public init(
        code: String, name: String, nameEn: String? = nil, kind: DepartmentKind,
        parentCode: String? = nil, leader: String? = nil,
        liaison: Contact = Contact(), sysadmin: Contact = Contact()
    ) {
        self.code = code
        self.name = name
        self.nameEn = nameEn
        self.kind = kind
        self.parentCode = parentCode
        self.leader = leader
        self.liaison = liaison
        self.sysadmin = sysadmin
    }
}
