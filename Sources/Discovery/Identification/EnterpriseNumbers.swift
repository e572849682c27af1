import Foundation
import Ingest
import LedgerModel

/// Who an SNMP agent's maker is, from its sysObjectID's enterprise (`1.3.6.1.4.1.N…`) named
/// through the IANA Private Enterprise Numbers registry as Debian ships it in
/// `libwireshark-data` (`/usr/share/wireshark/enterprises.tsv`). Not a copied table: the file is
/// read where Debian installs it, like the IEEE registries (`MACVendors`).
public struct EnterpriseNumbers: Sendable {
    public static let debianPath = "/usr/share/wireshark/enterprises.tsv"
    /// The prefix every private enterprise's objects live under.
    public static let enterprisesArc = "1.3.6.1.4.1."

    private let names: [Int: String]
    public var count: Int { names.count }

    init(names: [Int: String]) { self.names = names }

    /// Reads the registry (`N<tab or spaces>Name` per line, `#` comments). A missing file is
    /// refused: a scan would otherwise silently lose the agents' makers.
    public static func load(path: String = debianPath) throws -> EnterpriseNumbers {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(
                file: path, line: nil,
                reason: "cannot read the IANA enterprise numbers (install Debian's libwireshark-data)")
        }
        return try read(data, file: path)
    }

    public static func read(_ data: Data, file: String) throws -> EnterpriseNumbers {
        let text = try TextDecoding.decode(data, file: file).text
        var names: [Int: String] = [:]
        for (i, raw) in TextLines.split(text).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let gap = line.firstIndex(where: { $0 == "\t" || $0 == " " }),
                let number = Int(line[..<gap]), number >= 0
            else { throw InputError(file: file, line: i + 1, reason: "expected NUMBER<tab>NAME") }
            var name = line[gap...].trimmingCharacters(in: .whitespaces)
            // A few entries carry the registrant's web address: `IBM (https://…)`.
            if let url = name.range(of: " (http") { name = String(name[..<url.lowerBound]) }
            if !name.isEmpty, names[number] == nil { names[number] = name }
        }
        guard !names.isEmpty else { throw InputError(file: file, line: nil, reason: "no enterprise numbers") }
        return EnterpriseNumbers(names: names)
    }

    /// The enterprise number of an object identifier under `1.3.6.1.4.1`, else nil.
    public static func number(of oid: String) -> Int? {
        guard oid.hasPrefix(enterprisesArc) else { return nil }
        return Int(oid.dropFirst(enterprisesArc.count).prefix { $0 != "." })
    }

    /// The registrant of an enterprise number.
    public func name(_ number: Int) -> String? { names[number] }
}
