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

    /// The tree depth first (children under their parent, siblings by code), with each
    /// department's depth (0 for a top unit). Departments whose parent is missing count as top.
    public static func depthFirst(_ departments: [Department]) -> [(department: Department, depth: Int)] {
        let codes = Set(departments.map(\.code))
        var children: [String?: [Department]] = [:]
        for d in departments {
            let parent = d.parentCode.flatMap { codes.contains($0) ? $0 : nil }
            children[parent, default: []].append(d)
        }
        var out: [(Department, Int)] = []
        var visited: Set<String> = []
        func visit(_ parent: String?, depth: Int) {
            for d in (children[parent] ?? []).sorted(by: { $0.code < $1.code }) where visited.insert(d.code).inserted {
                out.append((d, depth))
                visit(d.code, depth: depth + 1)
            }
        }
        visit(nil, depth: 0)
        return out
    }

    /// Orders departments so that every parent comes before its children.
    public static func parentsFirst(_ departments: [Department]) -> [Department] {
        depthFirst(departments).map(\.department)
    }
}
