import Foundation
import LedgerModel
import LedgerStore

/// One product edition in one department, for the inspection's 软件使用情况汇总表
/// (`inspection summary --format json`): a compliance row, named for the form.
public struct InspectionSummaryOutput: Codable, Equatable, Sendable {
    /// `SoftwareCategory` raw value.
    public var category: String
    /// The seed's label (操作系统(PC), 办公软件 ...).
    public var categoryLabel: String
    public var product: String
    public var edition: String
    /// Null: campus level.
    @Nullable public var department: String?
    @Nullable public var departmentName: String?
    public var installs: Int
    /// Seats: those the installs took plus the unused seats of licences held here.
    public var entitled: Int
    /// Seats the installs took.
    public var consumed: Int
    public var unlicensed: Int
    /// Sources of the licences taken or held here (`volume`, `oem` ...), or the product's own
    /// class (`free`, `open-source`) when it needs none; sorted.
    public var licenceSources: [String]
    public var contracts: [String]
    public var domestic: Bool
    /// The compliance status (`compliant`, `unlicensed`, `over_licensed`, `expired`).
    public var status: String

    enum CodingKeys: String, CodingKey {
        case category, product, edition, department, installs, entitled, consumed, unlicensed, contracts, domestic
        case status
        case categoryLabel = "category_label"
        case departmentName = "department_name"
        case licenceSources = "licence_sources"
    }
}

/// One install on one device, for the 软件使用情况明细表 (`inspection detail --format json`).
public struct InspectionDetailOutput: Codable, Equatable, Sendable {
    public var device: Int64
    @Nullable public var hostname: String?
    @Nullable public var department: String?
    @Nullable public var departmentName: String?
    /// The device's responsible person: the ledger does not record one yet (always null).
    @Nullable public var responsible: String?
    public var category: String
    public var categoryLabel: String
    public var product: String
    public var edition: String
    /// Version read from the title (`2016`, `10`), `""` when none says.
    public var version: String
    /// Covered by a valid licence, or a free product needing none.
    public var licensed: Bool
    /// The licence whose seat it took.
    @Nullable public var licence: Int64?
    /// That licence's source, or the product's class (`free`, `open-source`).
    @Nullable public var licenceSource: String?
    @Nullable public var contract: String?
    public var homeEdition: Bool
    public var evaluation: Bool

    enum CodingKeys: String, CodingKey {
        case device, hostname, department, responsible, category, product, edition, version, licensed, licence
        case contract, evaluation
        case departmentName = "department_name"
        case categoryLabel = "category_label"
        case licenceSource = "licence_source"
        case homeEdition = "home_edition"
    }
}

/// One install, removal or version change, for the 软件安装维护情况明细表
/// (`inspection maintenance --format json`).
public struct InspectionEventOutput: Codable, Equatable, Sendable {
    public var device: Int64
    @Nullable public var hostname: String?
    @Nullable public var department: String?
    @Nullable public var departmentName: String?
    public var title: String
    @Nullable public var publisher: String?
    @Nullable public var version: String?
    @Nullable public var previousVersion: String?
    /// `installed`, `removed` or `upgraded` (the version changed).
    public var event: String
    /// When the report that showed the change was collected.
    public var at: String
    /// The agent's install date of the new row, when it reports one.
    @Nullable public var installedAt: String?
    /// The endpoint report that showed it.
    public var report: Int64

    enum CodingKeys: String, CodingKey {
        case device, hostname, department, title, publisher, version, event, at, report
        case departmentName = "department_name"
        case previousVersion = "previous_version"
        case installedAt = "installed_at"
    }
}

/// Which inspection ledger rows to compute.
public struct InspectionQuery: Sendable {
    /// Only this department and its sub-departments.
    public var department: String?
    /// The day compliance is judged on (`YYYY-MM-DD`), default today.
    public var day: String?
    /// The maintenance history's first and last day (`YYYY-MM-DD`, China Standard Time,
    /// both included); nil = open.
    public var from: String?
    public var to: String?
    public var catalogFiles: [String]

    public init(
        department: String? = nil, day: String? = nil, from: String? = nil, to: String? = nil,
        catalogFiles: [String] = []
    ) {
        self.department = department
        self.day = day
        self.from = from
        self.to = to
        self.catalogFiles = catalogFiles
    }
}

extension LedgerService {
    /// `inspection summary`: the 软件使用情况汇总表 — the compliance rows of the six categories
    /// (activation cracks are a compliance finding, not a product in use), with seats taken,
    /// licence sources and contracts, and the domestic flag.
    public func inspectionSummary(_ query: InspectionQuery = InspectionQuery(), scope: DeviceScope) throws
        -> [InspectionSummaryOutput]
    {
        try inspectionSummary(from: try evaluateCompliance(complianceQuery(query), scope: scope))
    }

    /// The summary of an evaluation already made (the college report's).
    func inspectionSummary(from evaluation: ComplianceEvaluation) throws -> [InspectionSummaryOutput] {
        let names = try departmentNames()
        return evaluation.rows.filter { evaluation.sees($0.department) }.map { r in
            var sources = Set<String>()
            var contracts = Set<String>()
            let taken = r.consumed.keys.compactMap { evaluation.licences[$0] }
            // Licences held here for this product and edition (their unused seats are in `entitled`).
            let held = evaluation.licences.values.filter {
                $0.department == r.department && $0.product == r.product && $0.isValid(on: evaluation.day)
                    && ($0.edition.map { Editions.canonical($0, product: r.product) } ?? "") == r.edition
            }
            for e in taken + held {
                sources.insert(e.source.rawValue)
                if let c = e.contract { contracts.insert(c) }
            }
            if let free = Self.freeSource(r.license) { sources.insert(free) }
            let product = evaluation.catalog.products[r.product]
            return InspectionSummaryOutput(
                category: r.category.rawValue, categoryLabel: r.category.label, product: r.product, edition: r.edition,
                department: r.department, departmentName: r.department.flatMap { names[$0] }, installs: r.installs,
                entitled: r.entitled, consumed: r.consumed.values.reduce(0, +), unlicensed: r.unlicensedDevices.count,
                licenceSources: sources.sorted(), contracts: contracts.sorted(), domestic: product?.domestic ?? false,
                status: r.status.rawValue)
        }.sorted {
            Self.rank($0.category, $0.department, $0.product, $0.edition)
                < Self.rank($1.category, $1.department, $1.product, $1.edition)
        }
    }

    /// `inspection detail`: the 软件使用情况明细表 — one row per install the compliance counted,
    /// by department, device, category, product, edition.
    public func inspectionDetail(_ query: InspectionQuery = InspectionQuery(), scope: DeviceScope) throws
        -> [InspectionDetailOutput]
    {
        let evaluation = try evaluateCompliance(complianceQuery(query), scope: scope)
        let names = try departmentNames()
        var hosts: [Int64: String] = [:]
        for d in try ledger.devices(DeviceFilter(scope: scope, department: query.department)) {
            if let h = d.hostname { hosts[d.id] = h }
        }
        var out: [InspectionDetailOutput] = []
        for r in evaluation.rows where evaluation.sees(r.department) {
            for c in r.counted {
                let licence = c.licence.flatMap { evaluation.licences[$0] }
                let free = Self.freeSource(r.license)
                out.append(
                    InspectionDetailOutput(
                        device: c.device, hostname: hosts[c.device], department: r.department,
                        departmentName: r.department.flatMap { names[$0] }, responsible: nil,
                        category: r.category.rawValue, categoryLabel: r.category.label, product: r.product,
                        edition: r.edition, version: c.version, licensed: licence != nil || free != nil,
                        licence: c.licence, licenceSource: licence?.source.rawValue ?? free,
                        contract: licence?.contract, homeEdition: c.homeEdition, evaluation: c.evaluation))
            }
        }
        return out.sorted {
            let a = ($0.department ?? "\u{10FFFF}", $0.device)
            let b = ($1.department ?? "\u{10FFFF}", $1.device)
            if a != b { return a < b }
            return Self.rank($0.category, nil, $0.product, $0.edition)
                < Self.rank($1.category, nil, $1.product, $1.edition)
        }
    }

    /// `inspection maintenance`: the 软件安装维护情况明细表 — the installs, removals and version
    /// changes the ledger saw between reports, collected from `from` to `to` (days in China
    /// Standard Time, both included), of the devices in scope (by their department now).
    public func inspectionMaintenance(_ query: InspectionQuery = InspectionQuery(), scope: DeviceScope) throws
        -> [InspectionEventOutput]
    {
        if let d = query.department { try checkDepartment(d, scope) }
        let from = try query.from.map { try Self.dayStart($0, "--from") }
        let to = try query.to.map { try Self.dayStart($0, "--to").addingTimeInterval(86_400) }
        if let from, let to, to <= from {
            throw LedgerError(.invalidInput, "--to \(query.to!) is before --from \(query.from!)")
        }
        return try ledger.softwareEvents(DeviceFilter(scope: scope, department: query.department), from: from, to: to)
            .map { e in
                InspectionEventOutput(
                    device: e.device, hostname: e.hostname, department: e.department, departmentName: e.departmentName,
                    title: e.event.name, publisher: e.event.publisher, version: e.event.version,
                    previousVersion: e.event.previousVersion, event: e.event.kind.rawValue, at: isoDate(e.at),
                    installedAt: e.event.installedAt.map(isoDate), report: e.report)
            }
    }

    func complianceQuery(_ q: InspectionQuery) -> ComplianceQuery {
        ComplianceQuery(department: q.department, day: q.day, catalogFiles: q.catalogFiles)
    }

    func departmentNames() throws -> [String: String] {
        Dictionary(
            try ledger.departments().map { ($0.department.code, $0.department.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// The source word of a product that needs no licence, nil for a commercial one.
    static func freeSource(_ license: LicenseClass) -> String? {
        switch license {
        case .commercial: nil
        case .freeware: LicenseSource.free.rawValue
        case .openSource: LicenseSource.openSource.rawValue
        }
    }

    /// The seed's category order, then department (campus last), product, edition.
    static func rank(_ category: String, _ department: String?, _ product: String, _ edition: String) -> (
        Int, String, String, String
    ) {
        let order = SoftwareCategory.allCases.map(\.rawValue)
        return (order.firstIndex(of: category) ?? 99, department ?? "\u{10FFFF}", product, edition)
    }

    /// Midnight of a day in China Standard Time.
    static func dayStart(_ day: String, _ option: String) throws -> Date {
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        guard day.count == 10, parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { throw LedgerError(.invalidInput, "\(option) '\(day)' is not a day YYYY-MM-DD") }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let components = DateComponents(year: y, month: m, day: d)
        guard components.isValidDate(in: cal), let date = cal.date(from: components) else {
            throw LedgerError(.invalidInput, "\(option) '\(day)' is not a day YYYY-MM-DD")
        }
        return date
    }
}
