import Foundation
import Ingest
import LedgerModel
import Wire

/// An snmpsim recording (`OID|TYPE|VALUE` per line; a TYPE ending in `x` means the value is
/// hex): what a device answers over SNMP. The lab serves these; the fingerprint tests read them.
public enum Snmprec {
    public static func read(_ data: Data, file: String) throws -> [String: String] {
        let text = String(decoding: data, as: UTF8.self)
        var values: [String: String] = [:]
        for (i, raw) in TextLines.split(text).enumerated() {
            let line = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { throw InputError(file: file, line: i + 1, reason: "expected OID|TYPE|VALUE") }
            // TYPE:MODULE: snmpsim computes the value with a variation module; no value is recorded.
            if parts[1].contains(":") { continue }
            var value = parts[2]
            if parts[1].hasSuffix("x") {
                var bytes: [UInt8] = []
                var it = value.makeIterator()
                while let a = it.next(), let b = it.next() {
                    guard let byte = UInt8(String([a, b]), radix: 16) else {
                        throw InputError(file: file, line: i + 1, reason: "bad hex value")
                    }
                    bytes.append(byte)
                }
                value = String(decoding: bytes, as: UTF8.self)
            }
            values[parts[0]] = value
        }
        return values
    }

    /// The signals fingerprint rules read from an SNMP walk: every object and table row the
    /// scanner's own questions name (ProbeAnswers' table), so a recording and a live agent give
    /// the same signals.
    /// A table column the scan asks with GET-NEXT gives its first row only (in OID order, arc
    /// by arc), as the agent would answer; the ifType column as the GETBULK walk counts it (at
    /// most two answers' rows), `snmp.ifTypes` and `snmp.ifRows`.
    public static func signals(_ walk: [String: String]) -> [String: [String]] {
        var s: [String: [String]] = [:]
        var firstRow = Set<String>()
        let ordered = walk.map {
            (key: $0.key.split(separator: ".").map { UInt64($0) ?? 0 }, oid: $0.key, value: $0.value)
        }
        .sorted { $0.key.lexicographicallyPrecedes($1.key) }
        for (_, oid, value) in ordered where !value.isEmpty {
            guard let name = ProbeAnswers.snmpSignal(oid: oid), s[name]?.contains(value) != true else { continue }
            if let column = ProbeRequests.snmpNextOIDs.first(where: { oid.hasPrefix($0 + ".") }) {
                guard firstRow.insert(column).inserted else { continue }
            }
            s[name, default: []].append(value)
        }
        if walk.keys.contains(where: { $0.hasPrefix("1.3.6.1.2.1.43.") }) { s["snmp.printerMIB"] = ["present"] }
        let column = ProbeRequests.ifTypeColumn + "."
        let rows = ordered.filter { $0.oid.hasPrefix(column) }.prefix(2 * ProbeRequests.snmpBulkRepetitions)
            .map { SNMPMessage.Binding(oid: $0.oid, value: Int64($0.value).map { .integer($0) } ?? .null) }
        for (name, values) in ProbeAnswers.snmpInterfaces(ProbeAnswers.interfaceTypeCounts(rows)).values {
            s[name] = values
        }
        return s
    }
}
