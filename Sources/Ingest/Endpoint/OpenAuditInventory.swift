import Foundation
import LedgerModel

/// Reads an Open-AudIT audit XML (`<system>`): `sys` for identity and OS, `software/item` for
/// installed software; items of `type=update` are hotfixes. The format has no antivirus
/// section. Dates in `software` are month first (`6/23/2015`) or WMI datetimes.
public enum OpenAuditInventory {
    public static func xml(_ data: Data, file: String) throws -> EndpointReport {
        let root = try InventoryTree.xml(data, file: file)
        guard root.name.lowercased() == "system", let sys = root.child("sys") else {
            throw InputError(file: file, line: nil, reason: "no <system><sys>: not an Open-AudIT audit")
        }
        var r = EndpointReport(format: "open-audit-xml")
        r.identity.hostname = sys.value("hostname") ?? sys.value("name")
        r.identity.domain = sys.value("domain")
        r.identity.serials = [sys.value("serial"), root.path("bios", "item")?.value("serial")].compactMap { $0 }
            .reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        r.identity.smbiosUUID = sys.value("uuid")
        r.identity.vendor = sys.value("manufacturer")
        r.identity.model = sys.value("model")
        if let ip = sys.value("ip") { r.identity.ips.append(ip) }
        for item in root.child("network")?.all("item") ?? [] {
            if let mac = item.value("mac"), !r.identity.macs.contains(mac) { r.identity.macs.append(mac) }
        }
        var os = EndpointReport.OperatingSystem()
        os.name = sys.value("os_name")
        os.version = sys.value("os_version")
        os.architecture = sys.value("os_bit").map { "\($0)-bit" }
        os.installedAt = sys.value("os_installation_date").flatMap { InventoryDate.parse($0, slash: .monthFirst) }
        if let build = root.path("windows", "item")?.value("build_number") {
            os.build = build
        } else if (os.name ?? "").localizedCaseInsensitiveContains("windows"), let v = os.version {
            let parts = v.split(separator: ".")
            if parts.count >= 3 { os.build = String(parts[2]) }
        }
        r.os = os
        for item in root.child("software")?.all("item") ?? [] {
            guard let name = item.value("name") else { continue }
            let date = (item.value("installed_on") ?? item.value("install_date")).flatMap {
                InventoryDate.parse($0, slash: .monthFirst)
            }
            if item.value("type")?.lowercased() == "update" {
                r.patches.append(EndpointReport.Patch(id: name, title: item.value("description"), installedAt: date))
            } else {
                r.software.append(
                    EndpointReport.Software(
                        name: name, publisher: item.value("publisher"), version: item.value("version"),
                        installedAt: date,
                        source: item.value("type")))
            }
        }
        r.sections = [.os, .software, .patches]  // Open-AudIT has no antivirus or pending-update section
        return r
    }
}
