import Foundation

/// A device attribute whose changes are kept as history.
public enum DeviceField: String, CaseIterable, Codable, Sendable {
    case deviceClass = "class"
    case faxCapable = "fax_capable"
    case vendor, model, serial, uuid, os, firmware, hostname, department
}

/// One change of one field, as kept in the device history.
public struct FieldChange: Equatable, Sendable {
    public var field: DeviceField
    public var old: String?
    public var new: String?

    public init(field: DeviceField, old: String?, new: String?) {
        self.field = field
        self.old = old
        self.new = new
    }
}

/// The current descriptive facts of a device, derived from its observations.
public struct DeviceFacts: Equatable, Sendable {
    public var deviceClass: DeviceClass = .unknown
    public var faxCapable = false
    public var vendor: String?
    public var model: String?
    public var serial: String?
    public var uuid: String?
    public var os: String?
    public var firmware: String?
    /// The current primary host name (the first one the newest observation gave).
    public var hostname: String?

    public init() {}

    public subscript(field: DeviceField) -> String? {
        switch field {
        case .deviceClass: deviceClass.rawValue
        case .faxCapable: faxCapable ? "true" : "false"
        case .vendor: vendor
        case .model: model
        case .serial: serial
        case .uuid: uuid
        case .os: os
        case .firmware: firmware
        case .hostname: hostname
        case .department: nil
        }
    }

    /// Folds an observation into the facts and returns what changed.
    ///
    /// The rule: an observation states only what it saw, so a missing value never erases one.
    /// A value from an observation at least as new as the device's last sighting replaces the
    /// current one; an older observation only fills gaps. Fields in `pinned` (set by a person)
    /// change only through a manual observation.
    public mutating func apply(
        _ o: Observation, isNewest: Bool, pinned: Set<DeviceField> = []
    ) -> [FieldChange] {
        var changes: [FieldChange] = []
        let manual = o.source == .manual
        func take(_ field: DeviceField, _ current: String?, _ proposed: String?, gap: Bool = false)
            -> String?
        {
            guard let proposed, proposed != current else { return nil }
            if pinned.contains(field) && !manual { return nil }
            if current != nil && !gap && !isNewest && !manual { return nil }
            changes.append(FieldChange(field: field, old: current, new: proposed))
            return proposed
        }
        if let c = o.deviceClass, c != .unknown,
            let v = take(.deviceClass, deviceClass.rawValue, c.rawValue, gap: deviceClass == .unknown)
        {
            deviceClass = DeviceClass(rawValue: v) ?? .unknown
        }
        // A newer "no fax" clears the flag; an older one cannot.
        if let f = o.faxCapable, f != faxCapable, isNewest || f || manual,
            !pinned.contains(.faxCapable) || manual
        {
            changes.append(FieldChange(field: .faxCapable, old: String(faxCapable), new: String(f)))
            faxCapable = f
        }
        if let v = take(.vendor, vendor, o.vendor) { vendor = v }
        if let v = take(.model, model, o.model) { model = v }
        if let v = take(.serial, serial, o.serial) { serial = v }
        if let v = take(.uuid, uuid, o.uuid) { uuid = v }
        if let v = take(.os, os, o.os) { os = v }
        if let v = take(.firmware, firmware, o.firmware) { firmware = v }
        if let v = take(.hostname, hostname, o.hostnames.first) { hostname = v }
        return changes
    }
}
