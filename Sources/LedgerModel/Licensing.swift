import Foundation

/// How a licence counts (`metric`). The ledger knows devices, not users, cores or sessions:
/// `device`, `user`, `concurrent` and `core` each take one seat per install; `site` covers every
/// install its department (or the campus) has, whatever `seats` says.
public enum LicenseMetric: String, CaseIterable, Codable, Sendable {
    case device, user, site, concurrent, core
}

/// Where a licence came from (`source`), with the words a Chinese register uses.
public enum LicenseSource: String, CaseIterable, Codable, Sendable {
    case volume, oem, retail, subscription, free
    case openSource = "open-source"

    public init?(word: String) {
        let aliases: [String: LicenseSource] = [
            "政府采购": .volume, "批量": .volume, "随机预装": .oem, "预装": .oem, "零售": .retail, "订阅": .subscription,
            "免费": .free, "开源": .openSource,
        ]
        guard let s = LicenseSource(rawValue: word.lowercased()) ?? aliases[word] else { return nil }
        self = s
    }
}

/// Which versions a licence covers: any, exactly one, or one and older (downgrade rights).
public enum VersionRule: Equatable, Hashable, Sendable {
    case any
    case exactly(String)
    case upTo(String)

    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty {
            self = .any
        } else if t.hasPrefix("<=") {
            let v = t.dropFirst(2).trimmingCharacters(in: .whitespaces)
            guard Versions.key(v) != nil else { return nil }
            self = .upTo(v)
        } else {
            guard Self.isVersion(t) else { return nil }
            self = .exactly(t)
        }
    }

    /// A version the catalog's rules read from titles: numbered (`2019`, `8.1`, `2008 R2`),
    /// named (`XP`), or `V10` / `19c` (Kylin, UOS, Oracle). Not a range or a list.
    static func isVersion(_ t: String) -> Bool {
        if Versions.key(t) != nil { return true }
        guard t.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return false }
        let digits = t.filter(\.isNumber)
        let lower = t.lowercased()
        return !digits.isEmpty
            && ((lower.hasPrefix("v") && lower.dropFirst() == digits)
                || (lower.dropLast() == digits && "cgi".contains(lower.last!)))
    }

    /// Whether some version is covered by both rules.
    public func overlaps(_ other: VersionRule) -> Bool {
        switch (self, other) {
        case (.any, _), (_, .any), (.upTo, .upTo): true
        case (.exactly(let v), _): other.covers(v)
        case (_, .exactly(let v)): covers(v)
        }
    }

    public var text: String {
        switch self {
        case .any: ""
        case .exactly(let v): v
        case .upTo(let v): "<=\(v)"
        }
    }

    public func covers(_ version: String) -> Bool {
        switch self {
        case .any: true
        case .exactly(let v): Versions.compare(version, v) == .orderedSame
        case .upTo(let v):
            switch Versions.compare(version, v) {
            case .orderedAscending?, .orderedSame?: true
            default: false
            }
        }
    }
}

/// One licence (entitlement) of the register (`license import`).
public struct Entitlement: Equatable, Sendable {
    public var id: Int64
    public var product: String
    /// Nil = any edition.
    public var edition: String?
    public var versions: VersionRule
    public var metric: LicenseMetric
    /// Nil = unlimited.
    public var seats: Int?
    /// Nil = the campus pool.
    public var department: String?
    /// `YYYY-MM-DD`, nil = no limit.
    public var validFrom: String?
    public var validTo: String?
    public var source: LicenseSource
    public var contract: String?
    public var supplier: String?
    /// Decimal text as written (`12800.00`), nil when not given.
    public var amountCNY: String?
    public var note: String?
    /// For an OEM licence: the serial numbers (upper case) of the machines it came with; it
    /// covers those machines only, wherever they are. Empty: any install activated OEM in its pool.
    public var devices: [String]

    public init(
        id: Int64 = 0, product: String, edition: String? = nil, versions: VersionRule = .any,
        metric: LicenseMetric = .device, seats: Int?, department: String? = nil, validFrom: String? = nil,
        validTo: String? = nil, source: LicenseSource = .volume, contract: String? = nil, supplier: String? = nil,
        amountCNY: String? = nil, note: String? = nil, devices: [String] = []
    ) {
        self.id = id
        self.product = product
        self.edition = edition
        self.versions = versions
        self.metric = metric
        self.seats = seats
        self.department = department
        self.validFrom = validFrom
        self.validTo = validTo
        self.source = source
        self.contract = contract
        self.supplier = supplier
        self.amountCNY = amountCNY
        self.note = note
        self.devices = devices
    }

    /// An OEM licence tied to the machines it came with.
    public var isDeviceBound: Bool { source == .oem && !devices.isEmpty }

    /// Valid on a day (`YYYY-MM-DD`, compared as text).
    public func isValid(on day: String) -> Bool {
        (validFrom.map { $0 <= day } ?? true) && (validTo.map { day <= $0 } ?? true)
    }

    /// Unlimited: no seat count, or a site licence.
    public var unlimited: Bool { seats == nil || metric == .site }

    /// Whether two entitlements' periods share a day.
    public func overlaps(_ other: Entitlement) -> Bool {
        (validFrom ?? "0000-00-00") <= (other.validTo ?? "9999-99-99")
            && (other.validFrom ?? "0000-00-00") <= (validTo ?? "9999-99-99")
    }
}

/// One install on one device, placed in its department.
public struct PlacedInstall: Sendable {
    public var device: Int64
    /// Nil: the device belongs to no department (only the campus pool can cover it).
    public var department: String?
    public var install: SoftwareInstall
    /// The device's hardware serial (upper case), for OEM licences that name their machines.
    public var serial: String?

    public init(device: Int64, department: String?, install: SoftwareInstall, serial: String? = nil) {
        self.device = device
        self.department = department
        self.install = install
        self.serial = serial?.uppercased()
    }
}

/// One install as a compliance row counted it: the device, its version, and the licence whose
/// seat it took (the inspection's 软件使用情况明细表 lists these).
public struct CountedInstall: Equatable, Sendable {
    public var device: Int64
    public var version: String
    /// Nil: no licence took it (unlicensed, or a free product that needs none).
    public var licence: Int64?
    public var homeEdition: Bool
    public var evaluation: Bool

    public init(device: Int64, version: String, licence: Int64?, homeEdition: Bool, evaluation: Bool) {
        self.device = device
        self.version = version
        self.licence = licence
        self.homeEdition = homeEdition
        self.evaluation = evaluation
    }
}

/// The effective licence position of one product edition in one department.
public struct ComplianceRow: Equatable, Sendable {
    public enum Status: String, Codable, Sendable {
        case compliant, unlicensed, overLicensed = "over_licensed", expired
    }

    public var product: String
    public var edition: String
    public var category: SoftwareCategory
    public var license: LicenseClass
    /// Nil: the campus level (the pool's own seats, devices of no department).
    public var department: String?
    /// Devices with an install, ascending.
    public var devices: [Int64] = []
    /// Devices no valid licence covers.
    public var unlicensedDevices: [Int64] = []
    public var homeEditionDevices: [Int64] = []
    public var evaluationDevices: [Int64] = []
    /// Seats of this row: those its installs took plus the unused seats of licences held here.
    public var entitled = 0
    /// Seats taken per licence id, from which department's licence (nil = pool).
    public var consumed: [Int64: Int] = [:]
    /// Uncovered installs for which a licence exists that has expired (or is not yet valid).
    public var expiredOnly = 0
    public var status: Status = .compliant
    /// Each install of `devices`, by device id.
    public var counted: [CountedInstall] = []

    public var installs: Int { devices.count }
    public var delta: Int { license == .commercial ? entitled - installs : 0 }
}

/// Reconciles installs with licences (pure). The order is stated and deterministic:
///
/// - A device counts once per product edition: several versions of one edition on it are one
///   install (the highest version, for the version match), one seat.
/// - Installs are taken in order of department code (no department last), product, edition,
///   version, device id.
/// - Each takes one seat from the first licence that covers it — same product, edition empty or
///   equal (canonical names), versions covering the install's, valid on the day. An OEM licence
///   that names its machines (`devices`) covers only those serials, wherever the machines are,
///   and is tried first; any other OEM licence only an install activated through OEM. The rest
///   are tried from the device's own department, then its parents nearest first, then the campus
///   pool; within each, an OEM licence first (it can serve no other device), then the earliest
///   `valid_to` (no end date last), then the lowest id. Unlimited and site licences never run
///   out.
/// - Free and open-source products need no licence (compliant, delta 0). Home editions are
///   not a unit licence: never covered.
/// - A row's `entitled` is the seats its installs took plus the unused seats of the licences
///   held by its department for its product and edition (a licence of any edition: edition
///   ""); the campus pool's unused seats are on the department-nil rows.
/// - Status: unlicensed when an install is uncovered (expired when every uncovered install had
///   only expired licences), over_licensed when entitled exceeds installs, else compliant.
public enum Compliance {
    public static func evaluate(
        installs: [PlacedInstall], entitlements: [Entitlement], parents: [String: String], on day: String,
        products: [String: SoftwareProduct] = [:]
    ) -> [ComplianceRow] {
        struct Key: Hashable, Comparable {
            var department: String?
            var product: String
            var edition: String
            static func < (a: Key, b: Key) -> Bool {
                (a.department ?? "\u{10FFFF}", a.product, a.edition) < (
                    b.department ?? "\u{10FFFF}", b.product, b.edition
                )
            }
        }
        let installs = onePerDevice(installs)
        var rows: [Key: ComplianceRow] = [:]
        var left: [Int64: Int] = [:]
        for e in entitlements where !e.unlimited { left[e.id] = e.seats ?? 0 }
        var byProduct: [String: [Entitlement]] = [:]
        for e in entitlements { byProduct[e.product, default: []].append(e) }
        let machines = Dictionary(
            entitlements.filter(\.isDeviceBound).map { ($0.id, Set($0.devices)) }, uniquingKeysWith: { a, _ in a })
        let boundProducts = Set(entitlements.filter(\.isDeviceBound).map(\.product))

        func chain(_ department: String?) -> [String?] {
            var out: [String?] = []
            var seen = Set<String>()
            var d = department
            while let code = d, seen.insert(code).inserted {
                out.append(code)
                d = parents[code]
            }
            return out + [nil]
        }
        var chains: [String: [String?]] = [:]
        struct FitKey: Hashable {
            var department: String?
            var product: String
            var edition: String
            var version: String
            var oem: Bool
            /// Only for a product with OEM licences that name their machines.
            var serial: String?
        }
        var fitCache: [FitKey: (fits: [Entitlement], valid: [Entitlement])] = [:]

        // Sorted through ranks of the distinct departments and product-edition-versions (a
        // campus has tens of thousands of installs but a few hundred distinct keys): comparing
        // and moving whole installs cost more than the rest of the evaluation.
        let departmentRank = Dictionary(
            uniqueKeysWithValues: Set(installs.map { $0.department ?? "\u{10FFFF}" }).sorted().enumerated().map {
                ($1, $0)
            })
        struct PEV: Hashable, Comparable {
            var product: String
            var edition: String
            var version: String
            static func < (a: PEV, b: PEV) -> Bool {
                (a.product, a.edition, a.version) < (b.product, b.edition, b.version)
            }
        }
        let pevRank = Dictionary(
            uniqueKeysWithValues: Set(
                installs.map {
                    PEV(product: $0.install.product.product, edition: $0.install.edition, version: $0.install.version)
                }
            ).sorted().enumerated().map { ($1, $0) })
        let order = installs.indices.map { n in
            let p = installs[n]
            return (
                departmentRank[p.department ?? "\u{10FFFF}"]!,
                pevRank[
                    PEV(product: p.install.product.product, edition: p.install.edition, version: p.install.version)]!,
                p.device, n
            )
        }.sorted { ($0.0, $0.1, $0.2, $0.3) < ($1.0, $1.1, $1.2, $1.3) }
        for o in order {
            let p = installs[o.3]
            let i = p.install
            let key = Key(department: p.department, product: i.product.product, edition: i.edition)
            var row =
                rows[key]
                ?? ComplianceRow(
                    product: key.product, edition: key.edition, category: i.product.category,
                    license: i.product.license,
                    department: p.department)
            row.devices.append(p.device)
            if i.evaluation { row.evaluationDevices.append(p.device) }
            var counted = CountedInstall(
                device: p.device, version: i.version, licence: nil, homeEdition: i.homeEdition,
                evaluation: i.evaluation)
            defer {
                row.counted.append(counted)
                rows[key] = row
            }
            guard i.product.license == .commercial else { continue }
            if i.homeEdition {
                row.homeEditionDevices.append(p.device)
                row.unlicensedDevices.append(p.device)
                continue
            }
            // The licences that fit depend only on these (asked once per distinct key, not per install).
            let fitKey = FitKey(
                department: p.department, product: i.product.product, edition: i.edition, version: i.version,
                oem: i.channel == .oem, serial: boundProducts.contains(i.product.product) ? p.serial : nil)
            let (fits, valid) =
                fitCache[fitKey]
                ?? {
                    let tiers =
                        p.department.map { d in
                            chains[d]
                                ?? {
                                    let c = chain(d); chains[d] = c; return c
                                }()
                        } ?? [nil]
                    let fits = (byProduct[i.product.product] ?? []).filter { e in
                        guard Editions.covers(e.edition, i.edition, product: i.product.product),
                            e.versions.covers(i.version)
                        else { return false }
                        if let serials = machines[e.id] { return fitKey.serial.map(serials.contains) ?? false }
                        return (e.source != .oem || i.channel == .oem) && tiers.contains(e.department)
                    }
                    // A licence naming the machine first (tier -1), then by tier.
                    func tier(_ e: Entitlement) -> Int {
                        machines[e.id] != nil ? -1 : tiers.firstIndex(of: e.department)!
                    }
                    let valid = fits.filter { $0.isValid(on: day) }.sorted {
                        let (ta, tb) = (tier($0), tier($1))
                        let (oa, ob) = ($0.source == .oem ? 0 : 1, $1.source == .oem ? 0 : 1)
                        return (ta, oa, $0.validTo ?? "9999-99-99", $0.id) < (tb, ob, $1.validTo ?? "9999-99-99", $1.id)
                    }
                    fitCache[fitKey] = (fits, valid)
                    return (fits, valid)
                }()
            if let e = valid.first(where: { $0.unlimited || left[$0.id, default: 0] > 0 }) {
                if !e.unlimited { left[e.id]! -= 1 }
                counted.licence = e.id
                row.consumed[e.id, default: 0] += 1
                row.entitled += 1
            } else {
                row.unlicensedDevices.append(p.device)
                if !fits.isEmpty && valid.isEmpty { row.expiredOnly += 1 }
            }
        }
        // Unused seats stay with the department (or pool) that holds them.
        for e in entitlements where !e.unlimited && e.isValid(on: day) {
            guard let unused = left[e.id], unused > 0 else { continue }
            let edition = e.edition.map { Editions.canonical($0, product: e.product) } ?? ""
            let key = Key(department: e.department, product: e.product, edition: edition)
            var row =
                rows[key]
                ?? ComplianceRow(
                    product: e.product, edition: edition, category: products[e.product]?.category ?? .other,
                    license: products[e.product]?.license ?? .commercial, department: e.department)
            row.entitled += unused
            rows[key] = row
        }
        for (key, var row) in rows {
            for list in [\ComplianceRow.devices, \.unlicensedDevices, \.homeEditionDevices, \.evaluationDevices] {
                row[keyPath: list] = Array(Set(row[keyPath: list])).sorted()
            }
            row.counted.sort { $0.device < $1.device }
            if row.license != .commercial {
                row.status = .compliant
            } else if !row.unlicensedDevices.isEmpty {
                row.status = row.expiredOnly == row.unlicensedDevices.count ? .expired : .unlicensed
            } else {
                row.status = row.entitled > row.installs ? .overLicensed : .compliant
            }
            rows[key] = row
        }
        return rows.keys.sorted().map { rows[$0]! }
    }

    /// One install per device, product and edition: the highest version (then any flag set on
    /// one of them).
    static func onePerDevice(_ installs: [PlacedInstall]) -> [PlacedInstall] {
        struct Key: Hashable {
            var device: Int64
            var product: String
            var edition: String
        }
        var at: [Key: Int] = [:]
        var out: [PlacedInstall] = []
        for p in installs {
            let key = Key(device: p.device, product: p.install.product.product, edition: p.install.edition)
            guard let i = at[key] else {
                at[key] = out.count
                out.append(p)
                continue
            }
            var keep = out[i]
            if Versions.compare(p.install.version, keep.install.version) == .orderedDescending
                || (keep.install.version.isEmpty && !p.install.version.isEmpty)
            {
                keep.install.version = p.install.version
            }
            keep.install.evaluation = keep.install.evaluation || p.install.evaluation
            keep.install.homeEdition = keep.install.homeEdition || p.install.homeEdition
            keep.install.channel = keep.install.channel ?? p.install.channel
            keep.install.titles = Array(Set(keep.install.titles + p.install.titles)).sorted()
            out[i] = keep
        }
        return out
    }
}
