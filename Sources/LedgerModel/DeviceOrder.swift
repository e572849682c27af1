/// How a device list is sorted: a key and a direction, written `hostname` or `-last_seen` (a
/// leading `-` for descending) in the console's links, the API's `sort` and `device list --sort`.
/// `department` sorts by the department's name (what the lists show), `class` by the class's
/// word, `ip` by the first address as a number. Devices without the key's value (no host name, no
/// address, no department) come last in either direction; ties go by id in the list's direction.
public struct DeviceOrder: Equatable, Hashable, Sendable {
    public enum Key: String, CaseIterable, Sendable {
        case id
        case deviceClass = "class"
        case hostname, ip, vendor, model, department
        case lastSeen = "last_seen"
    }

    public var key: Key
    public var descending: Bool

    public init(_ key: Key, descending: Bool = false) {
        self.key = key
        self.descending = descending
    }

    /// By id, ascending: the lists' order when none is asked for.
    public static let byID = DeviceOrder(.id)

    /// `hostname`, `-hostname`; nil for anything else.
    public init?(word: String) {
        let descending = word.hasPrefix("-")
        guard let key = Key(rawValue: descending ? String(word.dropFirst()) : word) else { return nil }
        self.init(key, descending: descending)
    }

    public var word: String { (descending ? "-" : "") + key.rawValue }

    /// Every word `init(word:)` reads, ascending ones first.
    public static var words: [String] { Key.allCases.map(\.rawValue) + Key.allCases.map { "-" + $0.rawValue } }

    /// The same key the other way round.
    public var reversed: DeviceOrder { DeviceOrder(key, descending: !descending) }
}
