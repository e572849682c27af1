import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// A product installed in scope, as the software catalog names it (`software list`).
public struct SoftwareProductOutput: Codable, Equatable, Sendable {
    public var product: String
    public var vendor: String
    /// `SoftwareCategory` raw value.
    public var category: String
    /// `LicenseClass` raw value.
    public var license: String
    public var domestic: Bool
    /// Installations (one per device and title).
    public var installs: Int
    /// Distinct raw titles that mapped to this product.
    public var titles: Int
}

/// An installed title no catalog rule knows (`software unknown`).
public struct UnknownTitleOutput: Codable, Equatable, Sendable {
    public var title: String
    @Nullable public var publisher: String?
    @Nullable public var source: String?
    public var devices: Int
}

extension LedgerService {
    /// The software catalog: the caller's extra rule files first, then the shipped one. Extra
    /// files are paths on the server: only a caller who sees everything may name them (else
    /// `forbidden`).
    public func softwareCatalog(extra: [String] = [], scope: DeviceScope) throws -> SoftwareCatalog {
        if !extra.isEmpty { try requireEverything(scope, "reading extra catalog files") }
        var rules: [SoftwareRule] = []
        for file in extra + [try data.locate("software-catalog.tsv")] {
            rules += try CatalogFile.read(try readInputFile(file), file: file)
        }
        return SoftwareCatalog(rules: rules)
    }

    /// `software list`: installed titles in scope grouped by catalog product, most installed
    /// first (then by name).
    public func softwareProducts(department: String? = nil, catalog: SoftwareCatalog, scope: DeviceScope) throws
        -> [SoftwareProductOutput]
    {
        if let department { try checkDepartment(department, scope) }
        let titles = try ledger.softwareTitles(DeviceFilter(scope: scope, department: department))
        var products: [SoftwareProduct: (devices: Int, titles: Int)] = [:]
        for t in titles {
            guard let hit = catalog.classify(name: t.name, publisher: t.publisher, source: t.source) else { continue }
            products[hit.product, default: (0, 0)].devices += t.devices
            products[hit.product, default: (0, 0)].titles += 1
        }
        return products.sorted {
            $0.value.devices != $1.value.devices ? $0.value.devices > $1.value.devices : $0.key.product < $1.key.product
        }.map { p, n in
            SoftwareProductOutput(
                product: p.product, vendor: p.vendor, category: p.category.rawValue, license: p.license.rawValue,
                domestic: p.domestic, installs: n.devices, titles: n.titles)
        }
    }

    /// `software unknown`: titles in scope no catalog rule matches, most widespread first.
    public func unknownSoftware(department: String? = nil, catalog: SoftwareCatalog, scope: DeviceScope) throws
        -> [UnknownTitleOutput]
    {
        if let department { try checkDepartment(department, scope) }
        return try ledger.softwareTitles(DeviceFilter(scope: scope, department: department)).filter {
            catalog.classify(name: $0.name, publisher: $0.publisher, source: $0.source) == nil
        }.map { UnknownTitleOutput(title: $0.name, publisher: $0.publisher, source: $0.source, devices: $0.devices) }
    }
}
