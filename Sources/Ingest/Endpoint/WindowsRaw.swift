import Foundation
import LedgerModel

/// What the Windows collector reads, parsed the same way from the raw dumps agents keep:
/// `regedit` exports of the Uninstall keys and `wmic ... /format:list` output (both UTF-16LE).
/// The PowerShell collector (scanners/collectors/assetledger-collect-windows.ps1) applies the
/// same rules; PowerShell does not run here, so these parsers are what the tests exercise on
/// the real dumps in ../shared/fixtures/agents/glpi-agent-raw.
public enum WindowsRaw {
    /// UTF-16 (with BOM) or UTF-8 text.
    static func text(_ data: Data, file: String) throws -> String {
        if data.starts(with: [0xFF, 0xFE]), let s = String(data: data.dropFirst(2), encoding: .utf16LittleEndian) {
            return s
        }
        if data.starts(with: [0xFE, 0xFF]), let s = String(data: data.dropFirst(2), encoding: .utf16BigEndian) {
            return s
        }
        return try TextDecoding.decode(data, file: file).text
    }

    /// Programs and updates from a `regedit` export of
    /// `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall` (and its WOW6432Node twin).
    /// A key is an update when its name is a KB number or its DisplayName carries one
    /// ("Security Update for Windows XP (KB2079403)"); keys without a DisplayName are skipped,
    /// as Windows' own Programs list does.
    public static func uninstall(_ data: Data, file: String) throws -> (
        software: [EndpointReport.Software], patches: [EndpointReport.Patch]
    ) {
        let text = try Self.text(data, file: file)
        guard text.containsLiteral("Windows Registry Editor") || text.hasPrefix("REGEDIT4") else {
            throw InputError(file: file, line: 1, reason: "not a regedit export")
        }
        var software: [EndpointReport.Software] = []
        var patches: [EndpointReport.Patch] = []
        var key: String?
        var values: [String: String] = [:]
        func flush() {
            defer { values = [:] }
            guard let key, let name = values["DisplayName"], !name.isEmpty else { return }
            let keyName = key.split(separator: "\\").last.map(String.init) ?? key
            let installed = values["InstallDate"].flatMap { InventoryDate.parse($0, slash: .monthFirst) }
            if let kb = kbNumber(keyName) ?? kbNumber(name) {
                patches.append(EndpointReport.Patch(id: kb, title: name, installedAt: installed))
            } else {
                software.append(
                    EndpointReport.Software(
                        name: name, publisher: values["Publisher"], version: values["DisplayVersion"],
                        installedAt: installed,
                        source: "registry"))
            }
        }
        for raw in text.nonEmptyLines() {
            let line = raw.trimmingWhitespace()
            if line.hasPrefix("[") && line.hasSuffix("]") {
                flush()
                let path = String(line.dropFirst().dropLast())
                key = path.caseInsensitiveRange(of: "\\Uninstall\\") != nil ? path : nil
                continue
            }
            // The closing quote of the name is searched after the opening one: a line `"="...`
            // would otherwise make a backwards range.
            guard line.hasPrefix("\"") else { continue }
            let nameStart = line.index(after: line.startIndex)
            guard let eq = line.literalRange(of: "\"=\"", range: nameStart..<line.endIndex) else { continue }
            let name = String(line[nameStart..<eq.lowerBound])
            var value = String(line[eq.upperBound...])
            if value.hasSuffix("\"") { value.removeLast() }
            // (Most values hold neither a backslash nor a NUL: nothing to unescape.)
            if value.containsScalar("\\") || value.containsScalar("\u{0}") {
                value = value.replacingOccurrences(of: "\\\\", with: "\u{0}").replacingOccurrences(
                    of: "\\\"", with: "\""
                )
                .replacingOccurrences(of: "\u{0}", with: "\\")
            }
            values[name] = value
        }
        flush()
        return (software, patches)
    }

    /// `KB2079403` from a key name or title, or nil.
    static func kbNumber(_ s: String) -> String? {
        // Any match holds a B or b (nothing else folds to it): most names have none.
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "B") || $0 == UInt8(ascii: "b") }),
            let r = TextScan.firstMatch(kbPattern, in: s)
        else { return nil }
        return s[r].uppercased()
    }

    /// What `range(of: #"KB\d{5,8}"#, options: [.regularExpression, .caseInsensitive])` compiles.
    static let kbPattern = try! NSRegularExpression(
        pattern: #"KB\d{5,8}"#, options: [.caseInsensitive])

    /// Records of `wmic path CLASS get /format:list`: blank-line separated `Name=Value` lines.
    public static func wmiRecords(_ data: Data, file: String) throws -> [[String: String]] {
        let text = try Self.text(data, file: file)
        var records: [[String: String]] = []
        var current: [String: String] = [:]
        // wmic writes CR CR LF: drop every CR, then split on LF.
        // (No CR is left, so every LF is a Character of its own.)
        let lines = text.removingAll("\r").removingAll("\u{FEFF}").pieces(cutAt: 0x0A)
        for raw in lines {
            let line = String(raw)
            if line.isBlank {
                if !current.isEmpty { records.append(current) }
                current = [:]
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw InputError(file: file, line: nil, reason: "not wmic /format:list output: '\(line.prefix(40))'")
            }
            current[String(line[..<eq])] = line[line.index(after: eq)...].trimmingWhitespace()
        }
        if !current.isEmpty { records.append(current) }
        return records
    }

    /// Hotfixes from Win32_QuickFixEngineering. On XP a row may say `HotFixID=File 1` with the
    /// KB in `ServicePackInEffect`; `InstalledOn` is month first (`1/15/2011`).
    public static func quickFixEngineering(_ records: [[String: String]]) -> [EndpointReport.Patch] {
        records.compactMap { r in
            let id =
                [r["HotFixID"], r["ServicePackInEffect"]].compactMap { $0.flatMap(kbNumber) }.first
                ?? r["HotFixID"].flatMap { $0.isEmpty ? nil : $0 }
            guard let id else { return nil }
            let title = [r["Description"], r["FixComments"]].compactMap { $0 }.first { !$0.isEmpty }
            return EndpointReport.Patch(
                id: id, title: title,
                installedAt: r["InstalledOn"].flatMap { InventoryDate.parse($0, slash: .monthFirst) })
        }
    }

    /// The OS from Win32_OperatingSystem.
    public static func operatingSystem(_ r: [String: String]) -> EndpointReport.OperatingSystem {
        var os = EndpointReport.OperatingSystem()
        os.name = r["Caption"]?.trimmingWhitespace()
        os.version = r["Version"]
        os.build = r["BuildNumber"]
        os.architecture = r["OSArchitecture"]
        os.installedAt = r["InstallDate"].flatMap { InventoryDate.parse($0) }
        return os
    }

    /// Security Center's `AntiVirusProduct.productState`, which Microsoft never documented:
    /// by the field's common reading, bits 12-15 equal 1 mean enabled and bits 4-7 equal 0
    /// mean signatures up to date.
    public static func securityCenterState(_ productState: Int) -> (enabled: Bool, upToDate: Bool) {
        ((productState >> 12) & 0xF == 1, (productState >> 4) & 0xF == 0)
    }
}
