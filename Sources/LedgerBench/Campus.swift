import Foundation
import LedgerModel
import LedgerStore

#if canImport(Glibc)
    import Glibc
#endif

/// The benchmark campus: 60 departments (20 functional, 10 support, 30 colleges, 15 of them
/// sections under another college), one subnet each (a /19 for department 0, which holds 5,000
/// devices; a /22 for the others), and where each of the 50,000 devices sits.
struct Campus {
    let ledger: Ledger
    let directory: URL
    let firstAddress: [Int]
    /// Device number -> (department, index within the department).
    let placement: [(department: Int, index: Int)]

    static func build(_ options: Options) throws -> Campus {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ledger = try Ledger.open(path: options.path ?? directory.appendingPathComponent("bench.sqlite").path)

        var entries: [DepartmentTree.Entry] = []
        for i in 0..<options.departments {
            let kind: DepartmentKind = i < 20 ? .functional : i < 30 ? .support : .college
            let parent: String? = i >= 45 ? String(format: "D%02d", i - 15) : nil
            entries.append(
                .init(
                    line: i + 2,
                    department: Department(
                        code: String(format: "D%02d", i), name: "部门\(i)", kind: kind, parentCode: parent,
                        liaison: Contact(name: "联络员\(i)"))))
        }
        try ledger.importDepartments(entries, file: "bench-departments")

        var subnets: [(line: Int, rule: SubnetRule)] = []
        var firstAddress: [Int] = []
        var offset = 0
        for i in 0..<options.departments {
            let size = i == 0 ? 8192 : 1024
            let prefix = 32 - Int(log2(Double(size)))
            let network = try IPNetwork(cidr: "\(ipv4(offset))/\(prefix)")
            subnets.append((i + 2, SubnetRule(network: network, departmentCode: String(format: "D%02d", i))))
            firstAddress.append(offset)
            offset += size
        }
        try ledger.importSubnets(subnets, file: "bench-subnets")

        var placement: [(Int, Int)] = []
        let others = options.departments - 1
        let perOther = (options.devices - options.bigDepartment) / others
        let extra = (options.devices - options.bigDepartment) % others
        for dept in 0..<options.departments {
            let count = dept == 0 ? options.bigDepartment : perOther + (dept <= extra ? 1 : 0)
            for k in 0..<count { placement.append((dept, k)) }
        }
        return Campus(ledger: ledger, directory: directory, firstAddress: firstAddress, placement: placement)
    }

    func mac(_ n: Int) -> String {
        String(format: "54:e1:ad:%02x:%02x:%02x", (n >> 16) & 255, (n >> 8) & 255, n & 255)
    }

    func hostname(_ n: Int) -> String {
        String(format: "d%02d-pc-%05d", placement[n].department, placement[n].index)
    }

    func ip(_ n: Int) -> String { ipv4(firstAddress[placement[n].department] + 1 + placement[n].index) }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
