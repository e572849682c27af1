import Foundation

/// How a checklist item of the annual security check (网络安全检查) is answered: one of the
/// rules the ledger judges from what it knows, or `manual` (a person records it).
public enum SecurityCheckRule: String, CaseIterable, Sendable {
    /// Windows patched within the policy's days and no security update pending (posture).
    case patched
    /// An antivirus product enabled with current signatures (posture).
    case antivirus
    /// The OS release still gets security updates (posture's lifecycle table).
    case osSupported = "os_supported"
    /// No unlicensed install on the device (compliance).
    case licensedSoftware = "licensed_software"
    /// None of the parameter's TCP ports open in the newest port scan of the device.
    case portsClosed = "ports_closed"
    /// No answer to the parameter's SNMP communities in the newest scan that asked them.
    case snmpDefaultCommunity = "snmp_default_community"
    /// The device's firmware is recorded.
    case firmwareRecorded = "firmware_recorded"
    /// The device has an owner department.
    case ownerDepartment = "owner_department"
    /// The device's custody names a responsible person.
    case responsiblePerson = "responsible_person"
    /// Recorded by hand.
    case manual

    /// Whether the rule takes a parameter list (ports or communities), which it then requires.
    public var takesParameter: Bool { self == .portsClosed || self == .snmpDefaultCommunity }
}

/// One item of the checklist (`scanners/security-checklist.tsv`).
public struct SecurityCheckItem: Equatable, Sendable {
    /// Stable id (`[a-z0-9_]+`), what `campaign check` names.
    public var id: String
    /// The device classes it applies to.
    public var classes: [DeviceClass]
    public var rule: SecurityCheckRule
    /// Ports (`ports_closed`) or communities (`snmp_default_community`); empty otherwise.
    public var parameter: [String]
    public var titleZH: String
    public var titleEN: String

    public init(
        id: String, classes: [DeviceClass], rule: SecurityCheckRule, parameter: [String] = [], titleZH: String,
        titleEN: String
    ) {
        self.id = id
        self.classes = classes
        self.rule = rule
        self.parameter = parameter
        self.titleZH = titleZH
        self.titleEN = titleEN
    }

    public var isManual: Bool { rule == .manual }
}

/// An item's result: `unknown` is an automatic item the ledger cannot judge (no report, no
/// port scan): it stays unanswered until someone records it by hand.
public enum SecurityCheckResult: String, CaseIterable, Codable, Sendable {
    case pass, fail, na, unknown
}

/// What the newest port scan of a device saw.
public struct PortScanFacts: Equatable, Sendable {
    /// Open TCP ports.
    public var open: Set<UInt16>
    /// The TCP ports asked; nil when the source does not say (then a closed port is not known).
    public var scanned: Set<UInt16>?
    public var at: Date

    public init(open: Set<UInt16>, scanned: Set<UInt16>?, at: Date) {
        self.open = open
        self.scanned = scanned
        self.at = at
    }
}

/// What the scans of a device heard from SNMP.
public struct SNMPFacts: Equatable, Sendable {
    /// Communities the device answered, in the newest scan that asked any (as the scan's
    /// evidence writes them: case matters, as it does to an agent).
    public var answered: Set<String>
    /// Communities that scan asked (default ones by name; see `snmp.asked`).
    public var asked: Set<String>
    public var at: Date

    public init(answered: Set<String>, asked: Set<String>, at: Date) {
        self.answered = answered
        self.asked = asked
        self.at = at
    }
}

/// Everything the automatic rules look at for one device.
public struct SecurityCheckFacts: Sendable {
    public var deviceClass: DeviceClass
    public var firmware: String?
    public var department: String?
    public var responsible: String?
    /// PCs and servers: the endpoint state (nil: no agent ever reported).
    public var posture: PostureInput?
    /// The products the device has unlicensed installs of (compliance); nil when no report
    /// carried its software.
    public var unlicensed: [String]?
    public var ports: PortScanFacts?
    public var snmp: SNMPFacts?

    public init(
        deviceClass: DeviceClass, firmware: String? = nil, department: String? = nil, responsible: String? = nil,
        posture: PostureInput? = nil, unlicensed: [String]? = nil, ports: PortScanFacts? = nil, snmp: SNMPFacts? = nil
    ) {
        self.deviceClass = deviceClass
        self.firmware = firmware
        self.department = department
        self.responsible = responsible
        self.posture = posture
        self.unlicensed = unlicensed
        self.ports = ports
        self.snmp = snmp
    }
}

/// The automatic items' judgment: pure, from the device's facts, the posture policy and OS
/// lifecycle table, and the time of the question. Each result comes with its evidence, the
/// value it was judged from.
public enum SecurityCheckRules {
    public struct Judgment: Equatable, Sendable {
        public var result: SecurityCheckResult
        public var evidence: String

        public init(_ result: SecurityCheckResult, _ evidence: String) {
            self.result = result
            self.evidence = evidence
        }
    }

    static func day(_ d: Date) -> String { d.formatted(.iso8601.year().month().day()) }

    /// nil for a manual item.
    public static func judge(
        _ item: SecurityCheckItem, _ facts: SecurityCheckFacts, policy: PosturePolicy, lifecycle: [OSLifecycle],
        now: Date
    ) -> Judgment? {
        switch item.rule {
        case .manual:
            return nil
        case .patched, .antivirus:
            guard let pc = facts.posture, pc.lastReport != nil else {
                return Judgment(.unknown, "no endpoint report")
            }
            let findings = PostureRules.evaluate(pc, policy: policy, lifecycle: lifecycle, now: now)
            let isWindows = (pc.os?.name ?? "").localizedCaseInsensitiveContains("windows")
            if item.rule == .patched {
                let failing = findings.filter { $0.code == .patchStale || $0.code == .securityUpdatesPending }
                if !failing.isEmpty { return Judgment(.fail, failing.map(\.detail).joined(separator: "; ")) }
                if isWindows, let last = pc.lastPatch {
                    return Judgment(.pass, "last patch \(day(last)), no security update pending")
                }
                return Judgment(.pass, "no security update pending")
            }
            guard isWindows || policy.requireAntivirusOnLinux else {
                return Judgment(.na, "antivirus not required on \(pc.os?.name ?? "this OS") by the posture policy")
            }
            let codes: [PostureFinding.Code] = [.noAntivirus, .antivirusDisabled, .signaturesStale]
            let failing = findings.filter { codes.contains($0.code) }
            if !failing.isEmpty { return Judgment(.fail, failing.map(\.detail).joined(separator: "; ")) }
            let on = (pc.antivirus ?? []).filter { $0.enabled != false }
            let text = on.map { av in av.name + (av.signatureDate.map { ", signatures \(day($0))" } ?? "") }
            return Judgment(.pass, text.joined(separator: "; "))
        case .osSupported:
            guard let os = facts.posture?.os, let name = os.name else {
                return Judgment(.unknown, "operating system not reported")
            }
            let shown = name + (os.build.map { " (build \($0))" } ?? "")
            guard let eol = lifecycle.first(where: { $0.matches(os) }) else {
                return Judgment(.unknown, "\(shown): no end-of-support date known")
            }
            return eol.endOfSupport < now
                ? Judgment(.fail, "\(shown): \(eol.label) out of support since \(day(eol.endOfSupport))")
                : Judgment(.pass, "\(shown): \(eol.label) supported until \(day(eol.endOfSupport))")
        case .licensedSoftware:
            guard let unlicensed = facts.unlicensed else { return Judgment(.unknown, "no software report") }
            return unlicensed.isEmpty
                ? Judgment(.pass, "no unlicensed install")
                : Judgment(.fail, "unlicensed: " + unlicensed.joined(separator: ", "))
        case .portsClosed:
            let watched = item.parameter.compactMap { UInt16($0) }
            let list = watched.map(String.init).joined(separator: ", ")
            guard let scan = facts.ports else { return Judgment(.unknown, "no port scan of this device") }
            let open = scan.open.sorted()
            let seen =
                "open: " + (open.isEmpty ? "none" : open.map(String.init).joined(separator: ","))
                + " (scan \(day(scan.at)))"
            let bad = watched.filter(scan.open.contains)
            if !bad.isEmpty {
                return Judgment(.fail, "TCP \(bad.map(String.init).joined(separator: ", ")) open; \(seen)")
            }
            guard let scanned = scan.scanned else {
                return Judgment(.unknown, "the scan does not say whether TCP \(list) were asked; \(seen)")
            }
            let missed = watched.filter { !scanned.contains($0) }
            if !missed.isEmpty {
                return Judgment(
                    .unknown, "TCP \(missed.map(String.init).joined(separator: ", ")) not scanned; \(seen)")
            }
            return Judgment(.pass, "TCP \(list) closed; \(seen)")
        case .snmpDefaultCommunity:
            let watched = item.parameter
            guard let snmp = facts.snmp else { return Judgment(.unknown, "no scan asked SNMP of this device") }
            let answered = watched.filter(snmp.answered.contains)
            if !answered.isEmpty {
                return Judgment(
                    .fail, "answered SNMP community \(answered.joined(separator: ", ")) (scan \(day(snmp.at)))")
            }
            let missed = watched.filter { !snmp.asked.contains($0) }
            if !missed.isEmpty {
                return Judgment(
                    .unknown,
                    "community \(missed.joined(separator: ", ")) not asked; no answer to "
                        + (snmp.asked.isEmpty ? "none" : snmp.asked.sorted().joined(separator: ", "))
                        + " (scan \(day(snmp.at)))")
            }
            return Judgment(.pass, "no answer to \(watched.joined(separator: ", ")) (scan \(day(snmp.at)))")
        case .firmwareRecorded:
            return facts.firmware.map { Judgment(.pass, $0) } ?? Judgment(.fail, "no firmware recorded")
        case .ownerDepartment:
            return facts.department.map { Judgment(.pass, $0) } ?? Judgment(.fail, "no owner department")
        case .responsiblePerson:
            let name = facts.responsible?.trimmingCharacters(in: .whitespaces) ?? ""
            return name.isEmpty ? Judgment(.fail, "no responsible person recorded") : Judgment(.pass, name)
        }
    }
}
