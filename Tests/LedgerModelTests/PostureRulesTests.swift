import Foundation
import Testing

@testable import LedgerModel

/// The posture rules on one PC's facts.
@Suite struct PostureRulesTests {
    // Ages of hostile dates trapped: a signature or report date of no time is stale (its age
    // reads "? days"), not a crash.
    @Test func aSignatureDateOfNoTimeFailsThePostureRule() {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        var av = EndpointReport.AntivirusProduct(name: "X")
        av.enabled = true
        av.signatureDate = Date(timeIntervalSince1970: .nan)
        let pc = PostureInput(
            os: nil, lastReport: Date(timeIntervalSince1970: .infinity), lastPatch: nil, patchCount: 0,
            pendingSecurityUpdates: 0, antivirus: [av])
        var policy = PosturePolicy()
        policy.requireAntivirusOnLinux = true
        let findings = PostureRules.evaluate(pc, policy: policy, lifecycle: [], now: now)
        #expect(findings.map(\.code).contains(.reportStale))
        #expect(findings.map(\.code).contains(.signaturesStale))
        #expect(findings.first { $0.code == .reportStale }?.detail.contains("? days") == true)
    }
}
