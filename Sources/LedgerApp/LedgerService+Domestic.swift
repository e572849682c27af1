import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// One product or maker behind a domestic-share row.
public struct DomesticItemOutput: Codable, Equatable, Sendable {
    /// Product (installs, spend) or canonical maker (devices); an unknown vendor's raw string;
    /// null for devices with no vendor at all.
    @Nullable public var name: String?
    /// The maker's Chinese name (devices of a known maker), else null.
    @Nullable public var nameZh: String?
    /// `domestic`, `foreign`, `unknown` or `virtual`.
    public var status: String
    /// Installs, devices, or yuan of spend.
    public var value: Double

    enum CodingKeys: String, CodingKey {
        case name, status, value
        case nameZh = "name_zh"
    }
}

/// One domestic share (国产化率): a measure, a category and a year (`domestic --format json`).
public struct DomesticShareOutput: Codable, Equatable, Sendable {
    /// `installs`, `spend` or `devices`.
    public var measure: String
    /// Software category (`os_pc` ... `tool`), device class (`pc`, `printer` ...), or `all`.
    public var category: String
    /// The seed's label (操作系统(PC), 办公软件 ...), the class's (计算机, 打印机 ...), or 合计.
    public var categoryLabel: String
    /// Installs and devices: the year judged (their counts are the ledger's current state).
    /// Spend: the year of the licences' `valid_from`, null for licences without one.
    @Nullable public var year: Int?
    /// Installs, devices, or yuan of spend.
    public var domestic: Double
    public var foreign: Double
    /// Devices whose vendor no dictionary entry names as a maker (or that have none); spend of
    /// licences whose product the catalog no longer names. Outside the share.
    public var unknown: Double
    /// Virtual machines (devices only). Outside the share.
    public var virtual: Double
    /// Spend: licences without `amount_cny` (in no sum).
    public var unpriced: Int
    /// domestic / (domestic + foreign), 0...1; null when both are 0.
    @Nullable public var share: Double?
    /// The target for the year (scanners/domestic-targets.tsv), 0...1; null when none is set.
    @Nullable public var target: Double?
    /// share ≥ target; null without either.
    @Nullable public var met: Bool?
    public var items: [DomesticItemOutput]

    enum CodingKeys: String, CodingKey {
        case measure, category, year, domestic, foreign, unknown, virtual, unpriced, share, target, met, items
        case categoryLabel = "category_label"
    }
}

/// Which domestic share to compute.
public struct DomesticShareQuery: Sendable {
    /// Only this department and its sub-departments.
    public var department: String?
    /// The year judged for installs and devices, and the only year of spend shown; nil: the
    /// year of `day` for installs and devices, every year for spend.
    public var year: Int?
    /// `YYYY-MM-DD`; nil = today in China Standard Time.
    public var day: String?
    public var catalogFiles: [String]
    /// Extra manufacturer dictionaries, read before the shipped one (theirs win).
    public var manufacturerFiles: [String]
    /// A targets table replacing the shipped one.
    public var targetsFile: String?

    public init(
        department: String? = nil, year: Int? = nil, day: String? = nil, catalogFiles: [String] = [],
        manufacturerFiles: [String] = [], targetsFile: String? = nil
    ) {
        self.department = department
        self.year = year
        self.day = day
        self.catalogFiles = catalogFiles
        self.manufacturerFiles = manufacturerFiles
        self.targetsFile = targetsFile
    }
}

extension LedgerService {
    /// The manufacturer dictionary: the caller's extra files first (an alias they give wins),
    /// then the shipped scanners/manufacturers.tsv. Extra files are paths on the server: only a
    /// caller who sees everything may name them.
    public func manufacturerDictionary(extra: [String] = [], scope: DeviceScope) throws -> ManufacturerDictionary {
        if !extra.isEmpty { try requireEverything(scope, "reading extra manufacturer files") }
        var entries: [ManufacturerEntry] = []
        for file in extra + [try data.locate("manufacturers.tsv")] {
            entries += try ManufacturerFile.read(try readInputFile(file), file: file)
        }
        return ManufacturerDictionary(entries: entries)
    }

    /// The domestic-share targets: the caller's file instead of the shipped one.
    public func domesticTargets(file: String? = nil, scope: DeviceScope) throws -> DomesticTargets {
        if file != nil { try requireEverything(scope, "reading another targets file") }
        let path = try file ?? data.locate("domestic-targets.tsv")
        return DomesticTargets(try DomesticTargetsFile.read(try readInputFile(path), file: path))
    }

    /// `domestic`: the domestic share (国产化) of software by installs (the catalog's domestic
    /// flag, the installs compliance counts) and by licence spend (`amount_cny` by year of
    /// `valid_from`), and of hardware by the maker of each device's vendor, per category and
    /// year against the targets. A department scope (or `department`) counts its departments'
    /// devices and licences only; devices of no department and the campus pool's licences count
    /// only for the whole college.
    public func domesticShare(_ query: DomesticShareQuery = DomesticShareQuery(), scope: DeviceScope) throws
        -> [DomesticShareOutput]
    {
        if let d = query.department { try checkDepartment(d, scope) }
        let day = query.day ?? Self.today()
        guard let dayYear = Int(day.prefix(4)) else {
            throw LedgerError(.invalidInput, "day '\(day)' is not YYYY-MM-DD")
        }
        let catalog = try softwareCatalog(extra: query.catalogFiles, scope: scope)
        let dictionary = try manufacturerDictionary(extra: query.manufacturerFiles, scope: scope)
        let targets = try domesticTargets(file: query.targetsFile, scope: scope)

        var visible = try codes(in: scope)
        if let d = query.department {
            let under = Self.codes(under: [d], in: try ledger.departments().map(\.department))
            visible = visible.map { $0.intersection(under) } ?? under
        }
        func counts(_ department: String?) -> Bool {
            guard let visible else { return true }
            return department.map(visible.contains) ?? false
        }
        let installs = try placedInstalls(catalog: catalog).installs.filter { counts($0.department) }
        let products = catalog.products
        let licences = try ledger.licenses().filter { counts($0.department) }.map {
            DomesticShare.PricedLicence(entitlement: $0, product: products[$0.product])
        }
        let devices = try ledger.deviceMakers(DeviceFilter(scope: scope, department: query.department)).map {
            DomesticShare.Hardware(id: $0.id, deviceClass: $0.deviceClass, vendor: $0.vendor, model: $0.model)
        }
        let rows = DomesticShare.evaluate(
            installs: installs, licences: licences, devices: devices, dictionary: dictionary, targets: targets,
            year: query.year ?? dayYear, spendYear: query.year)
        return rows.map { r in
            let scale: Double = r.measure == .spend ? 100 : 1
            return DomesticShareOutput(
                measure: r.measure.rawValue, category: r.category,
                categoryLabel: Self.domesticLabel(r.measure, r.category), year: r.year,
                domestic: Double(r.domestic) / scale, foreign: Double(r.foreign) / scale,
                unknown: Double(r.unknown) / scale, virtual: Double(r.virtual) / scale, unpriced: r.unpriced,
                share: r.share, target: r.target?.share, met: r.met,
                items: r.items.map {
                    DomesticItemOutput(
                        name: $0.name, nameZh: $0.nameZH, status: $0.status.rawValue, value: Double($0.value) / scale)
                })
        }
    }

    /// The Chinese label of a share row's category.
    static func domesticLabel(_ measure: DomesticMeasure, _ category: String) -> String {
        if category == "all" { return "合计" }
        if measure != .devices { return SoftwareCategory(rawValue: category)?.label ?? category }
        return DeviceClass(rawValue: category)?.label ?? category
    }
}
