import Foundation
import Ingest
import LedgerModel
import LedgerStore
import TestSupport
import Testing

@testable import LedgerApp

/// docs/SCHEMA.md's "JSON output shapes" and the output types cannot drift: every type's
/// encoded keys are exactly the keys its section lists, and every section has a type.
@Suite struct SchemaTests {
    static let schemaPath = Fixtures.docs("SCHEMA.md").path

    /// Type name -> documented keys, from the first table under each `### \`Name\`` heading.
    static func documented() throws -> [String: Set<String>] {
        let text = try String(contentsOfFile: schemaPath, encoding: .utf8)
        guard let start = text.range(of: "\n## JSON output shapes\n") else {
            throw LedgerError(.invalidInput, "docs/SCHEMA.md has no section 'JSON output shapes'")
        }
        let rest = text[start.upperBound...]
        let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
        var shapes: [String: Set<String>] = [:]
        var includes: [String: String] = [:]
        var current: String?
        var inTable = false
        var tableDone = false
        for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("### `") {
                current = String(line.dropFirst(5).prefix { $0 != "`" })
                shapes[current!] = []
                inTable = false
                tableDone = false
                continue
            }
            guard let name = current else { continue }
            if let r = line.range(of: "every key of `") {
                includes[name] = String(line[r.upperBound...].prefix { $0 != "`" })
            }
            if line.hasPrefix("| key |") && !tableDone {
                inTable = true
                continue
            }
            if inTable {
                guard line.hasPrefix("|") else {
                    inTable = false
                    tableDone = true
                    continue
                }
                let cell = line.dropFirst().prefix { $0 != "|" }.trimmingCharacters(in: .whitespaces)
                if cell.hasPrefix("`") {
                    shapes[name]!.insert(cell.trimmingCharacters(in: CharacterSet(charactersIn: "`")))
                }
            }
        }
        for (name, base) in includes { shapes[name]!.formUnion(shapes[base] ?? []) }
        return shapes
    }

    /// The keys one value encodes to (the first element's, for an array).
    static func keys(_ value: some Encodable) throws -> Set<String> {
        let data = try outputEncoder().encode(value)
        let object = try JSONSerialization.jsonObject(with: data)
        let first = (object as? [Any])?.first ?? object
        return Set((first as? [String: Any])?.keys.map { $0 } ?? [])
    }

    /// One sample of every output type, most of them from real use cases.
    static func samples() throws -> [String: any Encodable] {
        let s = try campusService()
        let fingerprinted = try LedgerService.testFingerprint(
            file: try Fixtures.readable(Fixtures.snmprec("brother.snmprec")).path)
        let workstation = "fusioninventory/rudder/WORKSTATION1-8f94b6a2-5cb6-4f76-9fa7-467e8b22f5e7.ocs"
        let imported = try s.importFile(try agentFixture(workstation))
        let pc = try #require(imported.device)
        try s.assign(device: pc, to: "CWC", scope: .everything, actor: Principal("test"))
        var scanned = seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5")
        scanned.evidence += [
            Evidence(field: "port", value: "tcp/80", reason: "open", certainty: 0),
            Evidence(field: "ports.scanned", value: "21-23,80,9100", reason: "asked", certainty: 0),
        ]
        let printer = try device(s, scanned)
        _ = try s.addUser(
            login: "wangwu", role: .liaison, departments: ["CWC"], password: "liaison-password", scope: .everything,
            actor: Principal("test"), cost: 4)
        let campaign = try s.openCampaign(
            kind: "self-check", name: "自查", deadline: "2026-12-31", scope: .everything, actor: Principal("test"))
        let signOff = try s.signOff(
            campaign: campaign.id, department: "CWC", by: "财务处处长", statement: "已自查", scope: .everything,
            actor: Principal("test"))
        let custody = try s.setCustody(
            device: printer, responsible: "李四", location: "行政楼 301", scope: .everything, actor: Principal("test"))
        let security = try s.openCampaign(
            kind: "security-check", name: "网络安全检查", deadline: "2026-12-31", scope: .everything,
            actor: Principal("test"))
        let securityShow = try s.showSecurityCheck(security.id, scope: .everything)
        let detail = try s.showDevice(pc, scope: .everything)
        let endpoint = try #require(detail.endpoint)
        let catalog = try s.softwareCatalog(scope: .everything)
        let record = ScanOutputRecord(
            ScanRecord(
                method: "arp+ports", scope: "198.18.10.0/24", exclusions: "", interface: "eth0", startedAt: t0,
                finishedAt: at(1), targets: 256, packets: 300, answered: 1))
        let figures = PhaseFigures(packets: 256, live: 1, seconds: 1.5)
        let ports = PortScanFigures(open: 3, closed: 10, silent: 2, packets: 40, seconds: 0.5)
        let probes = ProbeFigures(udpQuestions: 6, tcpConversations: 4, tcpFailed: 0)
        let host = ScanHostOutput(ScanDiff.Host(ip: "198.18.10.5", mac: "3c:d9:2b:00:00:01", name: nil, ports: "80"))
        let change = ScanChangeOutput(ip: "198.18.10.5", field: "ports", before: "80", after: "80,443")
        var job = ScanJobSpec(name: "dzb-nightly", scope: ["198.18.10.0/24"], interface: "no-such-nic0")
        job.schedule = try ScanSchedule.parse(every: nil, at: "02:00")
        _ = try s.addScanJob(job, scope: .everything, actor: Principal("test"))
        let jobRun = try s.runScanJob("dzb-nightly", actor: Principal("test"), scope: .everything)
        return [
            "DeviceOutput": try s.listDevices(scope: .everything),
            "DeviceDetailOutput": detail,
            "IdentifierOutput": try #require(detail.identifiers.first),
            "ObservationOutput": try s.showDevice(printer, scope: .everything).observations,
            "EvidenceOutput": try #require(
                try s.showDevice(printer, scope: .everything).observations[0].evidence.first),
            "HistoryOutput": detail.history,
            "EndpointOutput": endpoint,
            "PatchOutput": endpoint.patches,
            "AntivirusOutput": endpoint.antivirus,
            "InstalledSoftwareOutput": endpoint.software,
            "DeviceEditOutcome": try s.unassign(device: printer, scope: .everything, actor: Principal("test")),
            "DepartmentOutput": try s.listDepartments(scope: .everything),
            "ContactOutput": try s.listDepartments(scope: .everything)[0].liaison,
            "DepartmentImportOutcome": DepartmentImportOutcome(file: "d.csv", added: 1, updated: 0),
            "SubnetRuleOutput": try s.listSubnetRules(scope: .everything),
            "HostnameRuleOutput": try s.listHostnameRules(scope: .everything),
            "RuleImportOutcome": RuleImportOutcome(file: "s.csv", imported: 4),
            "ImportOutcome": imported,
            "SoftwareProductOutput": try s.softwareProducts(catalog: catalog, scope: .everything),
            "UnknownTitleOutput": try s.unknownSoftware(catalog: catalog, scope: .everything),
            "PostureOutput": try s.posture(scope: .everything),
            "FindingOutput": FindingOutput(code: "patch_old", detail: "last patch 40 days ago"),
            "CheckOutput": try s.check(scope: .everything),
            "ScanPlanOutput": try LedgerService.planScan(ScanRequest(targets: ["198.18.10.0/24"])),
            "FingerprintTestOutput": fingerprinted,
            "FingerprintTestHost": fingerprinted.hosts,
            "FingerprintVerdictOutput": try #require(fingerprinted.hosts.first).verdict,
            "ScanOutputRecord": record,
            "ScanRunOutput": ScanRunOutput(
                record: record, arp: figures, ping: nil, connect: nil, portScan: ports, probes: probes,
                phases: [PhaseTime(name: "arp", seconds: 1.5)], scanSeconds: 2, ledgerSeconds: 0.1, warnings: []),
            "PhaseFigures": figures,
            "PortScanFigures": ports,
            "ProbeFigures": probes,
            "PhaseTime": PhaseTime(name: "arp", seconds: 1.5),
            "ScanDiffOutput": ScanDiffOutput(before: 1, after: 2, new: [host], gone: [], changed: [change]),
            "ScanHostOutput": host,
            "ScanChangeOutput": change,
            "ScanJobOutput": try s.listScanJobs(scope: .everything),
            "ScanJobRunOutput": jobRun,
            "ScanJobShowOutput": try s.showScanJob("dzb-nightly", scope: .everything),
            "ErrorOutput": ErrorOutput(LedgerError(.notFound, "no device 9")),
            "LicenseOutput": [
                LicenseOutput(
                    id: 1, product: "Microsoft Windows", edition: "Pro", versions: "<=10", metric: "device", seats: 50,
                    department: "CWC", validFrom: nil, validTo: nil, source: "volume", contract: "HT-1", supplier: nil,
                    amountCny: nil, note: nil, state: "valid")
            ],
            "LicenseImportOutput": LicenseImportOutput(
                file: "l.csv", imported: 2, replaced: 0, warnings: [LicenseWarningOutput(line: 3, message: "overlaps")]),
            "LicenseWarningOutput": LicenseWarningOutput(line: 3, message: "overlaps"),
            "ComplianceOutput": [
                ComplianceOutput(
                    product: "Microsoft Windows", edition: "Pro", category: "os_pc", categoryLabel: "操作系统(PC)",
                    department: "CWC", installs: 1, entitled: 1, delta: 0, status: "compliant", devices: [1],
                    unlicensedDevices: [], homeEditionDevices: [], evaluationDevices: [],
                    licenses: [ConsumptionOutput(license: 1, contract: nil, department: nil, seats: 1)])
            ],
            "ConsumptionOutput": ConsumptionOutput(license: 1, contract: nil, department: nil, seats: 1),
            "InspectionSummaryOutput": [
                InspectionSummaryOutput(
                    category: "office", categoryLabel: "办公软件", product: "WPS Office", edition: "Pro", department: nil,
                    departmentName: nil, installs: 1, entitled: 0, consumed: 0, unlicensed: 1, licenceSources: [],
                    contracts: [], domestic: true, status: "unlicensed")
            ],
            "InspectionDetailOutput": [
                InspectionDetailOutput(
                    device: 1, hostname: nil, department: nil, departmentName: nil, responsible: nil, category: "os_pc",
                    categoryLabel: "操作系统(PC)", product: "Microsoft Windows", edition: "Pro", version: "10",
                    licensed: false, licence: nil, licenceSource: nil, contract: nil, homeEdition: false,
                    evaluation: false)
            ],
            "InspectionEventOutput": [
                InspectionEventOutput(
                    device: 1, hostname: nil, department: nil, departmentName: nil, title: "WinRAR", publisher: nil,
                    version: nil, previousVersion: nil, event: "removed", at: "2026-03-01T08:00:00Z",
                    installedAt: nil, report: 2)
            ],
            "DomesticShareOutput": [
                DomesticShareOutput(
                    measure: "devices", category: "pc", categoryLabel: "计算机", year: 2026, domestic: 3, foreign: 2,
                    unknown: 1, virtual: 0, unpriced: 0, share: 0.6, target: 0.5, met: true,
                    items: [DomesticItemOutput(name: "Lenovo", nameZh: "联想", status: "domestic", value: 3)])
            ],
            "DomesticItemOutput": DomesticItemOutput(name: nil, nameZh: nil, status: "unknown", value: 1),
            "AuditEntryOutput": try s.auditLog(scope: .everything),
            "CampaignOutput": campaign,
            "CampaignPCOutput": CampaignPCOutput(
                device: 3, hostname: "cw-pc", department: "CWC", checked: true, checkedBy: "web:cwc",
                checkedAt: "2026-12-01T08:00:00Z"),
            "CampaignShowOutput": try s.showCampaign(campaign.id, scope: .everything),
            "CampaignDepartmentOutput": try s.showCampaign(campaign.id, scope: .everything).departments,
            "CampaignFindingOutput": CampaignFindingOutput(
                id: "F0", kind: "no_report", department: "CWC", device: 1, hostname: nil, product: nil, edition: nil,
                title: nil, detail: "never", status: "open"),
            "CampaignSampleOutput": CampaignSampleOutput(
                device: 1, hostname: nil, department: "CWC", seed: 1, result: nil, note: nil, confirmedBy: nil),
            "CampaignDiffOutput": CampaignDiffOutput(
                old: 1, new: 2, newFindings: [], goneFindings: [], departments: [], compliance: []),
            "CampaignSignOffOutput": signOff,
            "CustodyOutput": custody,
            "DevicePortsOutput": try #require(try s.showDevice(printer, scope: .everything).ports),
            "SecurityCheckShowOutput": securityShow,
            "SecurityCheckItemOutput": securityShow.checklist,
            "SecurityCheckDepartmentOutput": securityShow.departments,
            "SecurityCheckResultOutput": try s.securityCheckResults(security.id, scope: .everything),
            "SecurityCheckDiffOutput": SecurityCheckDiffOutput(old: 1, new: 2, departments: [], changed: []),
            "SecurityCheckDiffDepartment": SecurityCheckDiffDepartment(
                department: "CWC", oldDevices: 2, newDevices: 2, oldFailed: 3, newFailed: 1, oldUnanswered: 0,
                newUnanswered: 0),
            "SecurityCheckDiffResult": SecurityCheckDiffResult(
                device: 1, hostname: nil, department: "CWC", item: "dev_firmware", oldResult: "fail", newResult: "pass"),
            "StaffImportOutput": StaffImportOutput(
                file: "staff.csv", staff: 2, added: 2, updated: 0, removed: 0, commitmentsRemoved: 0),
            "CommitmentImportOutput": CommitmentImportOutput(file: "c.csv", imported: 1),
            "CommitmentOutput": [
                CommitmentOutput(
                    employeeId: "C001", name: "张三", department: "CWC", email: nil, textYear: 2026, signedAt: nil)
            ],
            "CommitmentCoverageOutput": [
                CommitmentCoverageOutput(
                    department: "CWC", name: "财务处", textYear: 2026, staff: 2, signed: 1, unsigned: 1, share: 0.5)
            ],
            "CollegeReportOutput": try s.collegeReport(ReportQuery(day: "2026-06-01"), scope: .everything),
            "ClassCountOutput": ClassCountOutput(department: "CWC", name: "财务处", deviceClass: "pc", devices: 3),
            "ComplianceRateOutput": ComplianceRateOutput(
                category: "os_pc", categoryLabel: "操作系统(PC)", department: nil, installs: 4, licensed: 3, unlicensed: 1,
                rate: 0.75),
            "UnlicensedInstallOutput": UnlicensedInstallOutput(
                device: 7, hostname: nil, department: "CWC", product: "Microsoft Windows", edition: "Home",
                category: "os_pc", reason: "home_edition"),
            "UserOutput": try s.listUsers(scope: .everything),
            "CreatedTokenOutput": try s.issueToken(
                login: "wangwu", name: "script", scope: .everything, actor: Principal("test")),
            "TokenOutput": TokenOutput(
                id: 1, login: "it", name: "collector", purpose: "reports", createdAt: "2026-12-01T08:00:00Z"),
            "ReviewOutput": try s.reviewDevices(
                [printer], status: .confirmed, scope: .everything, actor: Principal("test")),
            "ReviewCoverageOutput": try s.reviewCoverage(scope: .everything),
            "ClaimFiledOutput": try s.fileClaim(
                identifier: "198.18.99.99", department: "CWC", reason: "room 201", scope: .everything,
                actor: Principal("test")),
            "ClaimOutput": try s.listClaims(scope: .everything),
            "CampaignDiffDepartment": CampaignDiffDepartment(department: "CWC", oldFindings: 1, newFindings: 0),
            "CampaignDiffCompliance": CampaignDiffCompliance(
                product: "p", edition: "", department: nil, oldInstalls: 1, newInstalls: 0, oldEntitled: 0,
                newEntitled: 0,
                oldStatus: nil, newStatus: nil),
        ]
    }

    @Test func everyOutputTypeEncodesExactlyTheKeysSchemaMdLists() throws {
        let documented = try Self.documented()
        let samples = try Self.samples()
        #expect(Set(documented.keys) == Set(samples.keys), "a type without a section in SCHEMA.md, or the reverse")
        for (name, sample) in samples.sorted(by: { $0.key < $1.key }) {
            let encoded = try Self.keys(sample)
            let listed = documented[name] ?? []
            #expect(
                encoded == listed,
                "\(name): not in SCHEMA.md \(encoded.subtracting(listed).sorted()), not encoded \(listed.subtracting(encoded).sorted())"
            )
        }
    }

    @Test func theDeviceListKeepsItsJSONFieldNames() throws {
        // The shape `device list --format json` had before LedgerApp: scripts read these.
        let before: Set<String> = [
            "id", "class", "fax_capable", "vendor", "model", "serial", "uuid", "os", "firmware", "hostname", "macs",
            "ips", "hostnames", "department", "department_name", "owner_rule", "owner_detail", "first_seen",
            "last_seen",
        ]
        let s = try campusService()
        try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        #expect(try Self.keys(try s.listDevices(scope: .everything)) == before)
    }

    @Test func outputsRoundTripThroughJSON() throws {
        let s = try campusService()
        let id = try device(s, seen(0, mac: "3c:d9:2b:00:00:01", ip: "198.18.10.5"))
        let detail = try s.showDevice(id, scope: .everything)
        let data = try outputEncoder().encode(detail)
        #expect(try JSONDecoder().decode(DeviceDetailOutput.self, from: data) == detail)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"endpoint\" : null") && text.contains("\"vendor\" : null"))
        #expect(text.contains("\"first_seen\" : \"2026-"))
    }
}
