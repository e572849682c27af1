import Foundation
import LedgerModel

/// The raw outputs collectors and agents read (each feeds one section of a report): Windows
/// registry exports and `wmic` lists, the UWP app list, `dpkg-query`/`rpm -qa`/`pacman -Qi`,
/// `/etc/os-release`, and Linux antivirus status tools (`mdatp health --output json`,
/// `bduitool get ps`, `sentinelctl`, `cytool`). None names its machine except the WMI lists, so
/// an import attaches them to a device given by id (`assetledger import --device ID`).
public enum CollectorOutput {
    public enum Kind: String, Sendable, CaseIterable {
        case registryUninstall = "registry-uninstall"
        case wmiQuickFixEngineering = "wmi-qfe"
        case wmiOperatingSystem = "wmi-os"
        case uwpApps = "uwp-apps"
        case dpkg, rpm, pacman
        case osRelease = "os-release"
        case defenderLinux = "mdatp-health"
        case bitdefender = "bduitool"
        case sentinelOne = "sentinelctl"
        case cortexXDR = "cytool"
    }

    /// Tells the kind from the content, or nil.
    public static func kind(_ data: Data, file: String) -> Kind? {
        guard let text = try? WindowsRaw.text(data.prefix(256 * 1024), file: file) else { return nil }
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        guard let first = lines.first?.replacingOccurrences(of: "\u{FEFF}", with: "") else { return nil }
        if first.hasPrefix("Windows Registry Editor") || first == "REGEDIT4" { return .registryUninstall }
        if text.contains("HotFixID=") { return .wmiQuickFixEngineering }
        if text.contains("BuildNumber=") && text.contains("Caption=") { return .wmiOperatingSystem }
        if first.hasPrefix("NAME: ") && text.contains("PUBLISHER: ") { return .uwpApps }
        if text.contains("\"definitionsStatus\"") && text.contains("\"appVersion\"") { return .defenderLinux }
        if text.contains("Antimalware status") || text.contains("Last security content update") { return .bitdefender }
        if first.hasPrefix("Agent version:") && text.contains("SentinelCTL") { return .sentinelOne }
        if first.hasPrefix("Cortex XDR") || text.contains("Content Version:") || text.contains("/opt/traps/") {
            return .cortexXDR
        }
        if first.hasPrefix("Name") && first.contains(": ") && text.contains("Version         :") { return .pacman }
        if lines.allSatisfy({ $0.hasPrefix("#") || $0.range(of: #"^[A-Z_]+="#, options: .regularExpression) != nil }),
            text.contains("NAME=") || text.contains("ID=")
        {
            return .osRelease
        }
        let rows = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        // dpkg-query: Package, Architecture, Version, Installed-Size, Section (sometimes one more).
        if rows.allSatisfy({
            (5...6).contains($0.count) && !$0[1].isEmpty && !$0[1].contains(" ") && ($0[3].isEmpty || Int($0[3]) != nil)
        }) {
            return .dpkg
        }
        // rpm -qa --queryformat: NAME ARCH VERSION-RELEASE INSTALLTIME SIZE VENDOR SUMMARY GROUP
        if rows.allSatisfy({ $0.count >= 8 && Int($0[3]) != nil }) { return .rpm }
        return nil
    }

    /// Reads one raw output into a partial report (its one section, plus the machine's name
    /// where the output has it).
    public static func read(_ data: Data, file: String) throws -> EndpointReport {
        guard data.count <= InventoryLimits.maxBytes else {
            throw InputError(file: file, line: nil, reason: "larger than \(InventoryLimits.maxBytes >> 20) MB")
        }
        guard let kind = kind(data, file: file) else {
            throw InputError(file: file, line: 1, reason: "not a collector output this import knows")
        }
        var r = EndpointReport(format: kind.rawValue)
        let text = try WindowsRaw.text(data, file: file)
        let lines = text.split(whereSeparator: \.isNewline).map {
            String($0).replacingOccurrences(of: "\u{FEFF}", with: "")
        }
        switch kind {
        case .registryUninstall:
            (r.software, r.patches) = try WindowsRaw.uninstall(data, file: file)
            r.sections = [.software]  // the Uninstall keys show some updates, not all: patches stay as they are
        case .wmiQuickFixEngineering:
            let records = try WindowsRaw.wmiRecords(data, file: file)
            r.patches = WindowsRaw.quickFixEngineering(records)
            r.identity.hostname = records.first?["CSName"]
            r.sections = [.patches]
        case .wmiOperatingSystem:
            let record = try WindowsRaw.wmiRecords(data, file: file).first ?? [:]
            r.os = WindowsRaw.operatingSystem(record)
            r.identity.hostname = record["CSName"]
            r.sections = [.os]
        case .uwpApps:
            var app: [String: String] = [:]
            func flush() {
                if let name = app["NAME"] {
                    r.software.append(
                        EndpointReport.Software(
                            name: name, publisher: app["PUBLISHER"], version: app["VERSION"],
                            installedAt: app["INSTALLDATE"].flatMap { InventoryDate.parse($0) }, source: "uwp"))
                }
                app = [:]
            }
            for line in TextLines.split(text) {
                let l = line.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
                if l.isEmpty { flush(); continue }
                if let sep = l.range(of: ": ") { app[String(l[..<sep.lowerBound])] = String(l[sep.upperBound...]) }
            }
            flush()
            r.sections = [.software]
        case .dpkg:
            // Package, Architecture, Version, Installed-Size, Section[, Status]: a package whose
            // status is not "install ok installed" (removed, config files left) is not installed.
            for line in lines {
                let f: [String] = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard f.count < 6 || f[5] == "install ok installed" else { continue }
                r.software.append(EndpointReport.Software(name: f[0], version: f[2], source: "deb"))
            }
            r.sections = [.software]
        case .rpm:
            // NAME ARCH VERSION-RELEASE INSTALLTIME SIZE VENDOR SUMMARY GROUP
            for line in lines {
                let f: [String] = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                let installed: Date? = Double(f[3]).map { Date(timeIntervalSince1970: $0) }
                let publisher: String? = f.count > 5 ? f[5] : nil
                r.software.append(
                    EndpointReport.Software(
                        name: f[0], publisher: publisher, version: f[2], installedAt: installed, source: "rpm"))
            }
            r.sections = [.software]
        case .pacman:
            var package: [String: String] = [:]
            func flush() {
                if let name = package["Name"] {
                    r.software.append(
                        EndpointReport.Software(
                            name: name, publisher: package["Packager"], version: package["Version"], source: "pacman"))
                }
                package = [:]
            }
            for line in TextLines.split(text) {
                if line.trimmingCharacters(in: .whitespaces).isEmpty { flush(); continue }
                if let sep = line.range(of: " : ") {
                    package[line[..<sep.lowerBound].trimmingCharacters(in: .whitespaces)] = String(
                        line[sep.upperBound...])
                }
            }
            flush()
            r.sections = [.software]
        case .osRelease:
            var values: [String: String] = [:]
            for line in lines where !line.hasPrefix("#") {
                guard let eq = line.firstIndex(of: "=") else { continue }
                values[String(line[..<eq])] = String(line[line.index(after: eq)...]).trimmingCharacters(
                    in: CharacterSet(charactersIn: "\"'"))
            }
            var os = EndpointReport.OperatingSystem()
            os.name = values["PRETTY_NAME"] ?? values["NAME"]
            os.version = values["VERSION_ID"]
            r.os = os
            r.sections = [.os]
        case .defenderLinux:
            guard let health = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw InputError(file: file, line: nil, reason: "mdatp health output is not a JSON object")
            }
            func value(_ key: String) -> Any? { (health[key] as? [String: Any])?["value"] ?? health[key] }
            var av = EndpointReport.AntivirusProduct(name: "Microsoft Defender for Endpoint")
            av.vendor = "Microsoft"
            av.productVersion = health["appVersion"] as? String
            // Passive mode: installed but another product protects the machine.
            av.enabled =
                (value("realTimeProtectionEnabled") as? Bool ?? false)
                && !(value("passiveModeEnabled") as? Bool ?? false)
            av.signaturesUpToDate = ((health["definitionsStatus"] as? [String: Any])?["$type"] as? String) == "upToDate"
            av.signatureVersion = health["definitionsVersion"] as? String
            if let ms = (health["definitionsUpdated"] as? String).flatMap(Double.init) {
                av.signatureDate = Date(timeIntervalSince1970: ms / 1000)
            }
            r.antivirus = [av]
            r.sections = [.antivirus]
        case .bitdefender:
            let values = colonValues(lines, separator: ": ")
            var av = EndpointReport.AntivirusProduct(name: "Bitdefender Endpoint Security Tools")
            av.vendor = "Bitdefender"
            av.productVersion = values["Product version"]
            av.signatureVersion = values["Engines version"]
            av.enabled = values["- Antimalware status"].map { $0.lowercased() == "on" }
            av.signaturesUpToDate = values["New security content available"].map { $0.lowercased() == "no" }
            av.signatureDate = values["Last security content update"].flatMap { s in
                InventoryDate.parse(s.components(separatedBy: " at ").first ?? s)
            }
            r.antivirus = [av]
            r.sections = [.antivirus]
        case .sentinelOne:
            let values = colonValues(lines, separator: ": ")
            var av = EndpointReport.AntivirusProduct(name: "SentinelOne")
            av.vendor = "SentinelOne"
            av.productVersion = values["Agent version"]
            av.enabled = lines.first { $0.hasPrefix("Agent state") }.map { $0.hasSuffix("Enabled") }
            r.antivirus = [av]
            r.sections = [.antivirus]
        case .cortexXDR:
            var av = EndpointReport.AntivirusProduct(name: "Cortex XDR")
            av.vendor = "Palo Alto Networks"
            av.productVersion = lines.first?.split(separator: " ").last.map(String.init)
            av.signatureVersion = colonValues(lines, separator: ": ")["Content Version"]
            let processes = lines.filter { $0.contains("/opt/traps/") }
            if !processes.isEmpty { av.enabled = processes.allSatisfy { $0.contains("Running") } }
            r.antivirus = [av]
            r.sections = [.antivirus]
        }
        return r
    }

    static func colonValues(_ lines: [String], separator: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in lines {
            guard let sep = line.range(of: separator) else { continue }
            out[line[..<sep.lowerBound].trimmingCharacters(in: .whitespaces)] = line[sep.upperBound...]
                .trimmingCharacters(in: .whitespaces)
        }
        return out
    }
}
