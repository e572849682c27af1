import Foundation
import LedgerModel

/// Reads GLPI-agent / FusionInventory-agent / OCS inventories — XML (`REQUEST/CONTENT`) or GLPI
/// JSON (the `inventory_format` schema, the same names in lower case) — into an
/// `EndpointReport`.
///
/// Windows hotfixes arrive as ordinary `SOFTWARES` entries named `KBnnnnnnn` (from
/// Win32_QuickFixEngineering, `FROM=WMI`); they become patches, not software. `SOFTWAREUPDATES`
/// (a Rudder extension) are pending updates. `ANTIVIRUS` `ENABLED`/`UPTODATE` were already
/// decoded from `productState` by the agent.
public enum GLPIInventory {
    public static func xml(_ data: Data, file: String) throws -> EndpointReport {
        try report(from: InventoryTree.xml(data, file: file), format: "fusioninventory-xml", file: file)
    }

    public static func json(_ data: Data, file: String) throws -> EndpointReport {
        try report(from: InventoryTree.json(data, file: file), format: "glpi-json", file: file)
    }

    static func report(from root: InventoryNode, format: String, file: String) throws -> EndpointReport {
        guard let content = root.child("CONTENT") else {
            throw InputError(
                file: file, line: nil,
                reason: "no REQUEST/CONTENT (or content) section: not a GLPI/FusionInventory inventory")
        }
        var r = EndpointReport(format: format)
        r.agent = content.value("VERSIONCLIENT")
        r.collectedAt = content.path("ACCESSLOG")?.value("LOGDATE").flatMap(InventoryDate.parse)

        let hardware = content.child("HARDWARE")
        let bios = content.child("BIOS")
        let osNode = content.child("OPERATINGSYSTEM")
        r.identity.hostname = hardware?.value("NAME") ?? osNode?.value("FQDN")
        r.identity.domain = osNode?.value("DNS_DOMAIN") ?? hardware?.value("WORKGROUP")
        r.identity.serials = [bios?.value("SSN"), bios?.value("MSN")].compactMap { $0 }
        r.identity.smbiosUUID = hardware?.value("UUID")
        r.identity.vendor = bios?.value("SMANUFACTURER") ?? bios?.value("MMANUFACTURER")
        r.identity.model = bios?.value("SMODEL") ?? bios?.value("MMODEL")
        for net in content.all("NETWORKS") where net.value("VIRTUALDEV") != "1" {
            if let mac = net.value("MACADDR"), !r.identity.macs.contains(mac) { r.identity.macs.append(mac) }
            for key in ["IPADDRESS", "IPADDRESS6"] {
                // Loopback and link-local addresses name no place on the campus network.
                if let ip = net.value(key), !r.identity.ips.contains(ip), ip != "127.0.0.1", ip != "::1",
                    !ip.lowercased().hasPrefix("fe80"), !ip.hasPrefix("169.254.")
                {
                    r.identity.ips.append(ip)
                }
            }
        }

        if osNode != nil || hardware?.value("OSNAME") != nil {
            var os = EndpointReport.OperatingSystem()
            os.name = osNode?.value("FULL_NAME") ?? hardware?.value("OSNAME") ?? osNode?.value("NAME")
            os.version = osNode?.value("VERSION") ?? hardware?.value("OSVERSION")
            os.kernel = osNode?.value("KERNEL_VERSION") ?? hardware?.value("OSVERSION")
            os.architecture = osNode?.value("ARCH")
            os.installedAt = osNode?.value("INSTALL_DATE").flatMap(InventoryDate.parse)
            if let kernel = os.kernel, (os.name ?? "").localizedCaseInsensitiveContains("windows") {
                // Windows KERNEL_VERSION is 10.0.<build>[.<ubr>].
                let parts = kernel.split(separator: ".")
                if parts.count >= 3 { os.build = String(parts[2]) }
                if parts.count >= 4 { os.ubr = String(parts[3]) }
            }
            r.os = os
        }

        if r.os != nil, let id = hardware?.value("WINPRODID"), let channel = Activation.channel(windowsProductID: id) {
            r.activations.append(Activation(product: nil, channel: channel))
        }
        for l in content.all("LICENSEINFOS") {
            guard let name = l.value("FULLNAME") ?? l.value("NAME") else { continue }
            let oem =
                l.value("OEM").flatMap(flag) == true || (l.value("PRODUCTID") ?? "").uppercased().contains("-OEM-")
            r.activations.append(
                Activation(product: name, channel: oem ? .oem : nil, trial: l.value("TRIAL").flatMap(flag)))
        }
        for s in content.all("SOFTWARES") {
            guard let name = s.value("NAME") else { continue }
            let installed = (s.value("INSTALLDATE") ?? s.value("INSTALL_DATE")).flatMap(InventoryDate.parse)
            if isHotfix(name: name, node: s) {
                r.patches.append(
                    EndpointReport.Patch(
                        id: name.uppercased(), title: s.value("COMMENTS") ?? s.value("RELEASE_TYPE"),
                        installedAt: installed))
            } else {
                r.software.append(
                    EndpointReport.Software(
                        name: name, publisher: s.value("PUBLISHER"), version: s.value("VERSION"),
                        installedAt: installed,
                        source: s.value("FROM")?.lowercased()))
            }
        }

        for u in content.all("SOFTWAREUPDATES") {
            let ids = u.all("ID").map(\.text).filter { !$0.isEmpty }
            guard let id = ids.first(where: { $0.uppercased().hasPrefix("KB") }) ?? ids.first ?? u.value("NAME") else {
                continue
            }
            let kind = u.value("KIND")?.lowercased()
            r.pendingUpdates.append(
                EndpointReport.PendingUpdate(
                    id: id, title: u.value("NAME") ?? u.value("TITLE"),
                    security: kind.map { $0 == "security" }
                        ?? u.value("CATEGORY")?.localizedCaseInsensitiveContains("security")))
        }

        for a in content.all("ANTIVIRUS") {
            guard let name = a.value("NAME") else { continue }
            var av = EndpointReport.AntivirusProduct(name: name)
            av.vendor = a.value("COMPANY")
            av.enabled = a.value("ENABLED").flatMap(flag)
            av.signaturesUpToDate = a.value("UPTODATE").flatMap(flag)
            av.productVersion = a.value("VERSION")
            av.signatureVersion = a.value("BASE_VERSION")
            av.signatureDate = a.value("BASE_CREATION").flatMap(InventoryDate.parse)
            r.antivirus.append(av)
        }
        // The agent reads antivirus from Windows Security Center, which client Windows always
        // has: there, no ANTIVIRUS element means none. Elsewhere silence proves nothing.
        let clientWindows =
            (r.os?.name ?? "").localizedCaseInsensitiveContains("windows")
            && !(r.os?.name ?? "").localizedCaseInsensitiveContains("server")
        r.sections = [.software, .patches]
        if r.os != nil { r.sections.insert(.os) }
        if !r.antivirus.isEmpty || clientWindows { r.sections.insert(.antivirus) }
        if !r.pendingUpdates.isEmpty { r.sections.insert(.pendingUpdates) }
        return r
    }

    /// `KB5034441` from Win32_QuickFixEngineering, or an entry the agent filed as an update.
    static func isHotfix(name: String, node: InventoryNode) -> Bool {
        let upper = name.uppercased()
        if upper.hasPrefix("KB"), upper.count >= 8, upper.dropFirst(2).allSatisfy(\.isNumber) { return true }
        return node.value("FROM")?.uppercased() == "WMI" && node.value("SYSTEM_CATEGORY")?.lowercased() == "update"
    }

    static func flag(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "1", "true", "yes": true
        case "0", "false", "no": false
        default: nil
        }
    }
}

/// The date formats inventories use, read without locale: `2025-03-12 04:26:20`,
/// `2019-12-19`, `26/03/2025` (day first: FusionInventory) or `6/23/2015` (month first:
/// Open-AudIT, WMI), WMI `20090714102231.223830+600`, registry `20110115`, ISO 8601, Unix
/// seconds.
public enum InventoryDate {
    public enum SlashOrder: Sendable { case dayFirst, monthFirst }

    public static func parse(_ raw: String) -> Date? { parse(raw, slash: .dayFirst) }

    /// Unix seconds as a date, nil unless finite and between 1970 and 2100 (a hostile file's
    /// `inf` or 1e300 is no date).
    public static func epoch(_ seconds: Double) -> Date? {
        seconds.isFinite && (0...4_102_444_800).contains(seconds) ? Date(timeIntervalSince1970: seconds) : nil
    }

    public static func parse(_ raw: String, slash: SlashOrder) -> Date? {
        let s = raw.trimmingWhitespace()
        if let iso = ISODate.parse(s) { return iso }
        let groups = s.split(whereSeparator: { !$0.isNumber }).map(String.init)
        let digits = groups.compactMap { Int($0) }
        var c = DateComponents()
        c.timeZone = utc
        if s.contains("/") && digits.count >= 3 {
            (c.day, c.month, c.year) =
                slash == .dayFirst ? (digits[0], digits[1], digits[2]) : (digits[1], digits[0], digits[2])
        } else if s.contains("-") && digits.count >= 3 && digits[0] > 31 {
            (c.year, c.month, c.day) = (digits[0], digits[1], digits[2])
            if digits.count >= 6 { (c.hour, c.minute, c.second) = (digits[3], digits[4], digits[5]) }
        } else if let first = groups.first, first.count == 14 || first.count == 8, let v = Int(first.prefix(8)) {
            // WMI CIM_DATETIME (yyyymmddHHMMSS.ffffff+zzz, local time: read as UTC) or yyyymmdd.
            (c.year, c.month, c.day) = (v / 10000, v / 100 % 100, v % 100)
            if first.count == 14, let t = Int(first.suffix(6)) {
                (c.hour, c.minute, c.second) = (t / 10000, t / 100 % 100, t % 100)
            }
        } else if digits.count == 1, s.count >= 9, let seconds = Double(s) {
            return epoch(seconds)
        } else {
            return nil
        }
        guard let month = c.month, (1...12).contains(month), let day = c.day, (1...31).contains(day),
            let year = c.year, (1970...2100).contains(year), (c.hour ?? 0) < 24, (c.minute ?? 0) < 60,
            (c.second ?? 0) < 61
        else { return nil }
        return gregorian.date(from: c)
    }

    static let utc = TimeZone(identifier: "UTC")
    static let gregorian = Calendar(identifier: .gregorian)
}
