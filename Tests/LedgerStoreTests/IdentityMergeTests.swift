import Foundation
import LedgerModel
import LedgerStore
import TestSupport
import Testing

/// The identity rules on the real store, with the hard cases from the field.
@Suite struct IdentityMergeTests {
    @Test func dhcpAddressChurnKeepsOneDevice() throws {
        let ledger = try campusLedger()
        var ids: Set<Int64> = []
        for (i, ip) in ["198.18.10.21", "198.18.10.57", "198.18.10.99", "198.18.10.21"].enumerated() {
            ids.formUnion(try ledger.merge([scan(Double(i) * 60, mac: "3C:D9:2B:11:22:33", ip: ip)]).deviceIDs)
        }
        #expect(ids.count == 1)
        let device = try ledger.devices(DeviceFilter())
        #expect(device.count == 1)
        #expect(Set(device[0].ips) == ["198.18.10.21", "198.18.10.57", "198.18.10.99"])
        #expect(device[0].ips.first == "198.18.10.21")  // most recent first
    }

    @Test func anIPAddressIsNeverAnIdentity() throws {
        let ledger = try campusLedger()
        try ledger.merge([
            scan(0, mac: "3c:d9:2b:11:22:33", ip: "198.18.10.21"),
            scan(60, mac: "00:17:c8:44:55:66", ip: "198.18.10.21"),
            scan(120, ip: "198.18.10.21"),
            scan(180, ip: "198.18.10.21"),
        ])
        #expect(try ledger.devices(DeviceFilter()).count == 4)
    }

    @Test func aRenamedPCStaysOneDeviceWithTheRenameInHistory() throws {
        let ledger = try campusLedger()
        let s = try ledger.merge([
            agent(0, serial: "PC0ABCDE", macs: ["54:e1:ad:10:20:30"], ip: "198.18.10.50", host: "DZB-OLDNAME"),
            agent(60 * 24, serial: "PC0ABCDE", macs: ["54:e1:ad:10:20:30"], ip: "198.18.10.50", host: "DZB-NEWNAME"),
        ])
        #expect(Set(s.deviceIDs).count == 1)
        let detail = try ledger.device(s.deviceIDs[0])
        #expect(detail.summary.hostname == "dzb-newname")
        #expect(Set(detail.summary.hostnames) == ["dzb-oldname", "dzb-newname"])
        let rename = detail.history.first { $0.field == "hostname" }
        #expect(rename?.old == "dzb-oldname")
        #expect(rename?.new == "dzb-newname")
        #expect(rename?.source == "agent")
        #expect(detail.observations.map(\.matchedRule) == ["new", "serial"])
    }

    @Test func aReplacedNetworkCardIsFoundBySerialOrByNameInTheDepartment() throws {
        let ledger = try campusLedger()
        // Known by the agent (serial + old MAC), then the NIC is replaced.
        let first = try ledger.merge([
            agent(0, serial: "7XK2Q33", macs: ["b0:7b:25:aa:bb:cc"], ip: "198.18.11.77", host: "cw-zhang")
        ]).deviceIDs[0]
        // A scan sees only the new MAC and the host name, in the same department.
        let byName = try ledger.merge([scan(60, mac: "b0:7b:25:00:00:01", ip: "198.18.11.78", host: "CW-ZHANG")])
        #expect(byName.deviceIDs == [first])
        // The agent then reports the new MAC with the serial.
        let bySerial = try ledger.merge([
            agent(120, serial: "7XK2Q33", macs: ["b0:7b:25:00:00:01"], ip: "198.18.11.78", host: "cw-zhang")
        ])
        #expect(bySerial.deviceIDs == [first])
        #expect(try ledger.devices(DeviceFilter()).count == 1)
        #expect(Set(try ledger.device(first).summary.macs) == ["b0:7b:25:aa:bb:cc", "b0:7b:25:00:00:01"])
    }

    @Test func theSameHostNameInAnotherDepartmentIsAnotherDevice() throws {
        let ledger = try campusLedger()
        let s = try ledger.merge([
            scan(0, mac: "54:e1:ad:00:00:01", ip: "198.18.10.5", host: "office-pc"),
            scan(1, mac: "54:e1:ad:00:00:02", ip: "198.18.30.5", host: "office-pc"),
        ])
        #expect(Set(s.deviceIDs).count == 2)
    }

    @Test func aPlaceholderNameMergesNothing() throws {
        // Regression: two printers whose SNMP sysName is the placeholder `<private>` were
        // merged into one device by host name.
        let ledger = try campusLedger()
        let s = try ledger.merge([
            scan(0, mac: "24:31:84:c8:46:6a", ip: "198.18.10.12", host: "<private>"),
            scan(1, mac: "3c:2a:f4:bf:f5:1b", ip: "198.18.10.16", host: "<private>"),
        ])
        #expect(Set(s.deviceIDs).count == 2)
    }

    @Test func clonedUUIDsDoNotMergeDifferentMachines() throws {
        let ledger = try campusLedger()
        let clone = "6F1A3B2C-0D4E-4F50-9A1B-2C3D4E5F6071"  // same image on a whole lab
        var ids: [Int64] = []
        for i in 0..<5 {
            let o = agent(
                Double(i), serial: "LAB00\(i)SN", uuid: clone, macs: ["54:e1:ad:00:01:0\(i)"], ip: "198.18.30.1\(i)",
                host: "lab-pc-\(i)")
            ids += try ledger.merge([o]).deviceIDs
        }
        #expect(Set(ids).count == 5)
        // A later report from machine 3 still lands on machine 3 (by serial); the UUID is retired.
        let again = try ledger.merge([
            agent(100, serial: "LAB003SN", uuid: clone, macs: ["54:e1:ad:00:01:03"], host: "lab-pc-3")
        ])
        #expect(again.deviceIDs == [ids[3]])
        // A report with only the cloned UUID cannot be placed on any of them.
        let uuidOnly = try ledger.merge([agent(200, uuid: clone)])
        #expect(!ids.contains(uuidOnly.deviceIDs[0]))
    }

    @Test func placeholderUUIDsAndSerialsNeverJoinMachines() throws {
        let ledger = try campusLedger()
        let s = try ledger.merge([
            agent(
                0, serial: "To be filled by O.E.M.", uuid: "03000200-0400-0500-0006-000700080009",
                macs: ["54:e1:ad:00:02:01"]),
            agent(
                1, serial: "To be filled by O.E.M.", uuid: "03000200-0400-0500-0006-000700080009",
                macs: ["54:e1:ad:00:02:02"]),
        ])
        #expect(Set(s.deviceIDs).count == 2)
    }

    @Test func aDocksSerialSharedByManyPCsDoesNotMergeThem() throws {
        let ledger = try campusLedger()
        // Several laptops report the USB-C dock's serial as theirs; their UUIDs differ.
        var ids: [Int64] = []
        for i in 0..<4 {
            ids += try ledger.merge([
                agent(
                    Double(i), serial: "DOCKWD19S01", uuid: "A1B2C3D4-0000-4000-8000-00000000000\(i)",
                    macs: ["c8:f7:50:00:00:0\(i)"], ip: "198.18.10.\(40 + i)", host: "dzb-laptop-\(i)")
            ]).deviceIDs
        }
        #expect(Set(ids).count == 4)
        // Undocked, laptop 1 reports its own serial: it is still laptop 1 (by UUID), and the
        // dock's serial does not count against it.
        let undocked = try ledger.merge([
            agent(10, serial: "5CG1234XYZ", uuid: "A1B2C3D4-0000-4000-8000-000000000001", macs: ["c8:f7:50:00:00:01"])
        ])
        #expect(undocked.deviceIDs == [ids[1]])
        #expect(try ledger.devices(DeviceFilter()).count == 4)
    }

    @Test func aScanDeviceAndAnAgentDeviceOfOneMachineAreFoldedTogether() throws {
        let ledger = try campusLedger()
        let scanned = try ledger.merge([scan(0, mac: "54:e1:ad:10:20:31", ip: "198.18.10.9", cls: .pc)]).deviceIDs[0]
        let reported = try ledger.merge([agent(1, serial: "MXL0001ABC", macs: ["54:e1:ad:10:20:32"])]).deviceIDs[0]
        #expect(scanned != reported)
        // The next report names both NICs: the two records are one machine.
        let s = try ledger.merge([agent(2, serial: "MXL0001ABC", macs: ["54:e1:ad:10:20:32", "54:e1:ad:10:20:31"])])
        #expect(s.absorbed == 1)
        #expect(s.deviceIDs == [reported])
        let devices = try ledger.devices(DeviceFilter())
        #expect(devices.count == 1)
        #expect(Set(devices[0].macs) == ["54:e1:ad:10:20:31", "54:e1:ad:10:20:32"])
        let detail = try ledger.device(reported)
        #expect(detail.observations.count == 3)
        #expect(detail.history.contains { $0.field == "merged" && $0.old == "device \(scanned)" })
        #expect(try ledger.check().isEmpty)
    }

    @Test func foldingInsideOneBatchReportsTheSurvivingDevice() throws {
        let ledger = try campusLedger()
        let s = try ledger.merge([
            scan(0, mac: "54:e1:ad:10:20:41", ip: "198.18.10.9", cls: .pc),
            agent(1, serial: "MXL0003ABC", macs: ["54:e1:ad:10:20:42"]),
            agent(2, serial: "MXL0003ABC", macs: ["54:e1:ad:10:20:42", "54:e1:ad:10:20:41"]),
        ])
        #expect(s.absorbed == 1)
        #expect(Set(s.deviceIDs).count == 1)
        let survivor = try #require(s.deviceIDs.first)
        #expect(try ledger.device(survivor).observations.map(\.id) == s.observationIDs)
        #expect(try ledger.devices(DeviceFilter()).map(\.id) == [survivor])
        #expect(try ledger.check().isEmpty)
    }

    @Test func anOlderReportNeverErasesNewerFacts() throws {
        let ledger = try campusLedger()
        let id = try ledger.merge([agent(100, serial: "MXL0002ABC", os: "Windows 11 Pro 23H2")]).deviceIDs[0]
        try ledger.merge([agent(10, serial: "MXL0002ABC", os: "Windows 10 Pro 21H2")])
        try ledger.merge([agent(200, serial: "MXL0002ABC")])  // partial: no OS
        let device = try ledger.device(id).summary
        #expect(device.os == "Windows 11 Pro 23H2")
        #expect(device.lastSeen == at(200))
        #expect(device.firstSeen == at(10))
    }

    @Test func manualSplitUndoesAWrongMergeForGood() throws {
        let ledger = try campusLedger()
        // Two printers behind one print-server MAC were merged by that MAC.
        let s = try ledger.merge([
            Observation(
                source: .scan, observedAt: at(0), deviceClass: .printer, model: "M404", macs: ["00:80:77:00:00:01"],
                ips: ["198.18.10.70"]),
            Observation(
                source: .scan, observedAt: at(1), deviceClass: .printer, model: "M507", macs: ["00:80:77:00:00:01"],
                ips: ["198.18.10.71"]),
        ])
        #expect(Set(s.deviceIDs).count == 1)
        let id = s.deviceIDs[0]
        let obs = try ledger.device(id).observations
        let newID = try ledger.split(device: id, observations: [obs[1].id])
        #expect(try ledger.device(id).summary.model == "M404")
        #expect(try ledger.device(newID).summary.model == "M507")
        #expect(try ledger.device(newID).summary.ips == ["198.18.10.71"])
        // The shared MAC no longer joins anything, and a manual merge is still possible.
        let next = try ledger.merge([scan(5, mac: "00:80:77:00:00:01", ip: "198.18.10.71")])
        #expect(next.deviceIDs != [id] && next.deviceIDs != [newID])
        try ledger.mergeDevices(keep: newID, other: next.deviceIDs[0])
        #expect(try ledger.devices(DeviceFilter()).count == 2)
        #expect(try ledger.check().isEmpty)
    }

    @Test func splitRefusesForeignOrAllObservations() throws {
        let ledger = try campusLedger()
        let id = try ledger.merge([scan(0, mac: "00:80:77:00:00:02"), scan(1, mac: "00:80:77:00:00:02")]).deviceIDs[0]
        let obs = try ledger.device(id).observations.map(\.id)
        #expect(throws: LedgerError.self) { try ledger.split(device: id, observations: obs) }
        #expect(throws: LedgerError.self) { try ledger.split(device: id, observations: [9999]) }
        #expect(throws: LedgerError.self) { try ledger.mergeDevices(keep: id, other: id) }
    }

    @Test func everyFieldChangeIsKeptWithOldNewSourceAndTime() throws {
        let ledger = try campusLedger()
        var first = Observation(
            source: .scan, origin: "sensor-a", observedAt: at(0), deviceClass: .printer, firmware: "1.0",
            macs: ["3c:d9:2b:00:00:01"])
        first.vendor = "HP"
        let id = try ledger.merge([first]).deviceIDs[0]
        var second = first
        second.source = .sensor
        second.observedAt = at(60)
        second.firmware = "2.0"
        try ledger.merge([second])
        let h = try ledger.device(id).history
        let fw = try #require(h.first { $0.field == "firmware" })
        #expect(fw.old == "1.0")
        #expect(fw.new == "2.0")
        #expect(fw.source == "sensor sensor-a")
        #expect(fw.at == at(60))
    }

    // B4: a non-UUID text in the device's uuid ("None") is trusted by the resolver and makes
    // the device's own serial look shared: the serial is retired and a duplicate created.
    @Test func garbageUUIDDoesNotRetireTheSerial() throws {
        let ledger = try campusLedger()
        let s = try ledger.merge([
            agent(0, serial: "PF3ABCDE", uuid: "None", ip: "198.18.10.5"),
            agent(60, serial: "PF3ABCDE", uuid: "4A7B1C2D-1111-2222-3333-444455556666", ip: "198.18.10.5"),
        ])
        #expect(s.ambiguous == 0)
        #expect(Set(s.deviceIDs).count == 1)
    }

    // B5: text is bound with length -1, so an embedded NUL truncates it; two distinct serials
    // collide in identity_key and the whole import fails with a SQL error.
    @Test func embeddedNULIsNotTruncated() throws {
        let ledger = try campusLedger()
        try ledger.merge([
            agent(0, serial: "SERIAL-01\u{0}A", ip: "198.18.10.5"),
            agent(1, serial: "SERIAL-01\u{0}B", ip: "198.18.10.6"),
        ])  // throws: UNIQUE constraint failed: identity_key.kind, identity_key.value
        #expect(try ledger.devices(DeviceFilter()).map(\.serial).contains("SERIAL-01\u{0}A"))
    }

    // B7: the hostname cache goes stale inside a batch: once D is renamed in the batch, the
    // SQL fallback returns D (LIMIT 1), is discarded, and E (also named pc-a) is never found.
    @Test func inBatchRenameHidesOtherDeviceWithSameName() throws {
        func run(batched: Bool) throws -> Int {
            let ledger = try campusLedger()
            try ledger.merge([
                agent(0, serial: "SERIALEEE1", ip: "198.18.10.5", host: "pc-a"),  // E
                agent(10, serial: "SERIALDDD1", ip: "198.18.10.6", host: "pc-a"),  // D (newer)
            ])
            let rename = agent(20, serial: "SERIALDDD1", ip: "198.18.10.6", host: "pc-z")
            let probe = scan(30, mac: "3c:d9:2b:11:22:33", ip: "198.18.10.5", host: "pc-a")
            if batched {
                try ledger.merge([rename, probe])
            } else {
                try ledger.merge([rename]); try ledger.merge([probe])
            }
            return try ledger.devices(DeviceFilter()).count
        }
        #expect(try run(batched: false) == 2)
        #expect(try run(batched: true) == 2)
    }
}
