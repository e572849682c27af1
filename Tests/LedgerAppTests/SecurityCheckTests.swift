import Discovery
import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

@testable import LedgerApp

/// The annual security check (网络安全检查) end to end on a small college: DZB and CWC (from
/// `campusService`), PCs built on a real agent sample's titles, printers and a display seen by
/// scans, every automatic item judged both ways.
@Suite struct SecurityCheckTests {
    let it = Principal("cli:it")
    let dzbLiaison = Principal("web:dzb")
    let dzb = DeviceScope.departments(["DZB"])
    let cwc = DeviceScope.departments(["CWC"])
    /// A day after the reports and scans (2026-09-22): Windows 11 24H2 is supported until
    /// 2026-10-13, Windows 10 22H2 ended on 2025-10-14.
    static let now = t0.addingTimeInterval(86_400)

    struct College {
        var service: LedgerService
        var pcGood: Int64, pcBad: Int64, pcLinux: Int64, pcCWC: Int64
        var printerTelnet: Int64, printerSafe: Int64, printerNmap: Int64, printerUnassigned: Int64
        var display: Int64
    }

    /// An SNMP v2c response from an agent that accepted `community`.
    static func snmpAnswer(_ community: String) throws -> Signals {
        let list = ber(0x30, berOID("1.3.6.1.2.1.1.5.0") + ber(0x04, Array("prn".utf8)))
        let pdu = ber(0xA2, berInt(7) + berInt(0) + berInt(0) + ber(0x30, list))
        let message = try SNMPMessage.parse(ber(0x30, berInt(1) + ber(0x04, Array(community.utf8)) + pdu)[...])
        return ProbeAnswers.snmp(message)
    }

    /// A host as a scan saw it, turned into its observation the way `runScan` does.
    static func scanned(
        _ ip: String, mac: String, _ cls: DeviceClass, open: [UInt16], firmware: String?, answered: String? = nil,
        asked: [String]
    ) throws -> Observation {
        var h = ScannedHost(ip: IPAddress(ip)!, mac: mac, macVendor: nil)
        h.openPorts = open
        if let answered { h.signals.merge(try snmpAnswer(answered)) }
        h.signals.add("ipp.printer-firmware-string-version", firmware)
        h.fingerprint.deviceClass = cls
        var o = h.observation(
            at: t0, sourceRef: "scan eth0",
            coverage: ScanCoverage(tcpPorts: PortList.defaultPorts, snmpCommunities: asked))
        o.evidence.append(Evidence(field: "class", value: cls.rawValue, reason: "test rule", certainty: 80))
        return o
    }

    static func college() throws -> College {
        let s = try campusService()
        let laptop = try ComplianceTests.software("open-audit/laptop.xml")
        var reports: [EndpointReport] = []
        func pc(
            _ n: Int, _ ip: String, os: String, build: String?, patched: Date?, pendingSecurity: Bool = false,
            antivirus: EndpointReport.AntivirusProduct?, software: [EndpointReport.Software]
        ) {
            var r = EndpointReport(format: "test")
            r.collectedAt = t0
            r.identity.hostname = "sec-pc\(n)"
            r.identity.serials = ["SN-SEC-\(n)"]
            r.identity.macs = [String(format: "00:16:3e:10:00:%02x", n)]
            r.identity.ips = [ip]
            var o = EndpointReport.OperatingSystem()
            o.name = os
            o.build = build
            r.os = o
            if let patched { r.patches = [EndpointReport.Patch(id: "KB50\(n)", title: nil, installedAt: patched)] }
            if pendingSecurity {
                r.pendingUpdates = [
                    EndpointReport.PendingUpdate(id: "KB5099", title: "Security update", security: true)
                ]
            }
            r.antivirus = antivirus.map { [$0] } ?? []
            r.software = software
            reports.append(r)
        }
        func defender(enabled: Bool, signatures: Date) -> EndpointReport.AntivirusProduct {
            var av = EndpointReport.AntivirusProduct(name: "Windows Defender")
            av.enabled = enabled
            av.signatureDate = signatures
            return av
        }
        let day = 86_400.0
        // DZB: a sound Windows 11 24H2, a Windows 10 22H2 left behind (patched 60 days ago, a
        // security update pending, Defender off, KMSpico), a Debian 12 PC; CWC: a sound PC
        // whose Windows no licence covers.
        pc(
            1, "198.18.10.21", os: "Microsoft Windows 11 Pro", build: "26100", patched: t0 - 5 * day,
            antivirus: defender(enabled: true, signatures: t0 - day), software: laptop)
        pc(
            2, "198.18.10.22", os: "Microsoft Windows 10 Pro", build: "19045", patched: t0 - 60 * day,
            pendingSecurity: true, antivirus: defender(enabled: false, signatures: t0 - day),
            software: laptop + [EndpointReport.Software(name: "KMSpico 10.2.0", source: "registry")])
        pc(
            3, "198.18.10.23", os: "Debian GNU/Linux 12 (bookworm)", build: nil, patched: t0 - 3 * day,
            antivirus: nil, software: [])
        pc(
            4, "198.18.11.21", os: "Microsoft Windows 11 Pro", build: "26100", patched: t0 - 2 * day,
            antivirus: defender(enabled: true, signatures: t0 - day), software: laptop)
        try s.ledger.importEndpointReports(reports, sourceRef: "college")
        let licences = """
            product,edition,versions,metric,seats,department_code,valid_from,valid_to,source,contract,supplier,amount_cny,note
            Microsoft Windows,Pro,,device,5,DZB,,,volume,HT-SEC-1,,,
            """
        _ = try s.importLicenses(file: try tempFile("l.csv", licences), scope: .everything, actor: Principal("test"))
        func id(_ ip: String) throws -> Int64 {
            try #require(try s.ledger.devices(DeviceFilter()).first { $0.ips.contains(ip) }?.id)
        }
        // Printers and a display as the scanner saw them: one with Telnet open and answering
        // `public`, one with only 9100/80 open and silent to both default communities, a display
        // without firmware whose scan asked only `public`, a printer known from an nmap import
        // (open ports, not which were asked), and one outside every subnet.
        let telnet = try scanned(
            "198.18.10.51", mac: "00:1b:a9:00:00:51", .printer, open: [23, 80, 9100], firmware: "1.20",
            answered: "public", asked: ["public"])
        let safe = try scanned(
            "198.18.10.52", mac: "00:1b:a9:00:00:52", .printer, open: [80, 9100], firmware: "2.05",
            asked: ["public", "private"])
        let display = try scanned(
            "198.18.11.61", mac: "00:1b:a9:00:00:61", .display, open: [4352], firmware: nil,
            asked: ["public", "s3cret"])
        var nmap = seen(0, mac: "00:1b:a9:00:00:53", ip: "198.18.10.53")
        nmap.source = .import
        nmap.evidence.append(Evidence(field: "port", value: "tcp/9100", reason: "nmap: open jetdirect", certainty: 100))
        let stray = try scanned(
            "198.18.99.5", mac: "00:1b:a9:00:00:99", .printer, open: [80], firmware: "3.0",
            asked: ["public", "private"])
        _ = try s.ledger.merge([telnet, safe, display, nmap, stray])
        return College(
            service: s, pcGood: try id("198.18.10.21"), pcBad: try id("198.18.10.22"), pcLinux: try id("198.18.10.23"),
            pcCWC: try id("198.18.11.21"), printerTelnet: try id("198.18.10.51"), printerSafe: try id("198.18.10.52"),
            printerNmap: try id("198.18.10.53"), printerUnassigned: try id("198.18.99.5"),
            display: try id("198.18.11.61"))
    }

    func result(_ rows: [SecurityCheckResultOutput], _ device: Int64, _ item: String) throws
        -> SecurityCheckResultOutput
    {
        try #require(rows.first { $0.device == device && $0.item == item })
    }

    @Test func everyAutomaticItemIsJudgedBothWaysWithItsEvidence() throws {
        let c = try Self.college()
        let s = c.service
        try s.setCustody(device: c.printerSafe, responsible: "李四", location: "行政楼 301", scope: .everything, actor: it)
        let campaign = try s.openCampaign(
            kind: "security-check", name: "2026年网络安全检查", deadline: "2026-12-31", scope: .everything, actor: it)
        #expect(campaign.kind == "security-check")
        let rows = try s.securityCheckResults(campaign.id, SecurityCheckQuery(now: Self.now), scope: .everything)
        func check(
            _ device: Int64, _ item: String, _ expected: String, auto: String? = nil, evidence: String? = nil,
            _ location: SourceLocation = #_sourceLocation
        ) throws {
            let r = try result(rows, device, item)
            #expect(r.result == expected, "\(item): \(r.evidence ?? "")", sourceLocation: location)
            if let auto { #expect(r.autoResult == auto, sourceLocation: location) }
            if let evidence {
                #expect(r.evidence?.contains(evidence) == true, "\(r.evidence ?? "nil")", sourceLocation: location)
            }
        }
        // PCs: the sound one passes everything the ledger judges.
        try check(c.pcGood, "pc_patched", "pass", evidence: "last patch")
        try check(c.pcGood, "pc_antivirus", "pass", evidence: "Windows Defender")
        try check(c.pcGood, "pc_os_supported", "pass", evidence: "supported until 2026-10-13")
        try check(c.pcGood, "pc_licensed_software", "pass", evidence: "no unlicensed install")
        try check(c.pcGood, "pc_owner_department", "pass", evidence: "DZB")
        try check(c.pcGood, "pc_responsible", "fail")
        // The one left behind fails each, and says why.
        try check(c.pcBad, "pc_patched", "fail", evidence: "61 days ago (limit 30)")
        #expect(try result(rows, c.pcBad, "pc_patched").evidence?.contains("security update") == true)
        try check(c.pcBad, "pc_antivirus", "fail", evidence: "disabled")
        try check(c.pcBad, "pc_os_supported", "fail", evidence: "out of support since 2025-10-14")
        try check(c.pcBad, "pc_licensed_software", "fail", evidence: "Activation crack")
        // Its Windows is licensed (DZB's 5 seats): only the crack is named.
        #expect(try result(rows, c.pcBad, "pc_licensed_software").evidence?.contains("Windows") == false)
        // Linux: antivirus not required by the policy (n/a, by the ledger), patched on pending updates.
        try check(c.pcLinux, "pc_antivirus", "na", auto: "na")
        try check(c.pcLinux, "pc_patched", "pass")
        try check(c.pcLinux, "pc_os_supported", "pass", evidence: "Debian 12")
        try check(c.pcLinux, "pc_licensed_software", "pass")
        // CWC's Windows has no licence: unlicensed, though everything else is sound.
        try check(c.pcCWC, "pc_licensed_software", "fail", evidence: "Microsoft Windows Pro")
        try check(c.pcCWC, "pc_patched", "pass")
        // Manual items start unanswered, with no automatic judgment.
        let manual = try result(rows, c.pcGood, "pc_storage_media")
        #expect(manual.result == "unanswered" && manual.source == "none" && manual.autoResult == nil)
        // pc_physical is for servers only: no PC has it.
        #expect(!rows.contains { $0.item == "pc_physical" })

        // Printers: Telnet open and `public` answered fail; 9100/80 only and silence pass.
        try check(c.printerTelnet, "dev_no_telnet_ftp", "fail", evidence: "TCP 23 open")
        try check(c.printerTelnet, "dev_snmp_default", "fail", evidence: "answered SNMP community public")
        try check(c.printerTelnet, "dev_firmware", "pass", evidence: "1.20")
        try check(c.printerTelnet, "dev_responsible", "fail")
        try check(c.printerSafe, "dev_no_telnet_ftp", "pass", evidence: "open: 80,9100")
        try check(c.printerSafe, "dev_snmp_default", "pass", evidence: "no answer to public, private")
        try check(c.printerSafe, "dev_responsible", "pass", evidence: "李四")
        // The display: no firmware; its scan asked only `public` (the other community is no
        // default and never named), so the SNMP item cannot be judged.
        try check(c.display, "dev_firmware", "fail", evidence: "no firmware")
        try check(c.display, "dev_no_telnet_ftp", "pass")
        try check(c.display, "dev_snmp_default", "unanswered", auto: "unknown", evidence: "private not asked")
        #expect(try result(rows, c.display, "dev_snmp_default").evidence?.contains("s3cret") == false)
        try check(c.display, "display_content", "unanswered")
        // nmap import: open ports without the ports asked is no proof that 21/23 are closed.
        try check(c.printerNmap, "dev_no_telnet_ftp", "unanswered", auto: "unknown", evidence: "open: 9100")
        try check(c.printerNmap, "dev_snmp_default", "unanswered", auto: "unknown")
        // The unassigned printer fails the owner item.
        try check(c.printerUnassigned, "dev_owner_department", "fail")
        // PC items never reach printers, nor printer items PCs.
        #expect(!rows.contains { $0.device == c.printerSafe && $0.item.hasPrefix("pc_") })
        #expect(!rows.contains { $0.device == c.pcGood && $0.item.hasPrefix("dev_") })
        // --failing lists only failures.
        let failing = try s.securityCheckResults(
            campaign.id, SecurityCheckQuery(failingOnly: true, now: Self.now), scope: .everything)
        #expect(!failing.isEmpty && failing.allSatisfy { $0.result == "fail" })
        #expect(failing.count == rows.filter { $0.result == "fail" }.count)
    }

    @Test func manualResultsOverridesScopeAndClosing() throws {
        let c = try Self.college()
        let s = c.service
        let campaign = try s.openCampaign(
            kind: "security-check", name: "2026年网络安全检查", deadline: "2026-12-31", scope: .everything, actor: it)
        let id = campaign.id
        // A manual item, by DZB's liaison, with who and when.
        let recorded = try s.recordSecurityCheck(
            campaign: id, device: c.printerTelnet, item: "dev_admin_password", result: "fail", note: "出厂口令未改",
            now: Self.now, scope: dzb, actor: dzbLiaison)
        #expect(
            recorded.result == "fail" && recorded.source == "manual" && recorded.checkedBy == "web:dzb"
                && recorded.note == "出厂口令未改" && recorded.checkedAt != nil)
        // Recording again replaces it.
        let fixed = try s.recordSecurityCheck(
            campaign: id, device: c.printerTelnet, item: "dev_admin_password", result: "pass", note: "已修改",
            now: Self.now, scope: dzb, actor: dzbLiaison)
        #expect(fixed.result == "pass")
        // Overriding an automatic item needs the reason; the ledger's judgment stays visible.
        #expect(
            code {
                try s.recordSecurityCheck(
                    campaign: id, device: c.display, item: "dev_snmp_default", result: "pass", now: Self.now,
                    scope: .everything, actor: it)
            } == .invalidInput)
        let override = try s.recordSecurityCheck(
            campaign: id, device: c.display, item: "dev_snmp_default", result: "pass", note: "现场核实已关闭SNMP",
            now: Self.now, scope: .everything, actor: it)
        #expect(override.result == "pass" && override.source == "manual" && override.autoResult == "unknown")
        // Scope: DZB's liaison cannot see or check CWC's display (not found, like no device).
        #expect(
            code {
                try s.recordSecurityCheck(
                    campaign: id, device: c.display, item: "dev_physical", result: "pass", now: Self.now, scope: dzb,
                    actor: dzbLiaison)
            } == .notFound)
        let dzbRows = try s.securityCheckResults(id, SecurityCheckQuery(now: Self.now), scope: dzb)
        #expect(!dzbRows.isEmpty && dzbRows.allSatisfy { $0.department == "DZB" })
        #expect(!dzbRows.contains { $0.device == c.display || $0.device == c.printerUnassigned })
        #expect(code { try s.securityCheckResults(id, SecurityCheckQuery(department: "CWC"), scope: dzb) } == .notFound)
        // Nor set its custody.
        #expect(
            code { try s.setCustody(device: c.display, responsible: "x", scope: dzb, actor: dzbLiaison) } == .notFound)
        // Wrong item, wrong class, wrong result.
        #expect(
            code {
                try s.recordSecurityCheck(
                    campaign: id, device: c.pcGood, item: "no_such_item", result: "pass", scope: .everything, actor: it)
            } == .notFound)
        #expect(
            code {
                try s.recordSecurityCheck(
                    campaign: id, device: c.pcGood, item: "display_content", result: "pass", scope: .everything,
                    actor: it)
            } == .invalidInput)
        #expect(
            code {
                try s.recordSecurityCheck(
                    campaign: id, device: c.pcGood, item: "pc_storage_media", result: "ok", scope: .everything,
                    actor: it)
            } == .invalidInput)

        // Progress by department: DZB's devices by class and item counts.
        let progress = try s.securityCheckProgress(campaign: id, now: Self.now, scope: .everything)
        let dzbProgress = try #require(progress.first { $0.department == "DZB" })
        #expect(dzbProgress.devices == 6 && dzbProgress.devicesByClass == ["pc": 3, "printer": 3])
        #expect(
            dzbProgress.items
                == dzbProgress.passed + dzbProgress.failed + dzbProgress.na + dzbProgress.unanswered)
        let dzbAll = dzbRows
        #expect(dzbProgress.items == dzbAll.count)
        #expect(dzbProgress.failed == dzbAll.filter { $0.result == "fail" }.count)
        #expect(dzbProgress.devicesFailing == Set(dzbAll.filter { $0.result == "fail" }.map(\.device)).count)
        let cwcProgress = try #require(progress.first { $0.department == "CWC" })
        #expect(cwcProgress.devicesByClass == ["pc": 1, "display": 1])
        // Devices of no department: a row of their own for IT, none for a liaison.
        #expect(progress.contains { $0.department == nil && $0.devices == 1 })
        let liaisonView = try s.securityCheckProgress(campaign: id, now: Self.now, scope: dzb)
        #expect(liaisonView.map(\.department) == ["DZB"])
        let show = try s.showSecurityCheck(id, now: Self.now, scope: .everything)
        #expect(show.checklist.contains { $0.id == "dev_no_telnet_ftp" && $0.parameter == ["21", "23"] })

        // Self-check steps refuse a security check, and the security check's a self-check.
        let selfCheck = try s.openCampaign(
            kind: "self-check", name: "自查", deadline: "2026-12-31", scope: .everything, actor: it)
        #expect(code { try s.campaignFindings(id, scope: .everything) } == .invalidInput)
        #expect(code { try s.showCampaign(id, scope: .everything) } == .invalidInput)
        #expect(code { try s.checkPC(campaign: id, device: c.pcGood, scope: .everything, actor: it) } == .invalidInput)
        #expect(
            code {
                try s.signOff(campaign: id, department: "DZB", by: "x", statement: "y", scope: .everything, actor: it)
            } == .invalidInput)
        #expect(
            code { try s.drawSample(campaign: id, department: "DZB", count: 1, scope: .everything, actor: it) }
                == .invalidInput)
        #expect(code { try s.closeCampaign(id, scope: .everything, actor: it) } == .invalidInput)
        #expect(
            code {
                try s.recordSecurityCheck(
                    campaign: selfCheck.id, device: c.pcGood, item: "pc_storage_media", result: "pass",
                    scope: .everything, actor: it)
            } == .invalidInput)
        #expect(code { try s.securityCheckResults(selfCheck.id, scope: .everything) } == .invalidInput)

        // Closing freezes the results; changes are refused afterwards, and later facts do not move them.
        #expect(code { try s.closeSecurityCheck(id, scope: dzb, actor: dzbLiaison) } == .forbidden)
        let closed = try s.closeSecurityCheck(id, now: Self.now, scope: .everything, actor: it)
        #expect(closed.campaign.status == "closed")
        #expect(
            code {
                try s.recordSecurityCheck(
                    campaign: id, device: c.pcGood, item: "pc_storage_media", result: "pass", scope: .everything,
                    actor: it)
            } == .conflict)
        try s.setCustody(device: c.printerTelnet, responsible: "张三", scope: .everything, actor: it)
        let frozen = try s.securityCheckResults(id, SecurityCheckQuery(now: Self.now), scope: .everything)
        #expect(try result(frozen, c.printerTelnet, "dev_responsible").result == "fail")
        #expect(try result(frozen, c.printerTelnet, "dev_admin_password").result == "pass")
        #expect(try s.securityCheckResults(id, scope: dzb).allSatisfy { $0.department == "DZB" })
        #expect(try s.securityCheckProgress(campaign: id, scope: .everything) == closed.departments)

        // Audit: opening, each record (with the rule, and the ledger's judgment of an override),
        // the custody and the closing.
        let audit = try s.ledger.auditLog()
        let checks = audit.filter { $0.action == "campaign.security_check" }
        #expect(checks.count == 3)
        #expect(checks.allSatisfy { $0.actor == "web:dzb" || $0.actor == "cli:it" })
        let overrideEntry = try #require(checks.first { $0.department == "CWC" })
        #expect(overrideEntry.details["auto_result"] == .string("unknown"))
        #expect(audit.contains { $0.action == "campaign.open" && $0.details["kind"] == .string("security-check") })
        #expect(audit.contains { $0.action == "campaign.close" && $0.entityID == String(id) })
        #expect(audit.contains { $0.action == "device.custody" && $0.entityID == String(c.printerTelnet) })
    }

    /// A campaign keeps the checklist it was opened with: editing the file afterwards changes
    /// nothing, and a bad file opens no campaign.
    @Test func theChecklistIsFrozenAtOpening() throws {
        let c = try Self.college()
        let s = c.service
        let header = SecurityChecklistFile.header.joined(separator: "\t")
        let file = try tempFile("c.tsv", header + "\nlabel\tprinter\tmanual\t-\t资产标签\tAsset label\n")
        let campaign = try s.openCampaign(
            kind: "security-check", name: "x", deadline: "2026-12-31", checklistFile: file, scope: .everything,
            actor: it)
        try Data((header + "\nother\tpc\tmanual\t-\t其他\tOther\n").utf8).write(to: URL(fileURLWithPath: file))
        let rows = try s.securityCheckResults(campaign.id, SecurityCheckQuery(now: Self.now), scope: .everything)
        #expect(Set(rows.map(\.item)) == ["label"] && rows.count == 4)
        let before = try s.listCampaigns(scope: .everything).count
        let bad = try tempFile("bad.tsv", header + "\nlabel\tprinter\tguess\t-\t标签\tLabel\n")
        #expect(throws: InputError.self) {
            try s.openCampaign(
                kind: "security-check", name: "y", deadline: "2026-12-31", checklistFile: bad, scope: .everything,
                actor: it)
        }
        #expect(try s.listCampaigns(scope: .everything).count == before)
        #expect(
            code {
                try s.openCampaign(
                    kind: "self-check", name: "y", deadline: "2026-12-31", checklistFile: file, scope: .everything,
                    actor: it)
            } == .invalidInput)
    }

    /// Next year's check against this year's: what changed, per department and per result.
    @Test func twoClosedChecksAreCompared() throws {
        let c = try Self.college()
        let s = c.service
        func check(_ name: String) throws -> Int64 {
            try s.openCampaign(
                kind: "security-check", name: name, deadline: "2026-12-31", scope: .everything, actor: it
            )
            .id
        }
        let first = try check("2025年网络安全检查")
        _ = try s.closeSecurityCheck(first, now: Self.now, scope: .everything, actor: it)
        let second = try check("2026年网络安全检查")
        #expect(code { try s.diffSecurityChecks(old: first, new: second, scope: .everything) } == .conflict)
        try s.setCustody(device: c.printerTelnet, responsible: "张三", scope: .everything, actor: it)
        _ = try s.recordSecurityCheck(
            campaign: second, device: c.display, item: "display_content", result: "pass", now: Self.now, scope: cwc,
            actor: Principal("web:cwc"))
        _ = try s.closeSecurityCheck(second, now: Self.now, scope: .everything, actor: it)
        let diff = try s.diffSecurityChecks(old: first, new: second, scope: .everything)
        #expect(
            diff.changed.map { "\($0.device) \($0.item) \($0.oldResult ?? "-")>\($0.newResult ?? "-")" }.sorted()
                == ["\(c.display) display_content unanswered>pass", "\(c.printerTelnet) dev_responsible fail>pass"]
                .sorted())
        let dzbRow = try #require(diff.departments.first { $0.department == "DZB" })
        #expect(dzbRow.oldFailed - dzbRow.newFailed == 1 && dzbRow.oldDevices == dzbRow.newDevices)
        let cwcRow = try #require(diff.departments.first { $0.department == "CWC" })
        #expect(cwcRow.oldUnanswered - cwcRow.newUnanswered == 1 && cwcRow.oldFailed == cwcRow.newFailed)
        // A liaison sees its departments' part only.
        let mine = try s.diffSecurityChecks(old: first, new: second, scope: cwc)
        #expect(mine.changed.map(\.device) == [c.display] && mine.departments.map(\.department) == ["CWC"])
        let selfCheck = try s.openCampaign(
            kind: "self-check", name: "自查", deadline: "2026-12-31", scope: .everything, actor: it)
        #expect(code { try s.diffSecurityChecks(old: first, new: selfCheck.id, scope: .everything) } == .invalidInput)
        #expect(code { try s.diffCampaigns(old: first, new: second, scope: .everything) } == .invalidInput)
    }

    @Test func custodyIsShownAudited() throws {
        let c = try Self.college()
        let s = c.service
        #expect(try s.showDevice(c.pcGood, scope: dzb).custody == nil)
        #expect(
            code { try s.setCustody(device: c.pcGood, responsible: "  ", scope: dzb, actor: dzbLiaison) }
                == .invalidInput)
        let set = try s.setCustody(
            device: c.pcGood, responsible: "王五", location: "教学楼 2-105", scope: dzb, actor: dzbLiaison)
        #expect(set.responsible == "王五" && set.location == "教学楼 2-105" && set.setBy == "web:dzb")
        let moved = try s.setCustody(device: c.pcGood, responsible: "赵六", scope: dzb, actor: dzbLiaison)
        let shown = try #require(try s.showDevice(c.pcGood, scope: dzb).custody)
        #expect(shown == moved && shown.location == nil)
        let entries = try s.ledger.auditLog().filter { $0.action == "device.custody" }
        #expect(entries.count == 2 && entries.allSatisfy { $0.department == "DZB" })
        #expect(entries.last?.details["old_responsible"] == .string("王五"))
    }
}
