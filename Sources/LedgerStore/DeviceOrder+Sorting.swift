import Foundation
import LedgerModel

/// A `DeviceOrder` applied: as SQL for a page read from the store, and in Swift for lists that
/// are filtered in Swift (the text search) or sorted on what SQL cannot see (the addresses are
/// packed in one column). Both give the same order: text compares as SQLite's `NOCASE` does
/// (ASCII letters folded, then bytes), missing values last, ties by id.
extension DeviceOrder {
    /// The `ORDER BY` terms, or nil when the key is sorted in Swift only (`ip`).
    var sql: String? {
        let direction = descending ? "DESC" : "ASC"
        let id = "device.id \(direction)"
        func text(_ column: String) -> String {
            "NULLIF(\(column), '') IS NULL ASC, NULLIF(\(column), '') COLLATE NOCASE \(direction), \(id)"
        }
        switch key {
        case .id: return id
        case .deviceClass: return text("device.class")
        case .hostname: return text("device.hostname")
        case .vendor: return text("device.vendor")
        case .model: return text("device.model")
        case .department: return text("(SELECT name FROM department WHERE department.id = device.department_id)")
        case .lastSeen: return "device.last_seen \(direction), \(id)"
        case .ip: return nil
        }
    }

    /// `devices` in this order.
    public func sorted(_ devices: [DeviceSummary]) -> [DeviceSummary] {
        let keyed = devices.map { (value: sortValue($0), device: $0) }
        return keyed.sorted { a, b in
            switch (a.value, b.value) {
            case (nil, nil): break
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?):
                if x != y { return descending ? y.lexicographicallyPrecedes(x) : x.lexicographicallyPrecedes(y) }
            }
            return descending ? a.device.id > b.device.id : a.device.id < b.device.id
        }.map(\.device)
    }

    /// The bytes a device sorts by (nil: it has no value for the key and goes last).
    func sortValue(_ d: DeviceSummary) -> [UInt8]? {
        func text(_ s: String?) -> [UInt8]? {
            guard let s, !s.isEmpty else { return nil }
            return s.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }
        }
        switch key {
        case .id: return []
        case .deviceClass: return text(d.deviceClass.rawValue)
        case .hostname: return text(d.hostname)
        case .vendor: return text(d.vendor)
        case .model: return text(d.model)
        case .department: return text(d.departmentName)
        case .lastSeen:
            // The IEEE bits with the sign flipped (and all bits for negatives) sort as the numbers do.
            let bits = d.lastSeen.timeIntervalSince1970.bitPattern
            let ordered = bits & (1 << 63) == 0 ? bits | (1 << 63) : ~bits
            return withUnsafeBytes(of: ordered.bigEndian, Array.init)
        case .ip:
            // IPv4 before IPv6 (each by number), then what does not parse, as text.
            guard let first = d.ips.first, !first.isEmpty else { return nil }
            if let a = IPAddress(first) { return [a.isV4 ? 4 : 6] + a.bytes }
            return [0xff] + Array(first.utf8)
        }
    }
}
