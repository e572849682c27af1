import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// One office PC's posture (`posture --format json`): OS, last report and patch, antivirus,
/// and the rules it fails.
public struct PostureOutput: Codable, Equatable, Sendable {
    public var id: Int64
    @Nullable public var hostname: String?
    @Nullable public var department: String?
    @Nullable public var os: String?
    @Nullable public var osBuild: String?
    @Nullable public var lastReport: String?
    @Nullable public var lastPatch: String?
    /// The products as one text: `?` (no antivirus section reported), `none`, or names with
    /// ` (off)` for a disabled one.
    public var antivirus: String
    public var failing: Bool
    public var findings: [FindingOutput]

    enum CodingKeys: String, CodingKey {
        case id, hostname, department, os, antivirus, failing, findings
        case osBuild = "os_build"
        case lastReport = "last_report"
        case lastPatch = "last_patch"
    }
}

/// A posture rule a PC fails (`PostureFinding.Code` raw value and why).
public struct FindingOutput: Codable, Equatable, Sendable {
    public var code: String
    public var detail: String
}

/// Which PCs to judge, against which rules, as of when.
public struct PostureQuery: Sendable {
    public var department: String?
    /// Only this PC (the device page's posture; nil: every PC in scope).
    public var device: Int64?
    /// Only PCs that fail at least one rule.
    public var failingOnly: Bool
    /// A thresholds file instead of `scanners/posture.conf` (only for a caller who sees
    /// everything: it is a path the service reads).
    public var policyFile: String?
    /// An OS end-of-support table instead of `scanners/os-lifecycle.tsv` (everything scope only).
    public var lifecycleFile: String?
    public var now: Date

    public init(
        department: String? = nil, failingOnly: Bool = false, policyFile: String? = nil, lifecycleFile: String? = nil,
        now: Date = Date(), device: Int64? = nil
    ) {
        self.department = department
        self.device = device
        self.failingOnly = failingOnly
        self.policyFile = policyFile
        self.lifecycleFile = lifecycleFile
        self.now = now
    }
}

extension LedgerService {
    /// `posture`: every PC in scope through `PostureRules.evaluate`. Files of the caller's own
    /// (`policyFile`, `lifecycleFile`) are paths on the server: only a caller who sees
    /// everything may name them (else `forbidden`).
    public func posture(_ query: PostureQuery = PostureQuery(), scope: DeviceScope) throws -> [PostureOutput] {
        if query.policyFile != nil || query.lifecycleFile != nil {
            try requireEverything(scope, "choosing the posture policy or lifecycle file")
        }
        if let department = query.department { try checkDepartment(department, scope) }
        let policyPath = try query.policyFile ?? data.locate("posture.conf")
        let lifecyclePath = try query.lifecycleFile ?? data.locate("os-lifecycle.tsv")
        let rules = try PolicyFile.read(try readInputFile(policyPath), file: policyPath)
        let table = try LifecycleFile.read(try readInputFile(lifecyclePath), file: lifecyclePath)
        let pcs = try ledger.posturePCs(
            DeviceFilter(scope: scope, department: query.department, ids: query.device.map { [$0] }))
        return pcs.map { pc in
            let findings = PostureRules.evaluate(pc.input, policy: rules, lifecycle: table, now: query.now)
            return PostureOutput(
                id: pc.id, hostname: pc.hostname, department: pc.department, os: pc.input.os?.name,
                osBuild: pc.input.os?.build, lastReport: pc.input.lastReport.map(isoDate),
                lastPatch: pc.input.lastPatch.map(isoDate), antivirus: Self.antivirusText(pc.input.antivirus),
                failing: !findings.isEmpty,
                findings: findings.map { FindingOutput(code: $0.code.rawValue, detail: $0.detail) })
        }.filter { !query.failingOnly || $0.failing }
    }

    static func antivirusText(_ products: [EndpointReport.AntivirusProduct]?) -> String {
        guard let products else { return "?" }
        return products.isEmpty
            ? "none" : products.map { $0.name + ($0.enabled == false ? " (off)" : "") }.joined(separator: ", ")
    }
}
