import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// What `staff import` did.
public struct StaffImportOutput: Codable, Equatable, Sendable {
    public var file: String
    /// Employees now on the list (the file replaced it whole).
    public var staff: Int
    public var added: Int
    public var updated: Int
    public var removed: Int
    /// Signed commitments of the removed employees, removed with them.
    public var commitmentsRemoved: Int

    enum CodingKeys: String, CodingKey {
        case file, staff, added, updated, removed
        case commitmentsRemoved = "commitments_removed"
    }
}

/// What `commitment import` did.
public struct CommitmentImportOutput: Codable, Equatable, Sendable {
    public var file: String
    /// Signed commitments recorded (a later record of the same employee and year replaces the earlier).
    public var imported: Int
}

/// One employee and their commitment of one year (`commitment sign`, `commitment status --unsigned`).
public struct CommitmentOutput: Codable, Equatable, Sendable {
    public var employeeId: String
    public var name: String
    public var department: String
    @Nullable public var email: String?
    public var textYear: Int
    /// `YYYY-MM-DD`; null: not signed.
    @Nullable public var signedAt: String?

    enum CodingKeys: String, CodingKey {
        case name, department, email
        case employeeId = "employee_id"
        case textYear = "text_year"
        case signedAt = "signed_at"
    }
}

/// One department's coverage of one year's commitment (`commitment status`).
public struct CommitmentCoverageOutput: Codable, Equatable, Sendable {
    public var department: String
    public var name: String
    public var textYear: Int
    public var staff: Int
    public var signed: Int
    public var unsigned: Int
    /// signed / staff, 0…1.
    public var share: Double

    enum CodingKeys: String, CodingKey {
        case department, name, staff, signed, unsigned, share
        case textYear = "text_year"
    }
}

extension LedgerService {
    /// `staff import`: the file replaces the staff list (an employee still on it keeps their
    /// signed commitments), checked first in full: on any bad row nothing is written.
    public func importStaff(file: String, scope: DeviceScope, actor: Principal) throws -> StaffImportOutput {
        try requireEverything(scope, "importing the staff list")
        let departments = Set(try ledger.departments().map(\.department.code))
        let read = try StaffFile.read(try readInputFile(file), file: file, departments: departments)
        let r = try ledger.replaceStaff(read, file: file, actor: actor)
        return StaffImportOutput(
            file: file, staff: read.count, added: r.added, updated: r.updated, removed: r.removed,
            commitmentsRemoved: r.commitmentsRemoved)
    }

    /// `commitment import`: signed commitments of the caller's staff (an employee of another
    /// department is refused like an unknown one); any bad row refuses the file.
    public func importCommitments(file: String, scope: DeviceScope, actor: Principal) throws -> CommitmentImportOutput {
        let staff = Set(try visibleStaff(year: nil, scope: scope).map(\.staff.employeeID))
        let read = try CommitmentFile.read(try readInputFile(file), file: file, employees: staff)
        let n = try ledger.recordCommitments(read, file: file, actor: actor)
        return CommitmentImportOutput(file: file, imported: n)
    }

    /// `commitment sign`: records that an employee signed `year`'s text on `day` (default
    /// today). An employee outside the caller's scope is not found.
    public func signCommitment(employee: String, year: Int, day: String? = nil, scope: DeviceScope, actor: Principal)
        throws -> CommitmentOutput
    {
        guard (1900...2999).contains(year) else {
            throw LedgerError(.invalidInput, "--year \(year) is not a 4-digit year")
        }
        let day = day ?? Self.today()
        guard CommitmentFile.isDay(day) else {
            throw LedgerError(.invalidInput, "--date '\(day)' is not a date YYYY-MM-DD")
        }
        guard let s = try visibleStaff(year: year, scope: scope).first(where: { $0.staff.employeeID == employee })
        else {
            throw LedgerError(.notFound, "unknown employee '\(employee)'")
        }
        try ledger.recordCommitments(
            [(0, Commitment(employeeID: employee, signedAt: day, textYear: year))], file: nil, actor: actor)
        return CommitmentOutput(
            employeeId: employee, name: s.staff.name, department: s.staff.department, email: s.staff.email,
            textYear: year, signedAt: day)
    }

    /// `commitment status`: per department with staff (sub-departments of `department`
    /// included), how many signed `year`'s text (default this year).
    public func commitmentCoverage(department: String? = nil, year: Int? = nil, scope: DeviceScope) throws
        -> [CommitmentCoverageOutput]
    {
        let year = year ?? Self.currentYear()
        let names = Dictionary(
            try ledger.departments().map { ($0.department.code, $0.department.name) }, uniquingKeysWith: { a, _ in a })
        var byDepartment: [String: (staff: Int, signed: Int)] = [:]
        for s in try visibleStaff(department: department, year: year, scope: scope) {
            byDepartment[s.staff.department, default: (0, 0)].staff += 1
            if s.signedAt != nil { byDepartment[s.staff.department]!.signed += 1 }
        }
        return byDepartment.keys.sorted().map { code in
            let c = byDepartment[code]!
            return CommitmentCoverageOutput(
                department: code, name: names[code] ?? code, textYear: year, staff: c.staff, signed: c.signed,
                unsigned: c.staff - c.signed, share: c.staff == 0 ? 0 : Double(c.signed) / Double(c.staff))
        }
    }

    /// `commitment status --unsigned`: who has not signed `year`'s text, by department and id.
    public func unsignedStaff(department: String? = nil, year: Int? = nil, scope: DeviceScope) throws
        -> [CommitmentOutput]
    {
        let year = year ?? Self.currentYear()
        return try visibleStaff(department: department, year: year, scope: scope).filter { $0.signedAt == nil }.map {
            CommitmentOutput(
                employeeId: $0.staff.employeeID, name: $0.staff.name, department: $0.staff.department,
                email: $0.staff.email, textYear: year, signedAt: nil)
        }
    }

    /// The year of today in China Standard Time.
    public static func currentYear() -> Int { Int(today().prefix(4))! }

    /// The staff the caller sees (their departments' sub-trees), narrowed to `department`'s.
    func visibleStaff(department: String? = nil, year: Int?, scope: DeviceScope) throws -> [StaffSignature] {
        var visible = try codes(in: scope)
        if let department {
            try checkDepartment(department, scope)
            let under = Self.codes(under: [department], in: try ledger.departments().map(\.department))
            visible = visible.map { $0.intersection(under) } ?? under
        }
        return try ledger.staffSignatures(year: year ?? 0, departments: visible)
    }
}
