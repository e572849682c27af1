import Discovery
import Foundation
import Ingest
import LedgerModel
import LedgerStore

/// The application layer: every use case the `assetledger` commands (and later the web
/// console) offer, as functions that take the caller's `DeviceScope` and return `Codable`
/// outputs (docs/SCHEMA.md, "JSON output shapes"). The CLI passes `.everything`; a liaison
/// gets `.departments([own code])`. A device or department outside the scope is reported as
/// not found, exactly like one that does not exist.
///
/// Use cases live in one file per area: `+Devices`, `+Departments`, `+Rules`, `+Import`,
/// `+Scan`, `+Software`, `+Posture`, `+Check`, `+License`, `+Domestic` ...
public struct LedgerService: Sendable {
    public let ledger: Ledger
    public var data: DataFiles

    /// Every merge through this service names makers by the shipped dictionary and operating
    /// systems by scanners/os-names.tsv (issue 14: one name per maker and per OS, the raw
    /// spelling kept); without those files values stay as the sources spelled them.
    public init(ledger: Ledger, data: DataFiles = DataFiles()) {
        self.ledger = ledger
        self.data = data
        if let file = try? data.locate("manufacturers.tsv"), let bytes = try? readInputFile(file),
            let entries = try? ManufacturerFile.read(bytes, file: file)
        {
            ledger.nameMakers(with: ManufacturerDictionary(entries: entries))
        }
        if let file = try? data.locate("os-names.tsv"), let bytes = try? readInputFile(file),
            let names = try? OSNameFile.read(bytes, file: file)
        {
            ledger.nameOperatingSystems(with: names)
        }
    }

    /// Opens the database the way every command does: `--db`, else `$ASSETLEDGER_DB`, else
    /// `./assetledger.sqlite`.
    public static func open(db: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> LedgerService
    {
        let path = Ledger.defaultPath(option: db, environment: environment)
        let ledger: Ledger
        do { ledger = try Ledger.open(path: path) } catch {
            throw LedgerError(.io, "cannot open the database \(path): \(error)")
        }
        let data = DataFiles(environment: environment)
        return LedgerService(ledger: ledger, data: data)
    }

    /// Refuses what only a caller who sees everything may do (imports, rule changes, scans).
    func requireEverything(_ scope: DeviceScope, _ what: String) throws {
        guard scope == .everything else { throw LedgerError(.forbidden, "\(what) needs access to every department") }
    }

    /// The department codes a scope covers (sub-departments included); nil for everything.
    func codes(in scope: DeviceScope) throws -> Set<String>? {
        guard case .departments(let roots) = scope else { return nil }
        return Self.codes(under: roots, in: try ledger.departments().map(\.department))
    }

    static func codes(under roots: [String], in departments: [Department]) -> Set<String> {
        var children: [String: [String]] = [:]
        for d in departments { if let p = d.parentCode { children[p, default: []].append(d.code) } }
        let known = Set(departments.map(\.code))
        var out = Set<String>()
        var queue = roots.filter(known.contains)
        while let code = queue.popLast() {
            guard out.insert(code).inserted else { continue }
            queue += children[code] ?? []
        }
        return out
    }

    /// A department the caller names: unknown or outside the scope is not found.
    func checkDepartment(_ code: String, _ scope: DeviceScope) throws {
        let all = try ledger.departments().map(\.department)
        let visible = scope == .everything ? Set(all.map(\.code)) : Self.codes(under: Self.roots(scope), in: all)
        guard visible.contains(code) else { throw LedgerError(.notFound, "unknown department '\(code)'") }
    }

    static func roots(_ scope: DeviceScope) -> [String] {
        if case .departments(let roots) = scope { return roots }
        return []
    }

    /// A device the caller names: missing or outside the scope is not found.
    func checkDevice(_ id: Int64, _ scope: DeviceScope) throws {
        guard try ledger.deviceExists(id, scope: scope) else { throw LedgerError(.notFound, "no device \(id)") }
    }
}

/// Where the data files of `scanners/` are found (`$ASSETLEDGER_DATA`, else next to the
/// program or the working directory; see `ScannerData.locate`).
public struct DataFiles: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The path of one shipped data file, or an error naming it.
    public func locate(_ name: String) throws -> String {
        guard let path = ScannerData.locate(name, environment: environment) else {
            throw LedgerError(.io, "scanners/\(name) not found (set ASSETLEDGER_DATA to the scanners folder)")
        }
        return path
    }
}

/// Reads a whole input file, naming it in the error when it cannot.
public func readInputFile(_ path: String, limit: Int = 256 << 20) throws -> Data {
    let url = URL(fileURLWithPath: path)
    guard FileManager.default.isReadableFile(atPath: path) else {
        throw LedgerError(.io, "\(path): cannot read file")
    }
    let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
    if let size, size > limit {
        throw InputError(
            file: path, line: nil, reason: "file of \(size >> 20) MB is larger than the \(limit >> 20) MB accepted")
    }
    do { return try Data(contentsOf: url) } catch {
        throw LedgerError(.io, "\(path): cannot read file: \(error.localizedDescription)")
    }
}

/// ISO 8601 in UTC to the second (`2026-12-01T20:31:21Z`), as every output of the ledger shows
/// dates: what Foundation's `ISO8601FormatStyle` writes, without its cost (a device list writes
/// two per row). Dates before 1600 (Foundation's calendar is Julian before 1582) and after 9999
/// go through Foundation.
public func isoDate(_ date: Date) -> String {
    // From the reference date, as Date keeps it (since 1970 it would be rounded once more).
    let r = date.timeIntervalSinceReferenceDate
    guard r.isFinite, r >= -11_676_096_000 - 978_307_200, r < 253_402_300_800 - 978_307_200 else {
        return date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
    let seconds = Int64(r.rounded(.down)) + 978_307_200
    var days = seconds / 86_400
    var rest = seconds % 86_400
    if rest < 0 {
        rest += 86_400
        days -= 1
    }
    // Days since 1970-01-01 to a civil date (H. Hinnant's days_from_civil, inverted).
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    var out = [UInt8](repeating: 0, count: 20)
    func put(_ value: Int64, _ at: Int, _ width: Int) {
        var v = value
        for i in stride(from: at + width - 1, through: at, by: -1) {
            out[i] = UInt8(48 + v % 10)
            v /= 10
        }
    }
    put(year, 0, 4)
    put(month, 5, 2)
    put(day, 8, 2)
    put(rest / 3600, 11, 2)
    put(rest / 60 % 60, 14, 2)
    put(rest % 60, 17, 2)
    (out[4], out[7], out[10], out[13], out[16], out[19]) = (45, 45, 84, 58, 58, 90)  // - - T : : Z
    return String(decoding: out, as: UTF8.self)
}

/// A date a person typed (`2026-03-01`, `2026-03-01T08:00:00Z`...), or nil.
public func parseDate(_ text: String) -> Date? {
    ISODate.parse(text) ?? InventoryDate.parse(text)
}

/// The encoder for every JSON output: sorted keys, readable, slashes as they are.
public func outputEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return encoder
}

/// An optional output field that is written as `null` when absent (a synthesized `Codable`
/// would leave the key out): every documented key is always present.
@propertyWrapper
public struct Nullable<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        wrappedValue = c.decodeNil() ? nil : try c.decode(Value.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    /// A missing key decodes as nil, like a `null`.
    public func decode<V>(_ type: Nullable<V>.Type, forKey key: Key) throws -> Nullable<V> {
        try decodeIfPresent(type, forKey: key) ?? Nullable(wrappedValue: nil)
    }
}

/// Any error as the server will answer it: a code to match on, the HTTP status, the message,
/// and for a refused file its name and line.
public struct ErrorOutput: Codable, Equatable, Sendable {
    public var code: LedgerError.Code
    public var httpStatus: Int
    public var message: String
    @Nullable public var file: String?
    @Nullable public var line: Int?

    enum CodingKeys: String, CodingKey {
        case code, message, file, line
        case httpStatus = "http_status"
    }

    public init(_ error: any Error) {
        switch error {
        case let e as LedgerError:
            code = e.code
            message = e.message
        case let e as InputError:
            code = e.code
            message = e.description
            file = e.file
            line = e.line
        case let e as ScanError:
            let mapped = LedgerError(e)
            code = mapped.code
            message = mapped.message
        case let e as CaptureDenied:
            code = LedgerError(e).code
            message = e.description
        case let e as CocoaError where e.isFileError:
            code = .io
            message = e.localizedDescription
        default:
            code = .io
            message = String(describing: error)
        }
        httpStatus = code.httpStatus
    }
}

extension LedgerError {
    /// A scanner failure as callers see it: the scanner's own refusals are `refused_by_policy`,
    /// everything else (interface, capture, socket, route) is `io`.
    public init(_ error: ScanError) {
        self.init(error.code == .policy ? .refusedByPolicy : .io, error.message)
    }

    /// No permission to capture: `io` like any other capture failure, with libpcap's reason.
    public init(_ error: CaptureDenied) { self.init(.io, error.description) }
}

/// Runs scanner code, turning its `ScanError`s into `LedgerError`s so a caller of LedgerApp
/// matches one error type (the listener and the scanner use it). A scan stopped as asked stays
/// `ScanError(.stopped)`: whoever asked tells it from a failure (`completeScanJobRun`).
public func mappingScanErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as ScanError where e.code != .stopped { throw LedgerError(e) } catch let e
        as CaptureDenied
    {
        throw LedgerError(e)
    }
}
