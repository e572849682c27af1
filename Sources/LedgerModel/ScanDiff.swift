import Foundation

/// What changed between two scans of the same scope, host by host (pure; the store supplies
/// what each scan saw). A host is keyed by IP; a different MAC, name, open ports, firmware or
/// class behind the same IP is a change, one line per field.
public struct ScanDiff: Equatable, Sendable {
    /// One host as a scan saw it.
    public struct Host: Equatable, Sendable {
        public var ip: String
        public var mac: String?
        public var name: String?
        /// Open TCP ports, comma-separated in ascending order ("" when none).
        public var ports: String
        public var firmware: String?
        public var deviceClass: String?

        public init(
            ip: String, mac: String?, name: String? = nil, ports: String = "", firmware: String? = nil,
            deviceClass: String? = nil
        ) {
            self.ip = ip
            self.mac = mac
            self.name = name
            self.ports = ports
            self.firmware = firmware
            self.deviceClass = deviceClass
        }

        /// The compared fields, in display order.
        var fields: [(String, String?)] {
            [("MAC", mac), ("name", name), ("ports", ports), ("firmware", firmware), ("class", deviceClass)]
        }
    }

    public struct Change: Equatable, Sendable {
        public var ip: String
        public var field: String
        public var before: String?
        public var after: String?

        public init(ip: String, field: String, before: String?, after: String?) {
            self.ip = ip
            self.field = field
            self.before = before
            self.after = after
        }
    }

    public var new: [Host] = []
    public var gone: [Host] = []
    public var changed: [Change] = []

    public init(before: [Host], after: [Host]) {
        let old = Dictionary(before.map { ($0.ip, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Dictionary(after.map { ($0.ip, $0) }, uniquingKeysWith: { first, _ in first })
        for ip in now.keys.sorted(by: Self.addressOrder) {
            let host = now[ip]!
            guard let was = old[ip] else {
                new.append(host)
                continue
            }
            for ((field, a), (_, b)) in zip(was.fields, host.fields) where a != b {
                changed.append(Change(ip: ip, field: field, before: a, after: b))
            }
        }
        gone = old.keys.filter { now[$0] == nil }.sorted(by: Self.addressOrder).map { old[$0]! }
    }

    /// Numeric order for IPv4 (198.18.0.9 before 198.18.0.10), text order otherwise.
    static func addressOrder(_ a: String, _ b: String) -> Bool {
        let x = IPAddress(a)
        let y = IPAddress(b)
        if let x, let y, x.bytes.count == y.bytes.count { return x.bytes.lexicographicallyPrecedes(y.bytes) }
        return a < b
    }
}
