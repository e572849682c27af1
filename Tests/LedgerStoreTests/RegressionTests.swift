import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

@Suite struct RegressionTests {
    // B1: a person's merge writes no "merged" history row (Merger.finish never called).
    @Test func manualMergeRecordsHistory() throws {
        let ledger = try campusLedger()
        let a = try ledger.merge([scan(0, mac: "3c:d9:2b:11:22:33", ip: "198.18.10.5")]).deviceIDs[0]
        let b = try ledger.merge([scan(1, mac: "3c:d9:2b:44:55:66", ip: "198.18.10.6")]).deviceIDs[0]
        try ledger.mergeDevices(keep: a, other: b)
        #expect(try ledger.device(a).history.contains { $0.field == "merged" })
    }

    // B2: split re-claims every key of the rebuilt device's observations, stealing a MAC that
    // has since moved to a third device.
    @Test func splitDoesNotStealAMovedMAC() throws {
        let ledger = try campusLedger()
        let mac = "3c:d9:2b:11:22:33"
        let s = try ledger.merge([
            agent(0, serial: "SERIALAAA1", macs: [mac], ip: "198.18.10.5", host: "pc-one"),
            agent(10, serial: "SERIALCCC3", macs: [mac], ip: "198.18.10.7", host: "pc-three"),  // NIC moved to C
            agent(20, serial: "SERIALAAA1", ip: "198.18.10.5", host: "pc-one"),
            agent(30, uuid: "11111111-2222-3333-4444-555555555555", ip: "198.18.10.5", host: "pc-one"),
        ])
        let a = s.deviceIDs[0], c = s.deviceIDs[1]
        #expect(a != c)
        let keysOfC = { try ledger.device(c).keys.map(\.value) }
        #expect(try keysOfC().contains(mac))
        let last = try ledger.device(a).observations.last!.id
        _ = try ledger.split(device: a, observations: [last])
        #expect(try keysOfC().contains(mac))
    }

    // B3: split keeps the old `pinned` set and never rebuilds it from manual observations.
    @Test func splitRebuildsPinnedFields() throws {
        let ledger = try campusLedger()
        var manual = Observation(source: .manual, observedAt: at(10), vendor: "Dell", hostnames: ["pc-one"])
        manual.ips = ["198.18.10.5"]
        var scanned = Observation(source: .scan, observedAt: at(0), vendor: "HP", hostnames: ["pc-one"])
        scanned.ips = ["198.18.10.5"]
        let s = try ledger.merge([scanned, manual])
        let a = s.deviceIDs[0]
        #expect(s.deviceIDs[1] == a)
        let manualID = try ledger.device(a).observations.first { $0.observation.source == .manual }!.id
        let b = try ledger.split(device: a, observations: [manualID])
        #expect(try ledger.device(a).summary.vendor == "HP")
        #expect(try ledger.device(b).pinned.contains("vendor"))
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

@Suite struct RegressionLesserTests {
    @Test func separatedDevicesUUIDIsNotStolen() throws {
        let ledger = try campusLedger()
        let u = "4A7B1C2D-1111-2222-3333-444455556666"
        let s = try ledger.merge([
            agent(0, serial: "SERIALAAA1", ip: "198.18.10.5", host: "pc-one"),
            agent(10, uuid: u, ip: "198.18.10.5", host: "pc-one"),
        ])
        let a = s.deviceIDs[0]
        let b = try ledger.split(device: a, observations: [try ledger.device(a).observations.last!.id])
        try ledger.merge([agent(20, serial: "SERIALAAA1", uuid: u, ip: "198.18.10.5")])
        #expect(try ledger.device(b).keys.contains { $0.value == u })
    }
    @Test func keepersManualAssignmentSurvivesMerge() throws {
        let ledger = try campusLedger()
        let a = try ledger.merge([scan(0, mac: "3c:d9:2b:11:22:33", ip: "198.18.10.5")]).deviceIDs[0]
        let b = try ledger.merge([scan(1, mac: "3c:d9:2b:44:55:66", ip: "198.18.10.6")]).deviceIDs[0]
        try ledger.assign(device: a, to: "JYXY")
        try ledger.assign(device: b, to: "CWC")
        try ledger.mergeDevices(keep: a, other: b)
        #expect(try ledger.device(a).summary.department == "JYXY")
    }
    @Test func unassignOfRuleOwnedDeviceWritesNoHistory() throws {
        let ledger = try campusLedger()
        let a = try ledger.merge([scan(0, mac: "3c:d9:2b:11:22:33", ip: "198.18.10.5")]).deviceIDs[0]
        try ledger.unassign(device: a)
        #expect(try !ledger.device(a).history.contains { $0.field == "owner_rule" })
    }
    @Test func absorbKeepsFaxFlag() throws {
        let ledger = try campusLedger()
        var p = scan(0, mac: "3c:d9:2b:11:22:33", ip: "198.18.10.5", cls: .mfp); p.faxCapable = true
        let a = try ledger.merge([p]).deviceIDs[0]
        let b = try ledger.merge([agent(1, serial: "SERIALAAA1", ip: "198.18.10.5")]).deviceIDs[0]
        try ledger.mergeDevices(keep: b, other: a)
        #expect(try ledger.device(b).summary.faxCapable)
    }
}

@Suite struct DeviceIDTests {
    @Test func aFoldedDevicesIDIsNeverReused() throws {
        let ledger = try campusLedger()
        let a = try ledger.merge([scan(0, mac: "3c:d9:2b:11:22:33", ip: "198.18.10.5")]).deviceIDs[0]
        let b = try ledger.merge([scan(1, mac: "3c:d9:2b:44:55:66", ip: "198.18.10.6")]).deviceIDs[0]
        try ledger.mergeDevices(keep: a, other: b)
        let c = try ledger.merge([scan(2, mac: "3c:d9:2b:77:88:99", ip: "198.18.10.7")]).deviceIDs[0]
        #expect(c > b)
    }
}
