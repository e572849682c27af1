import Foundation
import GRDB
import LedgerModel

/// What importing endpoint reports did.
public struct EndpointImportSummary: Equatable, Sendable {
    /// Identity merge of the reports (one observation each).
    public var merge: MergeSummary
    /// The device each report went to.
    public var deviceIDs: [Int64]
    /// Sections that replaced a device's current state, and how many were older than what the
    /// device had (kept as history only).
    public var replacedSections = 0
    public var olderSections = 0
    /// Install, removal and version-change events written (`software_event`).
    public var softwareEvents = 0
}

/// A device's current endpoint state, section by section.
public struct EndpointState: Equatable, Sendable {
    public var os: EndpointReport.OperatingSystem?
    public var osReportedAt: Date?
    public var software: [EndpointReport.Software] = []
    public var patches: [EndpointReport.Patch] = []
    public var pendingUpdates: [EndpointReport.PendingUpdate] = []
    public var antivirus: [EndpointReport.AntivirusProduct] = []
    /// When each section was collected.
    public var sectionDates: [EndpointReport.Section: Date] = [:]
    public var reports: Int = 0
}

extension EndpointReport.Section {
    /// The column of `device_endpoint` pointing at the report this section came from.
    var column: String { "\(rawValue)_report_id" }

    /// The table holding the section's rows (the OS lives on the report row itself).
    var table: String? {
        switch self {
        case .os: nil
        case .software: "device_software"
        case .patches: "device_patch"
        case .pendingUpdates: "device_pending_update"
        case .antivirus: "device_antivirus"
        }
    }
}

extension Ledger {
    /// Imports endpoint reports in one transaction: each becomes an agent observation merged by
    /// the identity rules (never a duplicate of the device a scan knows), is kept as a report,
    /// and replaces each section of the device's current state it carries — unless the device
    /// already has that section from a newer report. An older or partial report never erases
    /// newer facts.
    @discardableResult
    ///
    /// With `device`, the reports belong to that device whatever they say (a raw collector
    /// output names no machine).
    public func importEndpointReports(_ reports: [EndpointReport], sourceRef: String?, device: Int64? = nil) throws
        -> EndpointImportSummary
    {
        try writer.write { db in
            let now = Date()
            let merger = try Merger(db, rules: rules(db), expected: reports.count, makers: makerNames)
            for r in reports {
                try merger.merge(r.observation(sourceRef: sourceRef, receivedAt: now), attachTo: device)
            }
            try merger.finish()
            var summary = EndpointImportSummary(merge: merger.summary, deviceIDs: merger.summary.deviceIDs)
            for (i, r) in reports.enumerated() {
                let device = merger.summary.deviceIDs[i]
                let collected = (r.collectedAt ?? now).unixSeconds
                let reportID = try Self.insertReport(
                    db, r, device: device, observation: merger.summary.observationIDs[i], at: collected)
                let current = try Self.sectionDates(db, device: device)
                for section in EndpointReport.Section.allCases where r.sections.contains(section) {
                    if let held = current[section], held > collected {
                        summary.olderSections += 1
                        continue
                    }
                    // The device's first software section is the baseline: what it had before is
                    // unknown, so its titles are not "installed" by this report.
                    summary.softwareEvents += try Self.replace(
                        section, of: device, with: r, report: reportID, at: collected,
                        history: section == .software && current[section] != nil, db)
                    summary.replacedSections += 1
                }
            }
            return summary
        }
    }

    static func insertReport(_ db: Database, _ r: EndpointReport, device: Int64, observation: Int64, at: Double) throws
        -> Int64
    {
        try db.cachedStatement(
            sql: """
                INSERT INTO endpoint_report (device_id, observation_id, format, agent, collected_at, os_name, os_version,
                    os_build, os_ubr, os_kernel, os_architecture, os_installed_at, software_count, patch_count,
                    antivirus_count, sections)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                device, observation, r.format, r.agent, at, r.os?.name, r.os?.version, r.os?.build, r.os?.ubr,
                r.os?.kernel, r.os?.architecture, r.os?.installedAt?.unixSeconds, r.software.count, r.patches.count,
                r.antivirus.count, r.sections.map(\.rawValue).sorted().joined(separator: ","),
            ])
        return db.lastInsertedRowID
    }

    /// When each section of a device's current state was collected.
    static func sectionDates(_ db: Database, device: Int64) throws -> [EndpointReport.Section: Double] {
        let sections = EndpointReport.Section.allCases
        let columns = sections.map { "(SELECT collected_at FROM endpoint_report WHERE id = e.\($0.column))" }
        let statement = try db.cachedStatement(
            sql: "SELECT \(columns.joined(separator: ", ")) FROM device_endpoint e WHERE e.device_id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [device]) else { return [:] }
        var out: [EndpointReport.Section: Double] = [:]
        for (i, section) in sections.enumerated() {
            if let at: Double = row[i] { out[section] = at }
        }
        return out
    }

    /// Replaces one section of a device's current state with the report's; with `history`
    /// (a software section replacing an earlier one), writes the events between the two lists
    /// and returns how many.
    @discardableResult
    static func replace(
        _ section: EndpointReport.Section, of device: Int64, with r: EndpointReport, report: Int64, at: Double,
        history: Bool = false, _ db: Database
    ) throws -> Int {
        try db.execute(sql: "INSERT OR IGNORE INTO device_endpoint (device_id) VALUES (?)", arguments: [device])
        try db.execute(
            sql: "UPDATE device_endpoint SET \(section.column) = ? WHERE device_id = ?", arguments: [report, device])
        guard let table = section.table else { return 0 }
        var events = 0
        if history {
            events = try replaceSoftwareWritingEvents(of: device, with: r, report: report, at: at, db)
        } else {
            try db.execute(sql: "DELETE FROM \(table) WHERE device_id = ?", arguments: [device])
        }
        switch section {
        case .os: break
        case .software:
            var insert = BatchInsert(
                db, "INSERT INTO device_software (device_id, name, publisher, version, installed_at, source)",
                columns: 6)
            for s in r.software {
                try insert.add(
                    .integer(device), .text(s.name), SQLValue(s.publisher), SQLValue(s.version),
                    SQLValue(s.installedAt?.unixSeconds), SQLValue(s.source))
            }
            try insert.finish()
            // Activation channels travel with the software section.
            try db.execute(sql: "DELETE FROM device_activation WHERE device_id = ?", arguments: [device])
            for a in r.activations {
                try db.execute(
                    sql: "INSERT INTO device_activation (device_id, product, channel, trial) VALUES (?, ?, ?, ?)",
                    arguments: [device, a.product, a.channel?.rawValue, a.trial])
            }
        case .patches:
            var insert = BatchInsert(db, "INSERT INTO device_patch (device_id, patch, title, installed_at)", columns: 4)
            for p in r.patches {
                try insert.add(.integer(device), .text(p.id), SQLValue(p.title), SQLValue(p.installedAt?.unixSeconds))
            }
            try insert.finish()
        case .pendingUpdates:
            var insert = BatchInsert(
                db, "INSERT INTO device_pending_update (device_id, update_id, title, security)", columns: 4)
            for u in r.pendingUpdates {
                try insert.add(.integer(device), .text(u.id), SQLValue(u.title), SQLValue(u.security))
            }
            try insert.finish()
        case .antivirus:
            var insert = BatchInsert(
                db,
                """
                INSERT INTO device_antivirus (device_id, name, vendor, enabled, signatures_up_to_date, product_version,
                    signature_version, signature_date, last_quick_scan, last_full_scan)
                """, columns: 10)
            for a in r.antivirus {
                try insert.add(
                    .integer(device), .text(a.name), SQLValue(a.vendor), SQLValue(a.enabled),
                    SQLValue(a.signaturesUpToDate), SQLValue(a.productVersion), SQLValue(a.signatureVersion),
                    SQLValue(a.signatureDate?.unixSeconds), SQLValue(a.lastQuickScan?.unixSeconds),
                    SQLValue(a.lastFullScan?.unixSeconds))
            }
            try insert.finish()
        }
        return events
    }

    /// Deletes the device's software rows, reading them in the same pass (`RETURNING`: no
    /// query of its own, no per-title lookup), and writes the events between them and the
    /// report's list.
    static func replaceSoftwareWritingEvents(
        of device: Int64, with r: EndpointReport, report: Int64, at: Double, _ db: Database
    ) throws -> Int {
        var old: [(name: String, publisher: String?, version: String?)] = []
        old.reserveCapacity(r.software.count)
        let statement = try db.cachedStatement(
            sql: "DELETE FROM device_software WHERE device_id = ? RETURNING name, publisher, version")
        try statement.setArguments([device])
        var rows = FastStatement(bound: statement)
        defer { rows.reset() }
        while try rows.step(db) { old.append((rows.text(0) ?? "", rows.text(1), rows.text(2))) }
        let events = SoftwareHistory.events(from: old, to: r.software)
        guard !events.isEmpty else { return 0 }
        var insert = BatchInsert(
            db,
            "INSERT INTO software_event (report_id, event, name, publisher, version, previous_version, at, installed_at)",
            columns: 8)
        for e in events {
            try insert.add(
                .integer(report), .text(e.kind.rawValue), .text(e.name), SQLValue(e.publisher), SQLValue(e.version),
                SQLValue(e.previousVersion), .real(at), SQLValue(e.installedAt?.unixSeconds))
        }
        try insert.finish()
        return events.count
    }

    /// A device's current endpoint state (nil when no report ever reached it).
    public func endpoint(_ device: Int64, scope: DeviceScope = .everything) throws -> EndpointState? {
        try writer.read { db in
            let (scopeSQL, scopeArgs) = scope.sql()
            guard
                try Int.fetchOne(
                    db, sql: "SELECT 1 FROM device WHERE id = ? AND \(scopeSQL)", arguments: [device] + scopeArgs)
                    != nil
            else { throw LedgerError(.notFound, "no device \(device)") }
            guard
                let e = try Row.fetchOne(
                    db, sql: "SELECT * FROM device_endpoint WHERE device_id = ?", arguments: [device])
            else { return nil }
            var state = EndpointState()
            state.reports =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM endpoint_report WHERE device_id = ?", arguments: [device]) ?? 0
            for (section, at) in try Self.sectionDates(db, device: device) {
                state.sectionDates[section] = Date(unixSeconds: at)
            }
            if let osReport: Int64 = e[EndpointReport.Section.os.column],
                let r = try Row.fetchOne(db, sql: "SELECT * FROM endpoint_report WHERE id = ?", arguments: [osReport])
            {
                var os = EndpointReport.OperatingSystem()
                os.name = r["os_name"]
                os.version = r["os_version"]
                os.build = r["os_build"]
                os.ubr = r["os_ubr"]
                os.kernel = r["os_kernel"]
                os.architecture = r["os_architecture"]
                os.installedAt = (r["os_installed_at"] as Double?).map(Date.init(unixSeconds:))
                state.os = os
                state.osReportedAt = Date(unixSeconds: r["collected_at"])
            }
            func date(_ v: Double?) -> Date? { v.map(Date.init(unixSeconds:)) }
            state.software = try Row.fetchAll(
                db,
                sql:
                    "SELECT name, publisher, version, installed_at, source FROM device_software WHERE device_id = ? ORDER BY name",
                arguments: [device]
            ).map {
                EndpointReport.Software(
                    name: $0[0], publisher: $0[1], version: $0[2], installedAt: date($0[3]), source: $0[4])
            }
            state.patches = try Row.fetchAll(
                db,
                sql:
                    "SELECT patch, title, installed_at FROM device_patch WHERE device_id = ? ORDER BY installed_at DESC, patch",
                arguments: [device]
            ).map { EndpointReport.Patch(id: $0[0], title: $0[1], installedAt: date($0[2])) }
            state.pendingUpdates = try Row.fetchAll(
                db,
                sql:
                    "SELECT update_id, title, security FROM device_pending_update WHERE device_id = ? ORDER BY update_id",
                arguments: [device]
            ).map { EndpointReport.PendingUpdate(id: $0[0], title: $0[1], security: $0[2]) }
            state.antivirus = try Row.fetchAll(
                db, sql: "SELECT * FROM device_antivirus WHERE device_id = ? ORDER BY name", arguments: [device]
            ).map { r in
                var a = EndpointReport.AntivirusProduct(name: r["name"])
                a.vendor = r["vendor"]
                a.enabled = r["enabled"]
                a.signaturesUpToDate = r["signatures_up_to_date"]
                a.productVersion = r["product_version"]
                a.signatureVersion = r["signature_version"]
                a.signatureDate = date(r["signature_date"])
                a.lastQuickScan = date(r["last_quick_scan"])
                a.lastFullScan = date(r["last_full_scan"])
                return a
            }
            return state
        }
    }

    /// Moves a device's endpoint reports and state to another (when devices are folded). The
    /// survivor keeps its own current state when it has one.
    static func moveEndpoint(_ db: Database, from: Int64, to: Int64) throws {
        try db.execute(
            sql: "UPDATE endpoint_report SET device_id = ? WHERE device_id = ?", arguments: [to, from])
        let targetHasState =
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM device_endpoint WHERE device_id = ?", arguments: [to]) ?? false
        for table in EndpointReport.Section.allCases.compactMap(\.table) + ["device_activation"] {
            if targetHasState {
                try db.execute(sql: "DELETE FROM \(table) WHERE device_id = ?", arguments: [from])
            } else {
                try db.execute(sql: "UPDATE \(table) SET device_id = ? WHERE device_id = ?", arguments: [to, from])
            }
        }
        if !targetHasState {
            try db.execute(sql: "UPDATE device_endpoint SET device_id = ? WHERE device_id = ?", arguments: [to, from])
        }
        try db.execute(sql: "DELETE FROM device_endpoint WHERE device_id = ?", arguments: [from])
    }

    /// After a split: reports follow their observations, and each section of the current state
    /// follows the report it came from.
    static func splitEndpoint(_ db: Database, _ a: Int64, _ b: Int64) throws {
        try db.execute(
            sql: """
                UPDATE endpoint_report SET device_id = (SELECT device_id FROM observation WHERE id = observation_id)
                WHERE device_id IN (?, ?)
                """, arguments: [a, b])
        for section in EndpointReport.Section.allCases {
            // Which device does the report behind A's section now belong to?
            guard
                let owner = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT r.device_id FROM device_endpoint e JOIN endpoint_report r ON r.id = e.\(section.column)
                        WHERE e.device_id = ?
                        """, arguments: [a]), owner == b
            else { continue }
            try db.execute(sql: "INSERT OR IGNORE INTO device_endpoint (device_id) VALUES (?)", arguments: [b])
            try db.execute(
                sql: """
                    UPDATE device_endpoint SET \(section.column) = (SELECT \(section.column) FROM device_endpoint WHERE device_id = ?)
                    WHERE device_id = ?
                    """, arguments: [a, b])
            try db.execute(
                sql: "UPDATE device_endpoint SET \(section.column) = NULL WHERE device_id = ?", arguments: [a])
            if let table = section.table {
                try db.execute(sql: "UPDATE \(table) SET device_id = ? WHERE device_id = ?", arguments: [b, a])
            }
            if section == .software {
                try db.execute(
                    sql: "UPDATE device_activation SET device_id = ? WHERE device_id = ?", arguments: [b, a])
            }
        }
    }
}

/// An installed-software title as seen across devices.
public struct SoftwareTitle: Equatable, Sendable {
    public var name: String
    public var publisher: String?
    public var source: String?
    /// How many devices have it installed.
    public var devices: Int
}

extension Ledger {
    /// Every distinct installed title in scope, with the number of devices that have it.
    public func softwareTitles(_ filter: DeviceFilter = DeviceFilter()) throws -> [SoftwareTitle] {
        try writer.read { db in
            let (condition, args) = try Self.deviceCondition(db, filter)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT s.name, s.publisher, s.source, count(DISTINCT s.device_id)
                    FROM device_software s JOIN device ON device.id = s.device_id
                    WHERE \(condition) GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1
                    """, arguments: args
            ).map { SoftwareTitle(name: $0[0], publisher: $0[1], source: $0[2], devices: $0[3]) }
        }
    }
}

/// One install, removal or version change as recorded (`software_event`), with its device.
public struct SoftwareEventEntry: Equatable, Sendable {
    public var id: Int64
    public var device: Int64
    public var hostname: String?
    /// The device's department now (events are scoped by the device's current owner).
    public var department: String?
    public var departmentName: String?
    public var event: SoftwareEvent
    /// The collection time of the report that showed the change.
    public var at: Date
    public var report: Int64
}

extension Ledger {
    /// The software events of devices in `filter` whose report was collected in `[from, to)`
    /// (either end open when nil), oldest first.
    public func softwareEvents(_ filter: DeviceFilter = DeviceFilter(), from: Date? = nil, to: Date? = nil) throws
        -> [SoftwareEventEntry]
    {
        try writer.read { db in
            let (condition, args) = try Self.deviceCondition(db, filter)
            var conditions = [condition]
            var arguments = args
            if let from {
                conditions.append("e.at >= ?")
                arguments += [from.unixSeconds]
            }
            if let to {
                conditions.append("e.at < ?")
                arguments += [to.unixSeconds]
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT e.id, r.device_id, device.hostname, d.code, d.name, e.event, e.name, e.publisher,
                        e.version, e.previous_version, e.installed_at, e.at, e.report_id
                    FROM software_event e
                    JOIN endpoint_report r ON r.id = e.report_id
                    JOIN device ON device.id = r.device_id
                    LEFT JOIN department d ON d.id = device.department_id
                    WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY e.at, r.device_id, e.id
                    """, arguments: arguments
            ).map { row in
                let kind: String = row[5]
                guard let event = SoftwareEventKind(rawValue: kind) else {
                    throw LedgerError(.io, "software_event \(row[0] as Int64): unknown event '\(kind)'")
                }
                return SoftwareEventEntry(
                    id: row[0], device: row[1], hostname: row[2], department: row[3], departmentName: row[4],
                    event: SoftwareEvent(
                        kind: event, name: row[6], publisher: row[7], version: row[8], previousVersion: row[9],
                        installedAt: (row[10] as Double?).map(Date.init(unixSeconds:))),
                    at: Date(unixSeconds: row[11]), report: row[12])
            }
        }
    }
}
