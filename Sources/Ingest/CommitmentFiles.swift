import Foundation
import LedgerModel

/// The staff list (`staff import`): CSV, UTF-8 with or without BOM or GB18030, header exactly
/// `StaffFile.header`. Any bad row refuses the whole file with `FILE:LINE: reason`.
public enum StaffFile {
    public static let header = ["employee_id", "name", "department_code", "email"]

    /// Reads and checks the file; `departments` are the ledger's department codes.
    public static func read(_ data: Data, file: String, departments: Set<String>) throws -> [(
        line: Int, staff: StaffMember
    )] {
        let text = try TextDecoding.decode(data, file: file).text
        var out: [(line: Int, staff: StaffMember)] = []
        var seen: [String: Int] = [:]
        for (line, row) in try CSVReader.table(text, file: file, header: header) {
            func opt(_ k: String) -> String? { row[k].flatMap { $0.isEmpty ? nil : $0 } }
            func fail(_ reason: String) -> InputError { InputError(file: file, line: line, reason: reason) }
            guard let id = opt("employee_id") else { throw fail("empty employee_id") }
            if let first = seen[id] { throw fail("duplicate employee_id '\(id)' (first on line \(first))") }
            guard let name = opt("name") else { throw fail("empty name") }
            guard let department = opt("department_code") else { throw fail("empty department_code") }
            guard departments.contains(department) else { throw fail("unknown department '\(department)'") }
            let email = opt("email")
            if let email, !DepartmentFile.looksLikeEmail(email) {
                throw fail("email '\(email)' is not an e-mail address")
            }
            seen[id] = line
            out.append((line, StaffMember(employeeID: id, name: name, department: department, email: email)))
        }
        return out
    }
}

/// Signed commitments (`commitment import`): CSV, header exactly `CommitmentFile.header`.
/// Any bad row refuses the whole file with `FILE:LINE: reason`.
public enum CommitmentFile {
    public static let header = ["employee_id", "signed_at", "text_year"]

    /// Reads and checks the file; `employees` are the staff the caller may sign for (an
    /// employee outside them reads as unknown, like one that does not exist).
    public static func read(_ data: Data, file: String, employees: Set<String>) throws -> [(
        line: Int, commitment: Commitment
    )] {
        let text = try TextDecoding.decode(data, file: file).text
        var out: [(line: Int, commitment: Commitment)] = []
        var seen: [String: Int] = [:]
        for (line, row) in try CSVReader.table(text, file: file, header: header) {
            func opt(_ k: String) -> String? { row[k].flatMap { $0.isEmpty ? nil : $0 } }
            func fail(_ reason: String) -> InputError { InputError(file: file, line: line, reason: reason) }
            guard let id = opt("employee_id") else { throw fail("empty employee_id") }
            guard employees.contains(id) else { throw fail("unknown employee '\(id)': not on the staff list") }
            let day = opt("signed_at") ?? ""
            guard LicenseFile.isDay(day) else { throw fail("signed_at '\(day)' is not a date YYYY-MM-DD") }
            let yearWord = opt("text_year") ?? ""
            guard let year = Self.year(yearWord) else { throw fail("text_year '\(yearWord)' is not a 4-digit year") }
            let key = "\(id)\u{1F}\(year)"
            if let first = seen[key] {
                throw fail("employee '\(id)' signs the \(year) text twice (first on line \(first))")
            }
            seen[key] = line
            out.append((line, Commitment(employeeID: id, signedAt: day, textYear: year)))
        }
        return out
    }

    /// A 4-digit year (1900–2999), or nil.
    public static func year(_ s: String) -> Int? {
        guard s.count == 4, s.allSatisfy({ $0.isASCII && $0.isNumber }), let y = Int(s), (1900...2999).contains(y)
        else { return nil }
        return y
    }

    /// `YYYY-MM-DD`, a real day.
    public static func isDay(_ s: String) -> Bool { LicenseFile.isDay(s) }
}
