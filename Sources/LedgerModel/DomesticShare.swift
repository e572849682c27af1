import Foundation

/// What a domestic share (国产化率) is measured over.
public enum DomesticMeasure: String, CaseIterable, Codable, Sendable {
    /// Software installs (one per device per product edition, as compliance counts them).
    case installs
    /// Licence spend: the licences' `amount_cny`, by year of `valid_from`.
    case spend
    /// Devices by the maker of their vendor string, per device class.
    case devices
}

/// A target share for one measure and category from a year on (scanners/domestic-targets.tsv).
public struct DomesticTarget: Equatable, Sendable {
    public var measure: DomesticMeasure
    /// A `SoftwareCategory` raw value (installs, spend), a `DeviceClass` raw value (devices), or
    /// `all` (the measure's total).
    public var category: String
    /// The first year it applies to; it holds until a row of a later year.
    public var fromYear: Int
    /// 0...1.
    public var share: Double
    public var origin: String

    public init(measure: DomesticMeasure, category: String, fromYear: Int, share: Double, origin: String = "") {
        self.measure = measure
        self.category = category
        self.fromYear = fromYear
        self.share = share
        self.origin = origin
    }
}

/// The targets, looked up by measure, category and year.
public struct DomesticTargets: Sendable {
    public var targets: [DomesticTarget]

    public init(_ targets: [DomesticTarget]) { self.targets = targets }

    /// The row of the latest year not after `year` (nil: no target stated, or no year).
    public func target(_ measure: DomesticMeasure, _ category: String, year: Int?) -> DomesticTarget? {
        guard let year else { return nil }
        return targets.filter { $0.measure == measure && $0.category == category && $0.fromYear <= year }
            .max { $0.fromYear < $1.fromYear }
    }

    /// The categories a target may name for a measure.
    public static func categories(_ measure: DomesticMeasure) -> [String] {
        switch measure {
        case .installs, .spend: SoftwareCategory.allCases.filter { $0 != .other }.map(\.rawValue) + ["all"]
        case .devices: DeviceClass.allCases.map(\.rawValue) + ["all"]
        }
    }
}

/// How one item counts in a share.
public enum DomesticStatus: String, CaseIterable, Codable, Sendable {
    case domestic, foreign
    /// Devices: no dictionary entry names the vendor as a maker (or no vendor at all). Spend: the
    /// licence's product is not in the catalog. Never counted as domestic or foreign.
    case unknown
    /// Devices: a virtual machine (the vendor is a hypervisor). Not hardware: outside the share.
    case virtual
}

/// One product or maker behind a share row.
public struct DomesticItem: Equatable, Sendable {
    /// Product or canonical maker name; for an unknown vendor the raw string, nil when the
    /// device has no vendor at all.
    public var name: String?
    /// The maker's Chinese name (devices), nil otherwise.
    public var nameZH: String?
    public var status: DomesticStatus
    /// Installs, devices, or fen (0.01 CNY) of spend.
    public var value: Int64
}

/// One share: a measure, a category (or `all`) and a year.
public struct DomesticShareRow: Equatable, Sendable {
    public var measure: DomesticMeasure
    public var category: String
    /// Installs and devices: the year judged (their counts are the ledger's current state).
    /// Spend: the year of `valid_from`; nil for licences without one.
    public var year: Int?
    /// Installs, devices, or fen (0.01 CNY) of spend.
    public var domestic: Int64 = 0
    public var foreign: Int64 = 0
    public var unknown: Int64 = 0
    public var virtual: Int64 = 0
    /// Spend: licences without `amount_cny` (in no sum).
    public var unpriced = 0
    public var target: DomesticTarget?
    public var items: [DomesticItem] = []

    /// domestic / (domestic + foreign); unknown and virtual are outside it. Nil when both are 0.
    public var share: Double? {
        domestic + foreign == 0 ? nil : Double(domestic) / Double(domestic + foreign)
    }

    /// Whether the share reaches the target (nil without a target or a share).
    public var met: Bool? {
        guard let share, let target else { return nil }
        return share + 1e-9 >= target.share
    }
}

/// The domestic share (国产化) per measure, category and year. Pure: the caller fetches the
/// installs, licences and devices in scope.
public enum DomesticShare {
    /// A licence with the catalog product its name gives (nil: no longer in the catalog).
    public struct PricedLicence: Sendable {
        public var entitlement: Entitlement
        public var product: SoftwareProduct?

        public init(entitlement: Entitlement, product: SoftwareProduct?) {
            self.entitlement = entitlement
            self.product = product
        }
    }

    /// A device, its raw vendor string and its model (a virtual machine is told by either).
    public struct Hardware: Sendable {
        public var id: Int64
        public var deviceClass: DeviceClass
        public var vendor: String?
        public var model: String?

        public init(id: Int64, deviceClass: DeviceClass, vendor: String?, model: String? = nil) {
            self.id = id
            self.deviceClass = deviceClass
            self.vendor = vendor
            self.model = model
        }
    }

    /// `year` is the year judged for installs and devices; `spendYear`, when given, keeps only
    /// that year's spend rows. Rows: installs, then spend, then devices; within each the seed's
    /// categories (or the device classes) in their order, then `all`; spend by year, undated last.
    public static func evaluate(
        installs: [PlacedInstall], licences: [PricedLicence], devices: [Hardware],
        dictionary: ManufacturerDictionary, targets: DomesticTargets, year: Int, spendYear: Int? = nil
    ) -> [DomesticShareRow] {
        var rows: [DomesticShareRow] = []
        let softwareOrder = DomesticTargets.categories(.installs)
        let classOrder = DomesticTargets.categories(.devices)

        // Installs.
        var byCategory: [String: Tally] = [:]
        for p in installs where p.install.product.category != .other {
            let status: DomesticStatus = p.install.product.domestic ? .domestic : .foreign
            for c in [p.install.product.category.rawValue, "all"] {
                byCategory[c, default: Tally()].add(p.install.product.product, nil, status, 1)
            }
        }
        for c in softwareOrder {
            guard let t = byCategory[c] ?? (c == "all" ? Tally() : nil) else { continue }
            rows.append(t.row(.installs, c, year, targets))
        }

        // Spend, by year of valid_from.
        var spend: [Int?: [String: Tally]] = [:]
        for l in licences {
            let e = l.entitlement
            let y = e.validFrom.flatMap { Int($0.prefix(4)) }
            if let spendYear, y != spendYear { continue }
            let categories: [String]
            let status: DomesticStatus
            if let p = l.product {
                guard p.category != .other else { continue }
                categories = [p.category.rawValue, "all"]
                status = p.domestic ? .domestic : .foreign
            } else {
                categories = ["all"]
                status = .unknown
            }
            for c in categories {
                if let fen = e.amountCNY.flatMap(fen) {
                    spend[y, default: [:]][c, default: Tally()].add(e.product, nil, status, fen)
                } else {
                    spend[y, default: [:]][c, default: Tally()].unpriced += 1
                }
            }
        }
        if let spendYear, spend[spendYear] == nil { spend[spendYear] = [:] }
        for y in spend.keys.sorted(by: { ($0 ?? Int.max) < ($1 ?? Int.max) }) {
            for c in softwareOrder {
                guard let t = spend[y]![c] ?? (c == "all" ? Tally() : nil) else { continue }
                rows.append(t.row(.spend, c, y, targets))
            }
        }

        // Devices, by the maker their vendor names (each distinct string looked up once).
        var makers: [String?: Manufacturer?] = [:]
        var byClass: [String: Tally] = [:]
        for d in devices {
            let m: Manufacturer?
            if let known = makers[d.vendor] {
                m = known
            } else {
                m = dictionary.canonical(d.vendor)
                makers[d.vendor] = .some(m)
            }
            let status: DomesticStatus
            let name: String?
            switch m?.role {
            case _ where ManufacturerDictionary.isVirtualModel(d.model):
                status = .virtual
                name = m?.name ?? d.vendor?.trimmingCharacters(in: .whitespacesAndNewlines)
            case .maker?:
                status = m!.domestic ? .domestic : .foreign
                name = m!.name
            case .virtual?:
                status = .virtual
                name = m!.name
            default:
                status = .unknown
                name = d.vendor?.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let zh = status == .unknown ? nil : m?.nameZH
            for c in [d.deviceClass.rawValue, "all"] { byClass[c, default: Tally()].add(name, zh, status, 1) }
        }
        for c in classOrder {
            guard let t = byClass[c] ?? (c == "all" ? Tally() : nil) else { continue }
            rows.append(t.row(.devices, c, year, targets))
        }
        return rows
    }

    /// Decimal text (`12800`, `8000.5`, `0.255`) in fen (0.01 CNY, half up); nil when not a
    /// plain decimal number.
    public static func fen(_ text: String) -> Int64? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            text.filter({ $0 == "." }).count <= 1, text.contains(where: \.isNumber),
            var d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        d *= 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &d, 0, .plain)
        guard rounded < Decimal(1_000_000_000_000_000) else { return nil }
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    /// The counts of one row while they are gathered.
    struct Tally {
        var domestic: Int64 = 0
        var foreign: Int64 = 0
        var unknown: Int64 = 0
        var virtual: Int64 = 0
        var unpriced = 0
        var items: [ItemKey: Int64] = [:]

        struct ItemKey: Hashable {
            var name: String?
            var nameZH: String?
            var status: DomesticStatus
        }

        mutating func add(_ name: String?, _ nameZH: String?, _ status: DomesticStatus, _ value: Int64) {
            switch status {
            case .domestic: domestic += value
            case .foreign: foreign += value
            case .unknown: unknown += value
            case .virtual: virtual += value
            }
            items[ItemKey(name: name, nameZH: nameZH, status: status), default: 0] += value
        }

        func row(_ measure: DomesticMeasure, _ category: String, _ year: Int?, _ targets: DomesticTargets)
            -> DomesticShareRow
        {
            var r = DomesticShareRow(measure: measure, category: category, year: year)
            r.domestic = domestic
            r.foreign = foreign
            r.unknown = unknown
            r.virtual = virtual
            r.unpriced = unpriced
            r.target = targets.target(measure, category, year: year)
            r.items = items.map {
                DomesticItem(name: $0.key.name, nameZH: $0.key.nameZH, status: $0.key.status, value: $0.value)
            }
            .sorted {
                $0.value != $1.value ? $0.value > $1.value : ($0.name ?? "\u{10FFFF}") < ($1.name ?? "\u{10FFFF}")
            }
            return r
        }
    }
}
