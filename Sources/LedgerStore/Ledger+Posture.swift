import Foundation
import GRDB
import LedgerModel

/// One PC as the posture report sees it.
public struct PosturePC: Sendable {
    public var id: Int64
    public var hostname: String?
    public var department: String?
    public var input: PostureInput
}

extension Ledger {
    /// The endpoint state of every PC in scope (or every device of `classes`: the security
    /// check judges servers too), for the posture rules. A handful of grouped queries over the
    /// scope, not one per device.
    public func posturePCs(_ filter: DeviceFilter, classes: [DeviceClass] = [.pc]) throws -> [PosturePC] {
        var filter = filter
        filter.deviceClass = nil
        return try writer.read { db in
            var (condition, args) = try Self.deviceCondition(db, filter)
            condition += " AND device.class IN (\(classes.map { _ in "?" }.joined(separator: ",")))"
            args += StatementArguments(classes.map(\.rawValue))
            if classes.isEmpty { return [] }
            let inScope = "device_id IN (SELECT device.id FROM device WHERE \(condition))"
            var pcs: [Int64: PosturePC] = [:]
            var order: [Int64] = []
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT device.id, device.hostname, d.code FROM device LEFT JOIN department d ON d.id = device.department_id
                    WHERE \(condition) ORDER BY device.id
                    """, arguments: args)
            {
                let id: Int64 = r[0]
                order.append(id)
                pcs[id] = PosturePC(
                    id: id, hostname: r[1], department: r[2],
                    input: PostureInput(
                        os: nil, lastReport: nil, lastPatch: nil, patchCount: 0, pendingSecurityUpdates: 0,
                        antivirus: nil))
            }
            for r in try Row.fetchAll(
                db, sql: "SELECT device_id, max(collected_at) FROM endpoint_report WHERE \(inScope) GROUP BY 1",
                arguments: args)
            {
                pcs[r[0]]?.input.lastReport = Date(unixSeconds: r[1])
            }
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT e.device_id, r.os_name, r.os_version, r.os_build, r.os_ubr, r.os_kernel, e.antivirus_report_id
                    FROM device_endpoint e LEFT JOIN endpoint_report r ON r.id = e.os_report_id WHERE e.\(inScope)
                    """, arguments: args)
            {
                let id: Int64 = r[0]
                if let name: String = r[1] {
                    var os = EndpointReport.OperatingSystem()
                    os.name = name
                    os.version = r[2]
                    os.build = r[3]
                    os.ubr = r[4]
                    os.kernel = r[5]
                    pcs[id]?.input.os = os
                }
                if (r[6] as Int64?) != nil { pcs[id]?.input.antivirus = [] }
            }
            for r in try Row.fetchAll(
                db, sql: "SELECT device_id, max(installed_at), count(*) FROM device_patch WHERE \(inScope) GROUP BY 1",
                arguments: args)
            {
                pcs[r[0]]?.input.lastPatch = (r[1] as Double?).map(Date.init(unixSeconds:))
                pcs[r[0]]?.input.patchCount = r[2]
            }
            for r in try Row.fetchAll(
                db,
                sql:
                    "SELECT device_id, count(*) FROM device_pending_update WHERE security = 1 AND \(inScope) GROUP BY 1",
                arguments: args)
            {
                pcs[r[0]]?.input.pendingSecurityUpdates = r[1]
            }
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT device_id, name, enabled, signatures_up_to_date, signature_date, last_full_scan
                    FROM device_antivirus WHERE \(inScope)
                    """, arguments: args)
            {
                var av = EndpointReport.AntivirusProduct(name: r[1])
                av.enabled = r[2]
                av.signaturesUpToDate = r[3]
                av.signatureDate = (r[4] as Double?).map(Date.init(unixSeconds:))
                av.lastFullScan = (r[5] as Double?).map(Date.init(unixSeconds:))
                let id: Int64 = r[0]
                let known = pcs[id]?.input.antivirus ?? []
                pcs[id]?.input.antivirus = known + [av]
            }
            return order.compactMap { pcs[$0] }
        }
    }
}
