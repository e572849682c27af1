import Foundation
import LedgerModel
import LedgerStore

/// A department's claim on a device (`claim file|list|decide`, the console's queue).
public struct ClaimOutput: Codable, Equatable, Sendable {
    public var id: Int64
    /// The claimant department.
    public var department: String
    /// `mac`, `serial` or `ip`.
    public var identifierKind: String
    public var identifier: String
    /// The device the identifier named, and its department now; null where the caller may not
    /// see it (a claimant sees its claim's device once granted).
    @Nullable public var device: Int64?
    @Nullable public var deviceDepartment: String?
    public var reason: String
    public var claimedBy: String
    public var claimedAt: String
    /// `open`, `granted`, `refused`.
    public var status: String
    @Nullable public var decidedBy: String?
    @Nullable public var decidedAt: String?
    @Nullable public var decisionNote: String?

    enum CodingKeys: String, CodingKey {
        case id, department, identifier, device, reason, status
        case identifierKind = "identifier_kind"
        case deviceDepartment = "device_department"
        case claimedBy = "claimed_by"
        case claimedAt = "claimed_at"
        case decidedBy = "decided_by"
        case decidedAt = "decided_at"
        case decisionNote = "decision_note"
    }

    init(_ c: DeviceClaim) {
        id = c.id
        department = c.department
        identifierKind = c.identifier.kind.rawValue
        identifier = c.identifier.value
        device = c.device
        deviceDepartment = c.deviceDepartment
        reason = c.reason
        claimedBy = c.claimedBy
        claimedAt = isoDate(c.claimedAt)
        status = c.status.rawValue
        decidedBy = c.decidedBy
        decidedAt = c.decidedAt.map(isoDate)
        decisionNote = c.decisionNote
    }
}

/// What a claimant is told when its claim is filed: that it was, never what it named.
public struct ClaimFiledOutput: Codable, Equatable, Sendable {
    public var id: Int64
    public var department: String
    public var status: String
}

extension LedgerService {
    /// Devices one bulk assignment or claim decision may name.
    public static let maxBatch = 1000

    /// Files a claim: `identifier` is a MAC, serial or IP of the device; `department` the
    /// claimant (in scope; may be left out by a caller of exactly one department). The answer
    /// says the claim is filed, not whether or where such a device exists.
    public func fileClaim(
        identifier raw: String, department: String? = nil, reason: String, scope: DeviceScope, actor: Principal
    ) throws -> ClaimFiledOutput {
        guard let identifier = ClaimIdentifier.parse(raw) else {
            throw LedgerError(.invalidInput, "'\(raw.prefix(64))' is not a MAC, serial number or IP address")
        }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw LedgerError(.invalidInput, "a claim needs a reason (where it is, who uses it)")
        }
        guard reason.count <= 1000 else { throw LedgerError(.invalidInput, "a reason has at most 1000 characters") }
        let code: String
        if let department {
            code = department
        } else if case .departments(let roots) = scope, roots.count == 1 {
            code = roots[0]
        } else {
            throw LedgerError(.invalidInput, "say which department claims the device")
        }
        let id = try ledger.fileClaim(
            department: code, identifier: identifier, reason: reason, scope: scope, actor: actor)
        return ClaimFiledOutput(id: id, department: code, status: DeviceClaim.Status.open.rawValue)
    }

    /// The claims of the departments in scope (IT: all), newest first.
    public func listClaims(status: String? = nil, scope: DeviceScope) throws -> [ClaimOutput] {
        let wanted = try status.map { s -> DeviceClaim.Status in
            guard let v = DeviceClaim.Status(rawValue: s) else {
                throw LedgerError(.invalidInput, "status must be open, granted or refused")
            }
            return v
        }
        return try ledger.claims(status: wanted, scope: scope).map(ClaimOutput.init)
    }

    /// Other departments' open claims on a device in scope.
    public func claimsOn(device id: Int64, scope: DeviceScope) throws -> [ClaimOutput] {
        try ledger.claimsOn(device: id, scope: scope).map(ClaimOutput.init)
    }

    /// IT grants (the device is assigned to the claimant) or refuses an open claim.
    public func decideClaim(
        _ id: Int64, grant: Bool, note: String? = nil, device: Int64? = nil, scope: DeviceScope, actor: Principal
    ) throws -> ClaimOutput {
        try requireEverything(scope, "deciding a claim")
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let note, note.count > 1000 { throw LedgerError(.invalidInput, "a note has at most 1000 characters") }
        if !grant && note == nil { throw LedgerError(.invalidInput, "a refusal needs a note (why)") }
        try ledger.decideClaim(id, grant: grant, note: note, device: device, scope: scope, actor: actor)
        guard let decided = try ledger.claims(scope: scope).first(where: { $0.id == id }) else {
            throw LedgerError(.notFound, "no claim \(id)")
        }
        return ClaimOutput(decided)
    }

    /// Assigns several devices to one department by hand, in one transaction: one device
    /// outside the scope (or missing) refuses them all.
    public func assignDevices(_ devices: [Int64], to department: String, scope: DeviceScope, actor: Principal) throws
        -> [DeviceEditOutcome]
    {
        guard !devices.isEmpty else { throw LedgerError(.invalidInput, "no device to assign") }
        guard devices.count <= Self.maxBatch else {
            throw LedgerError(.invalidInput, "at most \(Self.maxBatch) devices at once")
        }
        var seen = Set<Int64>()
        let devices = devices.filter { seen.insert($0).inserted }  // once each
        try ledger.assign(devices: devices, to: department, scope: scope, actor: actor)
        return devices.map {
            DeviceEditOutcome(action: "assign", device: $0, department: department, otherDevice: nil, observations: 0)
        }
    }
}
