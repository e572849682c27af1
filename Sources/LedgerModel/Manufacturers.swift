import Foundation

/// What a dictionary entry names (`role` in scanners/manufacturers.tsv). Only a `maker` tells
/// who made a device; the others name something else a vendor field can hold.
public enum ManufacturerRole: String, CaseIterable, Codable, Sendable {
    /// The brand of finished devices (PCs, servers, printers, displays, network gear), or its
    /// ODM when only that brand's devices carry the ODM's name (LCFC → Lenovo).
    case maker
    /// A part inside a device (CPU, chipset, network adapter, contract manufacturer): its name
    /// in a vendor field (a MAC's registry name, a board's SMBIOS) does not say whose device it is.
    case component
    /// A hypervisor: the "vendor" of a virtual machine, which is no hardware at all.
    case virtual
    /// A software vendor (an operating system's publisher), never a device's maker.
    case software
}

/// A manufacturer as the ledger names it: one canonical name per maker, whatever raw string a
/// source gave (`Hewlett-Packard`, `HP Inc.`, `HP` are HP Inc.).
public struct Manufacturer: Codable, Equatable, Hashable, Sendable {
    /// Canonical name (`Lenovo`, `HP Inc.`, `Hewlett Packard Enterprise`).
    public var name: String
    /// Chinese name (`联想`, `惠普`); the canonical name when the file gives none.
    public var nameZH: String
    /// 国产: a Chinese maker (for the domestic-share indicator).
    public var domestic: Bool
    public var role: ManufacturerRole

    public init(name: String, nameZH: String, domestic: Bool, role: ManufacturerRole = .maker) {
        self.name = name
        self.nameZH = nameZH
        self.domestic = domestic
        self.role = role
    }
}

/// One maker of the dictionary and the raw strings that name it.
public struct ManufacturerEntry: Sendable {
    public var manufacturer: Manufacturer
    /// Aliases as written (normalized when the dictionary is built). An alias names the maker
    /// when the normalized raw string starts with it as whole words (`dell` names `Dell Inc.`,
    /// `hp` does not name `HPC Systems`); a Chinese alias also at the start of a longer word
    /// (`联想` names `联想集团`). The longest alias that matches wins, so `hewlett packard
    /// enterprise` beats `hewlett packard`.
    public var aliases: [String]
    /// Aliases that say "not this maker" (`!brother brother` for `Brother, Brother & Sons ApS`):
    /// when the longest matching alias is one of these, the string names no maker.
    public var exclusions: [String]
    /// Case-insensitive regular expression on the raw string, tried (in file order) only when no
    /// alias matches: for names where the maker is not at the start.
    public var pattern: NSRegularExpression?
    /// `FILE:LINE` it was read from.
    public var origin: String

    public init(
        manufacturer: Manufacturer, aliases: [String], exclusions: [String] = [], pattern: NSRegularExpression? = nil,
        origin: String = ""
    ) {
        self.manufacturer = manufacturer
        self.aliases = aliases
        self.exclusions = exclusions
        self.pattern = pattern
        self.origin = origin
    }
}

/// Maps the raw vendor strings every source gives (IEEE registry names, SMBIOS manufacturers,
/// SNMP/IPP/UPnP makers, fingerprint rules) to one `Manufacturer`. Pure: the entries are data
/// (scanners/manufacturers.tsv, read by Ingest's `ManufacturerFile`). A string no entry names
/// is unknown (nil), never guessed.
public struct ManufacturerDictionary: Sendable {
    public let entries: [ManufacturerEntry]
    /// Normalized alias → (entry index, is an exclusion), longest first.
    private let aliases: [(text: String, cjkEnd: Bool, entry: Int, exclusion: Bool)]
    private let memo = MatchMemo()

    /// What `match` found for each raw string (at most `limit`, then forgotten whole); shared by
    /// the copies of one dictionary, which never changes.
    final class MatchMemo: @unchecked Sendable {
        static let limit = 4_096
        private let lock = NSLock()
        private var found: [String: ManufacturerEntry?] = [:]

        func get(_ raw: String) -> ManufacturerEntry?? { lock.withLock { found[raw] } }

        func put(_ raw: String, _ entry: ManufacturerEntry?) {
            lock.withLock {
                if found.count >= Self.limit { found.removeAll(keepingCapacity: true) }
                found[raw] = .some(entry)
            }
        }
    }

    /// Builds the dictionary. The canonical and Chinese names are aliases too. When two entries
    /// give the same alias the first wins (the file reader refuses that case).
    public init(entries: [ManufacturerEntry]) {
        self.entries = entries
        var seen = Set<String>()
        var list: [(String, Bool, Int, Bool)] = []
        for (i, e) in entries.enumerated() {
            let positive = [e.manufacturer.name, e.manufacturer.nameZH] + e.aliases
            for (words, exclusion) in positive.map({ ($0, false) }) + e.exclusions.map({ ($0, true) }) {
                let text = Self.normalize(words)
                guard !text.isEmpty, seen.insert(text).inserted else { continue }
                list.append((text, text.unicodeScalars.last.map(Self.isCJK) ?? false, i, exclusion))
            }
        }
        aliases = list.sorted { $0.0.count != $1.0.count ? $0.0.count > $1.0.count : $0.0 < $1.0 }.map {
            (text: $0.0, cjkEnd: $0.1, entry: $0.2, exclusion: $0.3)
        }
    }

    /// The manufacturer a raw vendor string names, or nil when none does.
    public func canonical(_ raw: String?) -> Manufacturer? { match(raw)?.manufacturer }

    /// The entry a raw vendor string names (for "why": its `origin`), or nil. Remembered per
    /// raw string: a scan names the same few registry vendors for thousands of hosts, and a
    /// string no alias names is tried against every entry's pattern.
    public func match(_ raw: String?) -> ManufacturerEntry? {
        guard let raw else { return nil }
        if let known = memo.get(raw) { return known }
        let found = lookUp(raw)
        memo.put(raw, found)
        return found
    }

    private func lookUp(_ raw: String) -> ManufacturerEntry? {
        let text = Self.normalize(raw)
        guard !text.isEmpty else { return nil }
        for a in aliases where text.unicodeScalars.starts(with: a.text.unicodeScalars) {
            let rest = text.unicodeScalars.dropFirst(a.text.unicodeScalars.count)
            guard rest.isEmpty || rest.first == " " || a.cjkEnd else { continue }
            return a.exclusion ? nil : entries[a.entry]
        }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let range = NSRange(trimmed.startIndex..., in: trimmed)
        return entries.first { $0.pattern?.firstMatch(in: trimmed, range: range) != nil }
    }

    /// The form aliases and raw strings are compared in: compatibility-folded (full-width
    /// letters, `（`), lower-cased, apostrophes dropped (`INT'L` = `intl`), every other
    /// character that is not a letter or digit a space, a space between Chinese and Latin
    /// letters, spaces collapsed.
    public static func normalize(_ raw: String) -> String {
        var out = String.UnicodeScalarView()
        var lastCJK: Bool?
        for s in raw.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            if s == "'" || s == "\u{2019}" { continue }
            let word = s.properties.isAlphabetic || s.properties.numericType != nil
            guard word else {
                if lastCJK != nil && out.last != " " { out.append(" ") }
                continue
            }
            let cjk = isCJK(s)
            if let lastCJK, lastCJK != cjk, out.last != " " { out.append(" ") }
            out.append(s)
            lastCJK = cjk
        }
        while out.last == " " { out.removeLast() }
        return String(out)
    }

    /// Whether a model names a virtual machine, whatever the vendor says: a Hyper-V guest's
    /// maker is `Microsoft Corporation` (model `Virtual Machine`), a KVM guest's `QEMU`, a
    /// cloud's or nothing useful.
    public static func isVirtualModel(_ model: String?) -> Bool {
        guard let m = model?.lowercased().trimmingCharacters(in: .whitespaces), !m.isEmpty else { return false }
        if m == "kvm" || m.hasPrefix("kvm ") || m.hasPrefix("vmware") { return true }
        return [
            "virtual machine", "virtual platform", "virtualbox", "hvm domu", "standard pc (i440fx", "standard pc (q35",
            "openstack nova", "alibaba cloud ecs", "google compute engine",
        ].contains { m.contains($0) }
    }

    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: true
        default: false
        }
    }
}
