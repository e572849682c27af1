/// What kind of address a device was seen with.
public enum AddressKind: String, CaseIterable, Codable, Sendable {
    case mac, ip, hostname
}

/// Every MAC, IP address and host name a device was seen with, with the first and last time,
/// most recent first. It is kept on the device itself so a list needs no join, and it changes
/// only when a sighting brings something new or newer.
public struct AddressBook: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var kind: AddressKind
        public var value: String
        public var firstSeen: Double
        public var lastSeen: Double

        public init(kind: AddressKind, value: String, firstSeen: Double, lastSeen: Double) {
            self.kind = kind
            self.value = value
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
        }
    }

    /// The most recent values kept per kind; older ones stay findable in the ledger's address
    /// index but drop off the device (a laptop on DHCP collects hundreds of addresses).
    public static let maxPerKind = 32

    public private(set) var entries: [Entry] = []

    public init() {}

    public init(_ entries: [Entry]) {
        for e in entries {
            record(e.kind, e.value, at: e.firstSeen)
            record(e.kind, e.value, at: e.lastSeen)
        }
    }

    /// Values of one kind, most recent first.
    public func values(_ kind: AddressKind) -> [String] {
        entries.filter { $0.kind == kind }.map(\.value)
    }

    /// Notes a sighting. Returns true when the value is new to this device.
    @discardableResult
    public mutating func record(_ kind: AddressKind, _ value: String, at time: Double) -> Bool {
        if let i = entries.firstIndex(where: { $0.kind == kind && $0.value == value }) {
            var e = entries[i]
            guard time < e.firstSeen || time > e.lastSeen else { return false }
            e.firstSeen = min(e.firstSeen, time)
            e.lastSeen = max(e.lastSeen, time)
            entries[i] = e
            reorder()
            return false
        }
        entries.append(Entry(kind: kind, value: value, firstSeen: time, lastSeen: time))
        reorder()
        return true
    }

    public mutating func merge(_ other: AddressBook) {
        for e in other.entries {
            record(e.kind, e.value, at: e.firstSeen)
            record(e.kind, e.value, at: e.lastSeen)
        }
    }

    private mutating func reorder() {
        entries.sort { a, b in
            a.lastSeen != b.lastSeen ? a.lastSeen > b.lastSeen : (a.kind.rawValue, a.value) < (b.kind.rawValue, b.value)
        }
        for kind in AddressKind.allCases {
            var count = 0
            entries.removeAll { e in
                guard e.kind == kind else { return false }
                count += 1
                return count > Self.maxPerKind
            }
        }
    }

    // MARK: Text form (one entry per line: kind, value, first, last; tab-separated)

    /// The stored text form. Tabs, newlines and `%` in values are percent-escaped.
    public var encoded: String {
        var out = ""
        for e in entries {
            out += e.kind.rawValue
            out += "\t"
            out += Self.escape(e.value)
            out += "\t\(e.firstSeen)\t\(e.lastSeen)\n"
        }
        return out
    }

    /// Reads the text form; malformed lines are skipped (the observations remain the truth).
    public init(encoded text: String) {
        var utf8 = Array(text.utf8)[...]
        while !utf8.isEmpty {
            let end = utf8.firstIndex(of: 10) ?? utf8.endIndex
            let line = utf8[utf8.startIndex..<end]
            utf8 = end < utf8.endIndex ? utf8[(end + 1)...] : []
            let f = line.split(separator: 9, omittingEmptySubsequences: false)
            guard f.count == 4, let kind = AddressKind(rawValue: String(decoding: f[0], as: UTF8.self)),
                let first = Double(String(decoding: f[2], as: UTF8.self)),
                let last = Double(String(decoding: f[3], as: UTF8.self))
            else { continue }
            let value = String(decoding: f[1], as: UTF8.self)
            entries.append(
                Entry(
                    kind: kind, value: f[1].contains(37) ? Self.unescape(value) : value, firstSeen: first,
                    lastSeen: last))
        }
    }

    /// Just the kinds and values of an encoded book, in order (for lists: no times parsed).
    public static func values(encoded bytes: UnsafeBufferPointer<UInt8>) -> [(kind: AddressKind, value: String)] {
        var out: [(AddressKind, String)] = []
        var i = 0
        let n = bytes.count
        while i < n {
            var tab = i
            while tab < n && bytes[tab] != 9 && bytes[tab] != 10 { tab += 1 }
            let kindBytes = UnsafeBufferPointer(rebasing: bytes[i..<tab])
            var end = tab < n && bytes[tab] == 9 ? tab + 1 : tab
            let valueStart = end
            while end < n && bytes[end] != 9 && bytes[end] != 10 { end += 1 }
            let kind: AddressKind? =
                switch kindBytes.count {
                case 3 where kindBytes[0] == UInt8(ascii: "m"): .mac
                case 2: .ip
                case 8: .hostname
                default: nil
                }
            if let kind, valueStart < end || valueStart == end {
                let raw = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<end]), as: UTF8.self)
                out.append((kind, raw.utf8.contains(37) ? unescape(raw) : raw))
            }
            while end < n && bytes[end] != 10 { end += 1 }
            i = end + 1
        }
        return out
    }

    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 9 || $0 == 10 || $0 == 13 || $0 == 37 }) else { return s }
        return s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\t", with: "%09")
            .replacingOccurrences(of: "\n", with: "%0A").replacingOccurrences(of: "\r", with: "%0D")
    }

    static func unescape(_ s: String) -> String {
        guard s.utf8.contains(37) else { return s }
        return s.replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%09", with: "\t").replacingOccurrences(of: "%25", with: "%")
    }
}
