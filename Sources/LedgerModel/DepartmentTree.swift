/// Rules for the department tree as a whole: every parent exists and no department is its own
/// ancestor.
public enum DepartmentTree {
    /// A department read from a file together with the line it came from.
    public struct Entry: Sendable {
        public var line: Int
        public var department: Department
        public init(line: Int, department: Department) {
            self.line = line
            self.department = department
        }
    }

    /// Checks that applying `incoming` over `existing` (update by code) leaves a valid tree.
    ///
    /// - Throws: `InputError` naming the line of the first offending entry: a duplicate code in
    ///   the file, a parent that is neither in the file nor in the ledger, or a cycle.
    public static func validate(existing: [Department], incoming: [Entry], file: String) throws {
        var parentOf: [String: String?] = [:]
        for d in existing { parentOf[d.code] = d.parentCode }
        var lineOf: [String: Int] = [:]
        for entry in incoming {
            let d = entry.department
            if let first = lineOf[d.code] {
                throw InputError(
                    file: file, line: entry.line,
                    reason: "duplicate department code '\(d.code)' (first on line \(first))")
            }
            lineOf[d.code] = entry.line
            parentOf[d.code] = d.parentCode
        }
        for entry in incoming {
            guard let parent = entry.department.parentCode else { continue }
            if parentOf[parent] == nil {
                throw InputError(
                    file: file, line: entry.line,
                    reason: "unknown parent department '\(parent)'")
            }
        }
        // Walk up from every incoming department; a walk longer than the number of
        // departments, or one that returns to its start, is a cycle.
        for entry in incoming {
            let start = entry.department.code
            var seen: Set<String> = [start]
            var current = entry.department.parentCode
            while let code = current {
                if seen.contains(code) {
                    let path =
                        ([start] + chain(from: entry.department.parentCode, parentOf, until: code)
                        + [code]).joined(separator: " -> ")
                    throw InputError(
                        file: file, line: entry.line,
                        reason: "department tree has a cycle: \(path)")
                }
                seen.insert(code)
                current = parentOf[code] ?? nil
            }
        }
    }

    private static func chain(from: String?, _ parentOf: [String: String?], until: String) -> [String] {
        var out: [String] = []
        var current = from
        while let c = current, c != until, out.count < parentOf.count {
            out.append(c)
            current = parentOf[c] ?? nil
        }
        return out
    }

    /// Orders departments so that every parent comes before its children (for inserts).
    public static func parentsFirst(_ departments: [Department]) -> [Department] {
        let byCode = Dictionary(departments.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var done: Set<String> = []
        var out: [Department] = []
        func visit(_ d: Department, depth: Int) {
            guard !done.contains(d.code), depth <= departments.count else { return }
            if let p = d.parentCode, let parent = byCode[p] { visit(parent, depth: depth + 1) }
            done.insert(d.code)
            out.append(d)
        }
        for d in departments { visit(d, depth: 0) }
        return out
    }
}
