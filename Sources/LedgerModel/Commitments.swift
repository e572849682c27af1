import Foundation

/// One member of staff (教职工) of the staff list, who signs the yearly licensed-software
/// commitment (使用正版软件承诺书).
public struct StaffMember: Equatable, Sendable {
    /// The employee id (工号): stable key, re-import updates by it.
    public var employeeID: String
    public var name: String
    /// The department's code.
    public var department: String
    public var email: String?

    public init(employeeID: String, name: String, department: String, email: String? = nil) {
        self.employeeID = employeeID
        self.name = name
        self.department = department
        self.email = email
    }
}

/// One signed commitment: who, on which day, which year's text.
public struct Commitment: Equatable, Sendable {
    public var employeeID: String
    /// `YYYY-MM-DD`.
    public var signedAt: String
    /// The year of the commitment's text (2026).
    public var textYear: Int

    public init(employeeID: String, signedAt: String, textYear: Int) {
        self.employeeID = employeeID
        self.signedAt = signedAt
        self.textYear = textYear
    }
}
