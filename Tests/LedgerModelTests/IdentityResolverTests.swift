import Foundation
import Testing

@testable import LedgerModel

/// An in-memory index: the resolver's rules tested without a database.
struct DictionaryIndex: IdentityIndex {
    var keys: [IdentityKey: KeyState] = [:]
    var identities: [Int64: DeviceIdentity] = [:]
    var hostnames: [String: Int64] = [:]
    var separated: Set<[Int64]> = []

    func state(of key: IdentityKey) -> KeyState { keys[key] ?? .unknown }
    func device(hostnameKey: String, department: String) -> Int64? { hostnames["\(department)/\(hostnameKey)"] }
    func identity(of device: Int64) -> DeviceIdentity { identities[device] ?? DeviceIdentity(serial: nil, uuid: nil) }
    func areSeparated(_ a: Int64, _ b: Int64) -> Bool { separated.contains([min(a, b), max(a, b)]) }
}

@Suite struct IdentityResolverTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func identity(serial: String? = nil, uuid: String? = nil, macs: [String] = [], hostname: String? = nil)
        -> ObservationIdentity
    {
        ObservationIdentity(
            Observation(
                source: .agent, observedAt: now, serial: serial, uuid: uuid, macs: macs,
                hostnames: hostname.map { [$0] } ?? []
            ).normalized())
    }

    @Test func serialComesBeforeUUIDAndMAC() throws {
        var index = DictionaryIndex()
        index.keys[IdentityKey(.serial, "SER1")] = .device(1)
        index.keys[IdentityKey(.mac, "3c:d9:2b:11:22:33")] = .device(1)
        let plan = try IdentityResolver.plan(
            for: identity(serial: "SER1", macs: ["3c:d9:2b:11:22:33"]), department: nil, index: &index)
        #expect(plan.target == 1)
        #expect(plan.rule == .serial)
        #expect(plan.claim.isEmpty)
    }

    @Test func aUUIDOnTwoMachinesWithDifferentSerialsIsRetired() throws {
        var index = DictionaryIndex()
        let clone = "11111111-2222-3333-4444-555555555555"
        index.keys[IdentityKey(.uuid, clone)] = .device(1)
        index.identities[1] = DeviceIdentity(serial: "SER1", uuid: clone)
        let plan = try IdentityResolver.plan(for: identity(serial: "SER2", uuid: clone), department: nil, index: &index)
        #expect(plan.target == nil)
        #expect(plan.ambiguous.map(\.key) == [IdentityKey(.uuid, clone)])
        #expect(plan.claim == [IdentityKey(.serial, "SER2")])
    }

    @Test func aMACOnAnotherMachineMovesWithTheAdapter() throws {
        var index = DictionaryIndex()
        index.keys[IdentityKey(.mac, "3c:d9:2b:11:22:33")] = .device(1)
        index.identities[1] = DeviceIdentity(serial: "SER1", uuid: nil)
        let plan = try IdentityResolver.plan(
            for: identity(serial: "SER2", macs: ["3c:d9:2b:11:22:33"]), department: nil, index: &index)
        #expect(plan.target == nil)
        #expect(plan.claim.contains(IdentityKey(.mac, "3c:d9:2b:11:22:33")))
    }

    @Test func aSecondDeviceWithTheSameMachinesKeyIsAbsorbedUnlessSeparated() throws {
        var index = DictionaryIndex()
        index.keys[IdentityKey(.serial, "SER1")] = .device(1)
        index.keys[IdentityKey(.mac, "3c:d9:2b:11:22:33")] = .device(2)
        index.identities[1] = DeviceIdentity(serial: "SER1", uuid: nil)
        let id = identity(serial: "SER1", macs: ["3c:d9:2b:11:22:33"])
        var plan = try IdentityResolver.plan(for: id, department: nil, index: &index)
        #expect(plan.target == 1)
        #expect(plan.absorb.map(\.device) == [2])
        index.separated.insert([1, 2])
        plan = try IdentityResolver.plan(for: id, department: nil, index: &index)
        #expect(plan.absorb.isEmpty)
        #expect(plan.claim.isEmpty)  // the MAC stays with the device a person split off
    }

    @Test func hostnameMatchesOnlyWithinTheDepartmentAndOnlyAsLastResort() throws {
        var index = DictionaryIndex()
        index.hostnames["CWC/cw-pc-01"] = 7
        var plan = try IdentityResolver.plan(for: identity(hostname: "CW-PC-01"), department: "CWC", index: &index)
        #expect(plan.target == 7)
        #expect(plan.rule == .hostname)
        plan = try IdentityResolver.plan(for: identity(hostname: "CW-PC-01"), department: "JWC", index: &index)
        #expect(plan.target == nil)
        plan = try IdentityResolver.plan(for: identity(hostname: "CW-PC-01"), department: nil, index: &index)
        #expect(plan.target == nil)
    }

    @Test func junkIdentifiersAreRefusedWithAReason() {
        let id = identity(
            serial: "To be filled by O.E.M.", uuid: "03000200-0400-0500-0006-000700080009",
            macs: ["02:00:4c:4f:4f:50", "00:50:56:c0:00:08"])
        #expect(id.keys.isEmpty)
        #expect(id.refused.count == 4)
    }
}
