import Foundation
import LedgerModel
import LedgerStore

/// A device's review by its department (`device review`, the console's review page).
public struct ReviewOutput: Codable, Equatable, Sendable {
    public var device: Int64
    /// `confirmed`, `not_ours`, `retired`, `wrong_class`.
    public var status: String
    @Nullable public var note: String?
    @Nullable public var department: String?
    public var reviewedBy: String
    public var reviewedAt: String

    enum CodingKeys: String, CodingKey {
        case device, status, note, department
        case reviewedBy = "reviewed_by"
        case reviewedAt = "reviewed_at"
    }

    init(_ r: DeviceReview) {
        (device, status, note, department, reviewedBy, reviewedAt) = (
            r.device, r.status.rawValue, r.note, r.department, r.reviewedBy, isoDate(r.reviewedAt)
        )
    }
}

/// A department's review coverage: how many of its devices were reviewed, and how.
public struct ReviewCoverageOutput: Codable, Equatable, Sendable {
    public var department: String
    public var name: String
    public var devices: Int
    public var reviewed: Int
    public var confirmed: Int
    public var notOurs: Int
    public var retired: Int
    public var wrongClass: Int
    /// reviewed / devices, 0…1 (1 without devices).
    public var share: Double

    enum CodingKeys: String, CodingKey {
        case department, name, devices, reviewed, confirmed, retired, share
        case notOurs = "not_ours"
        case wrongClass = "wrong_class"
    }
}

extension LedgerService {
    /// Reviews devices (a liaison their department's, IT any): one status for all, in one
    /// transaction; a foreign or missing device refuses the batch (`notFound`). Not-ours and
    /// wrong-class need a note (what it is, whose it is).
    public func reviewDevices(
        _ devices: [Int64], status: DeviceReview.Status, note: String? = nil, scope: DeviceScope, actor: Principal
    ) throws -> [ReviewOutput] {
        guard !devices.isEmpty else { throw LedgerError(.invalidInput, "no device to review") }
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if (status == .notOurs || status == .wrongClass) && note == nil {
            throw LedgerError(.invalidInput, "\(status.rawValue) needs a note (whose it is, what it really is)")
        }
        if let note, note.count > 1000 { throw LedgerError(.invalidInput, "a note has at most 1000 characters") }
        try ledger.review(devices: devices, status: status, note: note, scope: scope, actor: actor)
        let all = try ledger.reviews(scope: scope, devices: devices)
        return devices.compactMap { all[$0].map(ReviewOutput.init) }
    }

    /// The reviews in scope by device id, of `devices` and of `status` only when given.
    public func reviews(scope: DeviceScope, devices: [Int64]? = nil, status: DeviceReview.Status? = nil) throws
        -> [Int64: ReviewOutput]
    {
        try ledger.reviews(scope: scope, devices: devices, status: status).mapValues(ReviewOutput.init)
    }

    /// Review coverage per department in scope (exact department, as a liaison answers for it).
    public func reviewCoverage(scope: DeviceScope) throws -> [ReviewCoverageOutput] {
        let devices = try deviceSummaries(scope: scope)
        let reviews = try ledger.reviews(scope: scope)
        return try departmentSummaries(scope: scope).map { s in
            let mine = devices.filter { $0.department == s.department.code }
            let done = mine.compactMap { reviews[$0.id] }
            func n(_ st: DeviceReview.Status) -> Int { done.filter { $0.status == st }.count }
            return ReviewCoverageOutput(
                department: s.department.code, name: s.department.name, devices: mine.count, reviewed: done.count,
                confirmed: n(.confirmed), notOurs: n(.notOurs), retired: n(.retired), wrongClass: n(.wrongClass),
                share: mine.isEmpty ? 1 : Double(done.count) / Double(mine.count))
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
