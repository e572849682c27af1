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
    public static func kind(_ data: Data, file: String) -> Kind? { kind(SniffHead(data)) }

    /// Tells the kind from the head of the file (complete lines only), or nil. The reader
    /// checks every line again: this only picks the parser.
    public static func kind(_ head: SniffHead) -> Kind? {
        let text = head.text
        let lines = head.lines.map(String.init)
        guard let first = lines.first else { return nil }
        if first.hasPrefix("Windows Registry Editor") || first == "REGEDIT4" { return .registryUninstall }
        if text.containsLiteral("HotFixID=") { return .wmiQuickFixEngineering }
        if text.containsLiteral("BuildNumber=") && text.containsLiteral("Caption=") { return .wmiOperatingSystem }
        if first.hasPrefix("NAME: ") && text.containsLiteral("PUBLISHER: ") { return .uwpApps }
        if text.containsLiteral("\"definitionsStatus\"") && text.containsLiteral("\"appVersion\"") {
            return .defenderLinux
        }
        if text.containsLiteral("Antimalware status") || text.containsLiteral("Last security content update") {
            return .bitdefender
        }
        if first.hasPrefix("Agent version:") && text.containsLiteral("SentinelCTL") { return .sentinelOne }
        if first.hasPrefix("Cortex XDR") || text.containsLiteral("Content Version:")
            || text.containsLiteral("/opt/traps/")
        {
            return .cortexXDR
        }
        if first.hasPrefix("Name") && first.containsLiteral(": ") && text.containsLiteral("Version         :") {
            return .pacman
        }
        if lines.allSatisfy({ $0.hasPrefix("#") || startsWithVariable($0) }),
            text.containsLiteral("NAME=") || text.containsLiteral("ID=")
        {
            return .osRelease
        }
        let rows = lines.map { $0.tabFields() }
        if rows.allSatisfy(isDpkgRow) { return .dpkg }
        if rows.allSatisfy(isRPMRow) { return .rpm }
        return nil
    }

    /// Whether the line starts like `^[A-Z_]+=` (an os-release variable).
    static func startsWithVariable(_ line: String) -> Bool {
        let name = line.utf8.prefix { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || $0 == UInt8(ascii: "_") }
        return !name.isEmpty && line.utf8.dropFirst(name.count).first == UInt8(ascii: "=")
    }

    /// dpkg-query: Package, Architecture, Version, Installed-Size, Section (sometimes a Status).
    static func isDpkgRow(_ f: [Substring]) -> Bool {
        (5...6).contains(f.count) && !f[0].isEmpty && !f[1].isEmpty && !f[1].contains(" ")
            && (f[3].isEmpty || Int(f[3]) != nil)
    }

    /// rpm -qa --queryformat: NAME ARCH VERSION-RELEASE INSTALLTIME SIZE VENDOR SUMMARY GROUP
    static func isRPMRow(_ f: [Substring]) -> Bool {
        f.count >= 8 && !f[0].isEmpty && Int(f[3]) != nil
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
        return try read(data, as: kind, file: file)
    }

    /// Reads the output as this kind, whatever its head looks like (the fuzzers call each).
    public static func read(_ data: Data, as kind: Kind, file: String) throws -> EndpointReport {
        guard data.count <= InventoryLimits.maxBytes else {
            throw InputError(file: file, line: nil, reason: "larger than \(InventoryLimits.maxBytes >> 20) MB")
        }
        var r = EndpointReport(format: kind.rawValue)
        let text = try WindowsRaw.text(data, file: file)
        // Only the status tools' readers look at plain lines.
        var lines: [String] {
            text.nonEmptyLines().map { $0.removingAll("\u{FEFF}") }
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
                let l = line.trimming { $0 == "\r" }
                if l.isEmpty { flush(); continue }
                if let sep = l.literalRange(of: ": ") {
                    app[String(l[..<sep.lowerBound])] = String(l[sep.upperBound...])
                }
            }
            flush()
            r.sections = [.software]
        case .dpkg:
            // Package, Architecture, Version, Installed-Size, Section[, Status]: a package whose
            // status is not "install ok installed" (removed, config files left) is not installed.
            for (number, line) in numberedLines(text) {
                let f = line.tabFields()
                guard isDpkgRow(f) else {
                    throw InputError(
                        file: file, line: number,
                        reason: "not a dpkg-query line (\(f.count) tab-separated fields, expected 5 or 6)")
                }
                guard f.count < 6 || f[5] == "install ok installed" else { continue }
                r.software.append(EndpointReport.Software(name: String(f[0]), version: String(f[2]), source: "deb"))
            }
            r.sections = [.software]
        case .rpm:
            for (number, line) in numberedLines(text) {
                let f = line.tabFields()
                guard isRPMRow(f), let seconds = Int(f[3]) else {
                    throw InputError(
                        file: file, line: number,
                        reason: "not an rpm -qa line (NAME ARCH VERSION INSTALLTIME SIZE VENDOR SUMMARY GROUP)")
                }
                r.software.append(
                    EndpointReport.Software(
                        name: String(f[0]), publisher: String(f[5]), version: String(f[2]),
                        installedAt: InventoryDate.epoch(Double(seconds)), source: "rpm"))
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
                if line.isBlank { flush(); continue }
                if let sep = line.literalRange(of: " : ") {
                    package[line[..<sep.lowerBound].trimmingWhitespace()] = String(
                        line[sep.upperBound...])
                }
            }
            flush()
            r.sections = [.software]
        case .osRelease:
            var values: [String: String] = [:]
            for line in lines where !line.hasPrefix("#") {
                guard let eq = line.firstIndex(of: "=") else { continue }
                values[String(line[..<eq])] = line[line.index(after: eq)...].trimming { $0 == "\"" || $0 == "'" }
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
                av.signatureDate = InventoryDate.epoch(ms / 1000)
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
            let textLines = lines
            let values = colonValues(textLines, separator: ": ")
            var av = EndpointReport.AntivirusProduct(name: "SentinelOne")
            av.vendor = "SentinelOne"
            av.productVersion = values["Agent version"]
            av.enabled = textLines.first { $0.hasPrefix("Agent state") }.map { $0.hasSuffix("Enabled") }
            r.antivirus = [av]
            r.sections = [.antivirus]
        case .cortexXDR:
            let textLines = lines
            var av = EndpointReport.AntivirusProduct(name: "Cortex XDR")
            av.vendor = "Palo Alto Networks"
            av.productVersion = textLines.first?.split(separator: " ").last.map(String.init)
            av.signatureVersion = colonValues(textLines, separator: ": ")["Content Version"]
            let processes = textLines.filter { $0.containsLiteral("/opt/traps/") }
            if !processes.isEmpty { av.enabled = processes.allSatisfy { $0.containsLiteral("Running") } }
            r.antivirus = [av]
            r.sections = [.antivirus]
        }
        return r
    }

    /// The non-empty lines with their 1-based numbers (stray byte-order marks removed).
    static func numberedLines(_ text: String) -> [(Int, Substring)] {
        TextLines.split(text).enumerated().compactMap { i, raw in
            let line = raw.hasPrefix("\u{FEFF}") ? raw.dropFirst() : raw
            return line.isBlank ? nil : (i + 1, line)
        }
    }

    static func colonValues(_ lines: [String], separator: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in lines {
            guard let sep = line.literalRange(of: separator) else { continue }
            out[line[..<sep.lowerBound].trimmingWhitespace()] = line[sep.upperBound...].trimmingWhitespace()
        }
        return out
    }
}
