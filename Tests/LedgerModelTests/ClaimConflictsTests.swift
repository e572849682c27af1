import Foundation
import Testing

@testable import LedgerModel

/// `ClaimConflicts`: what `device show` lists as claims that disagree.
@Suite struct ClaimConflictsTests {
    func observation(_ source: ObservationSource, _ minutes: Double, vendor: String?, model: String? = nil)
        -> Observation
    {
        var o = Observation(
            source: source, observedAt: Date(timeIntervalSince1970: 1_800_000_000 + minutes * 60),
            deviceClass: .printer, vendor: vendor)
        o.model = model
        return o
    }

    @Test func sourcesNamingAnotherVendorConflict() {
        let c = ClaimConflicts.of([
            observation(.scan, 0, vendor: "HP Inc.", model: "LaserJet M404"),
            observation(.agent, 1, vendor: "Kyocera", model: "LaserJet M404"),
        ])
        #expect(c == ["vendor: HP Inc. (scan) vs Kyocera (agent)"])
    }

    @Test func onlyEachSourcesLatestCountsAndSpellingsOfOneValueAgree() {
        // The scan's older answer (Kyocera) was replaced by its newer one; "HP  Inc" and
        // "HP Inc." are one value; a source naming no vendor disagrees with nobody.
        let c = ClaimConflicts.of([
            observation(.scan, 0, vendor: "Kyocera"), observation(.scan, 5, vendor: "HP Inc."),
            observation(.agent, 2, vendor: "HP  Inc"), observation(.import, 3, vendor: nil),
        ])
        #expect(c.isEmpty)
    }

    @Test func recordedConflictsAreListedOnceWithTheirSource() {
        var o = observation(.scan, 0, vendor: "HP Inc.")
        let conflict = Evidence(
            field: "conflict", value: "class: printer (ipp) over pc (snmp)", reason: "", certainty: 0)
        o.evidence = [conflict, conflict]
        #expect(ClaimConflicts.of([o, o]) == ["scan: class: printer (ipp) over pc (snmp)"])
    }
}
