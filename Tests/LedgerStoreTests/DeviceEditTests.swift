import Foundation
import LedgerModel
import LedgerStore
import TestSupport
import Testing

/// A person's edits of devices on the store: merge, split, assign and unassign.
@Suite struct DeviceEditTests {
    // B1: a person's merge writes no "merged" history row (Merger.finish never called).
    @Test func manualMergeRecordsHistory() throws {
        let ledger = try campusLedger()
        let a = try ledger.merge([scan(0, mac: "3c:d9:2b:11:22:33", ip: "198.18.10.5")]).deviceIDs[0]
        let b = try ledger.merge([scan(1, mac: "3c:d9:2b:44:55:66", ip: "198.18.10.6")]).deviceIDs[0]
        try ledger.mergeDevices(keep: a, other: b)
        #expect(try ledger.device(a).history.contains { $0.field == "merged" })
    }

    // A merge keeps the absorbed device's fax capability.
    @Test func absorbKeepsFaxFlag() throws {
        let ledger = try campusLedger()
        var p = scan(0, mac: "3c:d9:2b:11:22:33", ip: "198.18.10.5", cls: .mfp); p.faxCapable = true
        let a = try ledger.merge([p]).deviceIDs[0]
        let b = try ledger.merge([agent(1, serial: "SERIALAAA1", ip: "198.18.10.5")]).deviceIDs[0]
        try ledger.mergeDevices(keep: b, other: a)
        #expect(try ledger.device(b).summary.faxCapable)
    }

    // The custody (responsible person) of a folded device moves to the device it joins, unless
    // that one has its own; without this the cascade of the folded row would drop it.
    @Test func custodyFollowsAMergeAndTheKeepersOwnWins() throws {
        let ledger = try campusLedger()
        let a = try ledger.merge([scan(0, mac: "3c:d9:2b:11:22:33", ip: "198.18.10.5")]).deviceIDs[0]
        let b = try ledger.merge([scan(1, mac: "3c:d9:2b:44:55:66", ip: "198.18.10.6")]).deviceIDs[0]
        let c = try ledger.merge([scan(2, mac: "3c:d9:2b:77:88:99", ip: "198.18.10.7")]).deviceIDs[0]
        try ledger.setCustody(device: b, responsible: "李四", location: "301", scope: .everything, actor: .system)
        try ledger.mergeDevices(keep: a, other: b)
        #expect(try ledger.custody([a])[a]?.responsible == "李四" && ledger.custody([b]).isEmpty)
        try ledger.setCustody(device: c, responsible: "王五", location: nil, scope: .everything, actor: .system)
        try ledger.mergeDevices(keep: a, other: c)
        #expect(try ledger.custody()[a]?.responsible == "李四" && ledger.custody().count == 1)
        // Outside the caller's scope the device is not there to set.
        #expect(throws: LedgerError.self) {
            try ledger.setCustody(
                device: a, responsible: "x", location: nil, scope: .departments(["CWC"]), actor: .system)
        }
    }

    // A merge keeps the kept device's manual owner, not the absorbed device's.
    @Test func keepersManualAssignmentSurvivesMerge() throws {
        let ledger = try campusLedger()
        let a = try ledger.merge([scan(0, mac: "3c:d9:2b:11:22:33", ip: "198.18.10.5")]).deviceIDs[0]
        let b = try ledger.merge([scan(1, mac: "3c:d9:2b:44:55:66", ip: "198.18.10.6")]).deviceIDs[0]
        try ledger.assign(device: a, to: "JYXY")
        try ledger.assign(device: b, to: "CWC")
        try ledger.mergeDevices(keep: a, other: b)
        #expect(try ledger.device(a).summary.department == "JYXY")
    }

    // A device merged away leaves its id unused: a new device never takes it.
    @Test func aFoldedDevicesIDIsNeverReused() throws {
        let ledger = try campusLedger()
        let a = try ledger.merge([scan(0, mac: "3c:d9:2b:11:22:33", ip: "198.18.10.5")]).deviceIDs[0]
        let b = try ledger.merge([scan(1, mac: "3c:d9:2b:44:55:66", ip: "198.18.10.6")]).deviceIDs[0]
        try ledger.mergeDevices(keep: a, other: b)
        let c = try ledger.merge([scan(2, mac: "3c:d9:2b:77:88:99", ip: "198.18.10.7")]).deviceIDs[0]
        #expect(c > b)
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

    // A UUID split off to its own device stays there when a later report pairs it with the
    // serial of the device it was split from.
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

    // Unassigning a device that only a rule owns changes nothing, so it writes no history.
    @Test func unassignOfRuleOwnedDeviceWritesNoHistory() throws {
        let ledger = try campusLedger()
        let a = try ledger.merge([scan(0, mac: "3c:d9:2b:11:22:33", ip: "198.18.10.5")]).deviceIDs[0]
        try ledger.unassign(device: a)
        #expect(try !ledger.device(a).history.contains { $0.field == "owner_rule" })
    }
}
