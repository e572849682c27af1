import Foundation
import LedgerModel
import LedgerStore

/// What a college (or department) report covers.
public struct ReportQuery: Sendable {
    /// Only this department and its sub-departments (must be within the scope); nil = the scope.
    public var department: String?
    /// The day compliance is judged on (`YYYY-MM-DD`); nil = today in China Standard Time.
    public var day: String?
    /// The self-check campaign shown; nil = the newest self-check campaign, if any.
    public var campaign: Int64?
    /// The security check shown; nil = the newest security-check campaign, if any.
    public var securityCheck: Int64?
    /// The commitment text's year; nil = the year of `day`.
    public var year: Int?
    public var catalogFiles: [String]

    public init(
        department: String? = nil, day: String? = nil, campaign: Int64? = nil, securityCheck: Int64? = nil,
        year: Int? = nil, catalogFiles: [String] = []
    ) {
        self.department = department
        self.day = day
        self.campaign = campaign
        self.securityCheck = securityCheck
        self.year = year
        self.catalogFiles = catalogFiles
    }
}

/// Devices of one class in one department.
public struct ClassCountOutput: Codable, Equatable, Sendable {
    @Nullable public var department: String?
    @Nullable public var name: String?
    public var deviceClass: String
    public var devices: Int

    enum CodingKeys: String, CodingKey {
        case department, name, devices
        case deviceClass = "class"
    }
}

/// The compliance rate of one category, for the scope or one department.
public struct ComplianceRateOutput: Codable, Equatable, Sendable {
    public var category: String
    public var categoryLabel: String
    /// Nil: the whole scope (or, in `compliance_by_department`, devices of no department).
    @Nullable public var department: String?
    public var installs: Int
    public var licensed: Int
    public var unlicensed: Int
    /// licensed / installs, 1 when there are no installs.
    public var rate: Double

    enum CodingKeys: String, CodingKey {
        case category, department, installs, licensed, unlicensed, rate
        case categoryLabel = "category_label"
    }
}

/// One install no valid licence covers (or an activation crack), with its device.
public struct UnlicensedInstallOutput: Codable, Equatable, Sendable {
    public var device: Int64
    @Nullable public var hostname: String?
    @Nullable public var department: String?
    public var product: String
    public var edition: String
    public var category: String
    /// unlicensed, expired, home_edition (never a unit licence) or crack.
    public var reason: String
}

/// `report`: the legalization picture of the college or one department.
public struct CollegeReportOutput: Codable, Equatable, Sendable {
    @Nullable public var department: String?
    @Nullable public var departmentName: String?
    public var day: String
    public var devices: Int
    public var devicesByClass: [ClassCountOutput]
    public var compliance: [ComplianceRateOutput]
    public var complianceByDepartment: [ComplianceRateOutput]
    public var unlicensed: [UnlicensedInstallOutput]
    @Nullable public var selfCheck: CampaignShowOutput?
    public var commitmentYear: Int
    public var commitments: [CommitmentCoverageOutput]
    /// The domestic shares (国产化率) of the year of `day`, against their targets.
    public var domestic: [DomesticShareOutput]
    /// The inspection's 软件使用情况汇总表 (product editions per department).
    public var usageSummary: [InspectionSummaryOutput]
    /// The newest (or asked) security check and its results by department.
    @Nullable public var securityCheck: CampaignOutput?
    public var securityCheckResults: [SecurityCheckDepartmentOutput]

    enum CodingKeys: String, CodingKey {
        case department, day, devices, compliance, unlicensed, commitments, domestic
        case usageSummary = "usage_summary"
        case securityCheck = "security_check"
        case securityCheckResults = "security_check_results"
        case departmentName = "department_name"
        case devicesByClass = "devices_by_class"
        case complianceByDepartment = "compliance_by_department"
        case selfCheck = "self_check"
        case commitmentYear = "commitment_year"
    }
}

extension LedgerService {
    /// `report`: devices by class, compliance rates by category (scope and per department),
    /// every unlicensed install, the self-check's and the commitments' progress — each part from
    /// the use case that owns it (`compliance`, `showCampaign`, `commitmentCoverage`), so the
    /// report never counts differently from the commands.
    public func collegeReport(_ query: ReportQuery = ReportQuery(), scope: DeviceScope, now: Date = Date()) throws
        -> CollegeReportOutput
    {
        if let d = query.department { try checkDepartment(d, scope) }
        let day = query.day ?? Self.today(now)
        let names = Dictionary(
            try ledger.departments().map { ($0.department.code, $0.department.name) }, uniquingKeysWith: { a, _ in a })
        let devices = try deviceSummaries(DeviceQuery(department: query.department), scope: scope)
        let hostnames = Dictionary(devices.map { ($0.id, $0.hostname) }, uniquingKeysWith: { a, _ in a })

        struct ClassKey: Hashable {
            var department: String?
            var deviceClass: String
        }
        var classCounts: [ClassKey: Int] = [:]
        for d in devices {
            classCounts[ClassKey(department: d.department, deviceClass: d.deviceClass.rawValue), default: 0] += 1
        }
        let classOrder = Dictionary(
            DeviceClass.allCases.enumerated().map { ($1.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
        let byClass = classCounts.keys.sorted {
            ($0.department ?? "\u{10FFFF}", classOrder[$0.deviceClass] ?? 99)
                < ($1.department ?? "\u{10FFFF}", classOrder[$1.deviceClass] ?? 99)
        }.map {
            ClassCountOutput(
                department: $0.department, name: $0.department.flatMap { names[$0] }, deviceClass: $0.deviceClass,
                devices: classCounts[$0]!)
        }

        // One evaluation for the compliance rows and the usage summary.
        let evaluation = try evaluateCompliance(
            ComplianceQuery(department: query.department, day: day, catalogFiles: query.catalogFiles), scope: scope)
        let rows = compliance(from: evaluation)
        let (rates, ratesByDepartment) = Self.rates(rows)
        var unlicensed: [UnlicensedInstallOutput] = []
        for r in rows where !r.unlicensedDevices.isEmpty {
            let home = Set(r.homeEditionDevices)
            for id in r.unlicensedDevices {
                let reason =
                    r.category == "crack"
                    ? "crack" : home.contains(id) ? "home_edition" : r.status == "expired" ? "expired" : "unlicensed"
                unlicensed.append(
                    UnlicensedInstallOutput(
                        device: id, hostname: hostnames[id] ?? nil, department: r.department, product: r.product,
                        edition: r.edition, category: r.category, reason: reason))
            }
        }

        let campaignID =
            try query.campaign
            ?? listCampaigns(scope: scope).filter { $0.kind == "self-check" }.map(\.id).max()
        let selfCheck = try campaignID.map {
            try showCampaign(
                $0, department: query.department, catalogFiles: query.catalogFiles, now: now, scope: scope)
        }
        let year = query.year ?? Int(day.prefix(4)) ?? Self.currentYear()
        let commitments = try commitmentCoverage(department: query.department, year: year, scope: scope)
        let domestic = try domesticShare(
            DomesticShareQuery(
                department: query.department, year: Int(day.prefix(4)), day: day, catalogFiles: query.catalogFiles),
            scope: scope)
        let campaigns = try listCampaigns(scope: scope)
        let security =
            query.securityCheck.flatMap { id in campaigns.first { $0.id == id } }
            ?? campaigns.filter { $0.kind == "security-check" }.max { $0.id < $1.id }
        if let id = query.securityCheck, security?.id != id || security?.kind != "security-check" {
            throw LedgerError(.notFound, "no security check \(id)")
        }
        let securityResults =
            try security.map {
                try securityCheckProgress(
                    campaign: $0.id, department: query.department, catalogFiles: query.catalogFiles, now: now,
                    scope: scope)
            } ?? []
        let usage = try inspectionSummary(from: evaluation)
        // Whom it covers: the department asked for; else a narrower scope's departments (a
        // liaison's report is never headed as the whole college's); else nil, the college.
        var whom = query.department.map { [$0] }
        if whom == nil, case .departments(let codes) = scope { whom = codes.sorted() }
        return CollegeReportOutput(
            department: whom?.joined(separator: ","),
            departmentName: whom.map { $0.map { names[$0] ?? $0 }.joined(separator: "、") }, day: day,
            devices: devices.count, devicesByClass: byClass, compliance: rates,
            complianceByDepartment: ratesByDepartment,
            unlicensed: unlicensed, selfCheck: selfCheck, commitmentYear: year, commitments: commitments,
            domestic: domestic, usageSummary: usage, securityCheck: security, securityCheckResults: securityResults)
    }

    /// Compliance rates by category (the seed's order) for all the rows, and per department
    /// (devices of no department: department nil). Free and open-source installs count as
    /// licensed; activation cracks are no category.
    static func rates(_ rows: [ComplianceOutput]) -> (all: [ComplianceRateOutput], byDepartment: [ComplianceRateOutput])
    {
        struct Key: Hashable {
            var category: String
            var department: String?
        }
        var all: [String: (installs: Int, unlicensed: Int)] = [:]
        var byDepartment: [Key: (installs: Int, unlicensed: Int)] = [:]
        var labels: [String: String] = [:]
        for r in rows where r.category != "crack" && r.installs > 0 {
            labels[r.category] = r.categoryLabel
            all[r.category, default: (0, 0)].installs += r.installs
            all[r.category]!.unlicensed += r.unlicensedDevices.count
            let key = Key(category: r.category, department: r.department)
            byDepartment[key, default: (0, 0)].installs += r.installs
            byDepartment[key]!.unlicensed += r.unlicensedDevices.count
        }
        let order = Dictionary(
            SoftwareCategory.allCases.enumerated().map { ($1.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
        func output(_ category: String, _ department: String?, _ t: (installs: Int, unlicensed: Int))
            -> ComplianceRateOutput
        {
            ComplianceRateOutput(
                category: category, categoryLabel: labels[category] ?? category, department: department,
                installs: t.installs, licensed: t.installs - t.unlicensed, unlicensed: t.unlicensed,
                rate: t.installs == 0 ? 1 : Double(t.installs - t.unlicensed) / Double(t.installs))
        }
        let scope = all.keys.sorted { (order[$0] ?? 99, $0) < (order[$1] ?? 99, $1) }.map { output($0, nil, all[$0]!) }
        let departments = byDepartment.keys.sorted {
            ($0.department ?? "\u{10FFFF}", order[$0.category] ?? 99, $0.category)
                < ($1.department ?? "\u{10FFFF}", order[$1.category] ?? 99, $1.category)
        }.map { output($0.category, $0.department, byDepartment[$0]!) }
        return (scope, departments)
    }
}
