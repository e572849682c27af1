import Foundation
import LedgerModel

/// Reads osquery results into an `EndpointReport`: result logs (one JSON object per line with
/// `name` and `columns`, or `snapshot` rows), and Fleet's detail-query templates
/// (`{{ define "fleet_detail_query_<name>" -}} [rows] {{- end }}`, placeholders filled with
/// empty values). Queries are recognized by their table: os_version, os_windows, system_info,
/// interface_details/network_interface, programs, deb_packages, rpm_packages, patches,
/// windows_update_history, windows_security_products.
public enum OsqueryInventory {
    public static func read(_ data: Data, file: String) throws -> EndpointReport {
        guard data.count <= InventoryLimits.maxBytes else {
            throw InputError(file: file, line: nil, reason: "larger than \(InventoryLimits.maxBytes >> 20) MB")
        }
        let text = try TextDecoding.decode(data, file: file).text
        let tables =
            text.containsLiteral("{{ define") ? try fleetTemplate(text, file: file) : try resultLog(text, file: file)
        guard !tables.isEmpty else { throw InputError(file: file, line: nil, reason: "no osquery results found") }
        return report(tables)
    }

    typealias Rows = [[String: String]]

    static func strings(_ object: [String: Any]) -> [String: String] {
        object.compactMapValues { v in
            switch v {
            case let s as String: s
            case let n as NSNumber: n.stringValue
            default: nil
            }
        }
    }

    static func fleetTemplate(_ text: String, file: String) throws -> [String: Rows] {
        var tables: [String: Rows] = [:]
        // Each block is `[ ... ]` after its define; template actions inside it become empty.
        // The search goes on after each block's end, never back over the text: a file of many
        // defines costs its length, not its length squared.
        let prefix = "fleet_detail_query_"
        var from = text.startIndex
        while let match = text.range(of: prefix + "[a-z_]+", options: .regularExpression, range: from..<text.endIndex) {
            let name = String(text[match].dropFirst(prefix.count))
            guard let end = text.range(of: "{{- end }}", range: match.upperBound..<text.endIndex) else { break }
            from = end.upperBound
            let body = String(text[match.upperBound..<end.lowerBound])
                .replacingOccurrences(of: #"\{\{[^}]*\}\}"#, with: "", options: .regularExpression)
                .drop(while: { $0 != "[" })
            guard let rows = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]] else {
                throw InputError(file: file, line: nil, reason: "detail query '\(name)' is not a JSON array of rows")
            }
            tables[name, default: []] += rows.map(strings)
        }
        return tables
    }

    static func resultLog(_ text: String, file: String) throws -> [String: Rows] {
        var tables: [String: Rows] = [:]
        for (i, line) in TextLines.split(text).enumerated() {
            guard !line.isBlank else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let name = object["name"] as? String
            else { throw InputError(file: file, line: i + 1, reason: "not an osquery result line (no name)") }
            let key = name.split(separator: "/").last.map(String.init) ?? name
            if let columns = object["columns"] as? [String: Any] {
                if (object["action"] as? String) != "removed" { tables[key, default: []].append(strings(columns)) }
            } else if let snapshot = object["snapshot"] as? [[String: Any]] {
                tables[key, default: []] += snapshot.map(strings)
            }
        }
        return tables
    }

    /// Rows of the first query whose name contains `table`.
    static func rows(_ tables: [String: Rows], _ table: String) -> Rows {
        tables.filter { $0.key.contains(table) }.sorted { $0.key < $1.key }.flatMap(\.value)
    }

    static func report(_ tables: [String: Rows]) -> EndpointReport {
        var r = EndpointReport(format: "osquery")
        r.sections = []
        func epoch(_ s: String?) -> Date? {
            s.flatMap(Double.init).flatMap { $0 > 0 ? InventoryDate.epoch($0) : nil }
        }
        if let info = rows(tables, "system_info").first {
            r.identity.hostname = [info["hostname"], info["computer_name"]].compactMap { $0 }.first { !$0.isEmpty }
            r.identity.smbiosUUID = info["uuid"].flatMap { $0.isEmpty ? nil : $0 }
            r.identity.vendor = info["hardware_vendor"]
            r.identity.model = info["hardware_model"]
            r.identity.serials = [info["hardware_serial"]].compactMap { $0 }.filter { !$0.isEmpty }
        }
        for row in rows(tables, "interface") {
            if let mac = row["mac"], !mac.isEmpty, !r.identity.macs.contains(mac) { r.identity.macs.append(mac) }
            if let ip = row["address"], !ip.isEmpty, !ip.hasPrefix("fe80"), !r.identity.ips.contains(ip) {
                r.identity.ips.append(ip)
            }
        }
        let versionRow = rows(tables, "os_version").first
        let windowsRow = rows(tables, "os_windows").first
        if versionRow != nil || windowsRow != nil {
            var os = EndpointReport.OperatingSystem()
            os.name = windowsRow?["name"] ?? versionRow?["name"]
            os.version = windowsRow?["display_version"] ?? versionRow?["version"]
            os.kernel = windowsRow?["kernel_version"] ?? versionRow?["version"]
            os.architecture = windowsRow?["arch"] ?? versionRow?["arch"]
            os.build = versionRow?["build"].flatMap { $0.isEmpty ? nil : $0 }
            if let kernel = windowsRow?["kernel_version"] {
                let parts = kernel.split(separator: ".")
                if parts.count >= 3 { os.build = String(parts[2]) }
                if parts.count >= 4 { os.ubr = String(parts[3]) }
            }
            os.installedAt = epoch(versionRow?["install_date"])
            r.os = os
            r.sections.insert(.os)
        }
        let programs = rows(tables, "programs")
        let debs = rows(tables, "deb_packages")
        let rpms = rows(tables, "rpm_packages")
        if !programs.isEmpty || !debs.isEmpty || !rpms.isEmpty {
            r.software += programs.compactMap { p in
                p["name"].map {
                    EndpointReport.Software(
                        name: $0, publisher: p["publisher"], version: p["version"],
                        installedAt: p["install_date"].flatMap { InventoryDate.parse($0) }, source: "registry")
                }
            }
            r.software += debs.compactMap { p in
                p["name"].map {
                    EndpointReport.Software(name: $0, publisher: p["maintainer"], version: p["version"], source: "deb")
                }
            }
            r.software += rpms.compactMap { p in
                p["name"].map {
                    EndpointReport.Software(
                        name: $0, publisher: p["vendor"],
                        version: [p["version"], p["release"]].compactMap { $0 }.joined(separator: "-"),
                        installedAt: epoch(p["install_time"]), source: "rpm")
                }
            }
            r.sections.insert(.software)
        }
        var patches: [String: EndpointReport.Patch] = [:]
        for p in rows(tables, "patches") {
            guard let id = p["hotfix_id"], !id.isEmpty else { continue }
            patches[id] = EndpointReport.Patch(
                id: id, title: p["description"],
                installedAt: p["installed_on"].flatMap { InventoryDate.parse($0, slash: .monthFirst) })
        }
        for u in rows(tables, "windows_update_history") {
            // Only installs that succeeded count (result_code 2 when osquery reports it).
            if let code = u["result_code"], code != "2" { continue }
            guard let title = u["title"], let id = WindowsRaw.kbNumber(title) else { continue }
            let date = epoch(u["date"])
            if let known = patches[id], let when = known.installedAt, let date, when >= date { continue }
            patches[id] = EndpointReport.Patch(id: id, title: title, installedAt: date)
        }
        if !rows(tables, "patches").isEmpty || !rows(tables, "windows_update_history").isEmpty {
            r.patches = patches.values.sorted { ($0.installedAt ?? .distantPast) > ($1.installedAt ?? .distantPast) }
            r.sections.insert(.patches)
        }
        let products = rows(tables, "windows_security_products").filter {
            ($0["type"] ?? "").lowercased() == "antivirus"
        }
        if !rows(tables, "windows_security_products").isEmpty {
            r.antivirus = products.compactMap { p in
                guard let name = p["name"] else { return nil }
                var av = EndpointReport.AntivirusProduct(name: name)
                av.enabled = p["state"].map { $0.lowercased() == "on" }
                av.signaturesUpToDate = p["signatures_up_to_date"].map { $0 == "1" }
                return av
            }
            r.sections.insert(.antivirus)
        }
        return r
    }
}
