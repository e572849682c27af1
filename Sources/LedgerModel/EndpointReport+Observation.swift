import Foundation

extension EndpointReport {
    /// The parts of an endpoint's state a report can carry. A report replaces a device's
    /// section only if it carries that section (an empty list then means "none"), so a format
    /// without an antivirus section never erases what another agent reported.
    public enum Section: String, CaseIterable, Codable, Sendable {
        case os, patches, pendingUpdates = "pending_updates", antivirus, software
    }

    /// The OS in one line for the device record: `Microsoft Windows 11 Pro 23H2 (22631.4460)`.
    public var osSummary: String? {
        guard let os, let name = os.name else { return nil }
        var text = name
        if let v = os.version, !name.contains(v) { text += " \(v)" }
        if let build = os.build { text += " (\(build)\(os.ubr.map { ".\($0)" } ?? ""))" }
        return text
    }

    /// True when the report names its machine in some way the identity rules can use.
    public var namesItsMachine: Bool {
        identity.hostname != nil || !identity.serials.isEmpty || identity.smbiosUUID != nil || !identity.macs.isEmpty
    }

    /// What the report says about the device's identity, as an observation for the ledger's
    /// identity rules (serial, SMBIOS UUID, MACs, host name).
    public func observation(sourceRef: String?, receivedAt: Date) -> Observation {
        let isServer = (os?.name ?? "").localizedCaseInsensitiveContains("server")
        var hostnames: [String] = []
        if let h = identity.hostname {
            hostnames.append(h)
            if let d = identity.domain, !h.contains("."), d.contains("."), d.lowercased() != "workgroup" {
                hostnames.append("\(h).\(d)")
            }
        }
        return Observation(
            source: .agent, origin: agent, sourceRef: sourceRef, observedAt: collectedAt ?? receivedAt,
            deviceClass: isServer ? .server : .pc, vendor: identity.vendor, model: identity.model,
            serial: identity.serials.first, uuid: identity.smbiosUUID, os: osSummary, macs: identity.macs,
            ips: identity.ips, hostnames: hostnames)
    }
}
