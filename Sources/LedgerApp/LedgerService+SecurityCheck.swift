import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// Who answers for a device and where it is (`device custody`, and `custody` in `device show`).
public struct CustodyOutput: Codable, Equatable, Sendable {
    public var device: Int64
    public var responsible: String
    @Nullable public var location: String?
    public var setBy: String
    public var setAt: String

    enum CodingKeys: String, CodingKey {
        case device, responsible, location
        case setBy = "set_by"
        case setAt = "set_at"
    }

    init(_ c: CustodyRecord) {
        device = c.device
        responsible = c.responsible
        location = c.location
        setBy = c.setBy
        setAt = isoDate(c.setAt)
    }
}

/// One item of a security check's checklist, as the campaign was opened with it.
public struct SecurityCheckItemOutput: Codable, Equatable, Sendable {
    public var id: String
    public var classes: [String]
    /// `SecurityCheckRule` raw value; `manual` for an item recorded by hand.
    public var rule: String
    public var parameter: [String]
    public var titleZH: String
    public var titleEN: String

    enum CodingKeys: String, CodingKey {
        case id, classes, rule, parameter
        case titleZH = "title_zh"
        case titleEN = "title_en"
    }

    init(_ i: SecurityCheckItem) {
        id = i.id
        classes = i.classes.map(\.rawValue)
        rule = i.rule.rawValue
        parameter = i.parameter
        titleZH = i.titleZH
        titleEN = i.titleEN
    }

    var item: SecurityCheckItem? {
        guard let r = SecurityCheckRule(rawValue: rule) else { return nil }
        return SecurityCheckItem(
            id: id, classes: classes.compactMap(DeviceClass.init(rawValue:)), rule: r, parameter: parameter,
            titleZH: titleZH, titleEN: titleEN)
    }
}

/// One device and one item of a security check (`campaign results --format json`).
public struct SecurityCheckResultOutput: Codable, Equatable, Sendable {
    public var device: Int64
    @Nullable public var hostname: String?
    public var deviceClass: String
    @Nullable public var department: String?
    public var item: String
    public var titleZH: String
    public var titleEN: String
    /// `pass`, `fail`, `na`, or `unanswered` (a manual item nobody recorded, or an automatic
    /// one the ledger cannot judge and nobody recorded).
    public var result: String
    /// `auto` (the ledger's judgment), `manual` (recorded by hand; on an automatic item, an
    /// override) or `none` (unanswered).
    public var source: String
    /// The automatic judgment (`pass`, `fail`, `na`, `unknown`), even when overridden; null for
    /// a manual item.
    @Nullable public var autoResult: String?
    /// What the automatic judgment was made from; null for a manual item.
    @Nullable public var evidence: String?
    /// The note (the reason, for an override) recorded by hand.
    @Nullable public var note: String?
    @Nullable public var checkedBy: String?
    @Nullable public var checkedAt: String?

    enum CodingKeys: String, CodingKey {
        case device, hostname, department, item, result, source, evidence, note
        case deviceClass = "class"
        case titleZH = "title_zh"
        case titleEN = "title_en"
        case autoResult = "auto_result"
        case checkedBy = "checked_by"
        case checkedAt = "checked_at"
    }
}

/// One department's progress in a security check (`campaign show`, and the college report).
public struct SecurityCheckDepartmentOutput: Codable, Equatable, Sendable {
    /// Null: devices of no department (seen only by a caller who sees everything).
    @Nullable public var department: String?
    @Nullable public var name: String?
    /// Devices in the check (of a class some item applies to).
    public var devices: Int
    /// Those devices by class (`pc`, `printer` ...).
    public var devicesByClass: [String: Int]
    /// Device × item pairs, and how they stand.
    public var items: Int
    public var passed: Int
    public var failed: Int
    public var na: Int
    public var unanswered: Int
    /// Devices with at least one failed item.
    public var devicesFailing: Int
    /// Devices with every item answered and none failed.
    public var devicesPassed: Int

    enum CodingKeys: String, CodingKey {
        case department, name, devices, items, passed, failed, na, unanswered
        case devicesByClass = "devices_by_class"
        case devicesFailing = "devices_failing"
        case devicesPassed = "devices_passed"
    }
}

/// `campaign show` of a security check: the campaign, its checklist, progress by department.
public struct SecurityCheckShowOutput: Codable, Equatable, Sendable {
    public var campaign: CampaignOutput
    public var checklist: [SecurityCheckItemOutput]
    public var departments: [SecurityCheckDepartmentOutput]
}

/// What closing a security check froze (stored in `campaign.snapshot`).
public struct SecurityCheckSnapshot: Codable, Equatable, Sendable {
    public var results: [SecurityCheckResultOutput]
    public var departments: [SecurityCheckDepartmentOutput]
}

/// `campaign diff OLD NEW` of two closed security checks: each department's counts then and
/// now, and every device × item whose result changed (or that is in one year only).
public struct SecurityCheckDiffOutput: Codable, Equatable, Sendable {
    public var old: Int64
    public var new: Int64
    public var departments: [SecurityCheckDiffDepartment]
    public var changed: [SecurityCheckDiffResult]
}

public struct SecurityCheckDiffDepartment: Codable, Equatable, Sendable {
    @Nullable public var department: String?
    public var oldDevices: Int
    public var newDevices: Int
    public var oldFailed: Int
    public var newFailed: Int
    public var oldUnanswered: Int
    public var newUnanswered: Int

    enum CodingKeys: String, CodingKey {
        case department
        case oldDevices = "old_devices"
        case newDevices = "new_devices"
        case oldFailed = "old_failed"
        case newFailed = "new_failed"
        case oldUnanswered = "old_unanswered"
        case newUnanswered = "new_unanswered"
    }
}

public struct SecurityCheckDiffResult: Codable, Equatable, Sendable {
    public var device: Int64
    @Nullable public var hostname: String?
    @Nullable public var department: String?
    public var item: String
    /// Null: the device or item was not in the older check.
    @Nullable public var oldResult: String?
    /// Null: no longer in the newer check.
    @Nullable public var newResult: String?

    enum CodingKeys: String, CodingKey {
        case device, hostname, department, item
        case oldResult = "old_result"
        case newResult = "new_result"
    }
}

/// Which results of a security check to list.
public struct SecurityCheckQuery: Sendable {
    /// This department and its sub-departments (within the caller's scope).
    public var department: String?
    /// Only failed results.
    public var failingOnly: Bool
    public var catalogFiles: [String]
    public var now: Date

    public init(department: String? = nil, failingOnly: Bool = false, catalogFiles: [String] = [], now: Date = Date()) {
        self.department = department
        self.failingOnly = failingOnly
        self.catalogFiles = catalogFiles
        self.now = now
    }
}

extension LedgerService {
    public static let securityCheck = "security-check"

    /// `device custody`: who answers for the device (and where it is). A liaison sets it for the
    /// devices of their departments only (another's is not found); audited as `device.custody`.
    public func setCustody(
        device id: Int64, responsible: String, location: String? = nil, scope: DeviceScope, actor: Principal
    ) throws -> CustodyOutput {
        let name = responsible.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200 else {
            throw LedgerError(.invalidInput, "--responsible needs a name (at most 200 characters)")
        }
        let place = location?.trimmingCharacters(in: .whitespaces)
        if let place, place.count > 500 {
            throw LedgerError(.invalidInput, "--location is longer than 500 characters")
        }
        return CustodyOutput(
            try ledger.setCustody(
                device: id, responsible: name, location: place?.isEmpty == true ? nil : place, scope: scope,
                actor: actor))
    }

    /// The checklist of the shipped `scanners/security-checklist.tsv` or of `file`.
    func readChecklist(_ file: String?) throws -> [SecurityCheckItem] {
        let path = try file ?? data.locate("security-checklist.tsv")
        return try SecurityChecklistFile.read(try readInputFile(path), file: path)
    }

    /// The items a security check was opened with.
    static func checklist(_ c: CampaignRecord) throws -> [SecurityCheckItem] {
        guard let text = c.checklist,
            let items = try? JSONDecoder().decode([SecurityCheckItemOutput].self, from: Data(text.utf8))
        else { throw LedgerError(.io, "campaign \(c.id)'s checklist cannot be read by this version") }
        return try items.map {
            try require($0.item, "item \($0.id) of campaign \(c.id)'s checklist (rule \($0.rule))")
        }
    }

    /// A security check's records; another kind of campaign is `invalidInput`.
    func securityCheckRecords(_ id: Int64) throws -> CampaignRecords {
        let records = try ledger.campaignRecords(id)
        guard records.campaign.kind == Self.securityCheck else {
            throw Ledger.wrongKind(id, records.campaign.kind, expected: Self.securityCheck)
        }
        return records
    }

    /// Every device of the check in scope (or only device `only`) with every item of its class:
    /// the automatic judgment computed now (never stored while the campaign is open) and what
    /// was recorded by hand over it. Facts are gathered only for the items the devices have.
    func currentSecurityResults(
        _ records: CampaignRecords, query: SecurityCheckQuery, only: Int64? = nil, scope: DeviceScope
    ) throws
        -> [SecurityCheckResultOutput]
    {
        let checklist = try Self.checklist(records.campaign)
        let filter = DeviceFilter(scope: scope, department: query.department)
        let devices = try ledger.devices(filter).filter { d in
            (only == nil || d.id == only) && checklist.contains { $0.classes.contains(d.deviceClass) }
        }
        let present = Set(devices.map(\.deviceClass))
        let items = checklist.filter { !present.isDisjoint(with: $0.classes) }
        let classes = DeviceClass.allCases.filter(present.contains)
        let needsPosture = items.contains { [.patched, .antivirus, .osSupported].contains($0.rule) }
        let postureClasses = classes.filter { c in
            items.contains { [.patched, .antivirus, .osSupported].contains($0.rule) && $0.classes.contains(c) }
        }
        var posture: [Int64: PostureInput] = [:]
        var policy = PosturePolicy()
        var lifecycle: [OSLifecycle] = []
        if needsPosture {
            let policyPath = try data.locate("posture.conf")
            let lifecyclePath = try data.locate("os-lifecycle.tsv")
            policy = try PolicyFile.read(try readInputFile(policyPath), file: policyPath)
            lifecycle = try LifecycleFile.read(try readInputFile(lifecyclePath), file: lifecyclePath)
            for pc in try ledger.posturePCs(filter, classes: postureClasses) { posture[pc.id] = pc.input }
        }
        // Compliance is the whole college's (the campus pool is shared), then each device's
        // unlicensed products; a device without a software report is not judged.
        var unlicensed: [Int64: [String]] = [:]
        var reported = Set<Int64>()
        if items.contains(where: { $0.rule == .licensedSoftware }) {
            let rows = try compliance(
                ComplianceQuery(day: Self.today(query.now), catalogFiles: query.catalogFiles), scope: .everything)
            for row in rows {
                let name = [row.product, row.edition].filter { !$0.isEmpty }.joined(separator: " ")
                for d in row.unlicensedDevices where unlicensed[d]?.contains(name) != true {
                    unlicensed[d, default: []].append(name)
                }
            }
            reported = Set(try ledger.softwareReportTimes().keys)
        }
        let scanClasses = classes.filter { c in
            items.contains { [.portsClosed, .snmpDefaultCommunity].contains($0.rule) && $0.classes.contains(c) }
        }
        let scans = try ledger.scanEvidence(filter, classes: scanClasses)
        let custody = try ledger.custody()
        var out: [SecurityCheckResultOutput] = []
        for d in devices {
            let observations = (scans[d.id] ?? []).map { (at: $0.at, evidence: $0.evidence) }
            let facts = SecurityCheckFacts(
                deviceClass: d.deviceClass, firmware: d.firmware, department: d.department,
                responsible: custody[d.id]?.responsible, posture: posture[d.id],
                unlicensed: reported.contains(d.id) ? (unlicensed[d.id] ?? []).sorted() : nil,
                ports: ScanEvidence.portFacts(observations), snmp: ScanEvidence.snmpFacts(observations))
            for item in items where item.classes.contains(d.deviceClass) {
                let judged = SecurityCheckRules.judge(item, facts, policy: policy, lifecycle: lifecycle, now: query.now)
                let recorded = records.itemResults[d.id]?[item.id]
                var r = SecurityCheckResultOutput(
                    device: d.id, hostname: d.hostname, deviceClass: d.deviceClass.rawValue, department: d.department,
                    item: item.id, titleZH: item.titleZH, titleEN: item.titleEN, result: "unanswered", source: "none",
                    autoResult: judged?.result.rawValue, evidence: judged?.evidence)
                if let recorded {
                    r.result = recorded.result
                    r.source = "manual"
                    r.note = recorded.note
                    r.checkedBy = recorded.by
                    r.checkedAt = isoDate(recorded.at)
                } else if let judged, judged.result != .unknown {
                    r.result = judged.result.rawValue
                    r.source = "auto"
                }
                out.append(r)
            }
        }
        return out
    }

    /// `campaign results`: per device per item (a closed campaign answers from its snapshot).
    /// A liaison sees the devices of their departments only.
    public func securityCheckResults(
        _ id: Int64, _ query: SecurityCheckQuery = SecurityCheckQuery(), scope: DeviceScope
    )
        throws -> [SecurityCheckResultOutput]
    {
        let visible = try visibleCodes(query.department, scope)
        let records = try securityCheckRecords(id)
        var results: [SecurityCheckResultOutput]
        if let text = records.campaign.snapshot {
            results = try Self.securitySnapshot(text, id).results.filter { r in
                visible.map { v in r.department.map(v.contains) ?? false } ?? true
            }
        } else {
            results = try currentSecurityResults(records, query: query, scope: scope)
        }
        if query.failingOnly { results = results.filter { $0.result == "fail" } }
        return results
    }

    static func securitySnapshot(_ text: String, _ id: Int64) throws -> SecurityCheckSnapshot {
        do { return try JSONDecoder().decode(SecurityCheckSnapshot.self, from: Data(text.utf8)) } catch {
            throw LedgerError(.io, "campaign \(id)'s snapshot cannot be read by this version: \(error)")
        }
    }

    /// Progress by department from a list of results: every department in view (those without
    /// devices too), then devices of no department when there are any.
    func securityProgress(_ results: [SecurityCheckResultOutput], visible: Set<String>?) throws
        -> [SecurityCheckDepartmentOutput]
    {
        let departments = try ledger.departments().map(\.department).filter { d in
            visible.map { $0.contains(d.code) } ?? true
        }
        func summary(_ code: String?, _ name: String?) -> SecurityCheckDepartmentOutput {
            let mine = results.filter { $0.department == code }
            let byDevice = Dictionary(grouping: mine, by: \.device)
            var classes: [String: Int] = [:]
            for rows in byDevice.values { classes[rows[0].deviceClass, default: 0] += 1 }
            return SecurityCheckDepartmentOutput(
                department: code, name: name, devices: byDevice.count, devicesByClass: classes, items: mine.count,
                passed: mine.filter { $0.result == "pass" }.count, failed: mine.filter { $0.result == "fail" }.count,
                na: mine.filter { $0.result == "na" }.count,
                unanswered: mine.filter { $0.result == "unanswered" }.count,
                devicesFailing: byDevice.values.filter { $0.contains { $0.result == "fail" } }.count,
                devicesPassed: byDevice.values.filter { rows in
                    rows.allSatisfy { $0.result == "pass" || $0.result == "na" }
                }.count)
        }
        var out = departments.map { summary($0.code, $0.name) }
        if visible == nil, results.contains(where: { $0.department == nil }) { out.append(summary(nil, nil)) }
        return out
    }

    /// The per-department summary of a security check, for `campaign show` and the college
    /// report: devices in the check by class, item results passed/failed/n.a./unanswered.
    public func securityCheckProgress(
        campaign id: Int64, department: String? = nil, catalogFiles: [String] = [], now: Date = Date(),
        scope: DeviceScope
    ) throws -> [SecurityCheckDepartmentOutput] {
        let visible = try visibleCodes(department, scope)
        let records = try securityCheckRecords(id)
        if let text = records.campaign.snapshot {
            return try Self.securitySnapshot(text, id).departments.filter { d in
                guard let visible else { return true }
                return d.department.map(visible.contains) ?? false
            }
        }
        let results = try currentSecurityResults(
            records, query: SecurityCheckQuery(department: department, catalogFiles: catalogFiles, now: now),
            scope: scope)
        return try securityProgress(results, visible: visible)
    }

    /// A security check's console page: its progress by department (every department in view)
    /// and its results narrowed by `query` (a department's sub-tree, failing only), from one
    /// evaluation of the ledger (the whole college's compliance is its costly part), or from a
    /// closed campaign's snapshot.
    public func securityCheckView(
        _ id: Int64, _ query: SecurityCheckQuery = SecurityCheckQuery(), scope: DeviceScope
    ) throws -> (show: SecurityCheckShowOutput, results: [SecurityCheckResultOutput]) {
        let records = try securityCheckRecords(id)
        let visible = try visibleCodes(nil, scope)
        let narrowed = try visibleCodes(query.department, scope)
        func seen(_ department: String?, in codes: Set<String>?) -> Bool {
            codes.map { c in department.map(c.contains) ?? false } ?? true
        }
        let all: [SecurityCheckResultOutput]
        let progress: [SecurityCheckDepartmentOutput]
        if let text = records.campaign.snapshot {
            let frozen = try Self.securitySnapshot(text, id)
            all = frozen.results.filter { seen($0.department, in: visible) }
            progress = frozen.departments.filter { seen($0.department, in: visible) }
        } else {
            var everything = query
            everything.department = nil
            all = try currentSecurityResults(records, query: everything, scope: scope)
            progress = try securityProgress(all, visible: visible)
        }
        var results = all.filter { seen($0.department, in: narrowed) }
        if query.failingOnly { results = results.filter { $0.result == "fail" } }
        let show = SecurityCheckShowOutput(
            campaign: Self.output(records.campaign),
            checklist: try Self.checklist(records.campaign).map(SecurityCheckItemOutput.init), departments: progress)
        return (show, results)
    }

    /// `campaign show` of a security check.
    public func showSecurityCheck(
        _ id: Int64, department: String? = nil, catalogFiles: [String] = [], now: Date = Date(), scope: DeviceScope
    ) throws -> SecurityCheckShowOutput {
        let records = try securityCheckRecords(id)
        return SecurityCheckShowOutput(
            campaign: Self.output(records.campaign),
            checklist: try Self.checklist(records.campaign).map(SecurityCheckItemOutput.init),
            departments: try securityCheckProgress(
                campaign: id, department: department, catalogFiles: catalogFiles, now: now, scope: scope))
    }

    /// `campaign check`: a result recorded by hand for one device and item — a manual item, or
    /// an override of an automatic one (which needs a note: the reason). A liaison records for
    /// the devices of their departments only (another's is not found); the item must be one of
    /// the checklist's for the device's class. Audited as `campaign.security_check`.
    public func recordSecurityCheck(
        campaign id: Int64, device: Int64, item: String, result: String, note: String? = nil,
        catalogFiles: [String] = [], now: Date = Date(), scope: DeviceScope, actor: Principal
    ) throws -> SecurityCheckResultOutput {
        let records = try securityCheckRecords(id)
        if records.campaign.closedAt != nil {
            throw LedgerError(.conflict, "campaign \(id) is closed: it no longer changes")
        }
        guard ["pass", "fail", "na"].contains(result) else {
            throw LedgerError(.invalidInput, "--result '\(result)': pass, fail or na")
        }
        let note = note?.trimmingCharacters(in: .whitespaces)
        if let note, note.count > 2000 { throw LedgerError(.invalidInput, "--note is longer than 2000 characters") }
        try checkDevice(device, scope)
        let items = try Self.checklist(records.campaign)
        guard let entry = items.first(where: { $0.id == item }) else {
            throw LedgerError(
                .notFound,
                "no item '\(item)' in campaign \(id)'s checklist (\(items.map(\.id).joined(separator: ", ")))")
        }
        let summary = try ledger.device(device, scope: scope).summary
        guard entry.classes.contains(summary.deviceClass) else {
            throw LedgerError(
                .invalidInput,
                "item '\(item)' is for \(entry.classes.map(\.rawValue).joined(separator: ", ")); device \(device) is \(summary.deviceClass.rawValue)"
            )
        }
        var details: [String: JSONValue] = ["rule": .string(entry.rule.rawValue)]
        if !entry.isManual {
            guard let note, !note.isEmpty else {
                throw LedgerError(
                    .invalidInput, "item '\(item)' is judged by the ledger: overriding it needs --note with the reason")
            }
            let judged = try currentSecurityResults(
                records, query: SecurityCheckQuery(catalogFiles: catalogFiles, now: now), only: device, scope: scope
            ).first { $0.item == item }
            details["auto_result"] = JSONValue(judged?.autoResult)
            details["evidence"] = JSONValue(judged?.evidence)
        }
        _ = try ledger.recordItemResult(
            campaign: id, device: device, item: item, result: result, note: note?.isEmpty == true ? nil : note,
            details: details, scope: scope, actor: actor)
        let after = try currentSecurityResults(
            try securityCheckRecords(id), query: SecurityCheckQuery(catalogFiles: catalogFiles, now: now),
            only: device, scope: scope)
        return try require(after.first { $0.item == item })
    }

    /// `campaign diff OLD NEW` of two closed security checks (an open one: `conflict`), within
    /// the caller's departments; results are paired by device and item.
    public func diffSecurityChecks(old: Int64, new: Int64, scope: DeviceScope) throws -> SecurityCheckDiffOutput {
        let visible = try codes(in: scope)
        func frozen(_ id: Int64) throws -> SecurityCheckSnapshot {
            let c = try securityCheckRecords(id).campaign
            guard let text = c.snapshot else {
                throw LedgerError(.conflict, "campaign \(id) is still open: close it to compare it")
            }
            var snapshot = try Self.securitySnapshot(text, id)
            if let visible {
                snapshot.results = snapshot.results.filter { $0.department.map(visible.contains) ?? false }
                snapshot.departments = snapshot.departments.filter { $0.department.map(visible.contains) ?? false }
            }
            return snapshot
        }
        let a = try frozen(old)
        let b = try frozen(new)
        struct Key: Hashable {
            var device: Int64
            var item: String
        }
        let before = Dictionary(
            a.results.map { (Key(device: $0.device, item: $0.item), $0) }, uniquingKeysWith: { x, _ in x })
        let after = Dictionary(
            b.results.map { (Key(device: $0.device, item: $0.item), $0) }, uniquingKeysWith: { x, _ in x })
        var changed: [SecurityCheckDiffResult] = []
        for key in Set(before.keys).union(after.keys).sorted(by: { ($0.device, $0.item) < ($1.device, $1.item) }) {
            let x = before[key]
            let y = after[key]
            guard x?.result != y?.result else { continue }
            let any = (y ?? x)!
            changed.append(
                SecurityCheckDiffResult(
                    device: key.device, hostname: any.hostname, department: any.department, item: key.item,
                    oldResult: x?.result, newResult: y?.result))
        }
        let codes = Set(a.departments.map(\.department) + b.departments.map(\.department))
        let departments = codes.sorted { ($0 ?? "\u{10FFFF}") < ($1 ?? "\u{10FFFF}") }.map { code in
            let x = a.departments.first { $0.department == code }
            let y = b.departments.first { $0.department == code }
            return SecurityCheckDiffDepartment(
                department: code, oldDevices: x?.devices ?? 0, newDevices: y?.devices ?? 0, oldFailed: x?.failed ?? 0,
                newFailed: y?.failed ?? 0, oldUnanswered: x?.unanswered ?? 0, newUnanswered: y?.unanswered ?? 0)
        }
        return SecurityCheckDiffOutput(old: old, new: new, departments: departments, changed: changed)
    }

    /// `campaign close` of a security check: freezes every result and the progress as JSON in
    /// the campaign; afterwards it refuses every change (`conflict`) and answers from it.
    public func closeSecurityCheck(
        _ id: Int64, catalogFiles: [String] = [], now: Date = Date(), scope: DeviceScope, actor: Principal
    ) throws -> SecurityCheckShowOutput {
        try requireEverything(scope, "closing a campaign")
        let records = try securityCheckRecords(id)
        if records.campaign.closedAt != nil { throw LedgerError(.conflict, "campaign \(id) is already closed") }
        let results = try currentSecurityResults(
            records, query: SecurityCheckQuery(catalogFiles: catalogFiles, now: now), scope: .everything)
        let snapshot = SecurityCheckSnapshot(
            results: results, departments: try securityProgress(results, visible: nil))
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try ledger.closeCampaign(
            id, kind: Self.securityCheck, snapshot: String(decoding: try e.encode(snapshot), as: UTF8.self),
            actor: actor)
        return try showSecurityCheck(id, scope: scope)
    }
}
