import Foundation

/// The identity rules, in the order they are tried. An IP address is never an identity.
public enum IdentityRule: String, Codable, CaseIterable, Sendable {
    /// Hardware serial number (placeholders ignored).
    case serial
    /// SMBIOS or agent UUID (placeholders and cloned values ignored).
    case uuid
    /// A globally unique MAC (locally administered, multicast and virtual prefixes ignored).
    case mac
    /// Host name, only within the department the observation belongs to.
    case hostname
}

/// A value that identifies a device: serial, UUID or MAC (host names are looked up by
/// department instead, since only there are they unique).
public struct IdentityKey: Hashable, Sendable, CustomStringConvertible {
    public var rule: IdentityRule
    public var value: String

    public init(_ rule: IdentityRule, _ value: String) {
        self.rule = rule
        self.value = value
    }

    public var description: String { "\(rule.rawValue):\(value)" }
}

/// What the ledger knows about a key.
public enum KeyState: Equatable, Sendable {
    case unknown
    case device(Int64)
    /// Seen on devices that are provably different (a cloned UUID, a dock's serial): never used.
    case ambiguous
}

/// The usable identity of an observation, after normalization and junk filtering.
public struct ObservationIdentity: Equatable, Sendable {
    public var serial: String?
    public var uuid: String?
    public var macs: [String]
    public var hostnameKey: String?
    /// Identifier values that were present but refused, with the reason (for `device show`).
    public var refused: [String]

    /// Takes the identity out of a normalized observation.
    public init(_ o: Observation) {
        refused = []
        serial = nil
        uuid = nil
        macs = []
        if let s = o.serial {
            if let why = Identifiers.serialRejection(s) { refused.append("serial '\(s)': \(why)") } else { serial = s }
        }
        if let u = o.uuid {
            if Identifiers.normalizeUUID(u) == nil {
                refused.append("uuid '\(u)': not a UUID")
            } else if let why = Identifiers.uuidRejection(u) {
                refused.append("uuid '\(u)': \(why)")
            } else {
                uuid = u
            }
        }
        for m in o.macs {
            if let why = Identifiers.macRejection(m) { refused.append("mac \(m): \(why)") } else { macs.append(m) }
        }
        hostnameKey = o.hostnames.first.flatMap(Identifiers.hostnameKey)
    }

    /// The keys this observation may claim, strongest first.
    public var keys: [IdentityKey] {
        var out: [IdentityKey] = []
        if let serial { out.append(IdentityKey(.serial, serial)) }
        if let uuid { out.append(IdentityKey(.uuid, uuid)) }
        out += macs.map { IdentityKey(.mac, $0) }
        return out
    }
}

/// The identity-bearing facts of a known device.
public struct DeviceIdentity: Equatable, Sendable {
    public var serial: String?
    public var uuid: String?
    public init(serial: String?, uuid: String?) {
        self.serial = serial
        self.uuid = uuid
    }
}

/// Read access to what the ledger knows, as the resolver needs it. The store implements it
/// over SQL; tests implement it over dictionaries.
public protocol IdentityIndex {
    mutating func state(of key: IdentityKey) throws -> KeyState
    /// The most recently seen device in `department` whose current host name has this key.
    mutating func device(hostnameKey: String, department: String) throws -> Int64?
    mutating func identity(of device: Int64) throws -> DeviceIdentity
    /// True when a person split these two devices apart: never join them again.
    mutating func areSeparated(_ a: Int64, _ b: Int64) throws -> Bool
}

/// What to do with one observation.
public struct MergePlan: Equatable, Sendable {
    /// The device it belongs to; nil means a new device.
    public var target: Int64?
    /// The rule and value that chose the target (nil for a new device).
    public var rule: IdentityRule?
    public var matchedValue: String?
    /// Keys proven to be shared by different devices, with the reason.
    public var ambiguous: [(key: IdentityKey, reason: String)]
    /// Other devices that the observation proves are the same as the target.
    public var absorb: [(device: Int64, key: IdentityKey)]
    /// Keys that must point at the target afterwards (new ones, and MACs that moved).
    public var claim: [IdentityKey]

    public init(
        target: Int64?, rule: IdentityRule?, matchedValue: String?, ambiguous: [(key: IdentityKey, reason: String)],
        absorb: [(device: Int64, key: IdentityKey)], claim: [IdentityKey]
    ) {
        self.target = target
        self.rule = rule
        self.matchedValue = matchedValue
        self.ambiguous = ambiguous
        self.absorb = absorb
        self.claim = claim
    }

    public static func == (a: MergePlan, b: MergePlan) -> Bool {
        a.target == b.target && a.rule == b.rule && a.matchedValue == b.matchedValue
            && a.ambiguous.map(\.key) == b.ambiguous.map(\.key)
            && a.absorb.map(\.device) == b.absorb.map(\.device) && a.claim == b.claim
    }
}

/// Decides which device an observation belongs to, by explicit ordered rules:
/// serial, then UUID, then MAC, then host name within the department.
///
/// A key matches a device only if nothing contradicts it: an observation whose valid serial or
/// UUID differs from the candidate device's is a different machine. When that happens on a
/// serial or UUID, the value is shared between machines (a dock's serial, a cloned image's
/// UUID) and is marked ambiguous for good; on a MAC, the adapter moved and the MAC follows it.
public enum IdentityResolver {
    public static func plan(
        for identity: ObservationIdentity, department: String?, index: inout some IdentityIndex
    ) throws -> MergePlan {
        var plan = MergePlan(
            target: nil, rule: nil, matchedValue: nil, ambiguous: [], absorb: [], claim: [])
        var targetIdentity: DeviceIdentity?
        var untouched: Set<IdentityKey> = []

        // The candidate's serial/UUID count only if they are themselves trustworthy.
        func trusted(_ d: DeviceIdentity) throws -> DeviceIdentity {
            var t = d
            if let s = t.serial {
                let shared = try index.state(of: IdentityKey(.serial, s)) == .ambiguous
                if shared || Identifiers.serialRejection(s) != nil { t.serial = nil }
            }
            if let u = t.uuid {
                let shared = try index.state(of: IdentityKey(.uuid, u)) == .ambiguous
                if shared || Identifiers.normalizeUUID(u) == nil || Identifiers.uuidRejection(u) != nil { t.uuid = nil }
            }
            return t
        }
        func conflict(_ d: DeviceIdentity, _ serial: String?, _ uuid: String?) -> String? {
            if let a = serial, let b = d.serial, a != b { return "serial \(a) vs \(b)" }
            if let a = uuid, let b = d.uuid, a != b { return "uuid \(a) vs \(b)" }
            return nil
        }

        for key in identity.keys {
            guard case .device(let candidate) = try index.state(of: key) else { continue }
            if candidate == plan.target { continue }
            let candidateIdentity = try trusted(index.identity(of: candidate))
            if let why = conflict(candidateIdentity, identity.serial, identity.uuid) {
                if key.rule == .mac {
                    plan.claim.append(key)  // the adapter moved to another machine
                } else {
                    plan.ambiguous.append((key, "on two different devices (\(why))"))
                }
                continue
            }
            guard let target = plan.target, let current = targetIdentity else {
                plan.target = candidate
                plan.rule = key.rule
                plan.matchedValue = key.value
                targetIdentity = candidateIdentity
                continue
            }
            // A second device carries a key of this same machine: it is a duplicate, unless a
            // person split them or the two devices contradict each other.
            if try index.areSeparated(target, candidate) {
                untouched.insert(key)  // a person said these differ: leave the key where it is
                continue
            }
            if conflict(current, candidateIdentity.serial, candidateIdentity.uuid) != nil {
                if key.rule == .mac { plan.claim.append(key) }
                continue
            }
            plan.absorb.append((candidate, key))
            targetIdentity = DeviceIdentity(
                serial: current.serial ?? candidateIdentity.serial,
                uuid: current.uuid ?? candidateIdentity.uuid)
        }

        if plan.target == nil, let name = identity.hostnameKey, let department,
            let candidate = try index.device(hostnameKey: name, department: department),
            conflict(try trusted(index.identity(of: candidate)), identity.serial, identity.uuid) == nil
        {
            plan.target = candidate
            plan.rule = .hostname
            plan.matchedValue = name
        }

        let ambiguousKeys = Set(plan.ambiguous.map(\.key))
        for key in identity.keys
        where !ambiguousKeys.contains(key) && !plan.claim.contains(key) && !untouched.contains(key) {
            if try index.state(of: key) != .device(plan.target ?? -1) { plan.claim.append(key) }
        }
        return plan
    }
}
