import Foundation

/// Thresholds of the posture rules (scanners/posture.conf; these are the defaults).
public struct PosturePolicy: Equatable, Sendable {
    public var patchMaxAgeDays = 30
    public var signatureMaxAgeDays = 7
    public var fullScanMaxAgeDays = 30
    public var reportMaxAgeDays = 14
    /// Whether Linux PCs must run antivirus too (the seed requires it of "office PCs"; most
    /// campuses apply it to Windows only).
    public var requireAntivirusOnLinux = false

    public init() {}
}

/// When an operating system release stops getting security updates.
public struct OSLifecycle: Sendable {
    /// Matched against the OS name (case-insensitive).
    public var name: NSRegularExpression
    /// Windows build number it applies to; nil for any.
    public var build: String?
    /// Matched against the OS name for edition-specific dates (Enterprise/Education); nil = any.
    public var edition: NSRegularExpression?
    public var endOfSupport: Date
    public var label: String

    public init(
        name: NSRegularExpression, build: String?, edition: NSRegularExpression?, endOfSupport: Date, label: String
    ) {
        self.name = name
        self.build = build
        self.edition = edition
        self.endOfSupport = endOfSupport
        self.label = label
    }

    public func matches(_ os: EndpointReport.OperatingSystem) -> Bool {
        guard let osName = os.name else { return false }
        let range = NSRange(osName.startIndex..., in: osName)
        guard name.firstMatch(in: osName, range: range) != nil else { return false }
        if let build, build != os.build { return false }
        if let edition, edition.firstMatch(in: osName, range: range) == nil { return false }
        return true
    }
}

/// A failed posture rule.
public struct PostureFinding: Equatable, Sendable {
    public enum Code: String, CaseIterable, Sendable {
        case noReport = "no_report"
        case reportStale = "report_stale"
        case osEndOfLife = "os_eol"
        case patchStale = "patch_stale"
        case securityUpdatesPending = "security_updates_pending"
        case noAntivirus = "no_av"
        case antivirusDisabled = "av_disabled"
        case signaturesStale = "signatures_stale"
        case scanOverdue = "scan_overdue"
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }
}

/// What the posture rules look at for one PC.
public struct PostureInput: Sendable {
    public var os: EndpointReport.OperatingSystem?
    public var lastReport: Date?
    public var lastPatch: Date?
    public var patchCount: Int
    public var pendingSecurityUpdates: Int
    /// nil when no report ever carried an antivirus section.
    public var antivirus: [EndpointReport.AntivirusProduct]?

    public init(
        os: EndpointReport.OperatingSystem?, lastReport: Date?, lastPatch: Date?, patchCount: Int,
        pendingSecurityUpdates: Int, antivirus: [EndpointReport.AntivirusProduct]?
    ) {
        self.os = os
        self.lastReport = lastReport
        self.lastPatch = lastPatch
        self.patchCount = patchCount
        self.pendingSecurityUpdates = pendingSecurityUpdates
        self.antivirus = antivirus
    }
}

/// The posture rules: pure, from a PC's endpoint state, the policy, the OS lifecycle table and
/// the date to judge at.
public enum PostureRules {
    public static func evaluate(
        _ pc: PostureInput, policy: PosturePolicy, lifecycle: [OSLifecycle], now: Date
    ) -> [PostureFinding] {
        guard let reported = pc.lastReport else {
            return [PostureFinding(.noReport, "no endpoint report: patch and antivirus state unknown")]
        }
        var findings: [PostureFinding] = []
        // A date that is no point in time (NaN or infinite, from a hostile report) has no age:
        // no limit accepts it, and the finding says `?` days.
        func older(_ d: Date, than limit: Int) -> Bool { now.wholeDays(since: d).map { $0 > limit } ?? true }
        func days(_ d: Date) -> String { now.wholeDays(since: d).map(String.init) ?? "?" }
        if older(reported, than: policy.reportMaxAgeDays) {
            findings.append(
                PostureFinding(
                    .reportStale, "last report \(days(reported)) days ago (limit \(policy.reportMaxAgeDays))"))
        }
        let isWindows = (pc.os?.name ?? "").localizedCaseInsensitiveContains("windows")
        if let os = pc.os, let eol = lifecycle.first(where: { $0.matches(os) }), eol.endOfSupport < now {
            findings.append(
                PostureFinding(
                    .osEndOfLife,
                    "\(eol.label) out of support since \(eol.endOfSupport.formatted(.iso8601.year().month().day()))"))
        }
        if isWindows {
            if let last = pc.lastPatch {
                if older(last, than: policy.patchMaxAgeDays) {
                    findings.append(
                        PostureFinding(
                            .patchStale, "last patch installed \(days(last)) days ago (limit \(policy.patchMaxAgeDays))"
                        ))
                }
            } else {
                findings.append(
                    PostureFinding(
                        .patchStale, pc.patchCount == 0 ? "no patch recorded" : "no patch has an installation date"))
            }
        }
        if pc.pendingSecurityUpdates > 0 {
            findings.append(
                PostureFinding(.securityUpdatesPending, "\(pc.pendingSecurityUpdates) security update(s) not installed")
            )
        }
        guard isWindows || policy.requireAntivirusOnLinux else { return findings }
        guard let products = pc.antivirus else {
            findings.append(PostureFinding(.noAntivirus, "no report says which antivirus runs"))
            return findings
        }
        if products.isEmpty {
            findings.append(PostureFinding(.noAntivirus, "no antivirus installed"))
            return findings
        }
        let enabled = products.filter { $0.enabled != false }
        if enabled.isEmpty {
            findings.append(
                PostureFinding(.antivirusDisabled, products.map(\.name).joined(separator: ", ") + " disabled"))
            return findings
        }
        let current = enabled.contains { av in
            if av.signaturesUpToDate == false { return false }
            if let date = av.signatureDate { return !older(date, than: policy.signatureMaxAgeDays) }
            return av.signaturesUpToDate == true
        }
        if !current {
            let ages = enabled.compactMap(\.signatureDate).map { "\(days($0)) days" }
            findings.append(
                PostureFinding(
                    .signaturesStale,
                    "signatures not current"
                        + (ages.isEmpty
                            ? "" : " (\(ages.joined(separator: ", ")) old; limit \(policy.signatureMaxAgeDays))")))
        }
        let scans = enabled.compactMap(\.lastFullScan)
        if let newest = scans.max(), older(newest, than: policy.fullScanMaxAgeDays) {
            findings.append(
                PostureFinding(
                    .scanOverdue, "last full scan \(days(newest)) days ago (limit \(policy.fullScanMaxAgeDays))"))
        }
        return findings
    }
}
