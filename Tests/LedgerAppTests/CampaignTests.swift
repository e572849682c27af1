import Foundation
import LedgerModel
import LedgerStore
import TestSupport
import Testing

@testable import LedgerApp

/// The self-check (自查) end to end on the test college of ComplianceTests.
@Suite struct CampaignTests {
    let it = Principal("cli:it")
    let cwcLiaison = Principal("web:wangwu")
    let cwc = DeviceScope.departments(["CWC"])
    /// A day after the college's reports: every PC reported within the window.
    let now = t0.addingTimeInterval(86_400)

    @Test func aSelfCheckRunsFromOpeningToTheDiffWithTheNextYear() throws {
        let s = try ComplianceTests.college()
        let c = try s.openCampaign(
            kind: "self-check", name: "2026年软件正版化自查", deadline: "2026-12-31", scope: .everything, actor: it)
        #expect(c.status == "open" && c.openedBy == "cli:it")
        #expect(
            code { try s.openCampaign(kind: "self-check", name: "x", deadline: "31/12", scope: .everything, actor: it) }
                == .invalidInput)
        #expect(
            code { try s.openCampaign(kind: "self-check", name: "x", deadline: "2026-12-31", scope: cwc, actor: it) }
                == .forbidden)

        // CWC's findings: Office 2010 Pro Plus and Windows 7 Pro beyond its licences, and the 5
        // KMSpico PCs (a crack is unlicensed whatever the licences).
        let findings = try s.campaignFindings(c.id, now: now, scope: cwc)
        #expect(!findings.isEmpty && findings.allSatisfy { $0.department == "CWC" && $0.status == "open" })
        let cracks = findings.filter { $0.kind == "unlicensed" && $0.product == "Activation crack" }
        #expect(cracks.count == 5)
        #expect(findings.contains { $0.kind == "unknown_title" })
        #expect(!findings.contains { $0.kind == "no_report" })
        // Stable ids: recomputing gives the same findings.
        #expect(try s.campaignFindings(c.id, now: now, scope: cwc).map(\.id) == findings.map(\.id))
        // A year later every PC is a PC without a recent report.
        let late = try s.campaignFindings(c.id, now: t0.addingTimeInterval(400 * 86_400), scope: cwc)
        #expect(late.filter { $0.kind == "no_report" }.count == 60)

        // Resolving: only a finding of the caller's department; exempt needs a reason.
        let crack = cracks[0]
        #expect(
            code {
                try s.resolveFinding(
                    campaign: c.id, finding: crack.id, as: .notOurs, scope: .departments(["DZB"]), actor: it)
            } == .notFound)
        #expect(
            code {
                try s.resolveFinding(
                    campaign: c.id, finding: crack.id, as: .exempt(reason: " "), scope: cwc, actor: cwcLiaison)
            } == .invalidInput)
        let resolved = try s.resolveFinding(
            campaign: c.id, finding: crack.id, as: .uninstalled, scope: cwc, actor: cwcLiaison)
        #expect(
            resolved.status == "resolved" && resolved.resolution == "uninstalled" && resolved.resolvedBy == "web:wangwu"
        )
        let bought = try #require(findings.first { $0.kind == "unknown_title" })
        #expect(
            code {
                try s.resolveFinding(
                    campaign: c.id, finding: bought.id, as: .licenceBought(reference: ""), scope: cwc, actor: cwcLiaison
                )
            } == .invalidInput)
        #expect(
            try s.resolveFinding(
                campaign: c.id, finding: bought.id, as: .exempt(reason: "本单位自研软件"), scope: cwc, actor: cwcLiaison
            ).reason == "本单位自研软件")

        // A newer report of that PC still holding KMSpico reopens the finding (at query time).
        let device = try #require(crack.device)
        var report = EndpointReport(format: "test")
        report.collectedAt = Date().addingTimeInterval(120)
        report.identity.serials = [try #require(try s.ledger.device(device).summary.serial)]
        var os = EndpointReport.OperatingSystem()
        os.name = "Microsoft Windows 7 Professional"
        report.os = os
        report.software = [EndpointReport.Software(name: "KMSpico 10.2.0", source: "registry")]
        try s.ledger.importEndpointReports([report], sourceRef: "newer")
        #expect(try s.campaignFindings(c.id, now: now, scope: cwc).first { $0.id == crack.id }?.status == "reopened")

        // Checks, sign-off (own department only), a deterministic sample and its results.
        try s.checkPC(campaign: c.id, device: device, scope: cwc, actor: cwcLiaison)
        #expect(
            code { try s.checkPC(campaign: c.id, device: device, scope: .departments(["DZB"]), actor: it) } == .notFound
        )
        try s.signOff(
            campaign: c.id, department: "CWC", by: "张处长", statement: "本部门已完成自查", scope: cwc, actor: cwcLiaison)
        #expect(
            code {
                try s.signOff(campaign: c.id, department: "DZB", by: "x", statement: "y", scope: cwc, actor: cwcLiaison)
            } == .notFound)
        #expect(
            code { try s.drawSample(campaign: c.id, department: "CWC", count: 5, scope: cwc, actor: cwcLiaison) }
                == .forbidden)
        let sample = try s.drawSample(
            campaign: c.id, department: "CWC", count: 5, seed: 7, scope: .everything, actor: it)
        #expect(sample.count == 5 && Set(sample.map(\.device)).count == 5)
        #expect(
            try s.drawSample(campaign: c.id, department: "CWC", count: 5, seed: 7, scope: .everything, actor: it)
                == sample)
        #expect(
            try s.drawSample(campaign: c.id, department: "CWC", count: 5, seed: 8, scope: .everything, actor: it).map(
                \.device) != sample.map(\.device))
        let drawn = try s.drawSample(
            campaign: c.id, department: "CWC", count: 5, seed: 7, scope: .everything, actor: it)
        try s.recordSampleResult(
            campaign: c.id, device: drawn[0].device, passed: true, note: "无盗版", confirmedBy: "王五", scope: .everything,
            actor: it)
        try s.recordSampleResult(
            campaign: c.id, device: drawn[1].device, passed: false, note: "KMSpico 仍在", confirmedBy: "王五",
            scope: .everything,
            actor: it)
        #expect(
            code {
                try s.recordSampleResult(
                    campaign: c.id, device: 999_999, passed: true, note: "", confirmedBy: "x", scope: .everything,
                    actor: it)
            } == .notFound)
        #expect(
            code { try s.drawSample(campaign: c.id, department: "CWC", count: 3, scope: .everything, actor: it) }
                == .conflict)

        let show = try s.showCampaign(c.id, now: now, scope: cwc)
        let progress = try #require(show.departments.first)
        #expect(show.departments.map(\.department) == ["CWC"])
        #expect(progress.findings == findings.count && progress.reopened == 1 && progress.resolved == 1)
        #expect(progress.open == findings.count - 2 && progress.pcs == 60 && progress.pcsChecked == 1)
        #expect(
            progress.signedBy == "张处长" && progress.sampled == 5 && progress.samplePassed == 1
                && progress.sampleFailed == 1)

        // Closing freezes: the findings come from the snapshot and nothing changes any more.
        let before = try s.campaignFindings(c.id, now: now, scope: .everything)
        _ = try s.closeCampaign(c.id, now: now, scope: .everything, actor: it)
        #expect(try s.campaignFindings(c.id, scope: .everything) == before)
        #expect(try s.showCampaign(c.id, scope: cwc).departments == show.departments)
        #expect(
            code {
                try s.resolveFinding(campaign: c.id, finding: bought.id, as: .notOurs, scope: cwc, actor: cwcLiaison)
            } == .conflict)
        #expect(
            code {
                try s.signOff(campaign: c.id, department: "CWC", by: "x", statement: "y", scope: cwc, actor: cwcLiaison)
            } == .conflict)
        #expect(code { try s.closeCampaign(c.id, scope: .everything, actor: it) } == .conflict)

        // Next year: the reopened PC is cleaned for real; the diff shows the crack gone.
        let next = try s.openCampaign(
            kind: "self-check", name: "2027年自查", deadline: "2027-12-31", scope: .everything, actor: it)
        #expect(code { try s.diffCampaigns(old: c.id, new: next.id, scope: .everything) } == .conflict)
        report.collectedAt = Date().addingTimeInterval(240)
        report.software = []
        try s.ledger.importEndpointReports([report], sourceRef: "cleaned")
        _ = try s.closeCampaign(next.id, now: now, scope: .everything, actor: it)
        let diff = try s.diffCampaigns(old: c.id, new: next.id, scope: cwc)
        #expect(diff.goneFindings.contains { $0.device == device && $0.product == "Activation crack" })
        #expect(diff.departments.map(\.department) == ["CWC"])
        #expect(
            diff.compliance.contains { $0.product == "Activation crack" && $0.oldInstalls == 5 && $0.newInstalls == 4 })

        // Every step is in the audit log, the liaison's under its department.
        let actions = try s.auditLog(scope: cwc).map(\.action)
        #expect(actions.filter { $0 == "campaign.resolve" }.count == 2)
        #expect(actions.contains("campaign.sign_off") && actions.contains("campaign.sample_result"))
        #expect(try s.auditLog(scope: .everything).filter { $0.action == "campaign.close" }.count == 2)
    }

    @Test func aResolutionAppliesOnlyToAFindingOfItsOwnDepartment() throws {
        let s = try ComplianceTests.college()
        let c = try s.openCampaign(
            kind: "self-check", name: "自查", deadline: "2026-12-31", scope: .everything, actor: it)
        let finding = try #require(try s.campaignFindings(c.id, now: now, scope: cwc).first)
        #expect(finding.department == "CWC")
        // A resolution stored under the same id but for another department (what a colliding id
        // would give) never resolves CWC's finding.
        try s.ledger.resolveFindings(
            campaign: c.id,
            [
                Ledger.FindingResolution(
                    finding: finding.id, department: "DZB", resolution: "not-ours", reference: nil, reason: nil,
                    details: [:])
            ], actor: it)
        let still = try #require(try s.campaignFindings(c.id, now: now, scope: cwc).first { $0.id == finding.id })
        #expect(still.status == "open" && still.resolution == nil)
        // Recorded for its own department, it does.
        try s.ledger.resolveFindings(
            campaign: c.id,
            [
                Ledger.FindingResolution(
                    finding: finding.id, department: "CWC", resolution: "not-ours", reference: nil, reason: nil,
                    details: [:])
            ], actor: it)
        let resolved = try #require(try s.campaignFindings(c.id, now: now, scope: cwc).first { $0.id == finding.id })
        #expect(resolved.status == "resolved" && resolved.resolution == "not-ours")
    }

    /// The console's bulk actions: a batch with one foreign or unknown id is refused whole.
    @Test func aBatchOfResolutionsOrChecksIsAllOrNothing() throws {
        let s = try ComplianceTests.college()
        let c = try s.openCampaign(
            kind: "self-check", name: "2026年自查", deadline: "2026-12-31", scope: .everything, actor: it)
        let own = try s.campaignFindings(c.id, now: now, scope: cwc)
        let foreign = try #require(try s.campaignFindings(c.id, now: now, scope: .departments(["DZB"])).first)
        let batch = own.prefix(3).map { ($0.id, Resolution.exempt(reason: "教学用")) }
        #expect(
            code {
                try s.resolveFindings(
                    campaign: c.id, batch + [(foreign.id, .notOurs)], scope: cwc, actor: cwcLiaison)
            } == .notFound)
        #expect(
            code {
                try s.resolveFindings(campaign: c.id, batch + [batch[0]], scope: cwc, actor: cwcLiaison)
            } == .invalidInput)
        #expect(try s.campaignFindings(c.id, now: now, scope: cwc).allSatisfy { $0.status == "open" })
        let done = try s.resolveFindings(campaign: c.id, batch, scope: cwc, actor: cwcLiaison)
        #expect(done.map(\.id) == batch.map(\.0) && done.allSatisfy { $0.status == "resolved" })
        #expect(try s.auditLog(scope: cwc).filter { $0.action == "campaign.resolve" }.count == 3)
        // PCs: one of DZB's in CWC's batch refuses it whole.
        let cwcPCs = try s.listDevices(scope: cwc).map(\.id)
        let dzbPC = try #require(try s.listDevices(scope: .departments(["DZB"])).first?.id)
        #expect(
            code { try s.checkPCs(campaign: c.id, devices: cwcPCs + [dzbPC], scope: cwc, actor: cwcLiaison) }
                == .notFound)
        #expect(try s.showCampaign(c.id, now: now, scope: cwc).departments.first?.pcsChecked == 0)
        try s.checkPCs(campaign: c.id, devices: cwcPCs, scope: cwc, actor: cwcLiaison)
        #expect(try s.showCampaign(c.id, now: now, scope: cwc).departments.first?.pcsChecked == 60)
    }

    @Test func findingIdsAreTheFirst128BitsOfASHA256() {
        // FIPS 180-4's examples.
        #expect(Digest.sha256Hex("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256Hex("".utf8) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            Digest.sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Digest.sha256Hex(Array(repeating: UInt8(ascii: "a"), count: 1000)).count == 64)
        let id = LedgerService.findingID(1, ["unlicensed", "CWC", "7", "Microsoft Office", "Pro", ""])
        #expect(id.count == 33 && id.hasPrefix("F"))
        #expect(id == LedgerService.findingID(1, ["unlicensed", "CWC", "7", "Microsoft Office", "Pro", ""]))
        #expect(id != LedgerService.findingID(1, ["unlicensed", "DZB", "7", "Microsoft Office", "Pro", ""]))
    }
}
