import Foundation

/// What happened to one installed title between two software reports of a device.
public enum SoftwareEventKind: String, CaseIterable, Codable, Sendable {
    /// In the newer report, not in the older.
    case installed
    /// In the older report, not in the newer.
    case removed
    /// In both, with another version (up or down: the report does not say which was meant).
    case upgraded
}

/// One install, removal or version change of a title (软件安装维护情况).
public struct SoftwareEvent: Equatable, Sendable {
    public var kind: SoftwareEventKind
    public var name: String
    public var publisher: String?
    /// The version now (removed: the version that was there).
    public var version: String?
    /// Upgraded: the version before; nil otherwise.
    public var previousVersion: String?
    /// The agent's install date of the new row (installed, upgraded), when it reports one.
    public var installedAt: Date?

    public init(
        kind: SoftwareEventKind, name: String, publisher: String? = nil, version: String? = nil,
        previousVersion: String? = nil, installedAt: Date? = nil
    ) {
        self.kind = kind
        self.name = name
        self.publisher = publisher
        self.version = version
        self.previousVersion = previousVersion
        self.installedAt = installedAt
    }
}

/// The difference between a device's software list and the newer one replacing it (pure).
public enum SoftwareHistory {
    /// A title is its name (publishers are spelled differently by different agents for the same
    /// program). Rows of one name are paired in two passes over the new list, so the cost is one
    /// dictionary of the old rows: the same version first (no event), then any remaining old row
    /// of that name (`upgraded`); new rows left are `installed`, old rows left `removed`. Several
    /// rows of one name (two versions side by side) pair up the same way. Events come sorted by
    /// name, then kind, then version.
    public static func events(
        from old: [(name: String, publisher: String?, version: String?)], to new: [EndpointReport.Software]
    ) -> [SoftwareEvent] {
        struct Old {
            var publisher: String?
            var version: String?
        }
        var left: [String: [Old]] = [:]
        left.reserveCapacity(old.count)
        for o in old { left[o.name, default: []].append(Old(publisher: o.publisher, version: o.version)) }
        var unmatched: [EndpointReport.Software] = []
        for s in new {
            if var rows = left[s.name], let i = rows.firstIndex(where: { $0.version == s.version }) {
                rows.remove(at: i)
                left[s.name] = rows
            } else {
                unmatched.append(s)
            }
        }
        var events: [SoftwareEvent] = []
        for s in unmatched {
            if var rows = left[s.name], !rows.isEmpty {
                let was = rows.removeFirst()
                left[s.name] = rows
                events.append(
                    SoftwareEvent(
                        kind: .upgraded, name: s.name, publisher: s.publisher ?? was.publisher, version: s.version,
                        previousVersion: was.version, installedAt: s.installedAt))
            } else {
                events.append(
                    SoftwareEvent(
                        kind: .installed, name: s.name, publisher: s.publisher, version: s.version,
                        installedAt: s.installedAt))
            }
        }
        for (name, rows) in left {
            for r in rows {
                events.append(SoftwareEvent(kind: .removed, name: name, publisher: r.publisher, version: r.version))
            }
        }
        let rank: [SoftwareEventKind: Int] = [.installed: 0, .upgraded: 1, .removed: 2]
        return events.sorted {
            ($0.name, rank[$0.kind]!, $0.version ?? "") < ($1.name, rank[$1.kind]!, $1.version ?? "")
        }
    }
}
