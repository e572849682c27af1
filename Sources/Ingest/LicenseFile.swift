import Foundation
import LedgerModel

/// The licence register (`license import` / `export`): CSV, UTF-8 with or without BOM or
/// GB18030, header exactly `LicenseFile.header`. Every row is checked on its own and against
/// the others; any bad row refuses the whole file with `FILE:LINE: reason`.
public enum LicenseFile {
    public static let header = [
        "product", "edition", "versions", "metric", "seats", "department_code", "valid_from", "valid_to", "source",
        "contract", "supplier", "amount_cny", "note",
    ]
    /// An optional last column: for an OEM licence (`source` oem / 随机预装), the serial numbers of
    /// the machines it came with (separated by `;`, `,` or spaces). Such a licence covers those
    /// machines only, wherever they are; an OEM licence without it covers installs whose agent
    /// reports an OEM activation, in its pool. `export` always writes the column.
    public static let optionalColumns = ["devices"]
    /// Serials one row may name.
    public static let maxDevices = 10_000

    /// A row that is allowed but worth a look: two contracts granting the same pool for
    /// overlapping periods (both count; nothing is summed silently).
    public struct Warning: Equatable, Sendable {
        public var line: Int
        public var message: String
    }

    /// Reads and checks the file. `products` are the catalog's product names, `departments` the
    /// ledger's department codes.
    public static func read(_ data: Data, file: String, products: Set<String>, departments: Set<String>) throws -> (
        entitlements: [(line: Int, entitlement: Entitlement)], warnings: [Warning]
    ) {
        let text = try TextDecoding.decode(data, file: file).text
        var out: [(line: Int, entitlement: Entitlement)] = []
        var warnings: [Warning] = []
        for (line, row) in try CSVReader.table(text, file: file, header: header, optional: optionalColumns) {
            func opt(_ k: String) -> String? { row[k].flatMap { $0.isEmpty ? nil : $0 } }
            func fail(_ reason: String) -> InputError { InputError(file: file, line: line, reason: reason) }
            guard let product = opt("product") else { throw fail("empty product") }
            guard products.contains(product) else {
                throw fail("unknown product '\(product)': not a product of the software catalog")
            }
            guard let versions = VersionRule(text: row["versions"] ?? "") else {
                throw fail("versions '\(row["versions"] ?? "")' must be empty, a version (2019) or <=VERSION")
            }
            let metricWord = opt("metric") ?? ""
            guard let metric = LicenseMetric(rawValue: metricWord.lowercased()) else {
                throw fail(
                    "unknown metric '\(metricWord)' (\(LicenseMetric.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            let seatsWord = opt("seats") ?? ""
            let seats: Int?
            if seatsWord.lowercased() == "unlimited" || seatsWord == "不限" {
                seats = nil
            } else if let n = Int(seatsWord), n >= 0, seatsWord.allSatisfy(\.isNumber) {
                seats = n
            } else {
                throw fail("seats '\(seatsWord)' must be a whole number or unlimited")
            }
            let department = opt("department_code")
            if let department, !departments.contains(department) { throw fail("unknown department '\(department)'") }
            func day(_ k: String) throws -> String? {
                guard let v = opt(k) else { return nil }
                guard Self.isDay(v) else { throw fail("\(k) '\(v)' is not a date YYYY-MM-DD") }
                return v
            }
            let from = try day("valid_from")
            let to = try day("valid_to")
            if let from, let to, from > to { throw fail("valid_from \(from) is after valid_to \(to)") }
            let sourceWord = opt("source") ?? ""
            guard let source = LicenseSource(word: sourceWord) else {
                throw fail(
                    "unknown source '\(sourceWord)' (\(LicenseSource.allCases.map(\.rawValue).joined(separator: ", ")), 政府采购, 随机预装, 零售, 订阅, 免费, 开源)"
                )
            }
            let amount = opt("amount_cny")
            if let amount {
                guard let d = Decimal(string: amount, locale: Locale(identifier: "en_US_POSIX")), d >= 0,
                    amount.allSatisfy({ $0.isNumber || $0 == "." }), amount.filter({ $0 == "." }).count <= 1
                else { throw fail("amount_cny '\(amount)' must be a decimal number ≥ 0") }
            }
            var devices: [String] = []
            if let list = opt("devices") {
                guard source == .oem else {
                    throw fail(
                        "devices names the machines an OEM licence came with: source must be oem (随机预装), got '\(sourceWord)'"
                    )
                }
                var seen = Set<String>()
                for piece in list.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "；" || $0.isWhitespace }) {
                    let serial = String(piece).uppercased()
                    if let why = Identifiers.serialRejection(serial) {
                        throw fail("devices: serial '\(piece)' cannot name one machine (\(why))")
                    }
                    guard seen.insert(serial).inserted else { throw fail("devices: serial '\(piece)' is listed twice") }
                    devices.append(serial)
                }
                guard devices.count <= maxDevices else {
                    throw fail("devices: more than \(maxDevices) serials on one row")
                }
                if let seats, seats > devices.count {
                    throw fail("seats \(seats) is more than the \(devices.count) machine(s) this OEM licence came with")
                }
            }
            let e = Entitlement(
                product: product, edition: opt("edition"), versions: versions, metric: metric, seats: seats,
                department: department, validFrom: from, validTo: to, source: source, contract: opt("contract"),
                supplier: opt("supplier"), amountCNY: amount, note: opt("note"), devices: devices)
            for (otherLine, o) in out
            where o.product == e.product && editionsOverlap(o, e) && o.versions.overlaps(e.versions)
                && o.department == e.department && o.overlaps(e)
            {
                let pool = e.department.map { "department \($0)" } ?? "the campus pool"
                if let c = e.contract, c == o.contract {
                    throw fail(
                        "contract '\(c)' already grants \(product) \(e.edition ?? "(any edition)") to \(pool) for an overlapping period on line \(otherLine): one contract, one row"
                    )
                }
                warnings.append(
                    Warning(
                        line: line,
                        message:
                            "\(product) \(e.edition ?? "(any edition)") for \(pool) overlaps line \(otherLine) (another contract): both count"
                    ))
            }
            out.append((line, e))
        }
        return (out, warnings)
    }

    /// Two rows grant the same installs when their editions are the same canonical edition
    /// (`Professional Plus` = `专业增强版`) or either is any edition (empty).
    static func editionsOverlap(_ a: Entitlement, _ b: Entitlement) -> Bool {
        guard let x = a.edition, let y = b.edition else { return true }
        return Editions.canonical(x, product: a.product) == Editions.canonical(y, product: b.product)
    }

    /// `YYYY-MM-DD`: ASCII digits only, fixed widths, a real calendar day.
    static func isDay(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1
        else { return false }
        var c = DateComponents()
        (c.year, c.month) = (y, m)
        let cal = Calendar(identifier: .gregorian)
        guard let date = cal.date(from: c), let days = cal.range(of: .day, in: .month, for: date) else { return false }
        return days.contains(d)
    }

    /// The row of one entitlement, in the order of `header` + `optionalColumns` (export;
    /// re-imports unchanged).
    public static func cells(_ e: Entitlement) -> [String] {
        [
            e.product, e.edition ?? "", e.versions.text, e.metric.rawValue, e.seats.map(String.init) ?? "unlimited",
            e.department ?? "", e.validFrom ?? "", e.validTo ?? "", e.source.rawValue, e.contract ?? "",
            e.supplier ?? "", e.amountCNY ?? "", e.note ?? "", e.devices.joined(separator: ";"),
        ]
    }
}
