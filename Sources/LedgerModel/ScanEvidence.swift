import Foundation

/// The evidence a scan leaves on a device's observation beside its claims, which the security
/// check reads: `port` (`tcp/23`, one per open port, as the nmap importer writes them),
/// `ports.scanned` (the TCP ports asked, `21-23,80`), `snmp.asked` (the factory-default
/// communities asked, `public,private`) and `snmp.community` (each community the agent
/// answered, from the `snmp.community` signal: a community that is no factory default is
/// written `(other)`, never by name, since it is a credential).
public enum ScanEvidence {
    /// `21-23,80,9100`: sorted, runs joined.
    public static func portText(_ ports: [UInt16]) -> String {
        var out: [String] = []
        var run: (UInt16, UInt16)?
        for p in Set(ports).sorted() {
            if let r = run, r.1 &+ 1 == p, r.1 < UInt16.max {
                run = (r.0, p)
                continue
            }
            if let r = run { out.append(r.0 == r.1 ? "\(r.0)" : "\(r.0)-\(r.1)") }
            run = (p, p)
        }
        if let r = run { out.append(r.0 == r.1 ? "\(r.0)" : "\(r.0)-\(r.1)") }
        return out.joined(separator: ",")
    }

    /// The ports of a `portText`; nil when it is not one (at most 65,535 ports).
    public static func ports(_ text: String) -> Set<UInt16>? {
        var out = Set<UInt16>()
        for item in text.split(separator: ",") {
            let ends = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(ends.count), let low = UInt16(ends[0]), let high = UInt16(ends[ends.count - 1]),
                low <= high
            else { return nil }
            out.formUnion(low...high)
        }
        return out
    }

    /// The newest port scan among a device's observations (oldest first): one with
    /// `ports.scanned` or any `port` evidence.
    public static func portFacts(_ observations: [(at: Date, evidence: [Evidence])]) -> PortScanFacts? {
        for o in observations.reversed() {
            let scanned = o.evidence.first { $0.field == "ports.scanned" }
            let open = o.evidence.filter { $0.field == "port" }.compactMap { e -> UInt16? in
                guard e.value.hasPrefix("tcp/") else { return nil }
                return UInt16(e.value.dropFirst(4))
            }
            let anyPort = o.evidence.contains { $0.field == "port" }
            guard scanned != nil || anyPort else { continue }
            return PortScanFacts(open: Set(open), scanned: scanned.flatMap { ports($0.value) }, at: o.at)
        }
        return nil
    }

    /// The newest scan that asked SNMP (or heard an answer) among a device's observations.
    public static func snmpFacts(_ observations: [(at: Date, evidence: [Evidence])]) -> SNMPFacts? {
        for o in observations.reversed() {
            let asked = o.evidence.filter { $0.field == "snmp.asked" }
            let answered = o.evidence.filter { $0.field == "snmp.community" }.map(\.value)
            guard !asked.isEmpty || !answered.isEmpty else { continue }
            let names = asked.flatMap { $0.value.split(separator: ",").map(String.init) }
            return SNMPFacts(answered: Set(answered), asked: Set(names + answered), at: o.at)
        }
        return nil
    }
}
