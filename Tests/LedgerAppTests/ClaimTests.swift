import Foundation
import LedgerModel
import TestSupport
import Testing

@testable import LedgerApp
@testable import LedgerStore

/// The unknown-device queue's use cases: bulk assignment by IT, and a department's claim on a
/// device the rules put elsewhere, decided by IT; the claimant never learns what its
/// identifier named.
@Suite struct ClaimTests {
    let liaison = DeviceScope.departments(["DZB"])
    let it = Principal("it")

    /// A DZB printer, a CWC printer (serial CN0001XYZ) and a device on no department's subnet.
    func campus() throws -> (LedgerService, dzb: Int64, cwc: Int64, stray: Int64) {
        let s = try campusService()
        let dzb = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        var o = seen(1, mac: "3c:d9:2b:00:00:02", ip: "198.18.11.5")
        o.serial = "CN0001XYZ"
        let cwc = try device(s, o)
        let stray = try device(s, seen(2, mac: "3c:d9:2b:00:00:03", ip: "198.18.99.7"))
        return (s, dzb, cwc, stray)
    }

    @Test func anIdentifierIsAnIPAMACOrASerialAndNothingElse() {
        #expect(ClaimIdentifier.parse(" 198.18.11.5 ") == ClaimIdentifier(kind: .ip, value: "198.18.11.5"))
        #expect(ClaimIdentifier.parse("2001:DB8::1") == ClaimIdentifier(kind: .ip, value: "2001:db8::1"))
        for mac in ["3C-D9-2B-00-00-02", "3cd9.2b00.0002", "3c:d9:2b:00:00:02", "3CD92B000002"] {
            #expect(ClaimIdentifier.parse(mac) == ClaimIdentifier(kind: .mac, value: "3c:d9:2b:00:00:02"), "\(mac)")
        }
        #expect(ClaimIdentifier.parse("CN0001XYZ") == ClaimIdentifier(kind: .serial, value: "CN0001XYZ"))
        // Not identifiers: empty, sentences, placeholders, too short, markup, over-long.
        for junk in [
            "", "   ", "财务处的打印机", "my printer", "0000000", "ab", "<script>", "To be filled by O.E.M.",
            String(repeating: "A1", count: 40),
        ] {
            #expect(ClaimIdentifier.parse(junk) == nil, "\(junk)")
        }
    }

    @Test func aClaimIsFiledWithoutTellingTheClaimantWhatItNamed() throws {
        let (s, dzb, cwc, _) = try campus()
        let onForeign = try s.fileClaim(
            identifier: "3C-D9-2B-00-00-02", reason: "our printer in room 201", scope: liaison, actor: Principal("dzb"))
        let onNothing = try s.fileClaim(
            identifier: "00:1b:a9:99:99:99", reason: "the new copier", scope: liaison, actor: Principal("dzb"))
        #expect(onForeign.status == "open" && onNothing.status == "open" && onForeign.department == "DZB")
        // The claimant's list: its claims, the devices they named hidden either way.
        let mine = try s.listClaims(scope: liaison)
        #expect(mine.map(\.id) == [onNothing.id, onForeign.id])
        #expect(mine.allSatisfy { $0.device == nil && $0.deviceDepartment == nil })
        // IT sees what each named; the owner sees the claim on its device; nobody else does.
        let all = try s.listClaims(scope: .everything)
        #expect(all.first { $0.id == onForeign.id }?.device == cwc)
        #expect(all.first { $0.id == onForeign.id }?.deviceDepartment == "CWC")
        #expect(all.first { $0.id == onNothing.id }?.device == nil)
        #expect(try s.claimsOn(device: cwc, scope: .departments(["CWC"])).map(\.id) == [onForeign.id])
        #expect(try s.listClaims(scope: .departments(["CWC"])).isEmpty)
        #expect(code { try s.claimsOn(device: cwc, scope: liaison) } == .notFound)
        // Refused: a claim for another department, on one's own device, twice, without a reason.
        #expect(
            code {
                try s.fileClaim(identifier: "198.18.10.5", department: "CWC", reason: "x", scope: liaison, actor: it)
            } == .notFound)
        #expect(
            code { try s.fileClaim(identifier: "198.18.10.5", reason: "x", scope: liaison, actor: it) } == .conflict)
        #expect(
            code { try s.fileClaim(identifier: "3c:d9:2b:00:00:02", reason: "again", scope: liaison, actor: it) }
                == .conflict)
        #expect(
            code { try s.fileClaim(identifier: "CN0001XYZ", reason: " ", scope: liaison, actor: it) } == .invalidInput)
        #expect(
            code { try s.fileClaim(identifier: "my printer", reason: "x", scope: liaison, actor: it) } == .invalidInput)
        // IT must say for whom.
        #expect(
            code { try s.fileClaim(identifier: "CN0001XYZ", reason: "x", scope: .everything, actor: it) }
                == .invalidInput)
        _ = dzb
    }

    /// Found in review: a claimant's list with a claim on a device of no department (its
    /// visibility was SQL NULL, read as a Bool: a trap), the audit log naming the device a claim
    /// named to the claimant, and an IP claim decided on the latest device seen at the IP.
    @Test func nothingOfWhatAClaimNamedReachesTheClaimant() throws {
        let (s, dzb, cwc, stray) = try campus()
        let onStray = try s.fileClaim(identifier: "198.18.99.7", reason: "lab PC", scope: liaison, actor: it)
        let onForeign = try s.fileClaim(identifier: "CN0001XYZ", reason: "room 201", scope: liaison, actor: it)
        let mine = try s.listClaims(scope: liaison)
        #expect(mine.map(\.id) == [onForeign.id, onStray.id] && mine.allSatisfy { $0.device == nil })
        #expect(try s.listClaims(scope: .everything).first { $0.id == onStray.id }?.device == stray)
        _ = try s.decideClaim(onForeign.id, grant: false, note: "it is CWC's", scope: .everything, actor: it)
        let entries = try s.auditLog(scope: liaison).filter { $0.action.hasPrefix("claim.") }
        #expect(entries.count == 3)
        for e in entries { #expect(e.details["device"] == nil, "\(e.action) names a device to the claimant") }
        // IT's log keeps what each claim named (the claim rows do), the grant its device.
        #expect(try s.listClaims(scope: .everything).first { $0.id == onForeign.id }?.device == cwc)
        // DZB's printer was at 198.18.10.5; another department's device is seen there later. A
        // claim of that IP is DZB's own conflict, whoever holds it now.
        var later = seen(30, mac: "3c:d9:2b:00:00:09", ip: "198.18.10.5")
        later.hostnames = ["cw-moved"]
        let moved = try device(s, later)
        _ = try s.assign(device: moved, to: "CWC", scope: .everything, actor: it)
        #expect(
            code { try s.fileClaim(identifier: "198.18.10.5", reason: "x", scope: liaison, actor: it) } == .conflict)
        _ = dzb
    }

    @Test func itGrantsOrRefusesAClaimAndOnlyIT() throws {
        let (s, _, cwc, stray) = try campus()
        let bySerial = try s.fileClaim(identifier: "CN0001XYZ", reason: "room 201", scope: liaison, actor: it)
        let byIP = try s.fileClaim(identifier: "198.18.99.7", reason: "lab PC", scope: liaison, actor: it)
        let onNothing = try s.fileClaim(identifier: "00:1b:a9:99:99:99", reason: "copier", scope: liaison, actor: it)
        #expect(code { try s.decideClaim(bySerial.id, grant: true, scope: liaison, actor: it) } == .forbidden)
        #expect(code { try s.decideClaim(byIP.id, grant: false, scope: .everything, actor: it) } == .invalidInput)
        #expect(code { try s.decideClaim(onNothing.id, grant: true, scope: .everything, actor: it) } == .invalidInput)
        #expect(code { try s.decideClaim(999, grant: true, scope: .everything, actor: it) } == .notFound)
        // A device IT names must exist, granted or refused (found by the API fuzzing: a 500).
        for grant in [true, false] {
            #expect(
                code {
                    try s.decideClaim(onNothing.id, grant: grant, note: "n", device: 999, scope: .everything, actor: it)
                }
                    == .notFound)
        }
        #expect(try s.showDevice(cwc, scope: .everything).device.department == "CWC")
        let granted = try s.decideClaim(
            bySerial.id, grant: true, note: "checked on site", scope: .everything, actor: it)
        #expect(granted.status == "granted" && granted.decidedBy == "it" && granted.decisionNote == "checked on site")
        let moved = try s.showDevice(cwc, scope: liaison).device
        #expect(moved.department == "DZB" && moved.ownerRule == "manual")
        // Granted, the claimant sees the device its claim named.
        #expect(try s.listClaims(status: "granted", scope: liaison).map(\.device) == [cwc])
        #expect(
            code { try s.decideClaim(bySerial.id, grant: false, note: "no", scope: .everything, actor: it) }
                == .conflict)
        let refused = try s.decideClaim(byIP.id, grant: false, note: "it is the lab's", scope: .everything, actor: it)
        #expect(refused.status == "refused")
        #expect(try s.showDevice(stray, scope: .everything).device.department == nil)
        // IT may name the device a claim on nothing meant.
        let named = try s.decideClaim(onNothing.id, grant: true, device: stray, scope: .everything, actor: it)
        #expect(named.device == stray)
        #expect(try s.showDevice(stray, scope: liaison).device.department == "DZB")
        #expect(code { try s.listClaims(status: "closed", scope: .everything) } == .invalidInput)
        let actions = try s.auditLog(scope: .everything).map(\.action)
        #expect(actions.filter { $0.hasPrefix("claim.") }.count == 6)
    }

    @Test func aBulkAssignmentIsAllOrNothing() throws {
        let (s, dzb, cwc, stray) = try campus()
        let other = try device(s, seen(3, mac: "3c:d9:2b:00:00:04", ip: "198.18.99.8"))
        // A liaison's batch with a foreign device, an IT batch with a missing one: nothing moves.
        #expect(code { try s.assignDevices([dzb, cwc], to: "DZB", scope: liaison, actor: it) } == .notFound)
        #expect(code { try s.assignDevices([stray, 999], to: "CWC", scope: .everything, actor: it) } == .notFound)
        #expect(code { try s.assignDevices([stray], to: "NOPE", scope: .everything, actor: it) } == .notFound)
        #expect(code { try s.assignDevices([], to: "CWC", scope: .everything, actor: it) } == .invalidInput)
        #expect(try s.listDevices(DeviceQuery(unassignedOnly: true), scope: .everything).map(\.id) == [stray, other])
        let done = try s.assignDevices([stray, other], to: "CWC", scope: .everything, actor: it)
        #expect(done.map(\.device) == [stray, other])
        #expect(try s.listDevices(DeviceQuery(unassignedOnly: true), scope: .everything).isEmpty)
        #expect(try s.listDevices(DeviceQuery(department: "CWC"), scope: .everything).map(\.id) == [cwc, stray, other])
    }
}
