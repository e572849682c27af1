import Foundation
import Testing

@testable import Ingest
@testable import LedgerModel

@Suite struct OsqueryTests {
    @Test func fleetsWindows11DetailQueries() throws {
        let f = try agentFixture("osquery/fleet/windows_11.tmpl")
        #expect(try ImportFormat.detect(f.data, file: f.path) == .osquery)
        let r = try OsqueryInventory.read(f.data, file: f.path)
        #expect(r.os?.name == "Microsoft Windows 11 Enterprise")
        #expect(r.os?.build == "22000")
        #expect(r.os?.ubr == "1098")
        #expect(r.os?.version == "21H2")
        #expect(r.identity.serials == ["024175290368"])
        #expect(r.identity.model == "Surface Laptop 2")
        #expect(r.identity.macs == ["f8:2d:88:93:56:5c"])
        // 49 update-history rows, 48 naming a KB; repeated Defender signature updates
        // (KB2267602) count once, at their latest date.
        let kbs = Set(r.patches.map(\.id))
        #expect(kbs.count == 5)
        #expect(kbs.contains("KB5016629"))
        #expect(kbs.contains("KB2267602"))
        #expect(r.patches.allSatisfy { $0.installedAt != nil })
        #expect(r.sections == [.os, .patches])
    }

    @Test func resultLogsOfPackQueries() throws {
        let log = """
            {"name":"pack/inventory/programs","hostIdentifier":"CW-PC-01","unixTime":1700000000,"columns":{"name":"WPS Office","version":"11.1.0","publisher":"Kingsoft Corp.","install_date":"20231001"},"action":"added"}
            {"name":"pack/inventory/programs","hostIdentifier":"CW-PC-01","unixTime":1700000000,"columns":{"name":"火绒安全软件","version":"5.0","publisher":"北京火绒网络科技有限公司","install_date":""},"action":"added"}
            {"name":"pack/inventory/system_info","hostIdentifier":"CW-PC-01","unixTime":1700000000,"columns":{"hostname":"CW-PC-01","uuid":"8A7B6C5D-1234-11E9-8000-54E1AD102030","hardware_serial":"PF2ABCDE","hardware_vendor":"LENOVO","hardware_model":"ThinkCentre M720t"},"action":"added"}
            {"name":"pack/inventory/windows_security_products","hostIdentifier":"CW-PC-01","unixTime":1700000000,"snapshot":[{"type":"Antivirus","name":"火绒安全软件","state":"On","signatures_up_to_date":"1"},{"type":"Firewall","name":"Windows Firewall","state":"On","signatures_up_to_date":"0"}],"action":"snapshot"}
            {"name":"pack/inventory/patches","hostIdentifier":"CW-PC-01","unixTime":1700000000,"columns":{"hotfix_id":"KB5032190","description":"Security Update","installed_on":"11/15/2023"},"action":"added"}
            """
        #expect(try ImportFormat.detect(Data(log.utf8), file: "o.log") == .osquery)
        let r = try OsqueryInventory.read(Data(log.utf8), file: "o.log")
        #expect(r.software.map(\.name) == ["WPS Office", "火绒安全软件"])
        #expect(r.software.first?.installedAt == day(2023, 10, 1))
        #expect(r.identity.serials == ["PF2ABCDE"])
        #expect(r.antivirus.map(\.name) == ["火绒安全软件"])
        #expect(r.antivirus.first?.enabled == true)
        #expect(r.patches.first?.installedAt == day(2023, 11, 15))
        #expect(throws: InputError(file: "bad.log", line: 2, reason: "not an osquery result line (no name)")) {
            try OsqueryInventory.read(
                Data("{\"name\":\"x\",\"columns\":{}}\n{\"hostIdentifier\":1}\n".utf8), file: "bad.log")
        }
    }
}
