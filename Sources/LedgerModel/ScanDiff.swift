/// What changed between two scans of the same scope, host by host (pure; the store supplies
/// what each scan saw). A host is keyed by IP; a different MAC behind the same IP is a change.
public struct ScanDiff: Equatable, Sendable {
    public struct Host: Equatable, Sendable {
        public var ip: String
        public var mac: String?
    }
    public struct Change: Equatable, Sendable {
        public var ip: String
        public var before: String?
        public var after: String?
    }

    public var new: [Host] = []
    public var gone: [Host] = []
    public var changed: [Change] = []

    public init(before: [(String, String?)], after: [(String, String?)]) {
        let old = Dictionary(before.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        let now = Dictionary(after.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        for ip in now.keys.sorted(by: Self.addressOrder) {
            if let was = old[ip] {
                if was != now[ip]! { changed.append(Change(ip: ip, before: was, after: now[ip]!)) }
            } else {
                new.append(Host(ip: ip, mac: now[ip]!))
            }
        }
        gone = old.keys.filter { now[$0] == nil }.sorted(by: Self.addressOrder).map { Host(ip: $0, mac: old[$0]!) }
    }

    /// Numeric order for IPv4 (198.18.0.9 before 198.18.0.10), text order otherwise.
    static func addressOrder(_ a: String, _ b: String) -> Bool {
        let x = IPAddress(a)
        let y = IPAddress(b)
        if let x, let y, x.bytes.count == y.bytes.count { return x.bytes.lexicographicallyPrecedes(y.bytes) }
        return a < b
    }
}
