import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

@testable import LedgerApp

/// A service over an in-memory ledger with a small department tree and a subnet map:
/// 198.18.10.0/24 is DZB, .11 CWC, .30 JYXY with its sub-department JYXY-JYS in .30.128/25.
func campusService() throws -> LedgerService {
    let ledger = try Ledger.inMemory()
    let departments = """
        code,name,name_en,kind,parent_code,leader,liaison,liaison_phone,liaison_email,sysadmin,sysadmin_phone,sysadmin_email
        DZB,党政办公室,,职能部门,,,,,,,,
        CWC,财务处,,职能部门,,,王五,010-1234,,,,
        JYXY,教育学院,,二级学院,,,,,,,,
        JYXY-JYS,教研室,,二级学院,JYXY,,,,,,,
        """
    try ledger.importDepartments(DepartmentFile.read(Data(departments.utf8), file: "d.csv"), file: "d.csv")
    let subnets = """
        cidr,department_code,site,vlan,note
        198.18.10.0/24,DZB,,,
        198.18.11.0/24,CWC,main,11,
        198.18.30.0/24,JYXY,,,
        198.18.30.128/25,JYXY-JYS,,,
        """
    try ledger.importSubnets(SubnetFile.read(Data(subnets.utf8), file: "s.csv"), file: "s.csv")
    try ledger.importHostnameRules(
        HostnameRuleFile.read(Data("pattern,department_code,note\ncw-*,CWC,\n".utf8), file: "h.csv"), file: "h.csv")
    return LedgerService(ledger: ledger)
}

/// One scan observation of a host.
func seen(_ minutes: Double, mac: String, ip: String, cls: DeviceClass = .printer) -> Observation {
    var o = Observation(
        source: .scan, sourceRef: "scan test", observedAt: at(minutes), deviceClass: cls, macs: [mac], ips: [ip])
    o.evidence = [Evidence(field: "class", value: cls.rawValue, reason: "test rule", certainty: 80)]
    return o
}

/// Merges one observation and returns its device id.
@discardableResult
func device(_ service: LedgerService, _ o: Observation) throws -> Int64 {
    try #require(try service.ledger.merge([o]).deviceIDs.first)
}

/// The real agent inventories in ../shared/fixtures/agents (beside the project).
func agentFixture(_ path: String) throws -> String {
    try Fixtures.readable(Fixtures.agents(path)).path
}

/// Runs `body` and returns the `LedgerError` code it threw (nil if it threw none or another error).
func code(_ body: () throws -> Any) -> LedgerError.Code? {
    do {
        _ = try body()
        return nil
    } catch let e as LedgerError {
        return e.code
    } catch {
        return nil
    }
}

/// A temporary file with this text.
func tempFile(_ name: String, _ text: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("al-app-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}
