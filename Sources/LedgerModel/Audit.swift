import Foundation

/// Who makes a change, as the audit log records it: `cli:<OS user>` from the command line, the
/// signed-in login from the web console, `system` for the ledger's own work (benchmarks,
/// migrations of data).
public struct Principal: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    public var name: String

    public init(_ name: String) { self.name = name }

    public static let system = Principal("system")

    public var description: String { name }
}

/// A JSON value, for the audit log's details (what changed, in the change's own words).
public enum JSONValue: Codable, Equatable, Hashable, Sendable, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(_ value: String?) { self = value.map(JSONValue.string) ?? .null }
    public init(_ value: Int) { self = .int(Int64(value)) }
    public init(_ value: Int64?) { self = value.map(JSONValue.int) ?? .null }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The value as compact JSON with sorted keys.
    public var text: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: e.encode(self), as: UTF8.self)) ?? "null"
    }
}

/// One change as the audit log records it (append-only, `audit_log`).
public struct AuditEntry: Equatable, Sendable {
    public var id: Int64 = 0
    public var at: Date
    public var actor: String
    /// `device.assign`, `licence.import`, `campaign.resolve` ...
    public var action: String
    /// `device`, `licence_register`, `campaign`, `finding` ...
    public var entityKind: String
    public var entityID: String?
    /// The department the change concerns (a liaison sees its departments' entries); nil for
    /// campus-wide changes.
    public var department: String?
    public var details: [String: JSONValue]

    public init(
        id: Int64 = 0, at: Date = Date(), actor: Principal, action: String, entityKind: String, entityID: String? = nil,
        department: String? = nil, details: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.at = at
        self.actor = actor.name
        self.action = action
        self.entityKind = entityKind
        self.entityID = entityID
        self.department = department
        self.details = details
    }
}
