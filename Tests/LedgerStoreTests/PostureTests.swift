import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

/// A test campus of PCs, each built to pass or to fail exactly the named rules.
@Suite struct PostureTests {
    let now = t0
    func daysAgo(_ n: Double) -> Date { now.addingTimeInterval(-n * 86_400) }

    func lifecycle() throws -> [OSLifecycle] {
        let url = Fixtures.scanners("os-lifecycle.tsv")
        return try LifecycleFile.read(Fixtures.read(url), file: url.path)
    }

    func windowsPC(
        _ serial: String, build: String = "26100", edition: String = "Enterprise", reported: Double = 1,
        patched: Double? = 5,
        av: [EndpointReport.AntivirusProduct]? = nil
    ) -> EndpointReport {
        var r = EndpointReport(format: "test")
        r.identity.serials = [serial]
        r.identity.hostname = "pc-\(serial.lowercased())"
        r.collectedAt = daysAgo(reported)
        var os = EndpointReport.OperatingSystem()
        os.name = "Microsoft Windows 11 \(edition)"
        os.build = build
        r.os = os
        r.patches = patched.map { [EndpointReport.Patch(id: "KB5048667", installedAt: daysAgo($0))] } ?? []
        var defender = EndpointReport.AntivirusProduct(name: "Microsoft Defender")
        defender.enabled = true
        defender.signaturesUpToDate = true
        defender.signatureDate = daysAgo(1)
        defender.lastFullScan = daysAgo(3)
        r.antivirus = av ?? [defender]
        return r
    }

    @Test func exactlyTheFailingPCsAreFlaggedWithTheirRules() throws {
        let ledger = try campusLedger()
        var staleSignatures = EndpointReport.AntivirusProduct(name: "火绒安全软件")
        staleSignatures.enabled = true
        staleSignatures.signatureDate = daysAgo(20)
        var disabled = EndpointReport.AntivirusProduct(name: "360杀毒")
        disabled.enabled = false
        var noScan = EndpointReport.AntivirusProduct(name: "Microsoft Defender")
        noScan.enabled = true
        noScan.signaturesUpToDate = true
        noScan.signatureDate = daysAgo(2)
        noScan.lastFullScan = daysAgo(90)
        var linux = EndpointReport(format: "test")
        linux.identity.serials = ["LINUX0001"]
        linux.collectedAt = daysAgo(2)
        var debian = EndpointReport.OperatingSystem()
        debian.name = "Debian GNU/Linux 12 (bookworm)"
        linux.os = debian
        linux.pendingUpdates = [.init(id: "openssl", security: true), .init(id: "vim", security: false)]
        linux.sections = [.os, .software, .pendingUpdates]

        let cases: [(EndpointReport, Set<PostureFinding.Code>)] = [
            (windowsPC("GOOD0001"), []),
            (windowsPC("OLDOS001", build: "22631", edition: "Pro"), [.osEndOfLife]),  // 23H2 Pro ended 2025-11-11
            (windowsPC("NOPATCH1", patched: 45), [.patchStale]),
            (windowsPC("NEVERPAT", patched: nil), [.patchStale]),
            (windowsPC("STALEREP", reported: 30), [.reportStale]),
            (windowsPC("NOAV0001", av: []), [.noAntivirus]),
            (windowsPC("AVOFF001", av: [disabled]), [.antivirusDisabled]),
            (windowsPC("SIGOLD01", av: [staleSignatures]), [.signaturesStale]),
            (windowsPC("NOSCAN01", av: [noScan]), [.scanOverdue]),
            (linux, [.securityUpdatesPending]),
        ]
        var expected: [Int64: Set<PostureFinding.Code>] = [:]
        for (report, codes) in cases {
            let id = try ledger.importEndpointReports([report], sourceRef: "test").deviceIDs[0]
            expected[id] = codes
        }
        // A PC the scanner found but no agent reports on: its posture is unknown.
        let scanned = try ledger.merge([scan(0, mac: "54:e1:ad:99:00:01", ip: "198.18.10.99", cls: .pc)]).deviceIDs[0]
        expected[scanned] = [.noReport]
        // A printer is no PC: not judged.
        try ledger.merge([scan(0, mac: "3c:d9:2b:99:00:02", ip: "198.18.10.98", cls: .printer)])

        let table = try lifecycle()
        let pcs = try ledger.posturePCs(DeviceFilter())
        #expect(Set(pcs.map(\.id)) == Set(expected.keys))
        for pc in pcs {
            let codes = Set(
                PostureRules.evaluate(pc.input, policy: PosturePolicy(), lifecycle: table, now: now).map(\.code))
            #expect(codes == expected[pc.id], "device \(pc.id) \(pc.hostname ?? "")")
        }
    }

    @Test func thresholdsComeFromThePolicyFile() throws {
        let policy = try PolicyFile.read(
            Data("patch_max_age_days = 60\nrequire_antivirus_on_linux = yes\n".utf8), file: "p.conf")
        #expect(policy.patchMaxAgeDays == 60)
        #expect(policy.requireAntivirusOnLinux)
        #expect(policy.signatureMaxAgeDays == 7)
        #expect(throws: InputError(file: "p.conf", line: 2, reason: "unknown setting 'patch_age'")) {
            try PolicyFile.read(Data("# x\npatch_age = 3\n".utf8), file: "p.conf")
        }
        #expect(throws: InputError.self) {
            try PolicyFile.read(Data("report_max_age_days = soon\n".utf8), file: "p.conf")
        }
    }

    @Test func windowsReleasesEndOnTheirDatedDay() throws {
        let table = try lifecycle()
        func eol(_ name: String, _ build: String?) -> String? {
            var os = EndpointReport.OperatingSystem()
            os.name = name
            os.build = build
            return table.first { $0.matches(os) }.map { $0.endOfSupport.formatted(.iso8601.year().month().day()) }
        }
        #expect(eol("Microsoft Windows 7 Professional", "7601") == "2020-01-14")
        #expect(eol("Microsoft Windows 10 Pro", "19045") == "2025-10-14")
        #expect(eol("Microsoft Windows 10 Enterprise LTSC 2021", "19044") == "2027-01-12")
        #expect(eol("Microsoft Windows 11 Pro", "22631") == "2025-11-11")
        #expect(eol("Microsoft Windows 11 Enterprise", "22631") == "2026-11-10")
        #expect(eol("Microsoft Windows Server 2012 R2 Standard", "9600") == "2023-10-10")
        #expect(eol("CentOS Stream release 8", nil) == "2024-05-31")
        #expect(eol("Debian GNU/Linux 12 (bookworm)", nil) == "2028-06-30")
    }
}
