import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

/// A ledger with a small department tree, a subnet map and one host-name rule.
func campusLedger() throws -> Ledger {
    let ledger = try Ledger.inMemory()
    let departments = """
        code,name,name_en,kind,parent_code,leader,liaison,liaison_phone,liaison_email,sysadmin,sysadmin_phone,sysadmin_email
        DZB,党政办公室,,职能部门,,,,,,,,
        CWC,财务处,,职能部门,,,,,,,,
        XXZX,信息化中心,,教辅机构,,,,,,,,
        JYXY,教育学院,,二级学院,,,,,,,,
        JYXY-JYS,教研室,,二级学院,JYXY,,,,,,,
        """
    try ledger.importDepartments(DepartmentFile.read(Data(departments.utf8), file: "d.csv"), file: "d.csv")
    let subnets = """
        cidr,department_code,site,vlan,note
        198.18.0.0/16,XXZX,,,
        198.18.10.0/24,DZB,,,
        198.18.11.0/24,CWC,,,
        198.18.30.0/24,JYXY,,,
        198.18.30.128/25,JYXY-JYS,,,
        2001:db8:10::/48,DZB,,,
        """
    try ledger.importSubnets(SubnetFile.read(Data(subnets.utf8), file: "s.csv"), file: "s.csv")
    try ledger.importHostnameRules(
        HostnameRuleFile.read(Data("pattern,department_code,note\ncw-*,CWC,\n".utf8), file: "h.csv"), file: "h.csv")
    return ledger
}

func scan(
    _ minutes: Double, mac: String? = nil, ip: String? = nil, host: String? = nil, cls: DeviceClass? = nil
) -> Observation {
    Observation(
        source: .scan, observedAt: at(minutes), deviceClass: cls, macs: mac.map { [$0] } ?? [],
        ips: ip.map { [$0] } ?? [], hostnames: host.map { [$0] } ?? [])
}

func agent(
    _ minutes: Double, serial: String? = nil, uuid: String? = nil, macs: [String] = [], ip: String? = nil,
    host: String? = nil, os: String? = nil
) -> Observation {
    Observation(
        source: .agent, observedAt: at(minutes), deviceClass: .pc, serial: serial, uuid: uuid, os: os, macs: macs,
        ips: ip.map { [$0] } ?? [], hostnames: host.map { [$0] } ?? [])
}

/// Everything in the database as text, to prove a refused import wrote nothing.
func snapshot(_ ledger: Ledger) throws -> String {
    let devices = try ledger.devices(DeviceFilter())
    let departments = try ledger.departments()
    return
        "\(try ledger.counts().sorted { $0.key < $1.key })|\(devices)|\(departments)|\(try ledger.subnetRules())|\(try ledger.hostnameRules())"
}
