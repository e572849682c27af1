import Foundation
import GRDB
import Ingest
import LedgerModel
import TestSupport
import Testing

@testable import LedgerStore

@Suite struct OwnershipPrecedenceTests {
    @Test func subnetThenHostnameThenManualAndManualIsNeverOverwritten() throws {
        let ledger = try campusLedger()
        let id = try ledger.merge([scan(0, mac: "54:e1:ad:20:00:01", ip: "198.18.10.33", host: "pc-33")]).deviceIDs[0]
        #expect(try ledger.device(id).summary.department == "DZB")
        #expect(try ledger.device(id).summary.ownerRule == .subnet)

        // Renamed to the finance naming scheme: the host-name rule beats the subnet.
        try ledger.merge([scan(10, mac: "54:e1:ad:20:00:01", ip: "198.18.10.33", host: "cw-33")])
        #expect(try ledger.device(id).summary.department == "CWC")
        #expect(try ledger.device(id).summary.ownerRule == .hostname)

        // A person says it belongs to 教育学院; later scans and rule imports leave it there.
        try ledger.assign(device: id, to: "JYXY")
        try ledger.merge([scan(20, mac: "54:e1:ad:20:00:01", ip: "198.18.11.34", host: "cw-33")])
        try ledger.importSubnets(
            [(2, SubnetRule(network: try IPNetwork(cidr: "198.18.11.0/24"), departmentCode: "DZB"))], file: "s2.csv")
        let d = try ledger.device(id)
        #expect(d.summary.department == "JYXY")
        #expect(d.summary.ownerRule == .manual)
        #expect(d.history.filter { $0.field == "department" }.map(\.new) == ["CWC", "JYXY"])

        // Dropping the manual assignment hands the device back to the rules.
        try ledger.unassign(device: id)
        #expect(try ledger.device(id).summary.department == "CWC")
    }

    @Test func devicesNoRuleClaimsLandInTheUnassignedQueue() throws {
        let ledger = try campusLedger()
        try ledger.merge([
            scan(0, mac: "54:e1:ad:20:00:02", ip: "203.0.113.7"),
            scan(0, mac: "54:e1:ad:20:00:03", ip: "198.18.10.7"),
            scan(0, mac: "54:e1:ad:20:00:04"),
        ])
        let queue = try ledger.devices(DeviceFilter(unassignedOnly: true))
        #expect(queue.count == 2)
        #expect(queue.allSatisfy { $0.department == nil })
    }

    @Test func aNewSubnetRuleReassignsRuleOwnedDevices() throws {
        let ledger = try campusLedger()
        let id = try ledger.merge([scan(0, mac: "54:e1:ad:20:00:05", ip: "203.0.113.8")]).deviceIDs[0]
        #expect(try ledger.device(id).summary.department == nil)
        try ledger.importSubnets(
            [(2, SubnetRule(network: try IPNetwork(cidr: "203.0.113.0/24"), departmentCode: "JYXY"))], file: "s.csv")
        #expect(try ledger.device(id).summary.department == "JYXY")
        #expect(try ledger.device(id).history.last?.source == "subnet import s.csv")
    }

    @Test func longestPrefixAndIPv6OnTheStore() throws {
        let ledger = try campusLedger()
        let s = try ledger.merge([
            scan(0, mac: "54:e1:ad:20:00:06", ip: "198.18.30.200"),
            scan(0, mac: "54:e1:ad:20:00:07", ip: "198.18.30.20"),
            scan(0, mac: "54:e1:ad:20:00:08", ip: "2001:db8:10::42"),
        ])
        #expect(try s.deviceIDs.map { try ledger.device($0).summary.department } == ["JYXY-JYS", "JYXY", "DZB"])
    }

    @Test func aDepartmentListIncludesSubDepartmentsAndScopeHidesOthers() throws {
        let ledger = try campusLedger()
        try ledger.merge([
            scan(0, mac: "54:e1:ad:20:00:09", ip: "198.18.30.200", cls: .pc),
            scan(0, mac: "54:e1:ad:20:00:0a", ip: "198.18.30.20", cls: .printer),
            scan(0, mac: "54:e1:ad:20:00:0b", ip: "198.18.10.20", cls: .printer),
        ])
        #expect(try ledger.devices(DeviceFilter(department: "JYXY")).count == 2)
        #expect(try ledger.devices(DeviceFilter(department: "JYXY-JYS")).count == 1)
        #expect(try ledger.devices(DeviceFilter(deviceClass: .printer)).count == 2)
        let liaison = DeviceFilter(scope: .departments(["JYXY-JYS"]))
        #expect(try ledger.devices(liaison).map(\.department) == ["JYXY-JYS"])
        let other = try ledger.devices(DeviceFilter(department: "DZB"))[0].id
        #expect(throws: LedgerError.self) { try ledger.device(other, scope: .departments(["JYXY"])) }
        #expect(throws: LedgerError.self) { try ledger.devices(DeviceFilter(department: "NOPE")) }
    }

    // B6a: a scan without host name downgrades a host-name-rule owner to the subnet owner.
    @Test func hostnameRuleBeatsSubnetOnLaterScan() throws {
        let ledger = try campusLedger()
        let mac = "3c:d9:2b:11:22:33"
        let id = try ledger.merge([agent(0, serial: "7XK2Q33", macs: [mac], ip: "198.18.11.7", host: "cw-zhang")])
            .deviceIDs[0]
        try ledger.merge([scan(60, mac: mac, ip: "198.18.10.9")])  // DZB subnet, no name
        #expect(try ledger.device(id).summary.department == "CWC")
    }

    // B6b: reapplyOwnership matches host-name rules against every name the device ever had.
    @Test func reapplyUsesCurrentNameNotOldOnes() throws {
        let ledger = try campusLedger()
        let id = try ledger.merge([
            agent(0, serial: "7XK2Q33", ip: "198.18.11.7", host: "cw-zhang"),
            agent(60, serial: "7XK2Q33", ip: "198.18.10.9", host: "dzb-zhang"),
        ]).deviceIDs[0]
        #expect(try ledger.device(id).summary.department == "DZB")
        try ledger.importSubnets(
            SubnetFile.read(Data("cidr,department_code,site,vlan,note\n10.9.0.0/16,XXZX,,,\n".utf8), file: "x"),
            file: "x")
        #expect(try ledger.device(id).summary.department == "DZB")
    }
}

@Suite struct ImportRefusalTests {
    let header = DepartmentFile.header.joined(separator: ",")

    /// Runs an import that must fail, and proves the database is exactly as before.
    func refused(_ ledger: Ledger, _ expected: String, _ body: () throws -> Void) throws {
        let before = try snapshot(ledger)
        do {
            try body()
            Issue.record("import was accepted; expected \(expected)")
        } catch let e as InputError {
            #expect(e.description == expected)
        }
        #expect(try snapshot(ledger) == before)
    }

    func importDepartments(_ ledger: Ledger, _ csv: String) throws {
        let data = Data(csv.utf8)
        try ledger.importDepartments(DepartmentFile.read(data, file: "bad.csv"), file: "bad.csv")
    }

    @Test func everyMalformedDepartmentFileLeavesTheLedgerUnchanged() throws {
        let ledger = try campusLedger()
        try ledger.merge([scan(0, mac: "54:e1:ad:30:00:01", ip: "198.18.10.1")])
        try refused(ledger, "bad.csv:1: wrong header: expected '\(header)', got 'code,name,kind'") {
            try importDepartments(ledger, "code,name,kind\nA,甲,college\n")
        }
        try refused(ledger, "bad.csv:3: unknown kind 'faculty' (use functional/职能部门, support/教辅机构 or college/二级学院)") {
            try importDepartments(ledger, "\(header)\nNEW1,新,,college,,,,,,,,\nNEW2,新二,,faculty,,,,,,,,\n")
        }
        try refused(ledger, "bad.csv:3: unknown parent department 'NOWHERE'") {
            try importDepartments(ledger, "\(header)\nNEW1,新,,college,,,,,,,,\nNEW2,新二,,college,NOWHERE,,,,,,,\n")
        }
        try refused(ledger, "bad.csv:2: department tree has a cycle: JYXY -> JYXY-JYS -> JYXY") {
            // JYXY-JYS is under JYXY in the ledger; the file puts JYXY under JYXY-JYS.
            try importDepartments(ledger, "\(header)\nJYXY,教育学院,,college,JYXY-JYS,,,,,,,\n")
        }
        try refused(ledger, "bad.csv:3: duplicate department code 'NEW1' (first on line 2)") {
            try importDepartments(ledger, "\(header)\nNEW1,新,,college,,,,,,,,\nNEW1,又,,college,,,,,,,,\n")
        }
        try refused(ledger, "bad.csv:3: ragged row: 13 fields, header has 12") {
            try importDepartments(ledger, "\(header)\nNEW1,新,,college,,,,,,,,\nNEW2,新,,college,,,,,,,,,\n")
        }
    }

    @Test func malformedSubnetAndRuleFilesLeaveTheLedgerUnchanged() throws {
        let ledger = try campusLedger()
        let h = SubnetFile.header.joined(separator: ",")
        try refused(ledger, "bad.csv:3: bad CIDR '198.18.40.0/33': prefix length must be 0...32") {
            let rules = try SubnetFile.read(
                Data("\(h)\n198.18.40.0/24,DZB,,,\n198.18.40.0/33,DZB,,,\n".utf8), file: "bad.csv")
            try ledger.importSubnets(rules, file: "bad.csv")
        }
        try refused(ledger, "bad.csv:3: unknown department 'NOPE'") {
            // Valid rows first: the store must roll them back when a later row fails.
            let rules = try SubnetFile.read(
                Data("\(h)\n198.18.40.0/24,DZB,,,\n198.18.41.0/24,NOPE,,,\n".utf8), file: "bad.csv")
            try ledger.importSubnets(rules, file: "bad.csv")
        }
        try refused(ledger, "bad.csv:2: unknown department 'NOPE'") {
            let rules = try HostnameRuleFile.read(
                Data("pattern,department_code,note\nx-*,NOPE,\n".utf8), file: "bad.csv")
            try ledger.importHostnameRules(rules, file: "bad.csv")
        }
    }

    @Test func reimportUpdatesByCodeAndGB18030Imports() throws {
        let ledger = try campusLedger()
        // 信息化中心 renamed to 网络与信息中心, with a liaison, saved by Excel as GB18030.
        var data = Data("\(header)\r\nXXZX,".utf8)
        data += hex("cdf8c2e7d3ebd0c5cfa2d6d0d0c4")  // 网络与信息中心
        data += Data(",,support,,,".utf8) + hex("c2deb1f3") + Data(",,,,,\r\n".utf8)  // 罗斌
        let entries = try DepartmentFile.read(data, file: "gb.csv")
        let result = try ledger.importDepartments(entries, file: "gb.csv")
        #expect(result.added == 0 && result.updated == 1)
        let d = try #require(try ledger.departments().first { $0.department.code == "XXZX" })
        #expect(d.department.name == "网络与信息中心")
        #expect(d.department.liaison.name == "罗斌")
        #expect(try ledger.departments().count == 5)
    }

    @Test func aBadObservationFileWritesNothing() throws {
        let ledger = try campusLedger()
        let before = try snapshot(ledger)
        let text = """
            {"source":"scan","observed_at":"2026-11-20T09:00:00Z","macs":["3c:d9:2b:11:22:33"]}
            {"source":"scan","observed_at":"2026-11-20T09:00:00Z","macs":"not-a-list"}
            """
        #expect(throws: InputError.self) { try ledger.merge(ObservationFile.read(Data(text.utf8), file: "o.jsonl")) }
        #expect(try snapshot(ledger) == before)
    }
}

@Suite struct DatabaseFileTests {
    @Test func aFileDatabaseUsesWALForeignKeysAndMigrations() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("al-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ledger.sqlite").path
        let ledger = try Ledger.open(path: path)
        #expect(
            try ledger.appliedMigrations() == [
                "v1-ledger", "v2-endpoint", "v3-scan", "v4-scan-detail", "v5-licence", "v6-audit", "v7-campaign",
                "v8-commitments", "v9-audit-no-replace", "v10-licence-devices", "v11-software-events",
                "v12-security-check", "v13-accounts", "v14-device-review", "v15-device-claim",
                "v16-scan-job", "v17-scan-job-run-cancelled",
            ])
        let (mode, fk) = try ledger.writer.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(mode == "wal")
        #expect(fk == 1)
        // Foreign keys are enforced: an observation cannot point at a device that does not exist.
        #expect(throws: DatabaseError.self) {
            try ledger.writer.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO observation (source, observed_at, received_at, macs, ips, hostnames, device_id) VALUES ('scan', 0, 0, '[]', '[]', '[]', 42)"
                )
            }
        }
        // Reopening keeps the data and does not re-run migrations.
        try ledger.merge([scan(0, mac: "3c:d9:2b:11:22:33")])
        let again = try Ledger.open(path: path)
        #expect(try again.devices(DeviceFilter()).count == 1)
        #expect(try again.check().isEmpty)
    }

    /// v10 rebuilds `campaign` to allow the security check: a v9 database's campaigns and what
    /// was recorded in them survive, the children still reference the rebuilt table (foreign
    /// keys hold and are enforced), and the CHECK takes the new kind and no other.
    @Test func theSecurityCheckMigrationKeepsTheSelfChecksAndTheirReferences() throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: config)
        try Schema.migrator.migrate(queue, upTo: "v9-audit-no-replace")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO campaign (id, kind, name, deadline, opened_at, opened_by, closed_at, closed_by, snapshot)
                        VALUES (7, 'self-check', '2025年自查', '2025-12-31', 1, 'cli:it', 2, 'cli:it', '{"findings":[]}');
                    INSERT INTO campaign_resolution (campaign_id, finding, department_code, resolution, resolved_at,
                        resolved_by) VALUES (7, 'F1', 'CWC', 'uninstalled', 1, 'web:cwc');
                    INSERT INTO campaign_sign_off (campaign_id, department_code, signed_by, statement, signed_at,
                        recorded_by) VALUES (7, 'CWC', '王五', '已自查', 1, 'web:cwc');
                    """)
        }
        try Schema.migrator.migrate(queue)
        let ledger = try Ledger(queue)
        let records = try ledger.campaignRecords(7)
        #expect(records.campaign.name == "2025年自查" && records.campaign.snapshot == "{\"findings\":[]}")
        #expect(records.campaign.closedBy == "cli:it" && records.campaign.checklist == nil)
        #expect(records.resolutions["F1"]?.by == "web:cwc" && records.signOffs["CWC"]?.signedBy == "王五")
        try queue.write { db in
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            // The children's REFERENCES campaign(id) point at the rebuilt table.
            #expect(throws: DatabaseError.self) {
                try db.execute(
                    sql: """
                        INSERT INTO campaign_pc_check (campaign_id, device_id, checked_at, checked_by)
                        VALUES (99, 1, 0, 'x')
                        """)
            }
            try db.execute(
                sql: """
                    INSERT INTO campaign (kind, name, deadline, opened_at, opened_by)
                    VALUES ('security-check', 'x', '2026-12-31', 0, 'x')
                    """)
            #expect(throws: DatabaseError.self) {
                try db.execute(
                    sql:
                        "INSERT INTO campaign (kind, name, deadline, opened_at, opened_by) VALUES ('audit', 'x', 'd', 0, 'x')"
                )
            }
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'campaign_resolution'")
            #expect(sql?.contains("REFERENCES campaign(id)") == true)
        }
    }

    @Test func databasePathComesFromOptionThenEnvironmentThenDefault() {
        #expect(Ledger.defaultPath(option: "/x.sqlite", environment: ["ASSETLEDGER_DB": "/y.sqlite"]) == "/x.sqlite")
        #expect(Ledger.defaultPath(option: nil, environment: ["ASSETLEDGER_DB": "/y.sqlite"]) == "/y.sqlite")
        #expect(Ledger.defaultPath(option: nil, environment: [:]) == "assetledger.sqlite")
    }
}
