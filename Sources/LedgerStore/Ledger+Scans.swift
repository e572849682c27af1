import Foundation
import GRDB
import LedgerModel

/// One active scan as the ledger records it.
public struct ScanRecord: Equatable, Sendable {
    public var id: Int64?
    public var method: String
    public var scope: String
    public var exclusions: String
    public var interface: String?
    /// The remote sensor that ran it; nil for this server.
    public var sensor: String?
    public var startedAt: Date
    public var finishedAt: Date
    public var status: String
    public var targets: Int
    public var packets: Int
    public var answered: Int
    public var newDevices = 0
    public var knownDevices = 0

    public init(
        method: String, scope: String, exclusions: String, interface: String?, sensor: String? = nil,
        startedAt: Date, finishedAt: Date, status: String = "completed", targets: Int, packets: Int, answered: Int
    ) {
        self.method = method
        self.scope = scope
        self.exclusions = exclusions
        self.interface = interface
        self.sensor = sensor
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.targets = targets
        self.packets = packets
        self.answered = answered
    }
}

extension Ledger {
    /// Merges a scan's observations and records the scan with what it saw (IP, MAC, name, open
    /// ports, firmware and class of each host), in one transaction: a scan is in the ledger
    /// whole or not at all. `openPorts` is keyed by IP text.
    public func recordScan(_ scan: ScanRecord, observations: [Observation], openPorts: [String: [UInt16]] = [:])
        throws -> (ScanRecord, MergeSummary)
    {
        try writer.write { db in
            let summary = try merge(observations, in: db)
            var record = scan
            record.newDevices = summary.created
            record.knownDevices = summary.matched
            try db.execute(
                sql: """
                    INSERT INTO scan (method, scope, exclusions, interface, sensor, started_at, finished_at, status,
                        targets, packets, answered, new_devices, known_devices)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.method, record.scope, record.exclusions, record.interface, record.sensor,
                    record.startedAt.timeIntervalSince1970, record.finishedAt.timeIntervalSince1970, record.status,
                    record.targets, record.packets, record.answered, record.newDevices, record.knownDevices,
                ])
            record.id = db.lastInsertedRowID
            let insert = try db.makeStatement(
                sql:
                    "INSERT INTO scan_host (scan_id, ip, mac, name, ports, firmware, class) VALUES (?, ?, ?, ?, ?, ?, ?)"
            )
            for o in observations {
                for ip in o.ips {
                    let ports = (openPorts[ip] ?? []).sorted().map(String.init).joined(separator: ",")
                    try insert.execute(arguments: [
                        record.id, ip, o.macs.first, o.hostnames.first, ports, o.firmware, o.deviceClass?.rawValue,
                    ])
                }
            }
            return (record, summary)
        }
    }

    /// Recorded scans, newest first.
    public func scans(limit: Int = 100) throws -> [ScanRecord] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM scan ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                var r = ScanRecord(
                    method: row["method"], scope: row["scope"], exclusions: row["exclusions"],
                    interface: row["interface"], sensor: row["sensor"],
                    startedAt: Date(timeIntervalSince1970: row["started_at"]),
                    finishedAt: Date(timeIntervalSince1970: row["finished_at"]), status: row["status"],
                    targets: row["targets"], packets: row["packets"], answered: row["answered"])
                r.id = row["id"]
                r.newDevices = row["new_devices"]
                r.knownDevices = row["known_devices"]
                return r
            }
        }
    }

    /// What one recorded scan saw, host by host; refuses an id no scan has.
    public func scanHosts(_ id: Int64) throws -> [ScanDiff.Host] {
        try writer.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM scan WHERE id = ?", arguments: [id]) == true else {
                throw LedgerError(.notFound, "no scan \(id)")
            }
            return try Row.fetchAll(
                db, sql: "SELECT ip, mac, name, ports, firmware, class FROM scan_host WHERE scan_id = ? ORDER BY ip",
                arguments: [id]
            )
            .map {
                ScanDiff.Host(
                    ip: $0["ip"], mac: $0["mac"], name: $0["name"], ports: $0["ports"], firmware: $0["firmware"],
                    deviceClass: $0["class"])
            }
        }
    }
}
