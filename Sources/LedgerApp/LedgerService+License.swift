import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// One licence of the register (`license list --format json`).
public struct LicenseOutput: Codable, Equatable, Sendable {
    public var id: Int64
    public var product: String
    @Nullable public var edition: String?
    /// `""` any, `2019` exactly, `<=2019` with downgrade rights.
    public var versions: String
    public var metric: String
    /// Null: unlimited.
    @Nullable public var seats: Int?
    /// Null: the campus pool.
    @Nullable public var department: String?
    @Nullable public var validFrom: String?
    @Nullable public var validTo: String?
    public var source: String
    @Nullable public var contract: String?
    @Nullable public var supplier: String?
    @Nullable public var amountCny: String?
    @Nullable public var note: String?
    /// An OEM licence's machines (hardware serials); empty when it names none.
    public var devices: [String] = []
    /// On the day asked: `valid`, `expired` or `not_yet_valid`.
    public var state: String

    enum CodingKeys: String, CodingKey {
        case id, product, edition, versions, metric, seats, department, source, contract, supplier, note, state, devices
        case validFrom = "valid_from"
        case validTo = "valid_to"
        case amountCny = "amount_cny"
    }
}

/// What `license import` did.
public struct LicenseImportOutput: Codable, Equatable, Sendable {
    public var file: String
    /// Licences now in the register (the file replaced it whole).
    public var imported: Int
    /// Licences the register held before.
    public var replaced: Int
    public var warnings: [LicenseWarningOutput]
}

/// A row worth a look that was still accepted (two contracts for overlapping pools).
public struct LicenseWarningOutput: Codable, Equatable, Sendable {
    public var line: Int
    public var message: String
}

/// Seats one compliance row took from one licence.
public struct ConsumptionOutput: Codable, Equatable, Sendable {
    public var license: Int64
    @Nullable public var contract: String?
    /// Whose licence: a department code, null for the campus pool.
    @Nullable public var department: String?
    public var seats: Int
}

/// One product edition in one department (`compliance --format json`).
public struct ComplianceOutput: Codable, Equatable, Sendable {
    public var product: String
    /// Canonical edition, `""` when no title names one (or a licence of any edition).
    public var edition: String
    /// `SoftwareCategory` raw value, or `crack` for activation cracks.
    public var category: String
    /// The seed's label (操作系统(PC), 办公软件 ...).
    public var categoryLabel: String
    /// Null: campus level (the pool's unused seats, devices of no department).
    @Nullable public var department: String?
    public var installs: Int
    public var entitled: Int
    /// entitled − installs (0 for free and open-source products).
    public var delta: Int
    /// `compliant`, `unlicensed`, `over_licensed` or `expired`.
    public var status: String
    public var devices: [Int64]
    public var unlicensedDevices: [Int64]
    public var homeEditionDevices: [Int64]
    public var evaluationDevices: [Int64]
    public var licenses: [ConsumptionOutput]

    enum CodingKeys: String, CodingKey {
        case product, edition, category, department, installs, entitled, delta, status, devices, licenses
        case categoryLabel = "category_label"
        case unlicensedDevices = "unlicensed_devices"
        case homeEditionDevices = "home_edition_devices"
        case evaluationDevices = "evaluation_devices"
    }
}

/// Which compliance to compute, as of which day.
public struct ComplianceQuery: Sendable {
    public var department: String?
    /// `YYYY-MM-DD`; nil = today in China Standard Time.
    public var day: String?
    public var catalogFiles: [String]

    public init(department: String? = nil, day: String? = nil, catalogFiles: [String] = []) {
        self.department = department
        self.day = day
        self.catalogFiles = catalogFiles
    }
}

extension LedgerService {
    /// Every install the ledger's devices hold (the whole college: one per device per product
    /// edition, OS included, as `InstallMatcher` counts them) and the devices with an activation
    /// crack, by department. Compliance and the domestic share count the same installs.
    func placedInstalls(catalog: SoftwareCatalog) throws -> (installs: [PlacedInstall], cracks: [String?: [Int64]]) {
        let matcher = InstallMatcher(catalog: catalog)
        let devices = try ledger.licensingDevices { name, publisher, source in
            guard let hit = catalog.match(name: name, publisher: publisher, source: source) else { return false }
            switch hit.rule.kind {
            case .crack: return true
            case .product, .part: return hit.product.category != .other && !hit.product.category.isOS
            case .component, .exclude: return false
            }
        }
        var placed: [PlacedInstall] = []
        var cracks: [String?: [Int64]] = [:]
        let memo = InstallMatcher.Memo()
        for d in devices {
            let found = matcher.installs(os: d.os, software: d.titles, activations: d.activations, memo: memo)
            for i in found.installs {
                placed.append(PlacedInstall(device: d.id, department: d.department, install: i, serial: d.serial))
            }
            if !found.cracks.isEmpty { cracks[d.department, default: []].append(d.id) }
        }
        return (placed, cracks)
    }

    /// Today as the campus counts days (China Standard Time), `YYYY-MM-DD`.
    public static func today(_ now: Date = Date()) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let c = cal.dateComponents([.year, .month, .day], from: now)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// `license import`: the file replaces the whole register (export, edit, import), checked
    /// first in full: on any bad row nothing is written.
    public func importLicenses(file: String, catalogFiles: [String] = [], scope: DeviceScope, actor: Principal) throws
        -> LicenseImportOutput
    {
        try requireEverything(scope, "importing licences")
        let catalog = try softwareCatalog(extra: catalogFiles, scope: scope)
        let departments = Set(try ledger.departments().map(\.department.code))
        let read = try LicenseFile.read(
            try readInputFile(file), file: file, products: Set(catalog.products.keys), departments: departments)
        let before = try ledger.licenses().count
        let n = try ledger.replaceLicenses(read.entitlements, file: file, actor: actor)
        return LicenseImportOutput(
            file: file, imported: n, replaced: before,
            warnings: read.warnings.map { LicenseWarningOutput(line: $0.line, message: $0.message) })
    }

    /// `license list`: the register; a department's caller sees its own (and its
    /// sub-departments') licences and the campus pool.
    public func listLicenses(day: String? = nil, scope: DeviceScope) throws -> [LicenseOutput] {
        let day = day ?? Self.today()
        let visible = try codes(in: scope)
        return try ledger.licenses().filter { e in
            guard let visible else { return true }
            return e.department.map(visible.contains) ?? true
        }.map { e in
            LicenseOutput(
                id: e.id, product: e.product, edition: e.edition, versions: e.versions.text, metric: e.metric.rawValue,
                seats: e.seats, department: e.department, validFrom: e.validFrom, validTo: e.validTo,
                source: e.source.rawValue, contract: e.contract, supplier: e.supplier, amountCny: e.amountCNY,
                note: e.note, devices: e.devices,
                state: e.validTo.map { $0 < day } == true
                    ? "expired" : e.validFrom.map { $0 > day } == true ? "not_yet_valid" : "valid")
        }
    }

    /// `license export`: the register as the import file (CSV, UTF-8 with BOM); re-imports
    /// unchanged.
    public func exportLicenses(scope: DeviceScope) throws -> String {
        try requireEverything(scope, "exporting the licence register")
        return CSVWriter.document(
            header: LicenseFile.header + LicenseFile.optionalColumns, rows: try ledger.licenses().map(LicenseFile.cells)
        )
    }

    /// `compliance`: installs against licences for the whole college (the pool is shared, so
    /// consumption is computed over every department), then the rows the caller may see: a
    /// department scope sees its departments' rows, never the campus level.
    public func compliance(_ query: ComplianceQuery = ComplianceQuery(), scope: DeviceScope) throws
        -> [ComplianceOutput]
    {
        compliance(from: try evaluateCompliance(query, scope: scope))
    }

    /// The compliance rows of an evaluation (the report renders them and the usage summary from
    /// one evaluation).
    func compliance(from evaluation: ComplianceEvaluation) -> [ComplianceOutput] {
        let byID = evaluation.licences
        var out = evaluation.rows.map { r in
            ComplianceOutput(
                product: r.product, edition: r.edition, category: r.category.rawValue, categoryLabel: r.category.label,
                department: r.department, installs: r.installs, entitled: r.entitled, delta: r.delta,
                status: r.status.rawValue, devices: r.devices, unlicensedDevices: r.unlicensedDevices,
                homeEditionDevices: r.homeEditionDevices, evaluationDevices: r.evaluationDevices,
                licenses: r.consumed.keys.sorted().map {
                    ConsumptionOutput(
                        license: $0, contract: byID[$0]?.contract, department: byID[$0]?.department,
                        seats: r.consumed[$0]!)
                })
        }
        // Activation cracks: a finding of their own, one row per department.
        for (department, ids) in evaluation.cracks {
            out.append(
                ComplianceOutput(
                    product: "Activation crack", edition: "", category: "crack", categoryLabel: "激活破解工具",
                    department: department, installs: ids.count, entitled: 0, delta: -ids.count, status: "unlicensed",
                    devices: ids, unlicensedDevices: ids, homeEditionDevices: [], evaluationDevices: [], licenses: []))
        }
        // Grouped by the seed's categories (cracks last), then department, product, edition.
        let order = SoftwareCategory.allCases.map(\.rawValue) + ["crack"]
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        func key(_ row: ComplianceOutput) -> (Int, String, String, String) {
            (rank[row.category] ?? 99, row.department ?? "\u{10FFFF}", row.product, row.edition)
        }
        out.sort { key($0) < key($1) }
        guard let visible = evaluation.visible else { return out }
        return out.filter { $0.department.map(visible.contains) ?? false }
    }

    /// The compliance of the whole college as `Compliance.evaluate` computes it, with what the
    /// outputs built on it need: `compliance`, and the inspection ledgers (汇总表, 明细表), which
    /// never count installs another way.
    struct ComplianceEvaluation {
        /// Every row of the college, in `Compliance.evaluate`'s order (not yet scoped).
        var rows: [ComplianceRow]
        /// Devices with an activation crack, by department (nil last), ids ascending.
        var cracks: [(department: String?, devices: [Int64])]
        var licences: [Int64: Entitlement]
        var catalog: SoftwareCatalog
        /// The departments the caller sees (`--dept` applied); nil: everything.
        var visible: Set<String>?
        var day: String

        /// Whether the caller sees a row of this department (the campus level only with everything).
        func sees(_ department: String?) -> Bool {
            guard let visible else { return true }
            return department.map(visible.contains) ?? false
        }
    }

    func evaluateCompliance(_ query: ComplianceQuery, scope: DeviceScope) throws -> ComplianceEvaluation {
        if let d = query.department { try checkDepartment(d, scope) }
        let day = query.day ?? Self.today()
        let catalog = try softwareCatalog(extra: query.catalogFiles, scope: scope)
        let (placed, cracks) = try placedInstalls(catalog: catalog)
        let departments = try ledger.departments().map(\.department)
        var parents: [String: String] = [:]
        for d in departments { if let p = d.parentCode { parents[d.code] = p } }
        let licences = try ledger.licenses()
        let rows = Compliance.evaluate(
            installs: placed, entitlements: licences, parents: parents, on: day, products: catalog.products)
        var visible = try codes(in: scope)
        if let d = query.department {
            let under = Self.codes(under: [d], in: departments)
            visible = visible.map { $0.intersection(under) } ?? under
        }
        return ComplianceEvaluation(
            rows: rows,
            cracks: cracks.sorted { ($0.key ?? "\u{10FFFF}") < ($1.key ?? "\u{10FFFF}") }.map {
                (department: $0.key, devices: $0.value.sorted())
            },
            licences: Dictionary(uniqueKeysWithValues: licences.map { ($0.id, $0) }), catalog: catalog,
            visible: visible, day: day)
    }
}
