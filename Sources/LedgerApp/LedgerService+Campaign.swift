import Foundation
import LedgerModel
import LedgerStore

/// A campaign (`campaign list --format json`).
public struct CampaignOutput: Codable, Equatable, Sendable {
    public var id: Int64
    public var kind: String
    public var name: String
    public var deadline: String
    /// `open` or `closed`.
    public var status: String
    public var openedAt: String
    public var openedBy: String
    @Nullable public var closedAt: String?
    @Nullable public var closedBy: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, name, deadline, status
        case openedAt = "opened_at"
        case openedBy = "opened_by"
        case closedAt = "closed_at"
        case closedBy = "closed_by"
    }
}

/// One finding of a self-check (`campaign findings --format json`).
public struct CampaignFindingOutput: Codable, Equatable, Sendable {
    /// Stable: a SHA-256 (first 128 bits) of campaign, kind, department, device, product, edition and title.
    public var id: String
    /// `unlicensed`, `unknown_title` or `no_report`.
    public var kind: String
    @Nullable public var department: String?
    @Nullable public var device: Int64?
    @Nullable public var hostname: String?
    @Nullable public var product: String?
    @Nullable public var edition: String?
    /// The unclassified title (`unknown_title`).
    @Nullable public var title: String?
    /// `unlicensed`/`expired`/`home_edition` for licences, the devices' count for a title, the
    /// last report (or `never`) for a PC.
    public var detail: String
    /// `open`, `resolved` or `reopened` (resolved as uninstalled, and a newer report still has it).
    public var status: String
    @Nullable public var resolution: String?
    @Nullable public var reference: String?
    @Nullable public var reason: String?
    @Nullable public var resolvedAt: String?
    @Nullable public var resolvedBy: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, department, device, hostname, product, edition, title, detail, status, resolution, reference
        case reason
        case resolvedAt = "resolved_at"
        case resolvedBy = "resolved_by"
    }

    /// What the finding is about, without the campaign (how `campaign diff` pairs findings).
    var subject: String {
        [kind, department ?? "", device.map(String.init) ?? "", product ?? "", edition ?? "", title ?? ""].joined(
            separator: "\u{1F}")
    }
}

/// One department's progress in a campaign (`campaign show`).
public struct CampaignDepartmentOutput: Codable, Equatable, Sendable {
    public var department: String
    public var name: String
    public var findings: Int
    public var open: Int
    public var resolved: Int
    public var reopened: Int
    public var pcs: Int
    public var pcsChecked: Int
    @Nullable public var signedBy: String?
    @Nullable public var signedAt: String?
    @Nullable public var statement: String?
    public var sampled: Int
    public var samplePassed: Int
    public var sampleFailed: Int

    enum CodingKeys: String, CodingKey {
        case department, name, findings, open, resolved, reopened, pcs, statement, sampled
        case pcsChecked = "pcs_checked"
        case signedBy = "signed_by"
        case signedAt = "signed_at"
        case samplePassed = "sample_passed"
        case sampleFailed = "sample_failed"
    }
}

/// `campaign show`: the campaign and its progress by department.
public struct CampaignShowOutput: Codable, Equatable, Sendable {
    public var campaign: CampaignOutput
    public var departments: [CampaignDepartmentOutput]
}

/// One PC of a department's sample (抽查).
public struct CampaignSampleOutput: Codable, Equatable, Sendable {
    public var device: Int64
    @Nullable public var hostname: String?
    public var department: String
    public var seed: Int64
    /// `pass`, `fail`, or null before it is recorded.
    @Nullable public var result: String?
    @Nullable public var note: String?
    @Nullable public var confirmedBy: String?

    enum CodingKeys: String, CodingKey {
        case device, hostname, department, seed, result, note
        case confirmedBy = "confirmed_by"
    }
}

/// A PC of a self-check and whether its department marked it checked (`campaignPCs`).
public struct CampaignPCOutput: Codable, Equatable, Sendable {
    public var device: Int64
    @Nullable public var hostname: String?
    @Nullable public var department: String?
    public var checked: Bool
    @Nullable public var checkedBy: String?
    @Nullable public var checkedAt: String?

    enum CodingKeys: String, CodingKey {
        case device, hostname, department, checked
        case checkedBy = "checked_by"
        case checkedAt = "checked_at"
    }
}

/// `campaign sign-off --format json`: a department head's sign-off as recorded.
public struct CampaignSignOffOutput: Codable, Equatable, Sendable {
    public var campaign: Int64
    public var department: String
    public var signedBy: String
    public var statement: String
    public var signedAt: String
    public var recordedBy: String

    enum CodingKeys: String, CodingKey {
        case campaign, department, statement
        case signedBy = "signed_by"
        case signedAt = "signed_at"
        case recordedBy = "recorded_by"
    }
}

/// What closing froze (stored in `campaign.snapshot`).
public struct CampaignSnapshot: Codable, Equatable, Sendable {
    public var findings: [CampaignFindingOutput]
    public var compliance: [ComplianceOutput]
    public var departments: [CampaignDepartmentOutput]
}

/// `campaign diff OLD NEW`: what changed between two closed campaigns.
public struct CampaignDiffOutput: Codable, Equatable, Sendable {
    public var old: Int64
    public var new: Int64
    /// In the new campaign, not the old.
    public var newFindings: [CampaignFindingOutput]
    /// In the old campaign, no longer in the new.
    public var goneFindings: [CampaignFindingOutput]
    public var departments: [CampaignDiffDepartment]
    public var compliance: [CampaignDiffCompliance]

    enum CodingKeys: String, CodingKey {
        case old, new, departments, compliance
        case newFindings = "new_findings"
        case goneFindings = "gone_findings"
    }
}

public struct CampaignDiffDepartment: Codable, Equatable, Sendable {
    public var department: String
    public var oldFindings: Int
    public var newFindings: Int

    enum CodingKeys: String, CodingKey {
        case department
        case oldFindings = "old_findings"
        case newFindings = "new_findings"
    }
}

/// A compliance row whose installs, entitlement or status changed.
public struct CampaignDiffCompliance: Codable, Equatable, Sendable {
    public var product: String
    public var edition: String
    @Nullable public var department: String?
    public var oldInstalls: Int
    public var newInstalls: Int
    public var oldEntitled: Int
    public var newEntitled: Int
    @Nullable public var oldStatus: String?
    @Nullable public var newStatus: String?

    enum CodingKeys: String, CodingKey {
        case product, edition, department
        case oldInstalls = "old_installs"
        case newInstalls = "new_installs"
        case oldEntitled = "old_entitled"
        case newEntitled = "new_entitled"
        case oldStatus = "old_status"
        case newStatus = "new_status"
    }
}

/// How a liaison resolves a finding.
public enum Resolution: Sendable, Equatable {
    case uninstalled
    case licenceBought(reference: String)
    case exempt(reason: String)
    case notOurs

    var word: String {
        switch self {
        case .uninstalled: "uninstalled"
        case .licenceBought: "licence-bought"
        case .exempt: "exempt"
        case .notOurs: "not-ours"
        }
    }
}

/// What closing a campaign froze (`closeAnyCampaign`): encoded as the output of its kind.
public enum ClosedCampaignOutput: Encodable, Sendable {
    case selfCheck(CampaignShowOutput)
    case securityCheck(SecurityCheckShowOutput)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .selfCheck(let show): try show.encode(to: encoder)
        case .securityCheck(let show): try show.encode(to: encoder)
        }
    }
}

/// Two closed campaigns of one kind compared (`campaign diff`): a self-check's findings and
/// compliance, or a security check's results.
public enum CampaignComparisonOutput: Encodable, Sendable {
    case selfCheck(CampaignDiffOutput)
    case securityCheck(SecurityCheckDiffOutput)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .selfCheck(let diff): try diff.encode(to: encoder)
        case .securityCheck(let diff): try diff.encode(to: encoder)
        }
    }
}

extension LedgerService {
    /// `campaign open`: a self-check, or a security check (网络安全检查) with the checklist of
    /// `scanners/security-checklist.tsv` or `checklistFile`, frozen into the campaign.
    public func openCampaign(
        kind: String, name: String, deadline: String, checklistFile: String? = nil, scope: DeviceScope,
        actor: Principal
    ) throws
        -> CampaignOutput
    {
        try requireEverything(scope, "opening a campaign")
        guard kind == "self-check" || kind == Self.securityCheck else {
            throw LedgerError(.invalidInput, "unknown campaign kind '\(kind)' (self-check, security-check)")
        }
        if checklistFile != nil && kind != Self.securityCheck {
            throw LedgerError(.invalidInput, "--checklist is for a security-check campaign")
        }
        guard deadline.count == 10, parseDate(deadline) != nil else {
            throw LedgerError(.invalidInput, "deadline '\(deadline)' is not a day YYYY-MM-DD")
        }
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw LedgerError(.invalidInput, "a campaign needs a name") }
        var checklist: String?
        var details: [String: JSONValue] = [:]
        if kind == Self.securityCheck {
            let items = try readChecklist(checklistFile).map(SecurityCheckItemOutput.init)
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            checklist = String(decoding: try e.encode(items), as: UTF8.self)
            details["items"] = .array(items.map { .string($0.id) })
        }
        let id = try ledger.openCampaign(
            kind: kind, name: name, deadline: deadline, checklist: checklist, actor: actor, details: details)
        return Self.output(try ledger.campaignRecords(id).campaign)
    }

    /// One campaign.
    public func campaign(_ id: Int64, scope: DeviceScope) throws -> CampaignOutput {
        Self.output(try ledger.campaignRecords(id).campaign)
    }

    /// A self-check's records; a security check is `invalidInput` (its steps are its own).
    func selfCheckRecords(_ id: Int64) throws -> CampaignRecords {
        let records = try ledger.campaignRecords(id)
        guard records.campaign.kind == "self-check" else {
            throw Ledger.wrongKind(id, records.campaign.kind, expected: "self-check")
        }
        return records
    }

    /// Every campaign; a department's caller sees them too (it takes part in each).
    public func listCampaigns(scope: DeviceScope) throws -> [CampaignOutput] {
        try ledger.campaigns().map(Self.output)
    }

    static func output(_ c: CampaignRecord) -> CampaignOutput {
        CampaignOutput(
            id: c.id, kind: c.kind, name: c.name, deadline: c.deadline, status: c.closedAt == nil ? "open" : "closed",
            openedAt: isoDate(c.openedAt), openedBy: c.openedBy, closedAt: c.closedAt.map(isoDate),
            closedBy: c.closedBy)
    }

    /// The departments a caller sees, narrowed to `department`'s sub-tree when given (nil: all).
    func visibleCodes(_ department: String?, _ scope: DeviceScope) throws -> Set<String>? {
        var visible = try codes(in: scope)
        if let department {
            try checkDepartment(department, scope)
            let under = Self.codes(under: [department], in: try ledger.departments().map(\.department))
            visible = visible.map { $0.intersection(under) } ?? under
        }
        return visible
    }

    /// A finding's id: the first 128 bits of the SHA-256 of campaign, kind, department, device,
    /// product, edition and title (titles come from agents, so the hash must not be one that can
    /// be made to collide, like the 64-bit FNV this replaced).
    static func findingID(_ campaign: Int64, _ parts: [String]) -> String {
        "F" + Digest.sha256Hex(([String(campaign)] + parts).joined(separator: "\u{1F}").utf8).prefix(32).uppercased()
    }

    /// The findings of the whole college now, with their status from the campaign's
    /// resolutions: computed when asked, so a newer report reopens a finding whatever path
    /// imported it.
    func currentFindings(_ records: CampaignRecords, now: Date, catalogFiles: [String], scope: DeviceScope)
        throws -> (findings: [CampaignFindingOutput], compliance: [ComplianceOutput])
    {
        let campaign = records.campaign.id
        let compliance = try self.compliance(
            ComplianceQuery(day: Self.today(now), catalogFiles: catalogFiles), scope: .everything)
        let catalog = try softwareCatalog(extra: catalogFiles, scope: scope)
        let pcs = try ledger.posturePCs(DeviceFilter())
        let hostnames = Dictionary(uniqueKeysWithValues: pcs.map { ($0.id, $0.hostname) })
        let reportTimes = try ledger.softwareReportTimes()
        var out: [CampaignFindingOutput] = []
        func add(
            _ kind: String, department: String?, device: Int64?, product: String? = nil, edition: String? = nil,
            title: String? = nil, detail: String, lastReport: Date?
        ) {
            let id = Self.findingID(
                campaign,
                [kind, department ?? "", device.map(String.init) ?? "", product ?? "", edition ?? "", title ?? ""])
            var f = CampaignFindingOutput(
                id: id, kind: kind, department: department, device: device,
                hostname: device.flatMap { hostnames[$0] ?? nil }, product: product, edition: edition, title: title,
                detail: detail, status: "open")
            // A resolution applies only to a finding of the department it was recorded for: an id
            // that matches across departments is never taken as the same finding.
            if let r = records.resolutions[id], r.department == department {
                f.resolution = r.resolution
                f.reference = r.reference
                f.reason = r.reason
                f.resolvedAt = isoDate(r.at)
                f.resolvedBy = r.by
                // Still found in a report collected after it was resolved as uninstalled: reopened.
                let contradicted = r.resolution == "uninstalled" && (lastReport.map { $0 > r.at } ?? false)
                f.status = contradicted ? "reopened" : "resolved"
            }
            out.append(f)
        }
        for row in compliance where !row.unlicensedDevices.isEmpty {
            let home = Set(row.homeEditionDevices)
            for d in row.unlicensedDevices {
                add(
                    "unlicensed", department: row.department, device: d, product: row.product, edition: row.edition,
                    detail: home.contains(d) ? "home_edition" : row.status, lastReport: reportTimes[d])
            }
        }
        for t in try ledger.titlesByDepartment()
        where catalog.classify(name: t.name, publisher: t.publisher, source: t.source) == nil {
            add(
                "unknown_title", department: t.department, device: nil, title: t.name,
                detail: "\(t.devices.count) device(s)", lastReport: t.lastReport)
        }
        let window = TimeInterval(PosturePolicy().reportMaxAgeDays) * 86_400
        for pc in pcs {
            guard let last = pc.input.lastReport else {
                add("no_report", department: pc.department, device: pc.id, detail: "never", lastReport: nil)
                continue
            }
            if now.timeIntervalSince(last) > window {
                add("no_report", department: pc.department, device: pc.id, detail: isoDate(last), lastReport: nil)
            }
        }
        return (out, compliance)
    }

    /// `campaign findings`: per department; a closed campaign answers from its snapshot.
    public func campaignFindings(
        _ id: Int64, department: String? = nil, catalogFiles: [String] = [], now: Date = Date(), scope: DeviceScope
    ) throws -> [CampaignFindingOutput] {
        let visible = try visibleCodes(department, scope)
        let records = try selfCheckRecords(id)
        let all =
            try records.campaign.snapshot.map { try Self.snapshot($0, id).findings }
            ?? currentFindings(records, now: now, catalogFiles: catalogFiles, scope: scope).findings
        return Self.sorted(all.filter { f in visible.map { v in f.department.map(v.contains) ?? false } ?? true })
    }

    static func sorted(_ findings: [CampaignFindingOutput]) -> [CampaignFindingOutput] {
        let order = ["unlicensed", "unknown_title", "no_report"]
        return findings.sorted {
            (
                $0.department ?? "\u{10FFFF}", order.firstIndex(of: $0.kind) ?? 9, $0.device ?? 0, $0.product ?? "",
                $0.edition ?? "", $0.title ?? ""
            )
                < (
                    $1.department ?? "\u{10FFFF}", order.firstIndex(of: $1.kind) ?? 9, $1.device ?? 0, $1.product ?? "",
                    $1.edition ?? "", $1.title ?? ""
                )
        }
    }

    static func snapshot(_ text: String, _ id: Int64) throws -> CampaignSnapshot {
        do { return try JSONDecoder().decode(CampaignSnapshot.self, from: Data(text.utf8)) } catch {
            throw LedgerError(.io, "campaign \(id)'s snapshot cannot be read by this version: \(error)")
        }
    }

    /// `campaign resolve`: a liaison resolves a finding of its departments (another's is not found).
    public func resolveFinding(
        campaign: Int64, finding: String, as resolution: Resolution, catalogFiles: [String] = [], scope: DeviceScope,
        actor: Principal
    ) throws -> CampaignFindingOutput {
        try require(
            try resolveFindings(
                campaign: campaign, [(finding, resolution)], catalogFiles: catalogFiles, scope: scope, actor: actor
            ).first)
    }

    /// Resolves several findings at once (the console's bulk action): the findings are computed
    /// once, every id must be a finding the caller sees, and the resolutions are written in one
    /// transaction — a batch with one unknown or foreign id is refused whole (`notFound`), nothing
    /// written. Returns the findings as they now stand, in the order asked.
    public func resolveFindings(
        campaign: Int64, _ items: [(finding: String, resolution: Resolution)], catalogFiles: [String] = [],
        scope: DeviceScope, actor: Principal
    ) throws -> [CampaignFindingOutput] {
        let records = try selfCheckRecords(campaign)
        if records.campaign.closedAt != nil {
            throw LedgerError(.conflict, "campaign \(campaign) is closed: it no longer changes")
        }
        guard !items.isEmpty else { throw LedgerError(.invalidInput, "no finding to resolve") }
        var seen = Set<String>()
        for (finding, resolution) in items {
            guard seen.insert(finding).inserted else {
                throw LedgerError(.invalidInput, "finding \(finding) is listed twice")
            }
            switch resolution {
            case .licenceBought(let r) where r.trimmingCharacters(in: .whitespaces).isEmpty:
                throw LedgerError(.invalidInput, "licence-bought needs --reference (the contract or order)")
            case .exempt(let r) where r.trimmingCharacters(in: .whitespaces).isEmpty:
                throw LedgerError(.invalidInput, "exempt needs --reason")
            default: break
            }
        }
        let findings = Dictionary(
            try campaignFindings(campaign, catalogFiles: catalogFiles, scope: scope).map { ($0.id, $0) },
            uniquingKeysWith: { a, _ in a })
        let writes = try items.map { finding, resolution in
            guard let f = findings[finding] else {
                throw LedgerError(.notFound, "no finding \(finding) in campaign \(campaign)")
            }
            var reference: String?
            var reason: String?
            if case .licenceBought(let r) = resolution { reference = r }
            if case .exempt(let r) = resolution { reason = r }
            return Ledger.FindingResolution(
                finding: finding, department: f.department, resolution: resolution.word, reference: reference,
                reason: reason,
                details: [
                    "kind": .string(f.kind), "device": JSONValue(f.device), "product": JSONValue(f.product),
                    "edition": JSONValue(f.edition), "title": JSONValue(f.title),
                ])
        }
        try ledger.resolveFindings(campaign: campaign, writes, actor: actor)
        let now = Dictionary(
            try campaignFindings(campaign, catalogFiles: catalogFiles, scope: scope).map { ($0.id, $0) },
            uniquingKeysWith: { a, _ in a })
        return try items.map { try require(now[$0.finding]) }
    }

    /// `campaign check-pc`: the liaison marks a PC of its departments checked.
    public func checkPC(campaign: Int64, device: Int64, scope: DeviceScope, actor: Principal) throws {
        try checkPCs(campaign: campaign, devices: [device], scope: scope, actor: actor)
    }

    /// Marks several PCs checked at once: every one must be a PC in the caller's scope, checked
    /// inside the store's one transaction (else the whole batch is refused, nothing written).
    /// Returns the PCs as they now stand, in the order asked (each once).
    @discardableResult
    public func checkPCs(campaign: Int64, devices: [Int64], scope: DeviceScope, actor: Principal) throws
        -> [CampaignPCOutput]
    {
        guard !devices.isEmpty else { throw LedgerError(.invalidInput, "no PC to check") }
        try ledger.checkPCs(campaign: campaign, devices: devices, scope: scope, actor: actor)
        let checks = try ledger.campaignRecords(campaign).checks
        let hostnames = Dictionary(
            try ledger.posturePCs(DeviceFilter(scope: scope)).map { ($0.id, $0.hostname) },
            uniquingKeysWith: { a, _ in a })
        var seen = Set<Int64>()
        return try devices.filter { seen.insert($0).inserted }.map { device in
            let check = try require(checks[device])
            return CampaignPCOutput(
                device: device, hostname: hostnames[device] ?? nil, department: check.department, checked: true,
                checkedBy: check.by, checkedAt: isoDate(check.at))
        }
    }

    /// The PCs in scope (of `department` and its sub-departments, if given) of a self-check,
    /// each with whether and by whom it was marked checked, by id.
    public func campaignPCs(_ campaign: Int64, department: String? = nil, scope: DeviceScope) throws
        -> [CampaignPCOutput]
    {
        if let department { try checkDepartment(department, scope) }
        let records = try selfCheckRecords(campaign)
        return try ledger.posturePCs(DeviceFilter(scope: scope, department: department)).sorted { $0.id < $1.id }.map {
            pc in
            let check = records.checks[pc.id]
            return CampaignPCOutput(
                device: pc.id, hostname: pc.hostname, department: pc.department, checked: check != nil,
                checkedBy: check?.by, checkedAt: check.map { isoDate($0.at) })
        }
    }

    /// `campaign sign-off`: the department head's sign-off, for the caller's own departments.
    /// Returns it as recorded.
    @discardableResult
    public func signOff(
        campaign: Int64, department: String, by: String, statement: String, scope: DeviceScope, actor: Principal
    )
        throws -> CampaignSignOffOutput
    {
        try checkDepartment(department, scope)
        guard !by.trimmingCharacters(in: .whitespaces).isEmpty,
            !statement.trimmingCharacters(in: .whitespaces).isEmpty
        else { throw LedgerError(.invalidInput, "a sign-off needs --by and --statement") }
        try ledger.signOff(campaign: campaign, department: department, by: by, statement: statement, actor: actor)
        let signed = try require(try ledger.campaignRecords(campaign).signOffs[department])
        return CampaignSignOffOutput(
            campaign: campaign, department: signed.department, signedBy: signed.signedBy, statement: signed.statement,
            signedAt: isoDate(signed.at), recordedBy: signed.recordedBy)
    }

    /// The PCs of a department's sub-tree, by id.
    /// The department's own PCs (not its sub-departments': each department is sampled, checked
    /// and signed off on its own, as `progress` counts them).
    func departmentPCs(_ department: String) throws -> [PosturePC] {
        try ledger.posturePCs(DeviceFilter(department: department)).filter { $0.department == department }
    }

    /// `campaign sample`: IT draws `count` of the department's PCs; the same seed draws the
    /// same PCs (SplitMix64 over the PCs in id order, a partial Fisher–Yates shuffle). The
    /// default seed is the campaign id.
    public func drawSample(
        campaign: Int64, department: String, count: Int, seed: Int64? = nil, scope: DeviceScope, actor: Principal
    ) throws -> [CampaignSampleOutput] {
        try requireEverything(scope, "drawing a sample")
        _ = try selfCheckRecords(campaign)
        try checkDepartment(department, scope)
        guard count > 0 else { throw LedgerError(.invalidInput, "--count must be at least 1") }
        let pcs = try departmentPCs(department).map(\.id).sorted()
        let seed = seed ?? campaign
        var ids = pcs
        var state = UInt64(bitPattern: seed)
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let n = min(count, ids.count)
        for i in 0..<n {
            let j = i + Int(next() % UInt64(ids.count - i))
            ids.swapAt(i, j)
        }
        try ledger.drawSample(
            campaign: campaign, department: department, devices: Array(ids.prefix(n)).sorted(), seed: seed, actor: actor
        )
        return try samples(campaign, department: department, scope: scope)
    }

    public func samples(_ campaign: Int64, department: String? = nil, scope: DeviceScope) throws
        -> [CampaignSampleOutput]
    {
        let visible = try visibleCodes(department, scope)
        let records = try selfCheckRecords(campaign)
        let hostnames = Dictionary(
            uniqueKeysWithValues: try ledger.posturePCs(DeviceFilter()).map { ($0.id, $0.hostname) })
        return records.samples.filter { s in visible.map { $0.contains(s.department) } ?? true }.map { s in
            CampaignSampleOutput(
                device: s.device, hostname: hostnames[s.device] ?? nil, department: s.department, seed: s.seed,
                result: s.result, note: s.note, confirmedBy: s.confirmedBy)
        }
    }

    /// `campaign sample-result`: IT records the inspection of a sampled PC and who of the
    /// department confirmed it. Returns the sampled PC as it now stands.
    @discardableResult
    public func recordSampleResult(
        campaign: Int64, device: Int64, passed: Bool, note: String, confirmedBy: String, scope: DeviceScope,
        actor: Principal
    ) throws -> CampaignSampleOutput {
        try requireEverything(scope, "recording a sample result")
        guard !confirmedBy.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw LedgerError(.invalidInput, "a sample result needs --confirmed-by")
        }
        try ledger.recordSampleResult(
            campaign: campaign, device: device, result: passed ? "pass" : "fail", note: note, confirmedBy: confirmedBy,
            actor: actor)
        return try require(try samples(campaign, scope: scope).first { $0.device == device })
    }

    /// `campaign show`: progress by department (the caller's departments only).
    public func showCampaign(
        _ id: Int64, department: String? = nil, catalogFiles: [String] = [], now: Date = Date(), scope: DeviceScope
    ) throws -> CampaignShowOutput {
        try selfCheckView(id, department: department, catalogFiles: catalogFiles, now: now, scope: scope).show
    }

    /// `campaign show` and its findings at once — the console page's view: progress by
    /// department and the caller's findings (of `department`'s sub-tree, when given) from one
    /// evaluation of the ledger (the whole college's compliance is its costly part), or from a
    /// closed campaign's snapshot.
    public func selfCheckView(
        _ id: Int64, department: String? = nil, catalogFiles: [String] = [], now: Date = Date(), scope: DeviceScope
    ) throws -> (show: CampaignShowOutput, findings: [CampaignFindingOutput]) {
        let visible = try visibleCodes(department, scope)
        let records = try selfCheckRecords(id)
        let departments: [CampaignDepartmentOutput]
        let all: [CampaignFindingOutput]
        if let snapshot = records.campaign.snapshot {
            let frozen = try Self.snapshot(snapshot, id)
            (departments, all) = (frozen.departments, frozen.findings)
        } else {
            all = try currentFindings(records, now: now, catalogFiles: catalogFiles, scope: scope).findings
            departments = try progress(records, findings: all)
        }
        let show = CampaignShowOutput(
            campaign: Self.output(records.campaign),
            departments: departments.filter { d in visible.map { $0.contains(d.department) } ?? true })
        let findings = Self.sorted(
            all.filter { f in visible.map { v in f.department.map(v.contains) ?? false } ?? true })
        return (show, findings)
    }

    func progress(_ records: CampaignRecords, findings: [CampaignFindingOutput]) throws -> [CampaignDepartmentOutput] {
        let pcs = try ledger.posturePCs(DeviceFilter())
        return try ledger.departments().map(\.department).map { d in
            let mine = findings.filter { $0.department == d.code }
            let myPCs = pcs.filter { $0.department == d.code }.map(\.id)
            let sample = records.samples.filter { $0.department == d.code }
            let sign = records.signOffs[d.code]
            return CampaignDepartmentOutput(
                department: d.code, name: d.name, findings: mine.count, open: mine.filter { $0.status == "open" }.count,
                resolved: mine.filter { $0.status == "resolved" }.count,
                reopened: mine.filter { $0.status == "reopened" }.count, pcs: myPCs.count,
                pcsChecked: myPCs.filter { records.checks[$0] != nil }.count, signedBy: sign?.signedBy,
                signedAt: sign.map { isoDate($0.at) }, statement: sign?.statement, sampled: sample.count,
                samplePassed: sample.filter { $0.result == "pass" }.count,
                sampleFailed: sample.filter { $0.result == "fail" }.count)
        }
    }

    /// `campaign close` of either kind: a self-check's findings (`closeCampaign`) or a security
    /// check's results (`closeSecurityCheck`) frozen.
    public func closeAnyCampaign(
        _ id: Int64, catalogFiles: [String] = [], scope: DeviceScope, actor: Principal
    ) throws -> ClosedCampaignOutput {
        if try campaign(id, scope: scope).kind == Self.securityCheck {
            return .securityCheck(try closeSecurityCheck(id, catalogFiles: catalogFiles, scope: scope, actor: actor))
        }
        return .selfCheck(try closeCampaign(id, catalogFiles: catalogFiles, scope: scope, actor: actor))
    }

    /// `campaign diff OLD NEW` of either kind (both of one kind, both closed): what the older
    /// campaign found against the newer, within the caller's departments.
    public func compareCampaigns(old: Int64, new: Int64, scope: DeviceScope) throws -> CampaignComparisonOutput {
        let (a, b) = (try campaign(old, scope: scope), try campaign(new, scope: scope))
        guard old < new else {
            throw LedgerError(.invalidInput, "campaign \(old) is not older than campaign \(new): give the older first")
        }
        guard a.kind == b.kind else {
            throw LedgerError(
                .invalidInput, "campaign \(old) is a \(a.kind), campaign \(new) a \(b.kind): compare one kind")
        }
        if a.kind == Self.securityCheck {
            return .securityCheck(try diffSecurityChecks(old: old, new: new, scope: scope))
        }
        return .selfCheck(try diffCampaigns(old: old, new: new, scope: scope))
    }

    /// The closed campaign of the same kind opened last before `id` (last year's, for this
    /// year's): what its page and `GET /api/v1/campaigns/{id}/diff` compare it with.
    public func previousClosedCampaign(before id: Int64, scope: DeviceScope) throws -> CampaignOutput? {
        let this = try campaign(id, scope: scope)
        return try ledger.previousClosedCampaign(kind: this.kind, before: id).map { try campaign($0, scope: scope) }
    }

    /// `campaign close`: freezes the findings, compliance rows and progress as JSON in the
    /// campaign; afterwards it refuses every change (`conflict`).
    public func closeCampaign(
        _ id: Int64, catalogFiles: [String] = [], now: Date = Date(), scope: DeviceScope, actor: Principal
    )
        throws -> CampaignShowOutput
    {
        try requireEverything(scope, "closing a campaign")
        let records = try selfCheckRecords(id)
        if records.campaign.closedAt != nil { throw LedgerError(.conflict, "campaign \(id) is already closed") }
        let current = try currentFindings(records, now: now, catalogFiles: catalogFiles, scope: scope)
        let snapshot = CampaignSnapshot(
            findings: Self.sorted(current.findings), compliance: current.compliance,
            departments: try progress(records, findings: current.findings))
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try ledger.closeCampaign(id, snapshot: String(decoding: try e.encode(snapshot), as: UTF8.self), actor: actor)
        return try showCampaign(id, scope: scope)
    }

    /// `campaign diff OLD NEW`: findings new and gone (paired by what they are about), each
    /// department's count, and compliance rows that changed.
    public func diffCampaigns(old: Int64, new: Int64, scope: DeviceScope) throws -> CampaignDiffOutput {
        let visible = try codes(in: scope)
        func frozen(_ id: Int64) throws -> CampaignSnapshot {
            let c = try selfCheckRecords(id).campaign
            guard let text = c.snapshot else {
                throw LedgerError(.conflict, "campaign \(id) is still open: close it to compare it")
            }
            var s = try Self.snapshot(text, id)
            if let visible {
                s.findings = s.findings.filter { $0.department.map(visible.contains) ?? false }
                s.compliance = s.compliance.filter { $0.department.map(visible.contains) ?? false }
                s.departments = s.departments.filter { visible.contains($0.department) }
            }
            return s
        }
        let a = try frozen(old)
        let b = try frozen(new)
        let aSubjects = Set(a.findings.map(\.subject))
        let bSubjects = Set(b.findings.map(\.subject))
        var departments: [CampaignDiffDepartment] = []
        for code in Set(a.departments.map(\.department) + b.departments.map(\.department)).sorted() {
            departments.append(
                CampaignDiffDepartment(
                    department: code, oldFindings: a.findings.filter { $0.department == code }.count,
                    newFindings: b.findings.filter { $0.department == code }.count))
        }
        func key(_ r: ComplianceOutput) -> String {
            [r.product, r.edition, r.department ?? ""].joined(separator: "\u{1F}")
        }
        let aRows = Dictionary(a.compliance.map { (key($0), $0) }, uniquingKeysWith: { x, _ in x })
        let bRows = Dictionary(b.compliance.map { (key($0), $0) }, uniquingKeysWith: { x, _ in x })
        var changes: [CampaignDiffCompliance] = []
        for k in Set(aRows.keys).union(bRows.keys).sorted() {
            let x = aRows[k]
            let y = bRows[k]
            guard x?.installs != y?.installs || x?.entitled != y?.entitled || x?.status != y?.status else { continue }
            let any = (y ?? x)!
            changes.append(
                CampaignDiffCompliance(
                    product: any.product, edition: any.edition, department: any.department,
                    oldInstalls: x?.installs ?? 0,
                    newInstalls: y?.installs ?? 0, oldEntitled: x?.entitled ?? 0, newEntitled: y?.entitled ?? 0,
                    oldStatus: x?.status, newStatus: y?.status))
        }
        return CampaignDiffOutput(
            old: old, new: new, newFindings: b.findings.filter { !aSubjects.contains($0.subject) },
            goneFindings: a.findings.filter { !bSubjects.contains($0.subject) }, departments: departments,
            compliance: changes)
    }
}

/// `guard let` for a value the code just wrote (an `io` error rather than a crash if not).
func require<T>(_ value: T?, _ what: String = "a value just written") throws -> T {
    guard let value else { throw LedgerError(.io, "\(what) is missing") }
    return value
}
