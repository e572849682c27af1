import Foundation
import LedgerModel

/// Reads the department tree file (`dept import`).
public enum DepartmentFile {
    public static let header = [
        "code", "name", "name_en", "kind", "parent_code", "leader", "liaison", "liaison_phone",
        "liaison_email", "sysadmin", "sysadmin_phone", "sysadmin_email",
    ]

    /// Parses and checks each row on its own; the tree as a whole is checked by
    /// `DepartmentTree.validate` against what the ledger already holds.
    public static func read(_ data: Data, file: String) throws -> [DepartmentTree.Entry] {
        let text = try TextDecoding.decode(data, file: file).text
        return try CSVReader.table(text, file: file, header: header).map { line, row in
            func opt(_ k: String) -> String? { row[k].flatMap { $0.isEmpty ? nil : $0 } }
            func fail(_ reason: String) -> InputError { InputError(file: file, line: line, reason: reason) }
            guard let code = opt("code") else { throw fail("empty department code") }
            guard code.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), code.count <= 64 else {
                throw fail("department code '\(code)' may hold only letters, digits, '-', '_' and '.'")
            }
            guard let name = opt("name") else { throw fail("empty name for department '\(code)'") }
            guard let kindWord = opt("kind") else { throw fail("empty kind for department '\(code)'") }
            guard let kind = DepartmentKind(word: kindWord) else {
                throw fail(
                    "unknown kind '\(kindWord)' (use functional/职能部门, support/教辅机构 or college/二级学院)")
            }
            if opt("parent_code") == code { throw fail("department '\(code)' is its own parent") }
            for k in ["liaison_email", "sysadmin_email"] {
                if let e = opt(k), !looksLikeEmail(e) { throw fail("\(k) '\(e)' is not an e-mail address") }
            }
            return DepartmentTree.Entry(
                line: line,
                department: Department(
                    code: code, name: name, nameEn: opt("name_en"), kind: kind,
                    parentCode: opt("parent_code"), leader: opt("leader"),
                    liaison: Contact(name: opt("liaison"), phone: opt("liaison_phone"), email: opt("liaison_email")),
                    sysadmin: Contact(
                        name: opt("sysadmin"), phone: opt("sysadmin_phone"), email: opt("sysadmin_email"))))
        }
    }

    static func looksLikeEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !s.contains(" ")
    }
}

/// Reads the subnet map (`subnet import`).
public enum SubnetFile {
    public static let header = ["cidr", "department_code", "site", "vlan", "note"]

    public static func read(_ data: Data, file: String) throws -> [(line: Int, rule: SubnetRule)] {
        let text = try TextDecoding.decode(data, file: file).text
        var seen: [IPNetwork: Int] = [:]
        return try CSVReader.table(text, file: file, header: header).map { line, row in
            func opt(_ k: String) -> String? { row[k].flatMap { $0.isEmpty ? nil : $0 } }
            func fail(_ reason: String) -> InputError { InputError(file: file, line: line, reason: reason) }
            let network: IPNetwork
            do { network = try IPNetwork(cidr: row["cidr"] ?? "") } catch let e as LedgerError {
                throw fail(e.message)
            }
            if let first = seen[network] { throw fail("duplicate subnet \(network) (first on line \(first))") }
            seen[network] = line
            guard let dept = opt("department_code") else { throw fail("empty department_code") }
            var vlan: Int?
            if let v = opt("vlan") {
                guard let n = Int(v), (1...4094).contains(n) else { throw fail("vlan '\(v)' is not 1...4094") }
                vlan = n
            }
            return (
                line,
                SubnetRule(network: network, departmentCode: dept, site: opt("site"), vlan: vlan, note: opt("note"))
            )
        }
    }
}

/// Reads host-name ownership rules (`hostname-rule import`).
public enum HostnameRuleFile {
    public static let header = ["pattern", "department_code", "note"]

    public static func read(_ data: Data, file: String) throws -> [(line: Int, rule: HostnameRule)] {
        let text = try TextDecoding.decode(data, file: file).text
        var seen: [String: Int] = [:]
        return try CSVReader.table(text, file: file, header: header).map { line, row in
            func fail(_ reason: String) -> InputError { InputError(file: file, line: line, reason: reason) }
            let pattern = (row["pattern"] ?? "").lowercased()
            guard !pattern.isEmpty, pattern.contains(where: { $0 != "*" && $0 != "?" }) else {
                throw fail("pattern '\(pattern)' would match every host; name at least one character")
            }
            if let first = seen[pattern] { throw fail("duplicate pattern '\(pattern)' (first on line \(first))") }
            seen[pattern] = line
            guard let dept = row["department_code"], !dept.isEmpty else { throw fail("empty department_code") }
            let note = row["note"].flatMap { $0.isEmpty ? nil : $0 }
            return (line, HostnameRule(pattern: pattern, departmentCode: dept, note: note))
        }
    }
}
