import Foundation
import LedgerModel

/// A scan job as the API takes it (`POST /api/v1/scan-jobs`, `PATCH /api/v1/scan-jobs/{id}`):
/// the words `scan job add` / `edit` take, as JSON. Unknown keys are refused (a misspelt
/// `schedule` must not be silently ignored); each value is read as the CLI reads it.
public struct ScanJobInput: Decodable, Sendable, Equatable {
    public var name: String?
    public var scope: [String]?
    public var exclusions: [String]?
    public var ports: String?
    public var rate: Double?
    /// `ports,udp,tcp`, `all` or `none`.
    public var probes: String?
    /// Probe names to leave out, comma-separated.
    public var skip: String?
    public var interface: String?
    /// `30m`, `6h`, `1d`.
    public var every: String?
    /// `HH:MM`, local time, once a day.
    public var at: String?
    /// Drop the schedule (edit only).
    public var onDemand: Bool?

    static let keys = [
        "name", "scope", "exclusions", "ports", "rate", "probes", "skip", "interface", "every", "at", "on_demand",
    ]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        if let unknown = c.allKeys.first(where: { !Self.keys.contains($0.stringValue) }) {
            throw LedgerError(
                .invalidInput, "unknown field '\(unknown.stringValue)' (fields: \(Self.keys.joined(separator: ", ")))")
        }
        func field<T: Decodable>(_ name: String, _ what: String) throws -> T? {
            do { return try c.decodeIfPresent(T.self, forKey: Key(stringValue: name)) } catch {
                throw LedgerError(.invalidInput, "field '\(name)': expected \(what)")
            }
        }
        name = try field("name", "a string")
        scope = try field("scope", "a list of targets")
        exclusions = try field("exclusions", "a list of addresses")
        ports = try field("ports", "a string")
        rate = try field("rate", "a number")
        probes = try field("probes", "a string")
        skip = try field("skip", "a string")
        interface = try field("interface", "a string")
        every = try field("every", "a string")
        at = try field("at", "a string")
        onDemand = try field("on_demand", "true or false")
    }

    public init() {}

    /// Reads a body: JSON of this shape, or the reason it is not.
    public static func read(_ data: Data) throws -> ScanJobInput {
        do { return try JSONDecoder().decode(ScanJobInput.self, from: data) } catch let e as LedgerError {
            throw e
        } catch {
            throw LedgerError(.invalidInput, "expected a JSON object of scan job fields")
        }
    }

    var schedule: ScanSchedule? {
        get throws {
            if onDemand == true {
                guard every == nil, at == nil else {
                    throw LedgerError(.invalidInput, "on_demand excludes every and at")
                }
                return ScanSchedule()
            }
            return every == nil && at == nil ? nil : try ScanSchedule.parse(every: every, at: at)
        }
    }

    /// A new job (`name`, `scope` and `interface` required; the rest as `scan job add`'s defaults).
    public func spec() throws -> ScanJobSpec {
        guard let name else { throw LedgerError(.invalidInput, "field 'name' is required") }
        guard let scope, !scope.isEmpty else {
            throw LedgerError(.invalidInput, "field 'scope' is required: the targets")
        }
        guard let interface else { throw LedgerError(.invalidInput, "field 'interface' is required") }
        var spec = ScanJobSpec(name: name, scope: scope, interface: interface)
        spec.exclusions = exclusions ?? []
        spec.ports = ports ?? spec.ports
        spec.rate = rate ?? spec.rate
        spec.probes = try probes.map(ScanPhase.parse) ?? spec.probes
        spec.skip = try skip.map(ScanProbes.parseSkip) ?? []
        spec.schedule = try schedule ?? ScanSchedule()
        return spec
    }

    /// A change of a job (`name` cannot change: the job is named by it).
    public func change() throws -> ScanJobChange {
        guard name == nil else { throw LedgerError(.invalidInput, "a scan job's name does not change") }
        var c = ScanJobChange()
        c.scope = scope
        c.exclusions = exclusions
        c.ports = ports
        c.rate = rate
        c.probes = try probes.map(ScanPhase.parse)
        c.skip = try skip.map(ScanProbes.parseSkip)
        c.interface = interface
        c.schedule = try schedule
        return c
    }
}
