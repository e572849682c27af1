import Foundation
import GRDB
import LedgerModel

/// What a merge did.
public struct MergeSummary: Equatable, Sendable {
    public var observations = 0
    /// Devices created for observations no rule matched.
    public var created = 0
    /// Observations that joined a known device.
    public var matched = 0
    /// Duplicate devices folded into another because an observation proved them the same.
    public var absorbed = 0
    /// Serial/UUID values found shared by different machines and retired as identities.
    public var ambiguous = 0
    /// The device each observation went to, in input order (after any folding).
    public var deviceIDs: [Int64] = []
    /// The stored observation ids, in input order.
    public var observationIDs: [Int64] = []
    /// Where the time went (for the benchmark).
    public var timings = MergeTimings()
    public init() {}
}

/// Seconds spent in each phase of a merge.
public struct MergeTimings: Equatable, Sendable {
    /// Loading rules and the key index.
    public var prepare = 0.0
    /// Applying the identity rules, observation by observation.
    public var resolve = 0.0
    /// Writing each table, by table name.
    public var write: [String: Double] = [:]
    /// Everything, commit included.
    public var total = 0.0
    public init() {}

    public mutating func add(_ other: MergeTimings) {
        prepare += other.prepare
        resolve += other.resolve
        total += other.total
        write.merge(other.write, uniquingKeysWith: +)
    }
}

extension Ledger {
    /// Stores observations as they came and merges each into a device by the identity rules,
    /// all in one transaction: either every observation lands or none does.
    @discardableResult
    public func merge(_ observations: [Observation]) throws -> MergeSummary {
        let start = Date()
        var summary = try writer.write { db in try merge(observations, in: db, since: start) }
        summary.timings.total = Date().timeIntervalSince(start)
        return summary
    }

    /// Merges a stream of observation batches in ONE transaction, so memory stays bounded by
    /// a batch whatever the stream's size: `next` gives the next batch (nil at the end) and may
    /// throw (a bad line), which rolls everything back. Each batch runs the same per-batch
    /// merge as `merge(_:)` and is written before the next is read; the identity index carries
    /// over, so a device seen in two batches is one device. The summary counts everything but
    /// holds no per-observation ids.
    @discardableResult
    public func merge(batches next: () throws -> [Observation]?) throws -> MergeSummary {
        try merge(batches: next, keptKeys: Merger.maxKeptKeys)
    }

    /// `keptKeys`: how many key states may stay in memory between batches (tests use 0, the
    /// path of a ledger too large to hold its key index).
    func merge(batches next: () throws -> [Observation]?, keptKeys: Int) throws -> MergeSummary {
        let start = Date()
        var summary = try writer.write { db in
            guard var batch = try next() else { return MergeSummary() }
            // The whole key index is read at once only when it fits what a stream may keep.
            let merger = try Merger(db, rules: rules(db), expected: keptKeys / 50, makers: makerNames)
            merger.keptKeys = keptKeys
            merger.summary.timings.prepare = Date().timeIntervalSince(start)
            while true {
                let resolving = Date()
                for o in batch { try merger.merge(o) }
                merger.summary.timings.resolve += Date().timeIntervalSince(resolving)
                try merger.endBatch()
                guard let more = try next() else { break }
                batch = more
            }
            return merger.summary
        }
        summary.timings.total = Date().timeIntervalSince(start)
        return summary
    }

    /// The merge inside a caller's transaction (an import, a scan record).
    func merge(_ observations: [Observation], in db: Database, since start: Date = Date()) throws -> MergeSummary {
        let merger = try Merger(db, rules: rules(db), expected: observations.count, makers: makerNames)
        let resolving = Date()
        merger.summary.timings.prepare = resolving.timeIntervalSince(start)
        for o in observations { try merger.merge(o) }
        merger.summary.timings.resolve = Date().timeIntervalSince(resolving)
        try merger.finish()
        return merger.summary
    }
}

extension Ledger {
    static func sourceLabel(_ o: Observation) -> String {
        [o.source.rawValue, o.origin, o.sourceRef].compactMap { $0 }.joined(separator: " ")
    }

    static func history(
        _ db: Database, _ device: Int64, _ field: String, _ old: String?, _ new: String?, source: String,
        observation: Int64?, at: Double
    ) throws {
        try db.execute(
            sql: HistoryRow.insertHead + " VALUES (?, ?, ?, ?, ?)",
            arguments: [
                device, source, observation, at, HistoryRow.json([HistoryRow(field: field, old: old, new: new)]),
            ])
    }

    /// Moves everything that belongs to device `from` over to device `to` (before `from` is
    /// deleted).
    static func moveDevice(_ db: Database, from: Int64, to: Int64) throws {
        try db.execute(
            sql: """
                UPDATE observation SET device_id = :to WHERE device_id = :from;
                UPDATE identity_key SET device_id = :to WHERE device_id = :from;
                UPDATE OR IGNORE device_address SET device_id = :to WHERE device_id = :from;
                DELETE FROM device_address WHERE device_id = :from;
                UPDATE device_history SET device_id = :to WHERE device_id = :from;
                INSERT OR IGNORE INTO device_separation (a, b)
                    SELECT min(:to, CASE a WHEN :from THEN b ELSE a END), max(:to, CASE a WHEN :from THEN b ELSE a END)
                    FROM device_separation WHERE (a = :from OR b = :from) AND :to NOT IN (a, b);
                DELETE FROM device_separation WHERE a = :from OR b = :from;
                INSERT OR IGNORE INTO device_custody (device_id, responsible, location, set_by, set_at)
                    SELECT :to, responsible, location, set_by, set_at FROM device_custody WHERE device_id = :from;
                DELETE FROM device_custody WHERE device_id = :from;
                """,
            arguments: ["from": from, "to": to])
    }
}

/// Small JSON texts built by hand on the hot path (JSONEncoder costs more than the insert).
enum JSONText {
    static func array(_ values: [String]) -> String {
        if values.allSatisfy(isPlain) {
            return values.isEmpty ? "[]" : "[\"" + values.joined(separator: "\",\"") + "\"]"
        }
        return "[" + values.map(string).joined(separator: ",") + "]"
    }

    /// True when the text needs no escaping inside a JSON string.
    static func isPlain(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }
    }

    static func string(_ s: String) -> String {
        if isPlain(s) { return "\"" + s + "\"" }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func evidence(_ items: [Evidence]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(items)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    static func decodeArray(_ text: String?) -> [String] {
        guard let data = text?.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: data)) ?? []
    }
}
